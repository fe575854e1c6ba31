"""Themes: the taxonomy file, sentence tagging (Traditional script, Latin words, overlaps), grouping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extract import schema
from extract.corpus import load_document
from extract.normalize import to_match_form
from extract.schema import C
from extract.sentences import sentences_frame
from extract.themes import LABEL_EN, LABEL_ZH, TRIGGERS, sentence_themes, tag_sentences, taxonomy

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_346428899b60929e.md"

REQUIRED = [
    "regulation", "quality", "platform_competition", "genre_innovation", "business_models", "overseas", "ai",
    "audiences", "copyright", "mainstream_values", "industry_structure",
]

# (text, expected {(sent_id, theme_id, trigger)})
TAGS = [
    ("监管部门加强审核。", {(0, "regulation", "监管部门")}),
    ("微短劇監管趨嚴，愛奇藝加碼。", {(0, "regulation", "监管"), (0, "platform_competition", "爱奇艺")}),
    ("ＡＩ生成内容。", {(0, "ai", "AI")}),
    ("AIGC工具普及。", {(0, "ai", "AIGC")}),
    ("MAIN框架与OpenAI无关。", set()),
    ("算法推荐影响作品。", {(0, "platform_competition", "算法推荐"), (0, "ai", "算法")}),
    ("版权保护很重要。tiktok上线。", {(0, "copyright", "版权"), (1, "overseas", "TikTok")}),
    ("银发群体爱看甜宠剧。", {(0, "audiences", "银发"), (0, "genre_innovation", "甜宠")}),
    ("短剧与文旅、非遗结合。", {(0, "culture_tourism", "文旅")}),
    ("今天天气很好。", set()),
]


def test_taxonomy_has_labels_and_triggers() -> None:
    tax = taxonomy()
    assert list(tax.columns) == [C.theme_id, LABEL_ZH, LABEL_EN, TRIGGERS]
    assert tax[C.theme_id].is_unique
    for _, row in tax.iterrows():
        assert row[LABEL_ZH] and row[LABEL_EN]
        assert isinstance(row[TRIGGERS], tuple) and row[TRIGGERS]


@pytest.mark.parametrize("theme_id", REQUIRED)
def test_taxonomy_covers_required_theme(theme_id: str) -> None:
    assert theme_id in taxonomy()[C.theme_id].tolist()


def test_taxonomy_returns_a_fresh_frame() -> None:
    first = taxonomy()
    first.loc[0, LABEL_ZH] = "changed"
    assert taxonomy().loc[0, LABEL_ZH] != "changed"


@pytest.mark.parametrize(("text", "expected"), TAGS)
def test_tag_sentences(text: str, expected: set[tuple[int, str, str]]) -> None:
    sentences = sentences_frame("d", text)
    before = sentences.copy(deep=True)
    tags = tag_sentences("d", text, sentences)
    pd.testing.assert_frame_equal(sentences, before)  # input untouched
    pd.testing.assert_frame_equal(tags, schema.conform(tags, "themes"))
    assert set(zip(tags[C.sent_id], tags[C.theme_id], tags[C.trigger], strict=True)) == expected
    match = to_match_form(text)
    for start, end, trigger in zip(tags[C.start], tags[C.end], tags[C.trigger], strict=True):
        assert match[start:end].lower() == trigger.lower()  # tiktok is the trigger TikTok


def test_each_sentence_gets_all_its_themes_once_with_the_first_trigger() -> None:
    text = "平台竞争加剧，抖音与快手比拼版权和付费模式，监管趋严。"
    tags = tag_sentences("d", text, sentences_frame("d", text))
    assert not tags.duplicated([C.sent_id, C.theme_id]).any()
    by_theme = dict(zip(tags[C.theme_id], tags[C.trigger], strict=True))
    assert by_theme == {
        "platform_competition": "平台竞争",
        "copyright": "版权",
        "business_models": "付费",
        "regulation": "监管",
    }


def test_seed_is_tagged_throughout() -> None:
    doc = load_document(SEED)
    sentences = sentences_frame(doc.doc_id, doc.text)
    tags = tag_sentences(doc.doc_id, doc.text, sentences)
    assert set(REQUIRED) <= set(tags[C.theme_id])
    assert set(tags[C.sent_id]) <= set(sentences[C.sent_id])
    assert tags[C.sent_id].is_monotonic_increasing


def test_no_sentences_means_no_tags() -> None:
    pd.testing.assert_frame_equal(tag_sentences("d", "", sentences_frame("d", "")), schema.empty("themes"))


def test_sentence_themes_groups_in_taxonomy_order() -> None:
    themes = schema.conform(
        pd.DataFrame({
            C.doc_id: ["a", "a", "a", "b"],
            C.sent_id: [0, 0, 1, 0],
            C.theme_id: ["ai", "regulation", "ai", "copyright"],
            C.trigger: ["AI", "监管", "AI", "版权"],
            C.start: [0, 3, 9, 0],
            C.end: [2, 5, 11, 2],
        }),
        "themes",
    )
    before = themes.copy(deep=True)
    assert sentence_themes(themes) == {
        ("a", 0): ("regulation", "ai"),
        ("a", 1): ("ai",),
        ("b", 0): ("copyright",),
    }
    pd.testing.assert_frame_equal(themes, before)


def test_claim_themes_put_the_nearest_trigger_first() -> None:
    from extract.claims import claims_for_document
    from extract.sentences import sentences_frame
    from extract.themes import claim_themes

    text = "监管部门加强审核，AI公司增多，市场规模达504.4亿元。"
    sentences = sentences_frame("d", text)
    themes = tag_sentences("d", text, sentences)
    claims = claims_for_document("d", text, sentences)
    before = themes.copy()
    got = claim_themes(claims, themes).tolist()
    pd.testing.assert_frame_equal(themes, before)
    first, *rest = got[0].split("|")
    assert first == "market_scale"
    assert {"regulation", "ai"} <= set(rest)
