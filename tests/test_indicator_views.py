"""Indicator frames and chart: cards' texts, the corroboration table, dodged points and the consensus line."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts, fmt, indicator_views
from extract.indicators import indicator_key, indicators
from extract.labels import labels
from extract.pipeline import Corpus, extract_corpus
from extract.schema import C

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "indicators"
MARKET = indicator_key("market_size", "", "", "", "CNY", "year")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The indicator trap corpus (see tests/test_indicators.py)."""
    return extract_corpus([FIXTURE], use_cache=False)


@pytest.fixture(scope="module")
def table(corpus: Corpus) -> pd.DataFrame:
    """Its indicators as of a fixed date."""
    return indicators(corpus.claims, corpus.documents, today=dt.date(2026, 12, 1))


def test_cards_read_as_an_analyst_would_quote_them(table: pd.DataFrame, corpus: Corpus) -> None:
    cards = indicator_views.cards_view(table, corpus.documents)
    assert list(cards.columns) == list(indicator_views.CARD_COLUMNS)
    first = cards.iloc[0]
    assert (first["label"], first["value_text"], first["period_text"]) == ("市场规模", "504.4亿元", "2024年")
    assert first["status_text"] == "2 个来源一致"
    assert first["range_text"] == "报告范围 504.4亿元–505亿元"
    assert first["sources_text"] == "中国网络视听协会、艾媒咨询"
    assert len(first["doc_ids"].split("|")) == 4
    english = indicator_views.cards_view(table, corpus.documents, "en").iloc[0]
    assert (english["label"], english["status_text"]) == ("Market size", "2 sources agree")


def test_overseas_revenue_is_labelled_with_its_region_and_currency(
    table: pd.DataFrame, corpus: Corpus
) -> None:
    cards = indicator_views.cards_view(table, corpus.documents)
    assert "海外·收入/充值（美元）" in set(cards["label"])


def test_the_table_puts_disagreements_first(table: pd.DataFrame, corpus: Corpus) -> None:
    frame = indicator_views.indicator_table(table, corpus.documents)
    assert list(frame.columns) == list(indicator_views.TABLE_COLUMNS)
    assert frame.iloc[0]["status"] == "disagree" and frame.iloc[0]["value_text"].startswith("预计")
    reposted = frame[(frame["indicator"] == MARKET) & (frame["period"] == "2024")].iloc[0]
    assert (reposted["n_sources"], reposted["n_documents"], reposted["n_reposts"]) == (2, 4, 2)
    assert set(indicator_views.TABLE_HEADERS["zh"]) <= set(frame.columns)


def test_claims_of_gives_the_claims_behind_a_row(table: pd.DataFrame, corpus: Corpus) -> None:
    row = table[(table[C.indicator] == MARKET) & (table[C.period] == "2024")].iloc[0]
    behind = indicator_views.claims_of(row[C.claim_keys], corpus.claims)
    assert len(behind) == row[C.n_claims]
    assert set(behind[C.surface]) == {"504.4亿元", "505亿元"}


def test_points_are_one_per_claim_and_dodged(table: pd.DataFrame, corpus: Corpus) -> None:
    points, consensus, axis = indicator_views.indicator_points(table, MARKET, corpus.claims, corpus.documents)
    assert axis == "亿元"
    assert len(points) == int(table.loc[table[C.indicator] == MARKET, C.n_claims].sum())
    assert consensus["period_text"].tolist() == ["2024年", "2025年", "2025年"]  # actual, then forecast
    fig = charts.indicator_chart(points, consensus, title="市场规模", axis=axis, source="来源：测试")
    source_traces = [t for t in fig.data if t.customdata is not None]
    xs = [x for t in source_traces for x in t.x]
    assert len(xs) == len(set(xs)) == len(points)  # no figure sits on another
    keys = {charts.parse_claim_key(k) for t in source_traces for k in t.customdata}
    assert keys == {(d, c) for d, c in zip(points["doc_id"], points["claim_id"], strict=True)}


def test_the_chart_draws_consensus_under_the_figures_and_forecasts_hollow(
    table: pd.DataFrame, corpus: Corpus
) -> None:
    points, consensus, axis = indicator_views.indicator_points(table, MARKET, corpus.claims, corpus.documents)
    fig = charts.indicator_chart(points, consensus, title="市场规模", axis=axis, source="来源：测试")
    go.Figure(fig.to_dict())  # full Plotly validation
    kinds = ["consensus" if t.customdata is None else "figure" for t in fig.data]
    assert kinds.index("figure") > max(i for i, k in enumerate(kinds) if k == "consensus")
    assert [t.line.dash for t in fig.data if t.customdata is None] == ["solid", "dash"]
    hollow = [c for t in fig.data if t.customdata is not None for c in t.marker.color]
    assert hollow.count("rgba(0,0,0,0)") == int(points["forecast"].sum()) == 2
    assert fig.layout.yaxis.title.text == "亿元"
    assert list(fig.layout.xaxis.ticktext) == ["2024年", "2025年"]


def test_source_names_are_escaped_in_the_chart() -> None:
    points = pd.DataFrame([{
        "period": "2024", "period_text": "2024年", "x": 0, "plot_value": 1.0, "display": "1亿元",
        "source": "<b>evil</b>", "forecast": False, "doc_id": "d", "claim_id": 0, "doc_label": "<i>t</i>",
        "doc_date": "", "sentence": "<script>x</script>", "surface": "1亿元",
    }])
    consensus = pd.DataFrame([{"period": "2024", "period_text": "2024年", "x": 0, "plot_value": 1.0,
                               "display": "1亿元", "forecast": False, "status_text": "单一来源"}])
    fig = charts.indicator_chart(points, consensus, title="t", axis="亿元")
    text = fig.to_json()
    assert "<script>" not in text and "<b>evil" not in text and "&lt;b&gt;evil" in text


def test_empty_indicator_gives_a_message() -> None:
    points = pd.DataFrame(columns=list(indicator_views.POINT_COLUMNS))
    consensus = pd.DataFrame(columns=list(indicator_views.CONSENSUS_COLUMNS))
    fig = charts.indicator_chart(points, consensus, title="t", axis="")
    assert not fig.data and fig.layout.annotations


def test_every_region_and_part_has_labels() -> None:
    raw = tomllib.loads(resources.files("extract").joinpath("lexicon/indicators.toml").read_text("utf-8"))
    for kind, tables in (("region", ("regions",)), ("part", ("parts", "subjects"))):
        codes = {c for table in tables for c in raw[table] if c}
        for lang in ("zh", "en"):
            assert codes <= set(labels(kind, lang)), (kind, lang, codes - set(labels(kind, lang)))


@pytest.mark.parametrize(
    ("period", "kind", "zh", "en"),
    [
        ("2024", "year", "2024年", "2024"),
        ("2024-H1", "half", "2024年上半年", "H1 2024"),
        ("2025-Q3", "quarter", "2025年三季度", "Q3 2025"),
        ("2025-03", "month", "2025年3月", "2025-03"),
        ("2024-06", "as_of", "截至2024年6月", "as of 2024-06"),
        ("2022/2024", "span", "2022–2024年", "2022–2024"),
        (None, None, "", ""),
    ],
)
def test_format_period(period: str | None, kind: str | None, zh: str, en: str) -> None:
    assert (fmt.format_period(period, kind), fmt.format_period(period, kind, "en")) == (zh, en)
