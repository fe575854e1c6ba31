"""The period a figure covers: a year, a half, a quarter, a month, a span, a level "as of" a date, or a
running total, read from the words before the figure in its sentence (2025年上半年, 一季度, 截至2024年6月).
"""

from __future__ import annotations

import re

from extract.numbers import parse_number

_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_YEAR = r"(?:(?P<y>(?:19|20)\d{2})\s*年?|(?P<rel>今年|去年|本年|上年|明年|前年))"
# Relative years and their offset from the publication year (also read by extract/claims.py).
RELATIVE_YEARS = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# One period statement. Each alternative names its parts; the year is optional (the figure's year or the
# publication year fills it in).
_PERIOD = re.compile(
    rf"(?P<asof>截至|截止到|截止|截止至|到)?\s*(?:{_YEAR})?\s*(?:"
    rf"(?P<span>前(?P<spanq>[一二三两]|[1-3])个?季度|前(?P<spanm>{_MONTH})个月|(?P<m1>{_MONTH})\s*[-—~至到]\s*(?P<m2>{_MONTH})月)"
    rf"|(?P<half>上半年|下半年|[Hh][12](?![0-9]))"
    rf"|(?P<q>(?:第)?[一二三四1-4]季度|[Qq][1-4](?![0-9])|(?:(?<=年)|(?<=年 ))第[一二三四1-4]季(?!度))"
    rf"|(?P<m>{_MONTH})\s*月(?:份)?(?P<mend>底|末|初|中旬|上旬|下旬)?"
    rf"|(?P<yend>年底|年末|底|末)"
    rf"|(?P<full>全年|年度|年)"
    r")"
)
_YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*[-—~至到]\s*((?:19|20)?\d{2})\s*年")
# Months to months with 月 on both sides, across a year too: 3月至11月, 2022年11月至2023年2月.
_MONTH_SPAN = re.compile(
    rf"(?:(?P<y1>(?:19|20)\d{{2}})\s*年)?\s*(?P<m1>{_MONTH})\s*月份?\s*[-—~至到]\s*"
    rf"(?:(?P<y2>(?:19|20)\d{{2}})\s*年)?\s*(?P<m2>{_MONTH})\s*月"
)
# A period after these is what the figure is compared with, not its own.
_BASELINE = (
    "较", "比", "相比", "相较", "对比", "同比", "较之", "高于", "低于", "超过", "超越",
    "相较于", "相比于", "较于",
)
_CUMULATIVE = re.compile(r"累计|累積|总计|共计|迄今|至今|历史累计")


def period_for(
    match_text: str, pos: int, sent_start: int, year: int | None, published: str | None = None
) -> tuple[str | None, str | None]:
    """(period, period_kind) of the figure at ``pos``, e.g. ("2025-H1", "half"); (None, None) without a year.

    ``year`` is the figure's year as claims.py found it; a period without its own year takes it, else the
    publication year, and a period of another year gives way to the figure's own.
    """
    before = match_text[sent_start:pos]
    base = int(published[:4]) if published and published[:4].isdigit() else None
    found = _last_period(before, year if year is not None else base, base)
    clause = _last_clause(before)
    cumulative = bool(_CUMULATIVE.search(clause))
    if found is None:
        if year is None:
            return None, ("cumulative" if cumulative else None)
        return str(year), ("cumulative" if cumulative else "year")
    period, kind = found
    same = _SAME_PERIOD_VALUE.search(clause)
    if same is not None and kind in _PARTS and _within_one_year(period):
        # 今年上半年营收3.8亿，去年同期为1.2亿 / 2024年同期为1.2亿: the same part of the year named
        shifted = year if year is not None else (
            int(same.group("y")) if same.group("y") else int(period[:4]) + RELATIVE_YEARS[same.group("rel")])
        return period.replace(period[:4], str(shifted)), kind
    if year is not None and "/" not in period and period[:4] != str(year):
        return str(year), "year"  # 2025年规模较2024年的500亿元翻番: the 500亿元 is 2024's, so is its period
    return period, ("cumulative" if cumulative else kind)


# A figure that is the value of the same period of another year (去年同期为1.2亿元, 而2024年同期净利润达2293
# 万元), not a change against it (较去年同期增长20%): no comparison or change word in its clause.
_SAME_PERIOD_VALUE = re.compile(
    r"^(?:(?!较|比|相比|相较|对比)[^增降减涨跌升长])*?(?:(?P<y>(?:19|20)\d{2})\s*年|(?P<rel>去年|上年|前年))\s*同\s*期"
    r"(?:(?![增降减涨跌升长]).)*$"
)
_PARTS = frozenset({"half", "quarter", "month", "span"})


def names_same_period(before: str) -> bool:
    """True when the figure's clause (the end of ``before``) states the value of the same period of another
    year (去年同期为1.2亿元), so that the period :func:`period_for` gives also dates it."""
    return _SAME_PERIOD_VALUE.search(_last_clause(before)) is not None


def _last_clause(before: str) -> str:
    """The words of ``before`` after its last clause break: the figure's own clause."""
    return before[max(before.rfind(ch) for ch in "，,；;。") + 1 :]


def _within_one_year(period: str) -> bool:
    """True for a part of one year (2025-H1, 2025-03, 2025-01/2025-09), not a span of years."""
    return "/" not in period or period[:4] == period.split("/")[1][:4]


def _last_period(before: str, year: int | None, base: int | None) -> tuple[str, str] | None:
    """The last period statement in ``before`` that is not a baseline, as (period, kind)."""
    best: tuple[str, str] | None = None
    best_span: tuple[str, str, int] | None = None
    for m in _YEAR_SPAN.finditer(before):
        if not _is_baseline(before, m.start(), m.end()):
            first, last = m.group(1), m.group(2)
            last = last if len(last) == 4 else first[:2] + last
            best_span = (f"{first}/{last}", "span", m.end())
    for m in _MONTH_SPAN.finditer(before):
        first = int(m.group("y1")) if m.group("y1") else year
        last = int(m.group("y2")) if m.group("y2") else first
        if first is None or _is_baseline(before, m.start(), m.end()):
            continue
        lo, hi = _month(m.group("m1")), _month(m.group("m2"))
        if (last, hi) > (first, lo) and (best_span is None or m.end() >= best_span[2]):
            whole = _whole_part(first, lo, hi) if first == last else None
            best_span = (*(whole or (f"{first}-{lo:02d}/{last}-{hi:02d}", "span")), m.end())
    last_end = -1
    for m in _PERIOD.finditer(before):
        if m.end() == m.start() or _is_baseline(before, m.start(), m.end()):
            continue
        if m.group("full") == "年" and not (m.group("y") or m.group("rel")):
            continue  # a bare 年 (三年) names no period
        y = _year_of(m, year, base)
        if y is None:
            continue
        result = _describe(m, y)
        if result is not None:
            best, last_end = result, m.end()
    if best_span is not None and best_span[2] >= last_end:
        return best_span[0], best_span[1]
    return best


def bare_period_end(before: str) -> int | None:
    """The last month of the last period named without a year in ``before`` (三季度 -> 9), else None.

    claims.py dates such a figure by the publication date: a quarter, half or month that ends after the
    publication month must be last year's.
    """
    end = None
    for m in _PERIOD.finditer(before):
        if m.end() == m.start() or m.group("y") or m.group("rel") or m.group("full"):
            continue  # a year of its own is claims.py's to read
        if m.group("asof") == "到" or _is_baseline(before, m.start(), m.end()):
            continue
        described = _describe(m, 2000)
        if described is not None:
            end = _END_MONTH.get(described[0][-2:]) or int(described[0][-2:])
    return end


_END_MONTH = {"H1": 6, "H2": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}


def _whole_part(y: int, lo: int, hi: int) -> tuple[str, str] | None:
    """A run of months that is exactly a half or a quarter of year ``y`` (1-6月 is 2025-H1), else None."""
    if (lo, hi) in {(1, 6), (7, 12)}:
        return f"{y}-H{1 if lo == 1 else 2}", "half"
    if hi - lo == 2 and lo % 3 == 1:
        return f"{y}-Q{hi // 3}", "quarter"
    return None


def _is_baseline(before: str, start: int, end: int) -> bool:
    """True when a period is a comparison: 较2023年, 2024年同期, 比上年."""
    head = before[max(0, start - 3) : start]
    return head.endswith(_BASELINE) or before[end : end + 2] == "同期"


def _year_of(m: re.Match[str], year: int | None, base: int | None) -> int | None:
    """The year a period statement names, else the figure's own year."""
    if m.group("y"):
        return int(m.group("y"))
    if m.group("rel"):
        return base + RELATIVE_YEARS[m.group("rel")] if base is not None else year
    return year


def _month(word: str) -> int:
    """A month written in digits or Chinese: "6" -> 6, "十二" -> 12."""
    number = parse_number(word)
    return int(number.value) if number is not None else 0


def _describe(m: re.Match[str], y: int) -> tuple[str, str] | None:
    """(period, kind) of one matched period statement in year ``y``."""
    as_of = (bool(m.group("asof")) and m.group("asof") != "到") or bool(m.group("mend") in {"底", "末"})
    if m.group("span"):
        if m.group("spanq"):
            q = _month(m.group("spanq"))
            return f"{y}-01/{y}-{3 * q:02d}", "span"
        if m.group("spanm"):
            return f"{y}-01/{y}-{_month(m.group('spanm')):02d}", "span"
        lo, hi = _month(m.group("m1")), _month(m.group("m2"))
        return _whole_part(y, lo, hi) or (f"{y}-{lo:02d}/{y}-{hi:02d}", "span")
    if m.group("half"):
        h = "H1" if m.group("half") in {"上半年", "H1", "h1"} else "H2"
        return (f"{y}-06" if h == "H1" else f"{y}-12", "as_of") if as_of else (f"{y}-{h}", "half")
    if m.group("q"):
        word = m.group("q")  # 三季度, Q3, and 2025年第三季 (第三季 with no year is a drama's season)
        q = _month(word[-3] if word.endswith("季度") else word[-2] if word.endswith("季") else word[-1])
        return f"{y}-Q{q}", "quarter"
    if m.group("m"):
        month = _month(m.group("m"))
        return f"{y}-{month:02d}", ("as_of" if as_of else "month")
    if m.group("yend"):
        return f"{y}-12", "as_of"
    if m.group("asof") and m.group("asof") != "到":
        return f"{y}-12", "as_of"
    if m.group("y") or m.group("rel") or m.group("full") in {"全年", "年度"}:
        return str(y), "year"
    return None
