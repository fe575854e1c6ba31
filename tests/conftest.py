"""Shared fixtures: a tiny literal corpus of three documents whose tables conform to extract/schema.py.

Document ``bbbb…`` is hostile on purpose: its title and text carry HTML (``<script>``, ``<img onerror>``),
markdown control characters and a spreadsheet formula, so every view, chart and export can be checked
for showing them literally.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os

import pandas as pd
import pytest
from hypothesis import settings

from extract import schema
from extract.indicators import indicators
from extract.schema import C
from extract.sentences import sentences_frame

# CI tests one fresh clone once: property tests draw the same examples every run there, so a run cannot
# fail on a rare draw that the next run misses. HYPOTHESIS_PROFILE=explore draws new ones (with
# FUZZ_SCALE for bigger budgets) to look for bugs on purpose.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

DOC_A = "a1a1a1a1a1a1a1a1"
DOC_B = "b2b2b2b2b2b2b2b2"
DOC_C = "c3c3c3c3c3c3c3c3"

HOSTILE_TITLE = "<script>alert(1)</script>短剧<img src=x onerror=alert(1)> **x** [a](javascript:alert(1))"
FORMULA = '=HYPERLINK("http://evil.example","点我")'

TEXTS: dict[str, str] = {
    DOC_A: (
        "2024年，微短剧市场规模达到504.4亿元，首次超过电影票房。"
        "微短剧行业带动就业岗位64.7万个。"
        "监管部门加强内容审核，推动精品化发展。"
    ),
    DOC_B: (
        "<script>alert(1)</script>某剧播放量突破2.2亿次，红果短剧用户超过1亿人。"
        f"{FORMULA}付费短剧占比约52.4%。\n"
        "**x** [a](javascript:alert(1)) 观众年龄集中在18–35岁。"
    ),
    DOC_C: (
        "预计2027年微短剧市场规模将超过1000亿元。"
        "2025年2月，《家里家外》在抖音上线，AI技术进入短剧制作。"
        "出海短剧在海外市场收入达到6.5亿美元。"
    ),
}

# (doc_id, title, date, source_name)
_DOCS = [
    (DOC_A, "专访｜丁亚平：微短剧行业隐忧", "2025-02-10", "澎湃新闻"),
    (DOC_B, HOSTILE_TITLE, "2024-11-05", "<b>evil</b> site"),
    (DOC_C, "2025微短剧出海报告", None, "示例研究院"),
]

# (doc_id, surface, value, value_high, unit, metric, qualifier, year, subject, themes)
_CLAIMS = [
    (DOC_A, "504.4亿元", 50440000000.0, None, "CNY", "market_size", "exact", 2024, "微短剧市场规模",
     "industry_structure"),
    (DOC_A, "64.7万个", 647000.0, None, "job", "jobs", "exact", 2024, "就业岗位", "industry_structure"),
    (DOC_B, "2.2亿次", 220000000.0, None, "play", "plays", "lower_bound", None, "<script>播放量",
     "platform_competition"),
    (DOC_B, "1亿人", 100000000.0, None, "person", "users", "lower_bound", None, "红果短剧用户",
     "platform_competition|audiences"),
    (DOC_B, "52.4%", 52.4, None, "percent", "share", "approximate", None, FORMULA, "business_models"),
    (DOC_B, "18–35岁", 18.0, 35.0, "age", "age", "range", None, "观众年龄", "audiences"),
    (DOC_C, "1000亿元", 100000000000.0, None, "CNY", "market_size", "forecast", 2027, "微短剧市场规模", ""),
    (DOC_C, "6.5亿美元", 650000000.0, None, "USD", "revenue", "exact", None, "出海短剧收入", "overseas"),
]

# (doc_id, theme_id, trigger)
_THEMES = [
    (DOC_A, "industry_structure", "市场规模"),
    (DOC_A, "industry_structure", "就业"),
    (DOC_A, "regulation", "监管"),
    (DOC_A, "quality", "精品化"),
    (DOC_B, "platform_competition", "红果"),
    (DOC_B, "audiences", "用户"),
    (DOC_B, "business_models", "付费"),
    (DOC_B, "audiences", "观众"),
    (DOC_C, "ai", "AI"),
    (DOC_C, "overseas", "出海"),
    (DOC_C, "overseas", "海外"),
]

# (doc_id, category, name, surface)
_MENTIONS = [
    (DOC_B, "platform", "红果短剧", "红果短剧"),
    (DOC_C, "platform", "抖音", "抖音"),
    (DOC_B, "business_model", "付费", "付费"),
    (DOC_B, "audience", "青年", "18–35岁"),
    (DOC_C, "genre", "家庭", "家里家外"),
    (DOC_B, "genre", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>"),
]

# (doc_id, anchor surface, date, year, month, title, description)
_EVENTS = [
    (DOC_C, "2025年2月", "2025-02", 2025, 2, "家里家外", "《家里家外》在抖音上线"),
    (DOC_A, "2024年", "2024", 2024, None, None, "微短剧市场规模超过电影票房"),
    (DOC_B, "<script>alert(1)</script>", "2024-11-05", 2024, 11, "<script>alert(1)</script>",
     "<img src=x onerror=alert(1)>上线"),
]

_KEYWORDS = [
    ("*", "tfidf", ["微短剧", "市场规模", "短剧", "<script>", "出海"], [0.9, 0.7, 0.6, 0.3, 0.2]),
    ("*", "textrank", ["微短剧", "监管", "观众", "平台"], [1.0, 0.8, 0.5, 0.4]),
    (DOC_A, "tfidf", ["市场规模", "就业"], [0.8, 0.5]),
    (DOC_B, "tfidf", ["<img src=x onerror=alert(1)>", "付费"], [0.7, 0.4]),
    (DOC_C, "tfidf", ["出海", "AI"], [0.9, 0.6]),
]


def _span(doc_id: str, surface: str) -> tuple[int, int]:
    """(start, end) of the first occurrence of ``surface`` in a document, failing loudly if absent."""
    start = TEXTS[doc_id].index(surface)
    return start, start + len(surface)


def _sent_id(sentences: pd.DataFrame, doc_id: str, start: int) -> int:
    """The sentence of ``doc_id`` that contains offset ``start``."""
    inside = (sentences[C.start] <= start) & (sentences[C.end] > start)
    rows = sentences[(sentences[C.doc_id] == doc_id) & inside]
    return int(rows[C.sent_id].iloc[0])


def _sentence(sentences: pd.DataFrame, doc_id: str, sent_id: int) -> str:
    """Text of one sentence."""
    rows = sentences[(sentences[C.doc_id] == doc_id) & (sentences[C.sent_id] == sent_id)]
    return str(rows[C.text].iloc[0])


def _documents() -> pd.DataFrame:
    """The documents table."""
    rows = []
    for doc_id, title, date, source in _DOCS:
        text = TEXTS[doc_id]
        rows.append({
            C.doc_id: doc_id, C.path: f"corpus/{doc_id}.md", C.file_name: f"{doc_id}.md", C.format: "md",
            C.encoding: "utf-8", C.script: "simplified", C.title: title, C.date: date,
            C.summary: FORMULA if doc_id == DOC_B else text[:20], C.categories: "qq|test",
            C.source_name: source, C.source_url: f"https://example.com/{doc_id}", C.kind: "article",
            C.cited_source: None, C.n_chars: len(text),
            C.content_hash: hashlib.sha256(text.encode()).hexdigest(), C.text: text, C.warnings: "",
        })
    return schema.conform(pd.DataFrame(rows), "documents")


_INDICATOR_METRICS = ("market_size", "jobs", "users", "revenue")


def _claims(sentences: pd.DataFrame) -> pd.DataFrame:
    """The claims table, numbered per document."""
    rows, counters = [], {}
    for doc_id, surface, value, high, unit, metric, qual, year, subject, themes in _CLAIMS:
        start, end = _span(doc_id, surface)
        sent_id = _sent_id(sentences, doc_id, start)
        counters[doc_id] = counters.get(doc_id, -1) + 1
        rows.append({
            C.doc_id: doc_id, C.claim_id: counters[doc_id], C.sent_id: sent_id, C.surface: surface,
            C.start: start, C.end: end, C.page: None, C.value: value, C.value_high: high, C.unit: unit,
            C.metric: metric,
            C.qualifier: qual, C.year: year, C.subject: subject,
            C.period: None if year is None else str(year), C.period_kind: None if year is None else "year",
            C.entity: None, C.cited_source: None,
            C.region: ("overseas" if "出海" in subject else "") if metric in _INDICATOR_METRICS else None,
            C.part: "" if metric in _INDICATOR_METRICS else None,
            C.sentence: _sentence(sentences, doc_id, sent_id), C.themes: themes,
        })
    return schema.conform(pd.DataFrame(rows), "claims")


def _themes(sentences: pd.DataFrame) -> pd.DataFrame:
    """The themes table: one row per trigger match."""
    rows = []
    for doc_id, theme_id, trigger in _THEMES:
        start, end = _span(doc_id, trigger)
        rows.append({C.doc_id: doc_id, C.sent_id: _sent_id(sentences, doc_id, start), C.theme_id: theme_id,
                     C.trigger: trigger, C.start: start, C.end: end})
    return schema.conform(pd.DataFrame(rows), "themes")


def _mentions(sentences: pd.DataFrame) -> pd.DataFrame:
    """The mentions table."""
    rows = []
    for doc_id, category, name, surface in _MENTIONS:
        start, end = _span(doc_id, surface)
        rows.append({C.doc_id: doc_id, C.sent_id: _sent_id(sentences, doc_id, start), C.category: category,
                     C.name: name, C.surface: surface, C.start: start, C.end: end})
    return schema.conform(pd.DataFrame(rows), "mentions")


def _events(sentences: pd.DataFrame) -> pd.DataFrame:
    """The events table."""
    rows = []
    for doc_id, anchor, date, year, month, title, description in _EVENTS:
        start, end = _span(doc_id, anchor)
        rows.append({C.doc_id: doc_id, C.sent_id: _sent_id(sentences, doc_id, start), C.date: date,
                     C.year: year, C.month: month, C.title: title, C.description: description,
                     C.start: start, C.end: end})
    return schema.conform(pd.DataFrame(rows), "events")


def _keywords() -> pd.DataFrame:
    """The keywords table for both methods, corpus-wide ('*') and per document."""
    rows = [
        {C.doc_id: doc_id, C.method: method, C.rank: rank, C.keyword: kw, C.weight: w}
        for doc_id, method, kws, weights in _KEYWORDS
        for rank, (kw, w) in enumerate(zip(kws, weights, strict=True), start=1)
    ]
    return schema.conform(pd.DataFrame(rows), "keywords")


def _corroboration() -> pd.DataFrame:
    """Two groups: a conflict on market size and a single-source jobs figure."""
    rows = [
        {C.group_id: 0, C.metric: "market_size", C.unit: "CNY", C.year: 2024, C.value: 50440000000.0,
         C.n_claims: 2, C.n_sources: 2, C.doc_ids: f"{DOC_A}|{DOC_C}", C.status: "conflict"},
        {C.group_id: 1, C.metric: "users", C.unit: "person", C.year: None, C.value: 100000000.0,
         C.n_claims: 1, C.n_sources: 1, C.doc_ids: DOC_B, C.status: "corroborated"},
    ]
    return schema.conform(pd.DataFrame(rows), "corroboration")


def build_tiny_corpus() -> dict[str, pd.DataFrame]:
    """Every table of the tiny corpus, freshly built (tests may compare against a second copy)."""
    documents = _documents()
    sentences = pd.concat([sentences_frame(d, TEXTS[d]) for d in TEXTS], ignore_index=True)
    error = {C.file: "corpus/broken.md", C.stage: "read", C.reason: "not UTF-8 or GB18030; save it as UTF-8"}
    errors = schema.conform(pd.DataFrame([error]), "errors")
    claims = _claims(sentences)
    return {
        "documents": documents, "sentences": sentences, "claims": claims, "keywords": _keywords(),
        "themes": _themes(sentences), "mentions": _mentions(sentences), "events": _events(sentences),
        "errors": errors, "corroboration": _corroboration(),
        "indicators": indicators(claims, documents, today=dt.date(2026, 12, 1)),
    }


@pytest.fixture(scope="session")
def _tiny_corpus_once() -> dict[str, pd.DataFrame]:
    """The tiny corpus built once per session (building it takes a noticeable fraction of a second)."""
    return build_tiny_corpus()


@pytest.fixture
def tiny_corpus(_tiny_corpus_once: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Table name -> frame for three documents, one of them full of HTML, markdown and formula text.

    Each test gets deep copies, so a test that mutates a frame cannot leak into another.
    """
    return {name: frame.copy(deep=True) for name, frame in _tiny_corpus_once.items()}
