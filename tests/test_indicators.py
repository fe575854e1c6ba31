"""Indicators: figures grouped by what they measure, the consensus of independent sources, and the cards.

tests/fixtures/indicators/ is a small corpus written for this test that plants each trap met on real
articles: a report and its re-posts, a half-year figure beside the annual one, direct / indirect / total
jobs, two platforms with the same monthly users, a crew's head count, forecasts that disagree, and a
forecast beside an estimate for the same year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from extract import schema
from extract.indicators import cards, indicator_key, indicators, scope_of
from extract.pipeline import Corpus, extract_corpus
from extract.schema import C

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "indicators"
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    """The trap corpus, extracted without the cache."""
    return extract_corpus([FIXTURE], use_cache=False)


@pytest.fixture(scope="module")
def table(corpus: Corpus) -> pd.DataFrame:
    """Its indicators, as of a fixed date."""
    return indicators(corpus.claims, corpus.documents, today=TODAY)


def _row(table: pd.DataFrame, key: str, period: str, forecast: bool = False) -> pd.Series:
    """The one row of an indicator and period."""
    hit = table[(table[C.indicator] == key) & (table[C.period] == period) & (table[C.forecast] == forecast)]
    assert len(hit) == 1, table[[C.indicator, C.period, C.forecast]].to_dict("records")
    return hit.iloc[0]


MARKET = indicator_key("market_size", "", "", "", "CNY", "year")


def test_the_table_follows_its_schema(table: pd.DataFrame, corpus: Corpus) -> None:
    assert list(table.columns) == schema.columns("indicators")
    assert list(corpus.indicators.columns) == schema.columns("indicators")
    assert set(table[C.status]) <= {"agreed", "single_source", "disagree"}


def test_reposts_of_one_report_count_once(table: pd.DataFrame) -> None:
    row = _row(table, MARKET, "2024")
    # the association's report in three outlets, and one consulting firm
    assert (row[C.n_documents], row[C.n_sources], row[C.n_reposts]) == (4, 2, 2)
    assert row[C.sources].split("|") == ["中国网络视听协会", "艾媒咨询"]
    assert row[C.status] == "agreed"
    assert row[C.value] == pytest.approx(504.4e8)  # a reported figure, the one more outlets carry
    assert (row[C.low], row[C.high]) == (pytest.approx(504.4e8), pytest.approx(505e8))


def test_a_half_year_is_its_own_indicator(table: pd.DataFrame) -> None:
    half = _row(table, indicator_key("market_size", "", "", "", "CNY", "half"), "2024-H1")
    assert half[C.value] == pytest.approx(240e8)
    assert _row(table, MARKET, "2024")[C.status] == "agreed"  # the half year did not make it disagree


def test_parts_of_a_whole_never_meet(table: pd.DataFrame) -> None:
    values = {part: _row(table, indicator_key("jobs", "", "", part, "job", "year"), "2024")[C.value]
              for part in ("direct", "indirect", "")}
    assert values == {
        "direct": pytest.approx(24.9e4), "indirect": pytest.approx(39.8e4), "": pytest.approx(64.7e4),
    }


def test_two_platforms_with_one_figure_are_two_facts(table: pd.DataFrame) -> None:
    for platform in ("红果短剧", "河马剧场"):
        row = _row(table, indicator_key("users", platform, "", "mau", "person", "month"), "2025-03")
        assert (row[C.value], row[C.status], row[C.n_sources]) == (pytest.approx(2e8), "single_source", 1)


def test_a_crew_size_is_no_indicator(table: pd.DataFrame) -> None:
    assert not ((table[C.metric] == "users") & (table[C.entity] == "")).any()  # 6到8人 is no audience
    assert "other" not in set(table[C.metric])


def test_forecasts_disagree_among_themselves_but_not_with_the_estimate(table: pd.DataFrame) -> None:
    forecast = _row(table, MARKET, "2025", forecast=True)
    assert forecast[C.status] == "disagree"
    assert (forecast[C.low], forecast[C.high]) == (pytest.approx(600e8), pytest.approx(680e8))
    actual = _row(table, MARKET, "2025", forecast=False)
    assert (actual[C.value], actual[C.status]) == (pytest.approx(620e8), "single_source")


def test_overseas_revenue_agrees_across_rounding(table: pd.DataFrame) -> None:
    row = _row(table, indicator_key("revenue", "", "overseas", "", "USD", "year"), "2024")
    assert (row[C.status], row[C.n_sources], row[C.value]) == ("agreed", 2, pytest.approx(1e9))


def test_claim_keys_lead_back_to_claims(table: pd.DataFrame, corpus: Corpus) -> None:
    keys = {f"{d}#{c}" for d, c in zip(corpus.claims[C.doc_id], corpus.claims[C.claim_id], strict=True)}
    for joined, n in zip(table[C.claim_keys], table[C.n_claims], strict=True):
        parts = joined.split("|")
        assert len(parts) == n and set(parts) <= keys


def test_a_year_after_today_is_a_forecast(corpus: Corpus) -> None:
    early = indicators(corpus.claims, corpus.documents, today=dt.date(2024, 6, 1))
    assert bool(_row(early, MARKET, "2025", forecast=True)[C.n_claims] == 3)  # the 2025 estimate joins them
    assert not ((early[C.indicator] == MARKET) & (early[C.period] == "2025") & ~early[C.forecast]).any()


def test_cards_pick_the_consensus_of_the_latest_shared_period(table: pd.DataFrame) -> None:
    picked = cards(table)
    first = picked.iloc[0]
    # 2025 has a reported figure, but from one document only: 2024, which four documents give, wins
    assert (first[C.indicator], first[C.period], first[C.value]) == (MARKET, "2024", pytest.approx(504.4e8))
    assert picked.iloc[1][C.indicator] == indicator_key("jobs", "", "", "", "job", "year")
    assert picked.iloc[2][C.indicator] == indicator_key("revenue", "", "overseas", "", "USD", "year")
    assert not picked[C.forecast].any()
    assert (picked[C.entity] == "").all()  # a platform's users are no industry card


def _frame(rows: list[dict[str, object]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A claims table of market-size-like rows (each dict overrides the defaults) and its documents."""
    claims = schema.empty("claims")
    base = {c: pd.NA for c in claims.columns}
    base.update({C.value_high: float("nan"), C.unit: "work", C.metric: "works", C.qualifier: "exact",
                 C.year: 2025, C.period: "2025", C.period_kind: "year", C.region: "", C.part: "",
                 C.start: 0, C.end: 1, C.surface: "x"})
    built = [{**base, C.claim_id: i, **row} for i, row in enumerate(rows)]
    docs = sorted({str(r[C.doc_id]) for r in built})
    documents = pd.DataFrame({C.doc_id: docs, C.text: [""] * len(docs), C.source_name: [pd.NA] * len(docs)})
    return schema.conform(pd.DataFrame(built), "claims"), documents


def test_one_source_gives_a_figure_it_reported() -> None:
    claims, docs = _frame([{C.doc_id: "d1", C.value: 3.0}, {C.doc_id: "d1", C.value: 50.0}])
    row = indicators(claims, docs, today=TODAY).iloc[0]
    assert (row[C.value], row[C.low], row[C.high], row[C.status]) == (3.0, 3.0, 50.0, "single_source")


def test_the_range_spans_the_ends_of_reported_ranges() -> None:
    claims, docs = _frame([{C.doc_id: "d1", C.value: 6.0, C.value_high: 8.0, C.qualifier: "range"},
                           {C.doc_id: "d2", C.value: 7.0}, {C.doc_id: "d3", C.value: 5.0, C.value_high: 7.5,
                                                           C.qualifier: "range"}])
    row = indicators(claims, docs, today=TODAY).iloc[0]
    assert (row[C.low], row[C.high], row[C.n_sources]) == (5.0, 8.0, 3)
    assert row[C.value] == 7.0 and row[C.status] == "agreed"  # the middle 7 of 6–8 and the 7 itself


@pytest.mark.parametrize(
    ("qualifiers", "values", "status"),
    [
        (("exact", "exact"), (100.0, 104.0), "agreed"),  # within 5%
        (("exact", "exact"), (100.0, 110.0), "disagree"),
        (("exact", "approximate"), (100.0, 109.0), "agreed"),  # 约 allows 10%
        (("exact", "lower_bound"), (100.0, 90.0), "agreed"),  # 超90 is consistent with 100
        (("exact", "lower_bound"), (100.0, 150.0), "disagree"),  # 超150 is not
        (("exact", "upper_bound"), (100.0, 120.0), "agreed"),  # 不足120 is
    ],
)
def test_agreement_rules(qualifiers: tuple[str, str], values: tuple[float, float], status: str) -> None:
    claims, docs = _frame([{C.doc_id: f"d{i}", C.value: v, C.qualifier: q}
                           for i, (q, v) in enumerate(zip(qualifiers, values, strict=True))])
    assert indicators(claims, docs, today=TODAY).iloc[0][C.status] == status


def test_an_only_forecast_becomes_a_card_marked_as_one() -> None:
    claims = schema.empty("claims")
    row = {c: pd.NA for c in claims.columns}
    row.update({C.doc_id: "d1", C.claim_id: 0, C.start: 0, C.end: 4, C.value: 1e11,
                C.value_high: float("nan"), C.unit: "CNY",
                C.metric: "market_size", C.qualifier: "forecast", C.year: 2030, C.period: "2030",
                C.period_kind: "year", C.surface: "1000亿元"})
    claims = schema.conform(pd.DataFrame([row]), "claims")
    docs = pd.DataFrame({C.doc_id: ["d1"], C.text: ["1000亿元"], C.source_name: ["某网"]})
    picked = cards(indicators(claims, docs, today=TODAY))
    assert len(picked) == 1 and bool(picked.iloc[0][C.forecast])


def test_a_card_prefers_a_reported_figure_to_forecasts_in_a_more_reported_unit() -> None:
    claims, docs = _frame([
        {C.doc_id: "d1", C.value: 300.0},  # reported, in works
        {C.doc_id: "d2", C.value: 9000.0, C.unit: "episode", C.qualifier: "forecast"},
        {C.doc_id: "d3", C.value: 9100.0, C.unit: "episode", C.qualifier: "forecast"},
    ])
    card = cards(indicators(claims, docs, today=TODAY)).iloc[0]
    assert (card[C.unit], card[C.value], bool(card[C.forecast])) == ("work", 300.0, False)


def test_a_card_prefers_the_annual_figure_to_a_half_of_the_same_year() -> None:
    claims, docs = _frame([
        {C.doc_id: "d1", C.value: 500.0},
        {C.doc_id: "d2", C.value: 200.0, C.period: "2025-H1", C.period_kind: "half"},
        {C.doc_id: "d3", C.value: 450.0, C.year: 2024, C.period: "2024"},
    ])
    card = cards(indicators(claims, docs, today=TODAY)).iloc[0]
    assert (card[C.period], card[C.value]) == ("2025", 500.0)


@pytest.mark.parametrize(
    ("text", "region", "part"),
    [
        ("2024年国内微短剧市场规模为", "", ""),
        ("2024年海外短剧市场规模为", "overseas", ""),
        ("不包括中国大陆在内的全球市场规模为", "global", ""),  # the nearer word wins
        ("不包括中国大陆在内的市场规模为", "overseas", ""),
        ("日本短剧市场规模已达", "japan", ""),
        ("超级工厂预计解决当地就业", "local", ""),  # one place's own figure never meets the nation's
        ("全市短剧企业已有", "local", ""),
        ("上海微短剧行业产值已接近", "local", ""),  # a province's or city's own figure
        ("郑州市微短剧市场规模达到", "local", ""),
        ("北京大学的报告显示，微短剧带动就业", "", ""),  # a university named for a place speaks for all
        ("湖南卫视短剧场的收入为", "", ""),
        ("上海方面表示，全国微短剧市场规模达", "", ""),  # the nearer word wins
        ("海外收入不错，而国内市场规模为", "", ""),
        ("红果短剧月活跃用户达到", "", "mau"),
        ("直接带动就业岗位", "", "direct"),
        ("带动的直接和间接就业合计为", "", "total"),  # both parts named together: their sum
        ("我国网民规模近", "", "netizens"),
        ("全年备案微短剧", "", "filed"),
        ("全国微短剧月产量稳定在", "", "per_month"),  # a monthly rate never meets a yearly count
        ("4月至11月，短剧每月的拍摄备案数量在", "", "per_month"),
        ("平台月均活跃用户为", "", "mau"),
        ("短视频成为主引擎，产业规模突破", "", "short_video"),  # whose figure: the nearest subject word
        ("短视频用户超10亿，微短剧市场规模达", "", ""),
        ("我国网络视听用户规模达", "", "audiovisual"),
    ],
)
def test_scope_of_a_figure(text: str, region: str, part: str) -> None:
    assert scope_of(text + "100", len(text)) == (region, part)


def test_a_card_shows_the_period_the_user_chose(table: pd.DataFrame) -> None:
    chosen = cards(table, periods={MARKET: "2025"}).iloc[0]
    assert (chosen[C.period], bool(chosen[C.forecast])) == ("2025", False)
    assert chosen[C.value] == pytest.approx(620e8)
    unknown = cards(table, periods={MARKET: "2031"}).iloc[0]  # a period the table lacks: the default
    assert unknown[C.period] == "2024"


def test_a_chosen_period_in_the_first_row_of_the_table_is_kept() -> None:
    claims, docs = _frame([
        {C.doc_id: "d1", C.value: 450.0, C.year: 2024, C.period: "2024"},
        {C.doc_id: "d2", C.value: 500.0},
    ])
    table = indicators(claims, docs, today=TODAY)
    assert table.index[0] == 0 and table.iloc[0][C.period] == "2024"  # the choice sits at index 0
    default = cards(table).iloc[0]
    chosen = cards(table, periods={str(table.iloc[0][C.indicator]): "2024"}).iloc[0]
    assert (default[C.period], chosen[C.period]) == ("2025", "2024")


def _market_2025(tmp_path: Path, bodies: list[tuple[str, str]]) -> pd.Series:
    """The 2025 market-size row of a corpus of one document per (outlet, body)."""
    for i, (outlet, body) in enumerate(bodies):
        text = f"---\ndate: 2026-01-0{i + 5}\nsource: {outlet}\n---\n\n{body}\n"
        (tmp_path / f"{i}.md").write_text(text, "utf-8")
    corpus = extract_corpus([tmp_path], use_cache=False)
    return _row(indicators(corpus.claims, corpus.documents, today=TODAY), MARKET, "2025")


def test_the_consensus_is_the_figure_most_sources_are_consistent_with(tmp_path: Path) -> None:
    """Two re-posts of a low figure tie with a higher one by distance; a third source's lower bound
    (突破) says the higher one is right, and it wins."""
    bodies = [("甲网", "据巨量引擎测算，2025年微短剧市场规模为413亿元。"),
              ("乙网", "据巨量引擎测算，2025年微短剧市场规模为413亿元。"),
              ("丙网", "2025年，中国微短剧市场规模突破634亿元。"),
              ("丁网", "据艾媒咨询数据，2025年微短剧市场规模为677.9亿元。")]
    row = _market_2025(tmp_path, bodies)
    assert row[C.value] == pytest.approx(677.9e8)
    assert row[C.status] == "disagree"  # 413亿 is still reported, and said to differ


def test_a_bound_agrees_only_with_figures_a_little_past_it(tmp_path: Path) -> None:
    """突破634亿 says "a little over 634亿": it backs 677.9亿, not a far larger 1000亿 that two other
    sources give, so 677.9亿 (the sources' median) stays the consensus on the tie."""
    bodies = [("甲网", "2025年，中国微短剧市场规模突破634亿元。"),
              ("乙网", "据艾媒咨询数据，2025年微短剧市场规模为677.9亿元。"),
              ("丙网", "2025年微短剧市场规模为413亿元。"),
              ("丁网", "2025年微短剧市场规模已突破1000亿元。"),
              ("戊网", "2025年微短剧市场规模达到1000亿元。")]
    row = _market_2025(tmp_path, bodies)
    assert row[C.value] == pytest.approx(677.9e8)
