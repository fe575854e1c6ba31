"""Segmentation: the user dictionary, stop words, and the fast cut matching jieba's own."""

from __future__ import annotations

from importlib import resources

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import segment
from extract.errors import LexiconError

DOMAIN_WORDS = [
    "微短剧", "短剧", "精品化", "银发群体", "霸总", "甜宠", "出海", "超前点播", "IAA", "IAP",
    "国家广播电视总局", "广电总局", "中国网络视听协会", "丁亚平", "周星驰", "黄晓明", "金猪玉叶", "一姐",
    "付费短剧", "免费短剧", "竖屏", "红果短剧", "小程序剧", "投流", "版权", "文旅", "非遗", "AIGC", "抖音",
    "爱奇艺", "TikTok",
]

CUTS = [
    ("微短剧出海", ["微短剧", "出海"]),
    ("微短劇出海", ["微短剧", "出海"]),  # Traditional input, Simplified tokens
    ("2024年微短剧", ["2024", "年", "微短剧"]),  # no 年微 fragment
    ("国家广播电视总局发布", ["国家广播电视总局", "发布"]),
    ("芒果TV和B站", ["芒果TV", "和", "B站"]),
    ("IAA与IAP", ["IAA", "与", "IAP"]),
    ("愛奇藝的銀髮群體", ["爱奇艺", "的", "银发群体"]),
    ("ＡＩＧＣ工具", ["AIGC", "工具"]),  # full-width Latin
]


def test_every_userdict_line_has_word_freq_and_pos_tag() -> None:
    text = resources.files("extract").joinpath(segment.USERDICT).read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines
    for line in lines:
        word, freq, tag = line.split(" ")
        assert word and freq.isdigit() and tag.isalpha() and tag.islower(), line


@pytest.mark.parametrize("word", DOMAIN_WORDS)
def test_domain_word_is_in_the_user_dictionary_with_a_tag(word: str) -> None:
    assert segment.word_tags().get(word), word


@pytest.mark.parametrize("word", DOMAIN_WORDS)
def test_domain_word_is_cut_whole(word: str) -> None:
    assert segment.cut(f"关于{word}的讨论") == ["关于", word, "的", "讨论"]


@pytest.mark.parametrize(("text", "expected"), CUTS)
def test_cut(text: str, expected: list[str]) -> None:
    assert segment.cut(text) == expected


def test_tokenizer_is_one_warm_instance_not_the_global() -> None:
    tok = segment.tokenizer()
    assert tok is segment.tokenizer()
    assert tok is not jieba.dt
    assert tok.initialized


@pytest.mark.parametrize("word", ["澎湃新闻", "专访", "记者", "对话", "图片", "丁亚平", "的", "以及", "我们"])
def test_stop_words_hold_boilerplate_and_function_words(word: str) -> None:
    assert word in segment.stopwords()


@pytest.mark.parametrize("word", ["微短剧", "精品化", "版权", "出海", "银发群体"])
def test_stop_words_spare_domain_words(word: str) -> None:
    assert word not in segment.stopwords()


_ALPHABET = list("微短剧出海的是了在行业市场规模广电总局发布AIGCIAATikTok2024年.5%+-_#&\n\r\t ，。“”")
_ALPHABET += ["B站", "芒果TV", "abc"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_fast_tokens_equal_jieba_lcut_without_hmm(text: str) -> None:
    expected = segment.tokenizer().lcut(text, HMM=False)
    assert segment.tokens(text) == expected  # rjieba's cut
    assert segment.jieba_tokens(text) == expected  # the pure-Python fallback's


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("微短剧 3000", "tag"),
        ("微短剧 n 3000", "word freq tag"),
        ("微短剧 3000 N", "lower-case"),
        ("微短剧 0 n", "positive freq"),  # jieba would never cut it whole, and rjieba cannot copy that
    ],
)
def test_bad_userdict_line_says_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch, line: str, fragment: str
) -> None:
    monkeypatch.setattr(segment, "_lexicon_lines", lambda name: [line])
    segment.user_words.cache_clear()
    try:
        with pytest.raises(LexiconError, match=fragment):
            segment.user_words()
    finally:
        monkeypatch.undo()
        segment.user_words.cache_clear()
    assert segment.user_words()  # the real dictionary loads again
