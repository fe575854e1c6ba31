"""Tests for extract.sentences: where sentences end, and the fast scan against the plain pattern."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract.sentences import _END, _END_PLAIN, sentence_at, sentence_starts, split_sentences

# Characters around every kind of sentence end: terminal marks, quotes, a Western stop, footnotes, bullets.
_ALPHABET = list("中文。！？!?…”）.5 \u3000\n\t[]#1-•·%a")


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
@example("行业表现 - 724部 [1] - 长视频")
@example("规模504.4亿元. 用户5亿。”下一句")
def test_fast_end_scan_matches_the_plain_pattern(text: str) -> None:
    fast = [(m.start(), m.end()) for m in _END.finditer(text)]
    plain = [(m.start(), m.end()) for m in _END_PLAIN.finditer(text)]
    assert fast == plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("规模达504.4亿元。用户5亿！", ["规模达504.4亿元。", "用户5亿！"]),
        ("他说：“增长了。”随后离场", ["他说：“增长了。”", "随后离场"]),
        ("第一行\n\n第二行", ["第一行", "第二行"]),
        ("Revenue rose 3.5 percent. Users grew", ["Revenue rose 3.5 percent.", "Users grew"]),
        ("行业表现 - 724部作品 - 长视频平台", ["行业表现 -", "724部作品 -", "长视频平台"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from([*_ALPHABET, *"规模亿元"]), min_size=1, max_size=60).map("".join),
    st.lists(st.integers(min_value=0, max_value=59), min_size=1, max_size=8),
    st.sampled_from([400, 7]),
)
def test_sentence_starts_are_those_of_sentence_at(text: str, positions: list[int], lookback: int) -> None:
    # Year statements, the offsets this serves, start on a character that is no white space or sentence end.
    positions = sorted({p for p in positions if p < len(text) and text[p] in "规模亿元中文5a"})
    expected = [sentence_at(text, p, lookback)[0] for p in positions]
    assert sentence_starts(text, positions, lookback) == expected
