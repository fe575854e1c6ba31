"""Indicators: the claims that measure one quantity, grouped per period, with the value the sources agree on.

An indicator is a metric with its scope (industry-wide or one entity), region (domestic, overseas, one
country), part of a whole (direct or indirect jobs, monthly or daily users), unit and period kind. Per
period, forecast or actual, :func:`indicators` gives the consensus of the independent sources (one report
re-posted by ten outlets counts once), the range reported, and whether the sources agree. Figures of
different scope, region, part, unit or period kind are different indicators, so they never contradict or
corroborate each other. The word lists live in ``extract/lexicon/indicators.toml``.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import pandas as pd

from extract import schema
from extract.errors import LexiconError
from extract.normalize import to_match_form
from extract.schema import C

INDICATOR_FILE = "lexicon/indicators.toml"
PREFIX_CHARS = 60  # how far before a figure, within its sentence, region words are looked for
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_CLAUSE_END = re.compile(r"[，,；;。！？!?：:\n]")
_POINTS = ("exact", "approximate", "range", "forecast")
STATUSES = ("agreed", "single_source", "disagree")


@dataclass(frozen=True)
class _Lexicon:
    """The parsed indicators.toml."""

    include: frozenset[str]
    entity_only: frozenset[str]
    regions: tuple[tuple[str, str], ...]  # (word, region), longest word first
    parts: tuple[tuple[str, tuple[str, ...]], ...]  # (part, words), in file order
    totals: tuple[tuple[str, frozenset[str]], ...]  # (part, the parts a clause names together for it)
    subjects: tuple[tuple[str, str], ...]  # (word, part), longest word first
    tolerance: float
    approximate_tolerance: float
    bound_reach: float
    cards: tuple[tuple[str, str, str], ...]  # (metric, region, part)


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """indicators.toml, loaded once per process."""
    try:
        raw = tomllib.loads(resources.files("extract").joinpath(INDICATOR_FILE).read_text("utf-8"))
        regions = sorted(
            ((to_match_form(w), region) for region, words in raw["regions"].items() for w in words),
            key=lambda pair: -len(pair[0]),
        )
        return _Lexicon(
            include=frozenset(raw["metrics"]["include"]),
            entity_only=frozenset(raw["metrics"]["entity_only"]),
            regions=tuple(regions),
            parts=tuple(
                (part, tuple(to_match_form(w) for w in words)) for part, words in raw["parts"].items()
            ),
            totals=tuple((part, frozenset(both)) for part, both in raw["part_totals"].items()),
            subjects=tuple(sorted(
                ((to_match_form(w), part) for part, words in raw["subjects"].items() for w in words),
                key=lambda pair: -len(pair[0]),
            )),
            tolerance=float(raw["agreement"]["tolerance"]),
            approximate_tolerance=float(raw["agreement"]["approximate_tolerance"]),
            bound_reach=float(raw["agreement"]["bound_reach"]),
            cards=tuple((c["metric"], c.get("region", ""), c.get("part", "")) for c in raw["cards"]),
        )
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{INDICATOR_FILE} is malformed: {exc}") from exc


def indicator_key(metric: str, entity: str, region: str, part: str, unit: str, period_kind: str) -> str:
    """The indicator's id, the same for every period: ``market_size||||CNY|year`` for the industry's size."""
    return "|".join((metric, entity, region, part, unit, period_kind))


def scope_of(text: str, start: int) -> tuple[str, str]:
    """(region, part) of the figure at ``start`` in ``text``, from the words before it in its sentence."""
    head = text[max(0, start - PREFIX_CHARS) : start]
    return scope_in(to_match_form(head), 0, len(head))


def scope_in(match_text: str, sent_start: int, pos: int) -> tuple[str, str]:
    """:func:`scope_of` on text already in match form, the sentence starting at ``sent_start``."""
    head = match_text[max(sent_start, pos - PREFIX_CHARS) : pos]
    ends = list(_SENTENCE_END.finditer(head))
    sentence = head[ends[-1].end() :] if ends else head
    clauses = list(_CLAUSE_END.finditer(sentence))
    clause = sentence[clauses[-1].end() :] if clauses else sentence
    lex = lexicon()
    region = _nearest(sentence, lex.regions)
    named = [name for name, words in lex.parts if any(w in clause for w in words)]
    total = next((name for name, both in lex.totals if both <= set(named)), None)
    part = total or (named[0] if named else None)
    return region, part if part is not None else _nearest(sentence, lex.subjects)


def _nearest(text: str, words: tuple[tuple[str, str], ...]) -> str:
    """The code of the word that ends last in ``text`` (the longer one at the same end), or ''."""
    code, best = "", -1
    for word, value in words:  # longest first, so a tie keeps the longer word
        found = text.rfind(word)
        if found >= 0 and found + len(word) > best:
            code, best = value, found + len(word)
    return code


def indicators(claims: pd.DataFrame, documents: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """One row per indicator, period and forecast-or-actual: the consensus and who reported what.

    Region and part come from the claims' own columns. A figure for a year after ``today``'s (default:
    the current date) is a forecast whatever its wording, since nothing can have been reported for it yet.
    """
    lex = lexicon()
    usable = (claims[C.metric].isin(lex.include).fillna(False).to_numpy(dtype=bool)
              & claims[C.value].notna().to_numpy(dtype=bool)
              & claims[C.period].notna().to_numpy(dtype=bool)
              & claims[C.unit].notna().to_numpy(dtype=bool))
    # Only the columns read, of only the claims that can count: a reviewed claims table has 35 columns.
    claims = claims[[c for c in (*CLAIM_COLUMNS, PINNED) if c in claims.columns]][usable]
    cols = claim_columns(claims)
    groups: dict[Group, list[int]] = {}
    for i, group in enumerate(group_keys(cols, range(len(claims)), this_year(today))):
        if group is not None:
            groups.setdefault(group, []).append(i)
    sources = source_keys(cols, documents)
    return indicator_frame([indicator_row(group, rows, cols, sources) for group, rows in groups.items()])


PINNED = "pinned"  # the column apply_reviews adds: the analyst's headline claim of an indicator and period
CLAIM_COLUMNS = (C.doc_id, C.claim_id, C.value, C.value_high, C.unit, C.metric, C.qualifier, C.year,
                 C.period, C.period_kind, C.entity, C.region, C.part, C.cited_source)
Group = tuple[str, str, bool]  # (indicator id, period, forecast): the claims one indicator row sums up


def this_year(today: dt.date | None = None) -> int:
    """The year after which a figure can only be a forecast: ``today``'s, by default the current one."""
    return (today or dt.date.today()).year


def claim_columns(claims: pd.DataFrame) -> dict[str, list]:
    """The claims' columns indicators read (:data:`CLAIM_COLUMNS` and ``pinned``) as plain lists, missing
    values as None: the form :func:`group_keys` and :func:`indicator_row` take."""
    cols = {c: schema.plain_values(claims[c]) for c in CLAIM_COLUMNS}
    # A reviewed claims table (extract/reviewed.py) may pin one claim as its indicator's headline.
    cols[PINNED] = (claims[PINNED].fillna(False).astype(bool).tolist() if PINNED in claims.columns
                    else [False] * len(claims))
    return cols


def group_keys(cols: Mapping[str, list], rows: Iterable[int], year: int) -> list[Group | None]:
    """Per claim of ``rows`` (positions in ``cols``) the group it counts in, or None when it measures no
    indicator; ``year`` is :func:`this_year`. A claim's group depends on that claim alone."""
    lex = lexicon()
    metrics, values, periods, units = cols[C.metric], cols[C.value], cols[C.period], cols[C.unit]
    entities, regions, parts, kinds = cols[C.entity], cols[C.region], cols[C.part], cols[C.period_kind]
    years, qualifiers = cols[C.year], cols[C.qualifier]
    out: list[Group | None] = []
    for i in rows:
        metric, period, unit = metrics[i], periods[i], units[i]
        if metric not in lex.include or values[i] is None or period is None or unit is None:
            out.append(None)
            continue
        entity, region, part = entities[i] or "", regions[i] or "", parts[i] or ""
        if metric in lex.entity_only and not entity and region == "":
            out.append(None)
            continue  # a revenue with no company or market named is one drama's or one person's
        key = indicator_key(metric, entity, region, part, unit, kinds[i] or "")
        claim_year = years[i]
        forecast = qualifiers[i] == "forecast" or (claim_year is not None and int(claim_year) > year)
        out.append((key, period, forecast))
    return out


def source_keys(cols: Mapping[str, list], documents: pd.DataFrame) -> list[str]:
    """Per claim in ``cols``, who its figure comes from (see :func:`_source_key`)."""
    outlets = dict(zip(documents[C.doc_id].tolist(), documents[C.source_name].tolist(), strict=True))
    return [_source_key(cited, outlets.get(doc_id), doc_id)
            for cited, doc_id in zip(cols[C.cited_source], cols[C.doc_id], strict=True)]


def indicator_frame(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """The indicators table of :func:`indicator_row` rows in any order: sorted by indicator, year (missing
    last), period and forecast, which one group each names."""
    ordered = sorted(rows, key=lambda r: (r[C.indicator], r[C.year] is None, r[C.year] or 0, r[C.period],
                                          r[C.forecast]))
    if not ordered:
        return schema.empty("indicators")
    return schema.frame("indicators", {c.name: [r[c.name] for r in ordered]
                                       for c in schema.TABLES["indicators"]})


def _source_key(cited: object, outlet: object, doc_id: object) -> str:
    """Who a figure comes from: the report or institution cited, else the outlet, else the document."""
    if isinstance(cited, str) and cited:
        return cited
    if isinstance(outlet, str) and outlet:
        return outlet
    return f"doc:{doc_id}"


def indicator_row(group: Group, rows: list[int], cols: Mapping[str, list],
                  sources: list[str]) -> dict[str, object]:
    """The indicator row of one group of claims (``rows``, in table order, index the lists ``cols`` and
    ``sources``): a function of those claims alone, so a change elsewhere never alters it."""
    key, period, forecast = group
    lex = lexicon()
    docs_of, cited_of = cols[C.doc_id], cols[C.cited_source]
    # A document that names its source once speaks for that source in each of its figures here.
    cited: dict[object, str] = {}
    for r in rows:
        if cited_of[r]:
            cited.setdefault(docs_of[r], str(cited_of[r]))
    by_source: dict[str, list[int]] = {}
    for r in rows:
        by_source.setdefault(cited.get(docs_of[r], sources[r]), []).append(r)
    per_source = {s: _source_value(members, cols) for s, members in by_source.items()}
    pins = cols[PINNED]
    pinned = [r for r in rows if pins[r]]
    n_sources = len(by_source)
    if n_sources == 1:  # one source: its figure is the consensus, and it cannot disagree with itself
        (only, _), = per_source.values()
        consensus = float(cols[C.value][pinned[-1]]) if pinned else only
        status = "single_source"
    else:
        n_docs = {s: len({docs_of[r] for r in members}) for s, members in by_source.items()}
        figures = [_figures(members, cols) for members in by_source.values()]
        consensus = float(cols[C.value][pinned[-1]]) if pinned else _consensus(
            per_source, n_docs, lambda v: sum(_agrees(f, v, lex) for f in figures))
        agree = all(_agrees(f, consensus, lex) for f in figures)
        status = "agreed" if agree else "disagree"
    values = [float(cols[C.value][r]) for r in rows]
    highs = [float(h) for h in (cols[C.value_high][r] for r in rows) if h is not None]
    low, high = min(values), max(values)
    if highs:
        low, high = min(low, *highs), max(high, *highs)
    docs = {docs_of[r] for r in rows}
    first = rows[0]
    return {
        C.indicator: key, C.metric: cols[C.metric][first], C.entity: cols[C.entity][first] or "",
        C.region: cols[C.region][first] or "", C.part: cols[C.part][first] or "", C.unit: cols[C.unit][first],
        C.period_kind: cols[C.period_kind][first] or "", C.period: period, C.year: cols[C.year][first],
        C.forecast: forecast, C.value: float(consensus), C.low: low, C.high: high,
        C.n_claims: len(rows), C.n_documents: len(docs), C.n_sources: n_sources,
        C.n_reposts: max(len(docs) - n_sources, 0), C.sources: "|".join(sorted(by_source)), C.status: status,
        C.claim_keys: "|".join(f"{docs_of[r]}#{cols[C.claim_id][r]}" for r in rows),
    }


def _consensus(per_source: dict[str, tuple[float, bool]], n_docs: dict[str, int],
               backers: Callable[[float], int]) -> float:
    """The figure a source reported that most sources are consistent with (``backers``: 413亿 loses to
    677.9亿 beside 突破634亿), then the one nearest the median of the sources' figures (point figures when
    there are any), then the one more documents carry: 504.4亿 and 505亿 give 504.4亿 when three outlets
    carry the first, never a 504.7亿 that nobody reported."""
    pool = {s: v for s, (v, point) in per_source.items() if point}
    pool = pool or {s: v for s, (v, _) in per_source.items()}
    middle = statistics.median(pool.values())
    backed = {v: backers(v) for v in set(pool.values())}
    return min(pool.items(), key=lambda sv: (-backed[sv[1]], abs(sv[1] - middle), -n_docs[sv[0]], sv[0]))[1]


def _source_value(rows: list[int], cols: Mapping[str, list]) -> tuple[float, bool]:
    """One source's figure: the lower median of its point figures (a range counts by its middle), else of
    its bounds, so a figure it reported (首批3部 and 计划50部 give 3部, never 26.5部); and whether it is a
    point figure."""
    values, highs, qualifiers = cols[C.value], cols[C.value_high], cols[C.qualifier]
    points = [_middle(values[r], highs[r]) for r in rows if qualifiers[r] in _POINTS]
    if points:
        return _median_low(points), True
    return _median_low([float(values[r]) for r in rows]), False


def _median_low(values: list[float]) -> float:
    """``statistics.median_low`` of a non-empty list, without its generality (this runs per group)."""
    if len(values) == 1:
        return float(values[0])
    return float(sorted(values)[(len(values) - 1) // 2])


def _middle(low: object, high: object) -> float:
    """A figure's value, or the middle of its range."""
    return float(low) if high is None else (float(low) + float(high)) / 2  # type: ignore[arg-type]


Figure = tuple[float, object, object]  # (value, value_high or None, qualifier) of one claim


def _figures(rows: list[int], cols: Mapping[str, list]) -> list[Figure]:
    """One source's claims as the (value, high, qualifier) :func:`_agrees` tests, read once per group."""
    values, highs, qualifiers = cols[C.value], cols[C.value_high], cols[C.qualifier]
    return [(float(values[r]), highs[r], qualifiers[r]) for r in rows]


def _agrees(figures: list[Figure], consensus: float, lex: _Lexicon) -> bool:
    """Whether every figure of one source is consistent with the consensus: a point figure near it, a
    lower bound at or a little below it, an upper bound at or a little above it (超500亿 agrees with
    504.4亿, not with 1000亿: ``bound_reach``)."""
    scale = abs(consensus) or 1.0
    for value, high, qualifier in figures:
        tol = (lex.approximate_tolerance if qualifier == "approximate" else lex.tolerance) * scale
        reach = abs(value) * lex.bound_reach
        if qualifier == "lower_bound":
            ok = value - tol <= consensus <= value + reach + tol
        elif qualifier == "upper_bound":
            ok = value - reach - tol <= consensus <= value + tol
        elif high is not None:
            ok = value - tol <= consensus <= float(high) + tol  # type: ignore[arg-type]
        else:
            ok = abs(value - consensus) <= tol
        if not ok:
            return False
    return True


def cards(table: pd.DataFrame, limit: int = 6, periods: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The headline indicators: one row of ``table`` per card, in card order (indicators.toml [[cards]]).

    Per card the industry-wide indicator of its metric, region and part with reported (not forecast)
    figures, in their most reported unit, at the latest year with figures from at least two documents,
    else the latest with any (the annual figure before a half, quarter or month of the same year); a
    forecast only when nothing was reported. Other industry-wide indicators the corpus supports
    follow, most sources first, up to ``limit``. ``periods`` (indicator id -> period) is the user's
    choice for a card: that period's row, the reported one when there are both, if the table has it.
    """
    if table.empty:
        return table.iloc[0:0]
    # Plain rows, grouped once: per-family DataFrame masks and groupbys cost a millisecond each, per card.
    families: dict[tuple[str, str, str], list[_CardRow]] = {}
    for row in zip(table.index, *(table[c].tolist() for c in _CARD_COLUMNS), strict=True):
        card = _CardRow(*row)
        if card.entity == "":
            families.setdefault((card.metric, card.region, card.part), []).append(card)
    picked: list[object] = []
    used: set[tuple[str, str, str]] = set()
    for family in lexicon().cards:
        if family in families:
            picked.append(_pick(families[family], periods))
            used.add(family)
    others = [(key, rows) for key, rows in families.items() if key not in used]
    others.sort(key=lambda kv: sum(r.n_sources for r in kv[1]), reverse=True)  # stable: first seen first
    for _, rows in others:
        if len(picked) >= limit:
            break
        picked.append(_pick(rows, periods))
    return table.loc[picked[:limit]].reset_index(drop=True)


_CARD_COLUMNS = (C.indicator, C.entity, C.metric, C.region, C.part, C.unit, C.period, C.period_kind, C.year,
                 C.forecast, C.n_claims, C.n_documents, C.n_sources)


class _CardRow(NamedTuple):
    """One indicator row as :func:`cards` reads it, with its index in the table."""

    index: object
    indicator: str
    entity: str
    metric: str
    region: str
    part: str
    unit: str
    period: str
    period_kind: str
    year: object
    forecast: bool
    n_claims: int
    n_documents: int
    n_sources: int


def _pick(rows: list[_CardRow], periods: Mapping[str, str] | None) -> object:
    """The index of the row one family's card shows: the user's choice (:func:`_chosen`), else
    :func:`_card_row`'s."""
    default = _card_row(rows)
    chosen = _chosen(rows, default, periods)
    return chosen.index if chosen is not None else default.index


def _chosen(rows: list[_CardRow], default: _CardRow, periods: Mapping[str, str] | None) -> _CardRow | None:
    """The row the user chose for this card (reported before forecast), or None."""
    wanted = periods.get(str(default.indicator)) if periods else None
    if wanted is None:
        return None
    hits = [r for r in rows if r.indicator == default.indicator and r.period == wanted]
    return min(hits, key=lambda r: bool(r.forecast)) if hits else None  # min is stable: the first reported


def _card_row(rows: list[_CardRow]) -> _CardRow:
    """The row a card shows among one indicator family's rows: reported figures before forecasts, then the
    most reported unit, figures two documents share, the latest year, and within a year the annual figure
    before a half, quarter or month."""
    pool = [r for r in rows if not r.forecast] or rows
    claims_per_unit: dict[str, int] = {}
    for r in pool:
        claims_per_unit[r.unit] = claims_per_unit.get(r.unit, 0) + int(r.n_claims)
    unit = max(sorted(claims_per_unit), key=claims_per_unit.__getitem__)  # a tie: the first by name
    pool = [r for r in pool if r.unit == unit]
    pool = [r for r in pool if r.n_documents >= 2] or pool
    # Newest year (none last), annual first, then the latest period and most sources; reverse=True keeps
    # the table order of equal rows, as a stable descending sort does.
    return sorted(pool, key=lambda r: (*year_rank(r.year), r.period_kind == "year", r.period, r.n_sources),
                  reverse=True)[0]


def year_rank(year: object) -> tuple[bool, int]:
    """A year as a sort key where the newest sorts last and a missing one first (sorted with reverse=True:
    newest first, none last), the order cards and their period pickers share."""
    missing = year is None or bool(pd.isna(year))
    return not missing, 0 if missing else int(year)  # type: ignore[call-overload]
