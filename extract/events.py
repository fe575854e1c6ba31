"""Dated events: a date plus an event verb nearby, e.g. "6月，由周星驰出品的首部短剧《金猪玉叶》在抖音上线".

Dates are 2024年11月6日, 2024年6月, 2024年, 2024-11-06, or a bare 6月 (or 今年六月: months in Chinese
numerals only right after 年, where 统一月 cannot be meant), whose year comes from
今年/去年 and the document date (in an undated text such a date has no year and is no event), else the
nearest year stated before it in the text, else a year later in the same sentence, else the document
date. An event needs a verb from
extract/lexicon/event_verbs.txt (上线, 发布, 生效...) in the date's clause; a date that opens a clause
on its own ("6月，...") takes the next clause. Titles keep their brackets (《金猪玉叶》) so they read as
titles and match the text; the description runs from the title (or the clause start) to the verb.
The row's start/end cover both the date and the description.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from extract import schema
from extract.lexmatch import TermPattern, compile_terms, find_terms, match_form
from extract.schema import C
from extract.sentences import SentenceSpan, frame_spans

VERBS_FILE = "lexicon/event_verbs.txt"
_MAX_GAP = 40  # characters allowed between a date and its verb
_MAX_DESCRIPTION = 40
_OBJECT_TAIL = 12  # a verb's object this short joins the description: 成立短剧专委会

_CN_MONTHS = {m: i for i, m in enumerate((*"一二三四五六七八九十", "十一", "十二"), 1)}
# Dates with a year start with 19/20, a literal the regex engine can skip ahead to. A bare month is found
# from its 月 backwards: a pattern that opens with an optional part or a lookbehind cannot skip ahead and
# would make the scan ten times slower.
_YEAR_DATE = re.compile(
    r"(?P<y>(?:19|20)[0-9]{2})\s*年\s*"
    r"(?:(?P<m>1[0-2]|0?[1-9])\s*月\s*(?:(?P<d>3[01]|[12][0-9]|0?[1-9])\s*[日号])?)?"
    r"|(?P<iy>(?:19|20)[0-9]{2})(?P<sep>[-/.])(?P<im>1[0-2]|0?[1-9])(?P=sep)"
    r"(?P<id>3[01]|[12][0-9]|0?[1-9])(?![0-9])"
)
_MONTH_WORD = re.compile(r"月")
_MONTH_BEFORE = re.compile(
    r"(?P<rel>今年|去年|明年|前年)?(?P<m>1[0-2]|0?[1-9]|十二|十一|十|[一二三四五六七八九])\s*\Z"
)
_DAY_AFTER = re.compile(r"\s*(?P<d>3[01]|[12][0-9]|0?[1-9])\s*[日号]")
_RELATIVE = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}
_NUMBER_CHARS = frozenset("0123456789.")
_BREAK = re.compile(r"[，,；;：:。！？!?\n]")
_TITLE = re.compile(r"《[^《》\n]{1,60}》")
_LEAD = " \t*#>，,、：:（(“\""


@dataclass(frozen=True)
class _Date:
    """One date expression in the text: its span and parts (year None when it must be inferred)."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    relative: int | None


@lru_cache(maxsize=1)
def event_verbs() -> tuple[str, ...]:
    """The event verbs, e.g. ``("上线", "上映", ...)``, read once from the lexicon file."""
    text = resources.files("extract").joinpath(VERBS_FILE).read_text("utf-8")
    return tuple(s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#"))


@lru_cache(maxsize=1)
def _verb_pattern() -> TermPattern:
    """The compiled event-verb alternation."""
    return compile_terms(event_verbs())


def event_columns(
    doc_id: str, text: str, spans: Sequence[SentenceSpan], doc_date: str | None = None
) -> dict[str, list[object]]:
    """The "events" table's columns for one document, as lists: dated happenings with their date, year,
    month, title and description."""
    names = (C.sent_id, C.date, C.year, C.month, C.title, C.description, C.start, C.end)
    cols: dict[str, list[object]] = {c: [] for c in names}
    match_text = match_form(text)
    dates = _dates(match_text)
    if dates:
        stated = [(d.start, d.year) for d in dates if d.year is not None]
        doc_year = _doc_year(doc_date)
        rows = cols.values()
        for sent_id, s_start, s_end, in_sentence in _group_by_sentence(dates, spans):
            titles = [(m.start(), m.end()) for m in _TITLE.finditer(match_text, s_start, s_end)]
            for i, date in enumerate(in_sentence):
                if any(a < date.start and date.end <= b for a, b in titles):
                    continue  # a year inside a work's title (《2024年度报告》) dates the work, not an event
                limit = in_sentence[i + 1].start if i + 1 < len(in_sentence) else s_end
                found = _describe(text, match_text, date, s_start, limit, titles)
                year = _year(date, stated, s_end, doc_year)
                if found is None or year is None:
                    continue
                title, description, start, end = found
                values = (sent_id, _iso(year, date.month, date.day), year, date.month, title, description,
                          start, end)
                for column, value in zip(rows, values, strict=True):
                    column.append(value)
    return {C.doc_id: [doc_id] * len(cols[C.sent_id]), **cols}


def find_events(doc_id: str, text: str, sentences: pd.DataFrame, doc_date: str | None = None) -> pd.DataFrame:
    """The "events" table: dated happenings with their date, year, month, title and description."""
    return schema.frame("events", event_columns(doc_id, text, frame_spans(sentences), doc_date))


def _dates(match_text: str) -> list[_Date]:
    """Every date expression in the text, in text order."""
    dates, covered = [], set()
    for m in _YEAR_DATE.finditer(match_text):
        if m.start() and match_text[m.start() - 1] in _NUMBER_CHARS:
            continue  # part of a longer number: 12024年
        g = m.groupdict()
        if g["y"]:
            date = _Date(m.start(), m.end(), int(g["y"]), _int(g["m"]), _int(g["d"]), None)
        else:
            date = _Date(m.start(), m.end(), int(g["iy"]), int(g["im"]), int(g["id"]), None)
        dates.append(date)
        covered.update(range(m.start(), m.end()))
    for m in _MONTH_WORD.finditer(match_text):
        if m.start() in covered:
            continue
        found = _MONTH_BEFORE.search(match_text, max(0, m.start() - 6), m.start())
        if found is None:
            continue
        before = match_text[found.start() - 1] if found.start() else ""
        rel, month = found.group("rel"), found.group("m")
        if before in _NUMBER_CHARS or (month in _CN_MONTHS and not rel and before != "年"):
            # 112月 is no month; Chinese-numeral months only right after 年 (今年六月): 统一月 is no month.
            continue
        day = _DAY_AFTER.match(match_text, m.end())
        end = day.end() if day else m.end()
        number = _CN_MONTHS.get(month) or int(month)
        dates.append(_Date(found.start(), end, None, number, _int(day.group("d")) if day else None,
                           _RELATIVE.get(rel or "")))
    return sorted(dates, key=lambda d: d.start)


def _int(value: str | None) -> int | None:
    """``int(value)``, or None for a missing group."""
    return int(value) if value else None


def _doc_year(doc_date: str | None) -> int | None:
    """The year of a YYYY-MM-DD document date, else None (also for a missing date read as NA or NaN)."""
    m = re.match(r"\s*((?:19|20)[0-9]{2})", doc_date) if isinstance(doc_date, str) else None
    return int(m.group(1)) if m else None


def _group_by_sentence(
    dates: list[_Date], spans: Sequence[SentenceSpan]
) -> list[tuple[int, int, int, list[_Date]]]:
    """(sent_id, start, end, dates) of each sentence holding a date, in text order."""
    starts = [s for s, _, _ in spans]
    grouped: dict[int, list[_Date]] = {}
    for date in dates:
        i = bisect_left(starts, date.start + 1) - 1
        if i >= 0 and date.end <= spans[i][1]:
            grouped.setdefault(i, []).append(date)
    return [(spans[i][2], spans[i][0], spans[i][1], ds) for i, ds in sorted(grouped.items())]


def _describe(
    text: str, match_text: str, date: _Date, s_start: int, limit: int, titles: list[tuple[int, int]]
) -> tuple[str | None, str, int, int] | None:
    """(title, description, start, end) of the event a date introduces, or None when no verb is near."""
    clause_start = _clause_start(match_text, s_start, date.start)
    clause_end = _clause_end(match_text, date.end, limit)
    if not match_text[date.end:clause_end].strip(_LEAD + "份起"):
        # The date stands alone ("6月，由周星驰出品的..."): the happening is in the next clause.
        clause_end = _clause_end(match_text, min(clause_end + 1, limit), limit)
    verb = _pick_verb(match_text, date, clause_start, clause_end)
    if verb is None:
        return None
    v_start, v_end = verb
    before = [t for t in titles if clause_start <= t[0] and t[1] <= v_start]
    after = [t for t in titles if v_end <= t[0] <= v_end + 2 and t[1] <= clause_end]
    title = before[-1] if before else after[0] if after else None
    if before:
        d_start, d_end = before[-1][0], v_end
    else:
        # The subject sits between the date and the verb (2024年，国家广电总局发布), or, when the verb
        # follows the date at once (考核于12月启动), before the date.
        between = match_text[date.end:v_start].strip(_LEAD) if date.end <= v_start else ""
        d_start = date.end if len(between) >= 2 else clause_start
        d_end = after[0][1] if after else v_end
        if not after and clause_end - v_end <= _OBJECT_TAIL:
            d_end = clause_end
    d_start = max(d_start, v_start - _MAX_DESCRIPTION)
    while d_start < v_start and text[d_start] in _LEAD:
        d_start += 1
    description = text[d_start:d_end].replace("*", "").strip()
    span_start, span_end = min(date.start, d_start), max(date.end, d_end)
    return (text[title[0]:title[1]] if title else None), description, span_start, span_end


def _clause_start(match_text: str, s_start: int, pos: int) -> int:
    """Start of the clause holding ``pos``: after the last clause break before it, within the sentence."""
    breaks = [m.end() for m in _BREAK.finditer(match_text, s_start, pos)]
    return breaks[-1] if breaks else s_start


def _clause_end(match_text: str, pos: int, limit: int) -> int:
    """End of the clause running from ``pos``: the next clause break, or ``limit``."""
    m = _BREAK.search(match_text, pos, limit)
    return m.start() if m else limit


def _pick_verb(match_text: str, date: _Date, start: int, end: int) -> tuple[int, int] | None:
    """The event verb of a date's clause: the first after the date that is not attributive, else before it."""
    verbs = [(s, e) for s, e, _ in find_terms(_verb_pattern(), match_text, start=start, end=end)]
    after = [(s, e) for s, e in verbs if s >= date.end and s - date.end <= _MAX_GAP]
    # 发布的《…》正式生效: a verb followed by 的 modifies a noun; the clause's own verb comes later.
    main = [(s, e) for s, e in after if not match_text.startswith("的", e)]
    if main or after:
        return (main or after)[0]
    before = [(s, e) for s, e in verbs if e <= date.start and date.start - e <= _MAX_GAP]
    return before[-1] if before else None


def _year(date: _Date, stated: list[tuple[int, int]], s_end: int, doc_year: int | None) -> int | None:
    """The year of a date: its own, 今年/去年 from the document date, or the nearest stated year."""
    if date.year is not None:
        return date.year
    if date.relative is not None:  # 去年11月 in an undated text: no year stated elsewhere is "last year"
        return doc_year + date.relative if doc_year is not None else None
    i = bisect_left(stated, (date.start, -1)) - 1
    if i >= 0:
        return stated[i][1]
    later = [y for pos, y in stated if date.end <= pos < s_end]
    return later[0] if later else doc_year


def _iso(year: int, month: int | None, day: int | None) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD; an impossible day (2月30日) falls back to the month."""
    if month is None:
        return f"{year:04d}"
    if day is not None:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"
