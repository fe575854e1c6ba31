"""Tests for extract.attribution's fast paths: each finds exactly what the plain regex scan finds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract import attribution

# Characters that build institution names, their suffixes, the stop characters and a clause break.
_ALPHABET = [*"东吴证券研究院所中心咨询智库据的由行业国海", "，", " ", "A"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
@example("东吴证券研究所")  # the longest name wins, across two suffixes
@example("据东吴证券研究院发布的报告，国海证券认为")
@example("证证券")
def test_institutions_only_around_suffixes_match_the_whole_scan(text: str) -> None:
    lex = attribution._sources()
    whole = [(m.start(), m.end()) for m in lex.institution.finditer(text)]
    windowed = [(m.start(), m.end()) for m in attribution._institutions(text, lex)]
    assert windowed == whole
