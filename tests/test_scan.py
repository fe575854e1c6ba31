"""finditer_at must find exactly the non-empty matches finditer finds, for every pattern it is used with."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import claims, noise
from extract.scan import finditer_at

# (pattern, first-character class) pairs as the extractors use them.
PAIRS = [
    (noise._NOISE, noise._NOISE_FIRST),
    (claims._RELATIVE_YEAR, claims._RELATIVE_YEAR_FIRST),
    (claims._SAME_YEAR, claims._SAME_YEAR_FIRST),
]
# Characters the patterns care about, so random texts hit them often.
ALPHABET = "今去前明本上年以同当该轻龄级相 《》()shìa2024年万亿元→①\n。，的规模"


def spans(matches: object) -> list[tuple[int, int]]:
    """(start, end) of each non-empty match."""
    return [(m.start(), m.end()) for m in matches if m.end() > m.start()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("pattern, first", PAIRS, ids=["noise", "relative-year", "same-year"])
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=40))
def test_same_matches_as_finditer(pattern: re.Pattern[str], first: re.Pattern[str], text: str) -> None:
    assert spans(finditer_at(pattern, first, text)) == spans(pattern.finditer(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("今年以上年轻人去年", [(0, 2), (7, 9)]),  # 以上年 is no year; 上年轻 is not looked at again
        ("规(guī)模 ① 2 024年", None),
    ],
)
def test_known_texts(text: str, expected: list[tuple[int, int]] | None) -> None:
    pattern, first = (claims._RELATIVE_YEAR, claims._RELATIVE_YEAR_FIRST) if expected else PAIRS[0]
    found = spans(finditer_at(pattern, first, text))
    assert found == (expected if expected is not None else spans(pattern.finditer(text)))
    assert found
