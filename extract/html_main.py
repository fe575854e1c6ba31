"""An HTML page's article lines: trafilatura judges what is main text, the rules' reading gives the lines.

The loader's rules (``extract.corpus``) read a page into lines, one per paragraph, heading, list item or
table row, with scripts, styles, handlers, ``javascript:`` links and navigation dropped. They cannot tell a
related-links list, a share bar or a comment thread inside ``<article>`` from the article. trafilatura can
(measured on the news-like fixtures, ``tests/bench/bench_html.py``: 14 of 57 boilerplate sentences leak
against 42, every body sentence kept), but where it falls back to a looser reading it keeps what the
rules drop (``<noscript>``, the words of a ``javascript:`` link, an ``<object>``'s fallback text). So a
line of the rules' text stays when trafilatura's main text holds it (or most of it) too: whole lines are
only ever taken away from the rules' reading, never added or changed.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from types import ModuleType

MAX_HTML_CHARS = 1_000_000  # beyond this trafilatura's time grows faster than the page: the rules' text stays
MIN_MAIN_CHARS = 100  # on a page with less main text than this, trafilatura falls back to guessing
GRAM = 4  # a line is compared with the main text by its runs of this many characters...
KEEP_SHARE = 0.5  # ...and stays when at least this share of them are in it


def main_lines(html: str, rules_text: str, heading: str | None = None) -> str:
    """The lines of ``rules_text`` (the loader's reading of ``html``) that trafilatura's main text holds,
    with the page's headline (``heading``) kept; ``rules_text`` whole when trafilatura finds nothing."""
    if len(html) > MAX_HTML_CHARS or not rules_text:
        return rules_text
    main = _trafilatura_text(html)
    squashed = _squash(main) if main else ""
    if len(squashed) < MIN_MAIN_CHARS:
        return rules_text
    head = _squash(heading) if heading else None
    main_grams = _grams(squashed)  # once per page: each line's runs are then looked up, not searched for
    kept = [line for line in rules_text.split("\n") if _in_main(_squash(line), squashed, main_grams, head)]
    return "\n".join(kept) if kept else rules_text


def _in_main(key: str, main: str, main_grams: set[str], head: str | None) -> bool:
    """True when the squashed line ``key`` is the headline or mostly in the squashed main text: a paragraph
    whose inline ad or ``javascript:`` link the rules dropped still matches by the rest of its runs."""
    if not key:
        return False
    if key == head or key in main:
        return True
    grams = [key[i : i + GRAM] for i in range(len(key) - GRAM + 1)]
    return bool(grams) and sum(g in main_grams for g in grams) >= KEEP_SHARE * len(grams)


def _grams(text: str) -> set[str]:
    """Every run of ``GRAM`` characters in ``text``."""
    return {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}


def _trafilatura_text(html: str) -> str | None:
    """trafilatura's main text of a page (comments, links and images left out, tables in), else None."""
    try:
        return _trafilatura().extract(
            html, output_format="txt", include_comments=False, include_tables=True, include_links=False,
            include_images=False, deduplicate=False, with_metadata=False,
        )
    except (ValueError, TypeError, RecursionError, MemoryError):
        return None  # a page it cannot parse keeps the rules' reading


@lru_cache(maxsize=1)
def _trafilatura() -> ModuleType:
    """trafilatura, imported on the first HTML page (it loads lxml, justext and htmldate), its logger
    quietened once: its warnings are about pages, not about us."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura


def _squash(text: str) -> str:
    """``text`` without white space, so a line matches across trafilatura's own line breaks."""
    return "".join(text.split())
