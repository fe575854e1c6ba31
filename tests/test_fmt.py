"""Readable figures: Chinese magnitudes and units, English abbreviations, qualifier words."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import fmt
from extract import schema
from extract.labels import labels


@pytest.mark.parametrize(
    ("value", "unit", "high", "expected"),
    [
        (50440000000.0, "CNY", None, "504.4亿元"),
        (647000.0, "job", None, "64.7万个"),
        (220000000.0, "play", None, "2.2亿次"),
        (18.0, "age", 35.0, "18–35岁"),
        (52.4, "percent", None, "52.4%"),
        (100000000000.0, "CNY", None, "1000亿元"),
        (1.2e12, "CNY", None, "1.2万亿元"),
        (650000000.0, "USD", None, "6.5亿美元"),
        (123.0, "person", None, "123人"),
        (5000.0, "work", None, "5000部"),
        (3.0, "minute", None, "3分钟"),
        (1e9, "CNY", 2e9, "10–20亿元"),
        (9999.6, "company", None, "1万家"),  # rounds up to the next step instead of printing "10000"
        (1.25e8, "person", None, "1.25亿人"),
        (7.0, "count", None, "7"),
    ],
)
def test_format_value_zh(value: float, unit: str, high: float | None, expected: str) -> None:
    assert fmt.format_value(value, unit, high=high) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (50440000000.0, "CNY", "50.44bn CNY"),
        (647000.0, "job", "647k jobs"),
        (220000000.0, "play", "220m plays"),
        (52.4, "percent", "52.4%"),
        (18.0, "age", "18 years old"),
    ],
)
def test_format_value_en(value: float, unit: str, expected: str) -> None:
    assert fmt.format_value(value, unit, "en") == expected


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_format_value_of_missing_is_blank(value: float) -> None:
    assert fmt.format_value(value, "CNY") == ""


@pytest.mark.parametrize(
    ("row", "lang", "expected"),
    [
        ({"value": 1e8, "unit": "person", "qualifier": "lower_bound", "value_high": pd.NA}, "zh",
         "超过1亿人"),
        ({"value": 52.4, "unit": "percent", "qualifier": "approximate", "value_high": None}, "zh", "约52.4%"),
        ({"value": 1e11, "unit": "CNY", "qualifier": "forecast", "value_high": math.nan}, "zh",
         "预计1000亿元"),
        ({"value": 5e4, "unit": "work", "qualifier": "upper_bound", "value_high": None}, "zh", "不足5万部"),
        ({"value": 5.044e10, "unit": "CNY", "qualifier": "exact", "value_high": None}, "zh", "504.4亿元"),
        ({"value": 18.0, "unit": "age", "qualifier": "range", "value_high": 35.0}, "zh", "18–35岁"),
        ({"value": 1e8, "unit": "person", "qualifier": "approximate", "value_high": None}, "en",
         "about 100m people"),
    ],
)
def test_format_claim(row: dict, lang: str, expected: str) -> None:
    assert fmt.format_claim(row, lang) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(5.044e10, "CNY", (1e8, "亿")), (6.47e5, "job", (1e4, "万")), (52.4, "percent", (1.0, "")),
     (999.0, "person", (1.0, "")), (3.2e12, "CNY", (1e12, "万亿"))],
)
def test_magnitude(value: float, unit: str, expected: tuple[float, str]) -> None:
    assert fmt.magnitude(value, unit) == expected


@pytest.mark.parametrize(
    ("divisor", "suffix", "unit", "lang", "expected"),
    [(1e8, "亿", "CNY", "zh", "亿元"), (1e4, "万", "job", "zh", "万个"), (1.0, "", "percent", "zh", "%"),
     (1.0, "", "count", "zh", "个"), (1e9, "bn", "CNY", "en", "bn CNY")],
)
def test_axis_unit(divisor: float, suffix: str, unit: str, lang: str, expected: str) -> None:
    assert fmt.axis_unit(divisor, suffix, unit, lang) == expected


@pytest.mark.parametrize(
    ("year", "lang", "expected"),
    [(2024, "zh", "2024年"), (2024, "en", "2024"), (pd.NA, "zh", ""), (None, "zh", ""), (math.nan, "en", "")],
)
def test_format_year(year: object, lang: str, expected: str) -> None:
    assert fmt.format_year(year, lang) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("abcdef", 4, "abc…"), ("abc", 4, "abc"), ("专访｜丁亚平：短期爆款", 5, "专访｜丁…"),
     ("a \n b", 9, "a b")],
)
def test_shorten(text: str, limit: int, expected: str) -> None:
    assert fmt.shorten(text, limit) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(504.40, "504.4"), (2.0, "2"), (0.126, "0.13"), (12345.0, "12,345")]
)
def test_number(value: float, expected: str) -> None:
    assert fmt.number(value) == expected


@pytest.mark.parametrize(
    ("kind", "codes"),
    [("metric", schema.METRICS), ("unit", schema.UNITS), ("qualifier", schema.QUALIFIERS),
     ("period_kind", schema.PERIOD_KINDS)],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_schema_code_has_a_label(kind: str, codes: tuple[str, ...], lang: str) -> None:
    known = labels(kind, lang)
    assert [c for c in codes if c not in known] == []  # an unlabelled code would show raw (ad_spend)
