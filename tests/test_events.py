"""Events: the seed's dated happenings, year inference, non-events, full dates and spans."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extract import schema
from extract.corpus import load_document
from extract.events import event_verbs, find_events
from extract.schema import C
from extract.sentences import sentences_frame

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_346428899b60929e.md"

# (date, year, month, title, description) of the seed's events, in text order
SEED_EVENTS = [
    ("2024-06", 2024, 6, "《关于微短剧备案最新工作提示》", "《关于微短剧备案最新工作提示》正式生效"),
    ("2024-06", 2024, 6, "《金猪玉叶》", "《金猪玉叶》在抖音上线"),
    ("2024-08", 2024, 8, "《一姐》", "《一姐》上线"),
]

YEAR = "2024年，行业变化很大。"  # states the year that bare months take

# (text, doc_date, expected [(date, title, description)])
CASES = [
    (YEAR + "比如，6月，由周星驰出品的首部短剧《金猪玉叶》在抖音上线，第一季播放量突破2.2亿，"
     "8月，由黄晓明出品的短剧《一姐》上线24小时充值破千万。", None,
     [("2024-06", "《金猪玉叶》", "《金猪玉叶》在抖音上线"), ("2024-08", "《一姐》", "《一姐》上线")]),
    (YEAR + "6月国家广播电视总局发布的《关于微短剧备案最新工作提示》正式生效，明确要求分类分层审核。", None,
     [("2024-06", "《关于微短剧备案最新工作提示》", "《关于微短剧备案最新工作提示》正式生效")]),
    ("2024年11月6日，国家广电总局发布《管理提示》。", None,
     [("2024-11-06", "《管理提示》", "国家广电总局发布《管理提示》")]),
    ("2023年，中国网络视听协会成立短剧专委会。", None, [("2023", None, "中国网络视听协会成立短剧专委会")]),
    ("6月，短剧《某剧》在快手开播。", "2023-09-01", [("2023-06", "《某剧》", "《某剧》在快手开播")]),
    ("去年12月3日，某平台推出新计划。", "2025-02-10", [("2024-12-03", None, "某平台推出新计划")]),
    ("今年六月，短剧《某剧》在腾讯视频上线。", "2025-02-10",
     [("2025-06", "《某剧》", "《某剧》在腾讯视频上线")]),
    ("《一姐》上线于2024年8月。", None, [("2024-08", "《一姐》", "《一姐》上线")]),
    ("2024年2月30日，某剧上线。", None, [("2024-02", None, "某剧上线")]),  # no such day: month kept
    ("2024-11-06，新规正式施行。", None, [("2024-11-06", None, "新规正式施行")]),
    ("２０２４年６月，短劇《某劇》在愛奇藝上線。", None, [("2024-06", "《某劇》", "《某劇》在愛奇藝上線")]),
    # not events
    ("2024年，微短剧行业经历了一场深刻变革。", None, []),
    ("2025年及以后，短视频平台将更加深度布局微短剧。", None, []),
    ("6月，短剧《某剧》在快手开播。", None, []),  # no year anywhere, no document date
    # 去年 or 今年 in an undated text: a year stated elsewhere is not "last year"
    ("2022年行业大增。某剧抄袭了去年11月上线的《某作》。", None, []),
    ("2023年行业大增。今年3月，《某剧》在快手上线。", None, []),
    ("根据《2024年微短剧报告》发布的数据，市场增长。", None, []),  # the year belongs to a title
    ("统一月度考核上线。", "2025-02-10", []),  # 一月 inside 统一月度 is no month
    ("12024年发布了新规。", None, []),
]


@pytest.mark.parametrize(("text", "doc_date", "expected"), CASES)
def test_find_events(text: str, doc_date: str | None, expected: list[tuple[str, str | None, str]]) -> None:
    sentences = sentences_frame("d", text)
    before = sentences.copy(deep=True)
    events = find_events("d", text, sentences, doc_date)
    pd.testing.assert_frame_equal(sentences, before)  # input untouched
    pd.testing.assert_frame_equal(events, schema.conform(events, "events"))
    got = [
        (date, None if pd.isna(title) else title, desc)
        for date, title, desc in zip(events[C.date], events[C.title], events[C.description], strict=True)
    ]
    assert got == expected
    for date, year, month in zip(events[C.date], events[C.year], events[C.month], strict=True):
        assert int(date[:4]) == year
        assert (pd.isna(month) and len(date) == 4) or int(date[5:7]) == month


def test_seed_events() -> None:
    doc = load_document(SEED)
    events = find_events(doc.doc_id, doc.text, sentences_frame(doc.doc_id, doc.text), doc.date)
    columns = [events[c].tolist() for c in (C.date, C.year, C.month, C.title, C.description)]
    rows = list(zip(*columns, strict=True))
    assert rows == SEED_EVENTS


def test_event_span_covers_the_date_and_the_description() -> None:
    doc = load_document(SEED)
    sentences = sentences_frame(doc.doc_id, doc.text)
    events = find_events(doc.doc_id, doc.text, sentences, doc.date)
    for start, end, sent_id, desc in zip(
        events[C.start], events[C.end], events[C.sent_id], events[C.description], strict=True
    ):
        evidence = doc.text[start:end]
        assert evidence[0].isdigit()  # starts at the date (6月, 8月)
        assert evidence.endswith(desc)
        sentence = sentences[sentences[C.sent_id] == sent_id].iloc[0]
        assert sentence[C.start] <= start < end <= sentence[C.end]


@pytest.mark.parametrize(
    "verb", ["上线", "发布", "生效", "出台", "推出", "开播", "举办", "成立", "印发", "启动", "播出"]
)
def test_event_verbs_include(verb: str) -> None:
    assert verb in event_verbs()


@pytest.mark.parametrize("missing", [None, pd.NA, float("nan"), "", "unknown"])
def test_a_missing_document_date_is_no_year(missing: object) -> None:
    text = "6月，短剧《某剧》在快手开播。"
    assert find_events("d", text, sentences_frame("d", text), missing).empty  # type: ignore[arg-type]


def test_no_sentences_means_no_events() -> None:
    pd.testing.assert_frame_equal(find_events("d", "", sentences_frame("d", "")), schema.empty("events"))
