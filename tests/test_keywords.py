"""Keywords: clean candidates, quoted keyphrases, both methods, per document and for the corpus."""

from __future__ import annotations

import math
import re
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from extract import schema, segment
from extract.corpus import load_document
from extract.keywords import (
    CORPUS_ID,
    TEXTRANK,
    TFIDF,
    clean_text,
    corpus_keywords,
    doc_keywords,
    quoted_phrases,
)
from extract.schema import C

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_346428899b60929e.md"
METHODS = [TFIDF, TEXTRANK]


@pytest.fixture(scope="module")
def seed_text() -> str:
    """Body text of the bundled seed interview."""
    return load_document(SEED).text


@pytest.fixture(scope="module")
def seed_keywords(seed_text: str) -> pd.DataFrame:
    """The seed's keywords table with the default top_k."""
    return doc_keywords("seed", seed_text)


def _keywords(frame: pd.DataFrame, method: str) -> list[str]:
    """Keywords of one method in rank order."""
    rows = frame[frame[C.method] == method].sort_values(C.rank)
    return rows[C.keyword].tolist()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "junk", ["2024", "年微", "504.4", "2.2亿", "https", "gtimg", "**", "丁亚平", "澎湃新闻"]
)
def test_seed_keywords_hold_no_numbers_fragments_or_boilerplate(
    seed_keywords: pd.DataFrame, method: str, junk: str
) -> None:
    assert junk not in _keywords(seed_keywords, method)


@pytest.mark.parametrize("method", METHODS)
def test_every_seed_keyword_is_a_word_of_two_or_more_characters(
    seed_keywords: pd.DataFrame, method: str
) -> None:
    known_latin = {w for w, _, _ in segment.user_words() if w.isascii()}
    for kw in _keywords(seed_keywords, method):
        assert len(kw) >= 2, kw
        assert not re.fullmatch(r"[\d.,%]+", kw), kw
        assert re.search(r"[\u4e00-\u9fff]", kw) or kw in known_latin, kw
        assert kw not in segment.stopwords(), kw


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("word", ["微短剧", "精品化", "精品化显影", "微短剧+"])
def test_seed_keywords_contain_domain_words_and_quoted_phrases(
    seed_keywords: pd.DataFrame, method: str, word: str
) -> None:
    assert word in _keywords(seed_keywords, method)


@pytest.mark.parametrize("method", METHODS)
def test_ranks_run_from_one_and_weights_do_not_increase(seed_keywords: pd.DataFrame, method: str) -> None:
    rows = seed_keywords[seed_keywords[C.method] == method]
    assert rows[C.rank].tolist() == list(range(1, len(rows) + 1))
    assert len(rows) == 30
    weights = rows[C.weight].tolist()
    assert all(a >= b for a, b in pairwise(weights))
    assert rows[C.keyword].is_unique


def test_keywords_conform_to_the_schema(seed_keywords: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(seed_keywords, schema.conform(seed_keywords, "keywords"))
    assert set(seed_keywords[C.doc_id]) == {"seed"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("他说“精品化显影”很重要", {"精品化显影": 1}),
        ("“微短剧+”行动计划，“微短剧+”文旅", {"微短剧+": 2}),
        ("第一个关键词是“**应然性规范**”。", {"应然性规范": 1}),
        ("打破“网红化、素人化”的局限", {"网红化": 1, "素人化": 1}),
        ("「银发群体」与『超前点播』", {"银发群体": 1, "超前点播": 1}),
        ("“短”", {}),  # one character
        ("“AI”", {}),  # no Chinese
        ("“这是一句很长的话，里面还有逗号。”", {}),  # a quoted sentence, not a phrase
        ("“一二三四五六七八九十一二三”", {}),  # 13 characters
    ],
)
def test_quoted_phrases(text: str, expected: dict[str, int]) -> None:
    assert dict(quoted_phrases(text)) == expected


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("**澎湃新闻：**问题在哪里？\n**丁亚平：**在平台。", "问题在哪里？", "澎湃新闻"),
        ("![图片](https://inews.gtimg.com/x.png)\n正文", "正文", "gtimg"),
        ("[qq](https://new.qq.com/a)", "qq", "https"),
        ("見 https://example.com/IAA 網址", "见", "IAA"),
    ],
)
def test_clean_text_drops_speaker_labels_urls_and_images(text: str, kept: str, gone: str) -> None:
    cleaned = clean_text(text)
    assert kept in cleaned
    assert gone not in cleaned


def test_latin_words_inside_longer_words_are_not_keywords() -> None:
    kws = doc_keywords("d", "MAIN系统，MAIN系统，OpenAI平台，IAAS服务")[C.keyword].tolist()
    assert "AI" not in kws and "IAA" not in kws
    assert "AI" in doc_keywords("d", "AI内容冲击短剧，AI剧本")[C.keyword].tolist()


def test_traditional_text_gives_the_same_keywords_as_simplified() -> None:
    simplified = "微短剧行业在版权保护、盈利模式方面面临挑战，爱奇艺和抖音加大投入。"
    traditional = "微短劇行業在版權保護、盈利模式方面面臨挑戰，愛奇藝和抖音加大投入。"
    pd.testing.assert_frame_equal(doc_keywords("d", simplified), doc_keywords("d", traditional))


@pytest.mark.parametrize("text", ["", "的了是。", "2024年504.4亿元", "https://example.com"])
def test_texts_without_candidates_give_an_empty_table(text: str) -> None:
    pd.testing.assert_frame_equal(doc_keywords("d", text), schema.empty("keywords"))


def test_top_k_limits_each_method(seed_text: str) -> None:
    frame = doc_keywords("seed", seed_text, top_k=5)
    assert frame.groupby(C.method).size().to_dict() == {TEXTRANK: 5, TFIDF: 5}


def test_corpus_of_one_document_uses_jieba_idf(seed_text: str) -> None:
    corpus = corpus_keywords({"seed": seed_text}, top_k=30)
    single = doc_keywords("seed", seed_text, top_k=30)
    assert set(corpus[C.doc_id]) == {CORPUS_ID}
    pd.testing.assert_frame_equal(corpus.drop(columns=C.doc_id), single.drop(columns=C.doc_id))


def test_corpus_tfidf_uses_the_corpus_idf() -> None:
    texts = {"a": "微短剧出海。", "b": "微短剧监管。", "c": "微短剧题材。"}
    before = dict(texts)
    frame = corpus_keywords(texts)
    assert texts == before  # the mapping is not mutated
    tfidf = frame[frame[C.method] == TFIDF].set_index(C.keyword)[C.weight]
    n = len(texts)
    # Each word is half of its document. 微短剧 is in every document (smoothed IDF 1), 出海 in one.
    assert tfidf["微短剧"] == pytest.approx(0.5)
    assert tfidf["出海"] == pytest.approx(0.5 / n * (math.log((1 + n) / 2) + 1))
    assert set(frame[C.doc_id]) == {CORPUS_ID}
    assert set(frame[frame[C.method] == TEXTRANK][C.keyword]) >= {"微短剧", "出海"}


def test_corpus_quoted_phrases_add_up_across_documents() -> None:
    texts = {"a": "行业提出“精品短剧”路线，微短剧精品。", "b": "平台推动“精品短剧”，短剧精品化。"}
    frame = corpus_keywords(texts)
    assert "精品短剧" in frame[C.keyword].tolist()


def test_empty_corpus_gives_an_empty_table() -> None:
    pd.testing.assert_frame_equal(corpus_keywords({}), schema.empty("keywords"))
