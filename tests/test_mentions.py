"""Mentions: counts per canonical name on literal texts, aliases, longest match, the seed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import schema
from extract.corpus import load_document
from extract.lexmatch import compile_terms, find_terms
from extract.mentions import ALIASES, CATEGORIES, find_mentions, mention_lexicon
from extract.schema import C
from extract.sentences import sentences_frame

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_346428899b60929e.md"

# (text, expected {(category, name): count})
COUNTS = [
    ("抖音、快手和B站都在做短剧，哔哩哔哩也是。", {("platform", "抖音"): 1, ("platform", "快手"): 1,
                                             ("platform", "哔哩哔哩"): 2}),
    ("愛奇藝與騰訊視頻加碼微短劇。", {("platform", "爱奇艺"): 1, ("platform", "腾讯视频"): 1}),
    ("女性观众爱看甜宠和霸总。", {("audience", "女性观众"): 1, ("genre", "甜宠"): 1, ("genre", "霸总"): 1}),
    ("直播带货和超前点播之外还有单集点播。", {("business_model", "直播带货"): 1,
                                   ("business_model", "超前点播"): 1, ("business_model", "单集付费"): 1}),
    ("银发群体与中老年观众", {("audience", "银发群体"): 1, ("audience", "中老年"): 1}),
    ("红果短剧与红果", {("platform", "红果短剧"): 2}),
    ("tiktok、TikTok与TIKTOK", {("platform", "TikTok"): 3}),
    ("MAIN与nLMwxqIAA不是平台", {}),
    ("免费短剧(IAA)崛起，付费短剧仍有潜力", {("business_model", "IAA"): 2, ("business_model", "IAP"): 1}),
    ("养生短剧和医疗科普剧", {("genre", "养生短剧"): 1, ("genre", "医疗科普剧"): 1}),
]


@pytest.mark.parametrize(("text", "expected"), COUNTS)
def test_mention_counts(text: str, expected: dict[tuple[str, str], int]) -> None:
    sentences = sentences_frame("d", text)
    before = sentences.copy(deep=True)
    found = find_mentions("d", text, sentences)
    pd.testing.assert_frame_equal(sentences, before)  # input untouched
    pd.testing.assert_frame_equal(found, schema.conform(found, "mentions"))
    assert Counter(zip(found[C.category], found[C.name], strict=True)) == Counter(expected)
    for surface, start, end in zip(found[C.surface], found[C.start], found[C.end], strict=True):
        assert text[start:end] == surface


def test_overlapping_spellings_count_once() -> None:
    text = "中老年人和老年人"
    found = find_mentions("d", text, sentences_frame("d", text))
    assert found[C.surface].tolist() == ["中老年人", "老年人"]
    assert found[C.name].tolist() == ["中老年", "银发群体"]


def test_surface_keeps_the_original_script() -> None:
    text = "愛奇藝"
    found = find_mentions("d", text, sentences_frame("d", text))
    assert (found[C.name].iloc[0], found[C.surface].iloc[0]) == ("爱奇艺", "愛奇藝")


@pytest.mark.parametrize("name", ["抖音", "快手", "爱奇艺", "腾讯视频", "YouTube", "TikTok", "Netflix"])
def test_seed_platform_counts_match_the_text(name: str) -> None:
    doc = load_document(SEED)
    found = find_mentions(doc.doc_id, doc.text, sentences_frame(doc.doc_id, doc.text))
    platforms = found[found[C.category] == "platform"]
    assert (platforms[C.name] == name).sum() == doc.text.count(name)


def test_lexicon_has_every_category_and_tuple_aliases() -> None:
    lex = mention_lexicon()
    assert set(lex[C.category]) == set(CATEGORIES)
    assert all(isinstance(a, tuple) for a in lex[ALIASES])
    bilibili = lex[lex[C.name] == "哔哩哔哩"].iloc[0]
    assert "B站" in bilibili[ALIASES]


def test_no_sentences_means_no_mentions() -> None:
    pd.testing.assert_frame_equal(find_mentions("d", "", sentences_frame("d", "")), schema.empty("mentions"))


def _naive_matches(terms: list[str], text: str) -> list[tuple[int, int, str]]:
    """Reference matcher: at each position the longest term whose Latin edges are word edges."""
    latin = set("abAI0123456789")
    out, pos = [], 0
    while pos < len(text):
        for term in sorted(set(terms), key=len, reverse=True):
            end = pos + len(term)
            if not text.startswith(term, pos):
                continue
            if term[0] in latin and pos > 0 and text[pos - 1] in latin:
                continue
            if term[-1] in latin and end < len(text) and text[end] in latin:
                continue
            out.append((pos, end, term))
            pos = end
            break
        else:
            pos += 1
    return out


_TERM = st.text(alphabet="ab微短剧AI1", min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TERM, min_size=1, max_size=8), st.text(alphabet="ab微短剧AI1 ，", max_size=30))
def test_compiled_terms_match_like_a_longest_first_scan(terms: list[str], text: str) -> None:
    assert list(find_terms(compile_terms(terms), text)) == _naive_matches(terms, text)
