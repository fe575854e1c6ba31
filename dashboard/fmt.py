"""Readable figures: base-unit values in Chinese magnitudes (504.4亿元, 64.7万个) or English (50.44bn CNY)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from extract.labels import label
from extract.schema import C

# Units whose values are never scaled to 万/亿: they are small by nature and read best as written.
_UNSCALED = frozenset({"percent", "age", "minute", "hour", "day", "week", "month", "year", "person_day"})
_ZH_STEPS: tuple[tuple[float, str], ...] = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"), (1.0, ""))
_EN_STEPS: tuple[tuple[float, str], ...] = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k"), (1.0, ""))
_DASH = "–"


def number(value: float, decimals: int = 2) -> str:
    """A number with at most ``decimals`` decimals, no trailing zeros, e.g. ``number(504.40) == "504.4"``."""
    text = f"{value:,.{decimals}f}" if abs(value) >= 1e4 else f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def magnitude(value: float, unit: str, lang: str = "zh") -> tuple[float, str]:
    """(divisor, suffix) that reads ``value`` best, e.g. ``magnitude(5.044e10, "CNY") == (1e8, "亿")``."""
    if unit in _UNSCALED or not math.isfinite(value):
        return 1.0, ""
    steps = _ZH_STEPS if lang == "zh" else _EN_STEPS
    for divisor, suffix in steps:
        # 9999.6 would print as "10000": move it up to the next step instead.
        if round(abs(value) / divisor, 2) >= 1:
            return divisor, suffix
    return 1.0, ""


def unit_label(unit: str, lang: str = "zh") -> str:
    """Display unit, e.g. ``unit_label("CNY") == "元"``, ``unit_label("job", "en") == "jobs"``."""
    return label("unit", unit, lang)


def axis_unit(divisor: float, suffix: str, unit: str, lang: str = "zh") -> str:
    """Axis unit for values divided by ``divisor``, e.g. ``axis_unit(1e8, "亿", "CNY") == "亿元"``."""
    text = f"{suffix}{unit_label(unit, lang)}" if lang == "zh" else f"{suffix} {unit_label(unit, lang)}"
    return text.strip() or ("个" if lang == "zh" else "count")


def format_value(value: float, unit: str, lang: str = "zh", *, high: float | None = None) -> str:
    """Readable figure, e.g. ``format_value(5.044e10, "CNY") == "504.4亿元"``; ranges read "18–35岁"."""
    if value is None or not math.isfinite(float(value)):
        return ""
    has_high = high is not None and math.isfinite(float(high))
    divisor, suffix = magnitude(float(high) if has_high else float(value), unit, lang)
    text = number(float(value) / divisor)
    if has_high:
        text = f"{text}{_DASH}{number(float(high) / divisor)}"
    return _with_unit(text, suffix, unit, lang)


def _with_unit(text: str, suffix: str, unit: str, lang: str) -> str:
    """Glue number, magnitude and unit in the order each language writes them."""
    name = unit_label(unit, lang)
    if lang == "zh" or unit == "percent":
        return f"{text}{suffix}{name}"
    return f"{text}{suffix} {name}".strip()


def format_claim(row: Mapping[str, object], lang: str = "zh") -> str:
    """A claim as a phrase with its qualifier word, e.g. ``超过1亿人``, ``约52.4%``, ``预计1000亿元``."""
    high = row.get(C.value_high)
    value = format_value(float(row[C.value]), str(row[C.unit]), lang, high=finite_float(high))
    qualifier = str(row.get(C.qualifier) or "exact")
    word = "" if qualifier in ("exact", "range") else label("qualifier", qualifier, lang)
    if not word:
        return value
    return f"{word}{value}" if lang == "zh" else f"{word} {value}"


def format_year(year: object, lang: str = "zh") -> str:
    """A year for display, e.g. ``format_year(2024) == "2024年"``; missing years give ``""``."""
    value = finite_float(year)
    if value is None:
        return ""
    return f"{int(value)}年" if lang == "zh" else str(int(value))


_QUARTERS_ZH = {"1": "一", "2": "二", "3": "三", "4": "四"}


def format_period(period: object, kind: object, lang: str = "zh") -> str:
    """A claim's or indicator's period for display: ``format_period("2024-H1", "half") == "2024年上半年"``."""
    if not isinstance(period, str) or not period:
        return ""  # None, NaN and pandas' NA alike
    text, zh = period, lang == "zh"
    if "/" in text:
        a, b = text.split("/", 1)
        if a.isdigit() and b.isdigit():
            return f"{a}–{b}年" if zh else f"{a}–{b}"
        return f"{format_period(a, 'month', lang)}–{format_period(b, 'month', lang)}"
    year, _, rest = text.partition("-")
    if not rest:
        return f"{year}年" if zh else year
    if rest in {"H1", "H2"}:
        return (f"{year}年{'上' if rest == 'H1' else '下'}半年" if zh else f"{rest} {year}")
    if rest.startswith("Q"):
        return f"{year}年{_QUARTERS_ZH.get(rest[1:], rest[1:])}季度" if zh else f"{rest} {year}"
    month = int(rest) if rest.isdigit() else 0
    if kind == "as_of":
        return f"截至{year}年{month}月" if zh else f"as of {year}-{month:02d}"
    if kind == "cumulative":
        return f"累计至{year}年{month}月" if zh else f"cumulative to {year}-{month:02d}"
    return f"{year}年{month}月" if zh else f"{year}-{month:02d}"


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, e.g. ``shorten("abcdef", 4) == "abc…"``."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def finite_float(value: object) -> float | None:
    """``value`` as a finite float, or None for null/NaN/<NA>."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None
