"""Fast lexicon matching: one compiled alternation per lexicon, and match positions mapped to sentences.

Shared by themes, mentions and events. Terms are matched in match form (Simplified, half-width), longest
first. A term that starts or ends with a Latin letter or digit only matches as a whole word there, so
"AI" never fires inside "MAIN" or a URL; Latin-only terms of four or more letters also match in lower,
upper and capitalised spelling (tiktok, TIKTOK, Tiktok for TikTok).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from extract.normalize import to_match_form
from extract.sentences import SentenceSpan

_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_CASELESS = re.compile(r"[A-Za-z]{4,}")


@lru_cache(maxsize=8)
def match_form(text: str) -> str:
    """``to_match_form(text)``, remembered for the last few texts: every extractor of a document needs it."""
    return to_match_form(text)


@dataclass(frozen=True)
class TermPattern:
    """A compiled lexicon: the regex and a way back from a matched surface to the term it came from."""

    regex: re.Pattern[str]
    exact: frozenset[str]
    folded: dict[str, str]

    def term(self, surface: str) -> str:
        """The lexicon term a match stands for, e.g. ``"TikTok"`` for a matched ``"tiktok"``."""
        return surface if surface in self.exact else self.folded[surface.lower()]


def compile_terms(terms: Iterable[str]) -> TermPattern:
    """One regex matching ``terms`` (normalised to match form), longest first, with Latin word edges."""
    unique = {to_match_form(t) for t in terms if t}
    folded = {t.lower(): t for t in unique if _CASELESS.fullmatch(t)}
    # Case variants are spelled out as literals: a (?i:) group or a [Tt] class as first item would stop
    # the regex engine from skipping ahead on first characters, making the scan about five times slower.
    spellings = unique | {v for t in folded.values() for v in (t.lower(), t.upper(), t.capitalize())}
    if not spellings:
        return TermPattern(re.compile(r"(?!)"), frozenset(), {})
    trie: dict[str, dict] = {}
    for spelling in spellings:
        node = trie
        for ch in spelling:
            node = node.setdefault(ch, {})
        node[""] = {}
    return TermPattern(re.compile(_trie_regex(trie, "", True)), frozenset(unique), folded)


def _trie_regex(node: dict[str, dict], previous: str, first: bool) -> str:
    """Regex source of a character trie: shared prefixes once (a third faster than a flat alternation).

    Longer continuations come before the end of a term, so the regex prefers the longest term at a
    position, as a longest-first alternation does. Latin edges get word-boundary lookarounds; the
    lookbehind sits after the first character, not before it, so that the engine can still skip ahead
    on first characters: it checks that the character before the term is not a Latin letter or digit.
    """
    branches = []
    for ch in sorted(k for k in node if k):
        edge = "(?<![A-Za-z0-9].)" if first and _ASCII_WORD.match(ch) else ""
        branches.append(re.escape(ch) + edge + _trie_regex(node[ch], ch, False))
    if "" in node:
        branches.append("(?![A-Za-z0-9])" if _ASCII_WORD.match(previous) else "")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def find_terms(
    pattern: TermPattern, match_text: str, overlapping: bool = False, start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) of each match in ``match_text[start:end]``; ``overlapping`` finds nested too."""
    endpos = len(match_text) if end is None else end
    if not overlapping:
        for m in pattern.regex.finditer(match_text, start, endpos):
            yield m.start(), m.end(), pattern.term(m.group())
        return
    # search() from the next character (not finditer) keeps overlaps such as 平台竞争 + 竞争 while still
    # letting the regex engine skip ahead on the first-character set, which a lookahead would defeat.
    search, pos = pattern.regex.search, start
    while (m := search(match_text, pos, endpos)) is not None:
        yield m.start(), m.end(), pattern.term(m.group())
        pos = m.start() + 1


def is_word_prefix(prefix: str, term: str) -> bool:
    """True when ``term`` starts with ``prefix`` as a match would: "AI" is not a prefix of "AIGC"."""
    if not term.startswith(prefix) or len(prefix) >= len(term):
        return False
    return not (_ASCII_WORD.match(prefix[-1]) and _ASCII_WORD.match(term[len(prefix)]))


def sentence_locator(spans: Sequence[SentenceSpan]) -> Callable[[int, int], int | None]:
    """A function mapping a span (start, end) to the sent_id of the sentence holding it, else None.

    ``spans`` are (start, end, sent_id) in text order, as ``sentences.numbered`` or ``frame_spans`` give.
    """
    starts = [r[0] for r in spans]
    ends = [r[1] for r in spans]
    ids = [r[2] for r in spans]

    def locate(start: int, end: int) -> int | None:
        """The sent_id whose sentence contains ``[start, end)``."""
        i = bisect_right(starts, start) - 1
        return ids[i] if i >= 0 and end <= ends[i] else None

    return locate
