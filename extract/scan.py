"""Whole-text regex scans that try a pattern only where its first character can stand.

Python's regex engine skips ahead fast only for a pattern that opens on a literal or one character
class; an alternation of groups, or a look-behind first, is tried at every position of the text. A
one-class pattern of the possible first characters finds the candidate positions instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def finditer_at(pattern: re.Pattern[str], first: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The non-empty matches ``pattern.finditer(text)`` gives, for a pattern whose every match starts
    with a character that ``first`` (one character class) matches; tried only at those characters."""
    last = 0
    match = pattern.match
    for candidate in first.finditer(text):
        pos = candidate.start()
        if pos < last:
            continue
        hit = match(text, pos)
        if hit is not None and hit.end() > pos:
            yield hit
            last = hit.end()
