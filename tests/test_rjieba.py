"""rjieba cuts as jieba does: the same dictionary, the same total, the same tokens, and jieba as the fallback.

The reference is always jieba itself, ``segment.tokenizer().lcut(text, HMM=False)``. rjieba is a declared
dependency, imported here without a skip: a machine without it fails this module instead of passing it.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Iterator
from pathlib import Path

import jieba
import pytest
import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import segment
from extract.corpus import load_document
from extract.keywords import clean_text
from extract.normalize import to_match_form
from tests.bench.gen_corpus import write_corpus
from tests.conftest import TEXTS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
_HAN = re.compile(r"[\u4e00-\u9fd5]")


def jieba_cut(text: str) -> list[str]:
    """The reference: jieba's own cut with the user dictionary and no HMM."""
    return segment.tokenizer().lcut(text, HMM=False)


def _dict_lines() -> list[tuple[str, int, str]]:
    """jieba's dict.txt as (word, count, tag) lines, duplicates included."""
    with jieba.Tokenizer().get_dict_file() as f:
        rows = [line.decode("utf-8").split() for line in f if line.strip()]
    return [(word, int(freq), tag) for word, freq, tag in rows]


def _total(seg: rjieba.Jieba) -> int:
    """seg's word-count total, read off its cuts (seg gains three probe words)."""
    # With 丄 (count 3), 丄丅 (count 2) and 丅 (count c) added, the total is T + 5 + c, and the cut keeps
    # 丄丅 whole iff 2 / total >= 3 / total * c / total, i.e. c <= 2T + 10. The largest such c is 2T + 10,
    # or 2T + 9 when rounding breaks that exact tie the other way: either way T = (c - 9) // 2.
    x, y = "丄", "丅"
    assert not any(seg.has_word(w) for w in (x, y, x + y)), "pick probe characters outside the dictionary"
    seg.add_word(x, 3, "x")
    seg.add_word(x + y, 2, "x")
    lo, hi = 1, 1 << 40
    while lo < hi:
        c = (lo + hi + 1) // 2
        seg.add_word(y, c, "x")  # replaces the count, so the total follows c
        if seg.cut(x + y, False) == [x + y]:
            lo = c
        else:
            hi = c - 1
    return (lo - 9) // 2


def _unbalanced() -> rjieba.Jieba:
    """rjieba with the user dictionary as segment adds it, but without the total's balance."""
    seg = rjieba.Jieba()
    for word, freq, tag in segment.user_words():
        seg.add_word(word, freq, tag)
    return seg


def _clear_caches() -> None:
    """Forget both segmenters built so far, so the next cut builds them again from user_words()."""
    for cached in (segment.tokenizer, segment._log_probs, segment._rjieba):
        cached.cache_clear()


def test_tokens_cut_with_rjieba() -> None:
    assert isinstance(segment._rjieba(), rjieba.Jieba)


def test_rjieba_embeds_jiebas_dictionary() -> None:
    lines = _dict_lines()
    seg = rjieba.Jieba()
    assert all(seg.has_word(word) for word, _, _ in lines)
    whole = 0
    for word, freq, tag in lines:
        tagged = seg.tag(word, False)
        if len(tagged) == 1:  # a word cut whole: its tag is the dictionary's, its suggested count its own
            assert tagged[0] == (word, tag), word
            assert seg.suggest_freq(word) in (freq, freq + 1), word  # + 1: rjieba rounds up
            whole += 1
    assert whole > 0.95 * len(lines)
    # The same counts in all: jieba's total, less the repeated line of B超 that rjieba counts once.
    last = {word: freq for word, freq, _ in lines}
    assert _total(rjieba.Jieba()) == sum(last.values()) == sum(f for _, f, _ in lines) - last["B超"]


def test_rjieba_totals_as_jieba_does() -> None:
    assert _total(segment._rjieba.__wrapped__()) == segment.tokenizer().total
    # Without the balance the totals differ: jieba adds a re-added word's count, rjieba replaces it.
    assert segment.tokenizer().total - _total(_unbalanced()) == segment._total_balance() > 0


def _dictionary_texts(n: int) -> list[str]:
    """n strings of 1-6 random dictionary and user words, where the best-path scores are close."""
    rng = random.Random(0)
    words = [w for w, _, _ in _dict_lines()]
    user = [w for w, _, _ in segment.user_words()]
    pick = lambda: rng.choice(words) if rng.random() < 0.8 else rng.choice(user)  # noqa: E731
    return ["".join(pick() for _ in range(rng.randint(1, 6))) for _ in range(n)]


def test_without_the_balance_rjieba_cuts_some_words_apart() -> None:
    texts = _dictionary_texts(5000)
    unbalanced = _unbalanced()
    apart = [t for t in texts if unbalanced.cut(t, False) != jieba_cut(t)]
    assert apart, "the balance made no difference: is it still needed?"
    assert [t for t in texts if segment.tokens(t) != jieba_cut(t)] == []
    # e.g. 挽着 (3 in 60 million) against 挽 (957) and 着 (188,584): whole only with jieba's larger total.
    assert jieba_cut("她挽着他") == segment.tokens("她挽着他") == ["她", "挽着", "他"]


def _seed_texts() -> Iterator[tuple[str, str]]:
    """The seed articles and notes, as the loader reads them."""
    for path in sorted((ROOT / "seeds").rglob("*.md")):
        yield path.name, load_document(path).text


def _fixture_texts() -> Iterator[tuple[str, str]]:
    """The test fixtures: documents in every encoding and format, indicator notes, conftest's corpus."""
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in {".md", ".txt", ".html"}:
            yield path.name, load_document(path).text
    yield from TEXTS.items()


def _generated_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """A 200-document generated corpus (tests/bench/gen_corpus.py): Markdown, text, HTML, Traditional."""
    write_corpus(folder, 200, seed=3)
    for path in sorted(folder.iterdir()):
        if path.suffix in {".md", ".txt", ".html"}:
            yield path.name, load_document(path).text


@pytest.mark.parametrize(("corpus", "at_least"), [("seeds", 30), ("fixtures", 15), ("generated", 200)])
def test_tokens_equal_jiebas_on_every_corpus(corpus: str, at_least: int, tmp_path: Path) -> None:
    if corpus == "seeds":
        docs = list(_seed_texts())
    elif corpus == "fixtures":
        docs = list(_fixture_texts())
    else:
        docs = list(_generated_texts(tmp_path))
    assert len(docs) >= at_least
    han = 0
    for name, text in docs:
        for form in (text, to_match_form(text), clean_text(text)):  # as loaded, as matched, as keywords cut
            expected = jieba_cut(form)
            assert segment.tokens(form) == expected, name
            han += sum(1 for t in expected if _HAN.search(t))
    assert han >= 20 * len(docs), "the corpus should hold Chinese words"


# jieba splits runs of digits, Latin letters and punctuation at every symbol, and so does rjieba 0.2
# (jieba-rs 0.11): dates, ranges, decimals and URLs come out alike, with no normalising needed.
ALIKE = [
    ("2025-02-10发布", ["2025", "-", "02", "-", "10", "发布"]),
    ("15-20集", ["15", "-", "20", "集"]),
    ("3.5亿元", ["3", ".", "5", "亿元"]),
    ("15.5%的", ["15", ".", "5", "%", "的"]),
    ("https://m.thepaper.cn/a_1?x=2", ["https", ":", "/", "/", "m", ".", "thepaper", ".", "cn", "/", "a", "_",
                                       "1", "?", "x", "=", "2"]),
    ("C++和C#", ["C++", "和", "C#"]),
    ("IAA-IAP", ["IAA", "-", "IAP"]),
    ("１５－２０", ["１", "５", "－", "２", "０"]),  # full-width: no word characters for either
    ("a\r\n b\tc", ["a", "\r\n", " ", "b", "\t", "c"]),
]


@pytest.mark.parametrize(("text", "expected"), ALIKE)
def test_rjieba_cuts_digits_latin_and_punctuation_as_jieba(text: str, expected: list[str]) -> None:
    assert segment._rjieba().cut(text, False) == jieba_cut(text) == expected  # rjieba's own cut, unaided
    assert segment.tokens(text) == expected


def test_rare_ideographs_are_cut_alone_as_jieba_cuts_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # rjieba's word blocks take CJK Extension A and other rarer ideographs, jieba's do not: a user word
    # such as 刘䶮 would be cut whole by rjieba alone, so tokens() cuts around those characters.
    words = (*segment.user_words(), ("刘䶮", 500, "nr"))
    monkeypatch.setattr(segment, "user_words", lambda: words)
    _clear_caches()
    try:
        text = "南汉刘䶮与𠀀短剧，㐀,龦豈a"
        assert segment._rjieba().cut(text, False)[:3] == ["南汉", "刘䶮", "与"]
        assert jieba_cut(text) == ["南汉", "刘", "䶮", "与", "𠀀", "短剧", "，", "㐀", ",", "龦", "豈", "a"]
        assert segment.tokens(text) == jieba_cut(text)
    finally:
        monkeypatch.undo()
        _clear_caches()


def test_a_lone_surrogate_is_cut_by_jieba() -> None:
    text = "微短剧\udcff出海"  # what a surrogateescape decode leaves of a stray byte
    with pytest.raises(UnicodeEncodeError):
        rjieba.Jieba().cut(text, False)
    assert segment.tokens(text) == jieba_cut(text) == ["微短剧", "\udcff", "出海"]


_WORDS = st.sampled_from(["微短剧", "短剧出海", "挽着", "国家广播电视总局", "B站", "2024年", "C++", "刘䶮"])
_CHARS = st.characters(codec="utf-8")  # every plane: Han and its extensions, Latin, symbols, white space


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, _CHARS), max_size=30).map("".join))
def test_tokens_equal_jieba_on_any_text(text: str) -> None:
    assert segment.tokens(text) == jieba_cut(text)


def test_without_rjieba_jieba_cuts_and_one_warning_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(segment, "rjieba", None)
    segment._rjieba.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="extract.segment"):
            cuts = {name: segment.tokens(text) for name, text in _seed_texts()}
            segment.cut("微短劇出海")
        assert segment._rjieba() is None
        assert [r.getMessage() for r in caplog.records if r.name == "extract.segment"] == [
            "rjieba is not installed: segmenting with jieba, ten times slower (pip install rjieba)"
        ]
        assert cuts == {name: jieba_cut(text) for name, text in _seed_texts()}
    finally:
        monkeypatch.undo()
        segment._rjieba.cache_clear()
    assert isinstance(segment._rjieba(), rjieba.Jieba)
