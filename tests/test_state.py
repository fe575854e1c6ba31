"""Filters: defaults, sanitising against the corpus, and the URL and widget round trips."""

from __future__ import annotations

import copy

import pytest

from dashboard import state
from dashboard.state import DEFAULT, Filters, Options

OPTIONS = Options(
    themes=("regulation", "quality", "ai", "overseas"),
    docs=("d1", "d2", "d3"),
    metrics=("market_size", "jobs", "plays"),
    years=(2022, 2027),
    notes=("d3",),
)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, DEFAULT),
        ({"theme": ["ai"]}, Filters(themes=("ai",))),
        ({"theme": "ai"}, Filters(themes=("ai",))),
        ({"theme": ["overseas", "regulation", "ai"]}, Filters(themes=("regulation", "ai", "overseas"))),
        ({"theme": ["ai", "bogus", "<script>"]}, Filters(themes=("ai",))),
        ({"theme": ["ai", "ai"]}, Filters(themes=("ai",))),
        ({"doc": ["d2", "nope"]}, Filters(docs=("d2",))),
        ({"metric": ["jobs", "plays"]}, Filters(metrics=("jobs", "plays"))),
        ({"years": "2023-2025"}, Filters(years=(2023, 2025))),
        ({"years": "2025-2023"}, Filters(years=(2023, 2025))),
        ({"years": "2024"}, Filters(years=(2024, 2024))),
        ({"years": "1990-2024"}, Filters(years=(2022, 2024))),
        ({"years": "2022-2027"}, DEFAULT),
        ({"years": "1990-1991"}, DEFAULT),
        ({"years": "abc"}, DEFAULT),
        ({"years": "2023-2024-2025"}, DEFAULT),
        ({"q": "  红果   短剧 "}, Filters(query="红果 短剧")),
        ({"q": "x" * 500}, Filters(query="x" * 200)),
        ({"lang": "en"}, Filters(lang="en")),
        ({"lang": "fr"}, DEFAULT),
        ({"kw": "textrank"}, Filters(method="textrank")),
        ({"kw": "bm25"}, DEFAULT),
        ({"present": "1"}, Filters(presentation=True)),
        ({"present": "0"}, DEFAULT),
        ({"tab": "facts"}, Filters(tab="facts")),
        ({"tab": "../admin"}, DEFAULT),
        ({"unrelated": ["x"]}, DEFAULT),
        ({"notes": "0"}, Filters(notes=False)),
        ({"notes": "1"}, DEFAULT),
        ({"reviewed": "1"}, Filters(reviewed=True)),
    ],
)
def test_from_query(params: dict, expected: Filters) -> None:
    before = copy.deepcopy(params)
    assert state.from_query(params, OPTIONS) == expected
    assert params == before


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (DEFAULT, {}),
        (Filters(themes=("ai", "overseas")), {"theme": ["ai", "overseas"]}),
        (Filters(years=(2023, 2024)), {"years": ["2023-2024"]}),
        (Filters(query="红果"), {"q": ["红果"]}),
        (Filters(lang="en", presentation=True), {"lang": ["en"], "present": ["1"]}),
        (Filters(method="textrank", tab="keywords"), {"kw": ["textrank"], "tab": ["keywords"]}),
        (Filters(docs=("d1",), metrics=("jobs",)), {"doc": ["d1"], "metric": ["jobs"]}),
        (Filters(notes=False), {"notes": ["0"]}),
        (Filters(reviewed=True), {"reviewed": ["1"]}),
    ],
)
def test_to_query(filters: Filters, expected: dict) -> None:
    assert state.to_query(filters) == expected


@pytest.mark.parametrize(
    "filters",
    [
        DEFAULT,
        Filters(themes=("regulation", "ai"), docs=("d3",), metrics=("plays",), years=(2022, 2023)),
        Filters(query="出海 收入", lang="en", method="textrank", presentation=True, tab="timeline"),
        Filters(notes=False, undated=False),
    ],
)
def test_url_round_trip(filters: Filters) -> None:
    assert state.from_query(state.to_query(filters), OPTIONS) == filters


@pytest.mark.parametrize(
    "filters",
    [DEFAULT, Filters(themes=("ai",), years=(2023, 2023), query="AI", lang="en", tab="themes")],
)
def test_widget_round_trip(filters: Filters) -> None:
    widgets = state.to_widgets(filters, OPTIONS)
    assert state.from_widgets(widgets, OPTIONS) == filters


def test_to_widgets_shows_full_year_range_by_default() -> None:
    widgets = state.to_widgets(DEFAULT, OPTIONS)
    assert widgets[state.WIDGET_KEYS["years"]] == (2022, 2027)
    assert widgets[state.WIDGET_KEYS["themes"]] == []


def test_from_widgets_treats_missing_keys_as_default() -> None:
    assert state.from_widgets({}, OPTIONS) == DEFAULT
    assert state.from_widgets({state.WIDGET_KEYS["years"]: None}, OPTIONS) == DEFAULT


def test_the_notes_switch_resets_in_a_corpus_without_notes() -> None:
    no_notes = Options(themes=OPTIONS.themes, docs=OPTIONS.docs, metrics=OPTIONS.metrics, years=OPTIONS.years)
    assert state.from_query({"notes": "0"}, no_notes) == DEFAULT


def test_sanitize_drops_what_the_corpus_lost() -> None:
    shrunk = Options(themes=OPTIONS.themes, docs=("d1",), metrics=("jobs",), years=None)
    chosen = Filters(docs=("d1", "d2"), metrics=("plays",), years=(2023, 2024))
    assert state.sanitize(chosen, shrunk) == Filters(docs=("d1",))


@pytest.mark.parametrize(
    ("filters", "narrows"),
    [(DEFAULT, False), (Filters(lang="en", tab="facts", presentation=True), False),
     (Filters(query="  "), False), (Filters(query="AI"), True), (Filters(years=(2023, 2024)), True),
     (Filters(themes=("ai",)), True), (Filters(docs=("d1",)), True), (Filters(metrics=("jobs",)), True),
     (Filters(notes=False), True), (Filters(reviewed=True), True)],
)
def test_narrows(filters: Filters, narrows: bool) -> None:
    assert filters.narrows() is narrows


def test_every_tab_and_field_has_url_and_widget_keys() -> None:
    names = {f for f in Filters.__dataclass_fields__}
    assert set(state.URL_KEYS) == names == set(state.WIDGET_KEYS)
    assert len(set(state.URL_KEYS.values())) == len(names)
