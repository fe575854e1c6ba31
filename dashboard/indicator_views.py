"""Indicator frames for the dashboard: headline cards, the indicator chart and the corroboration table.

Pure functions from the ``indicators`` table (extract/indicators.py) plus claims and documents to the
display-ready frames that the panels, charts and the deck read. Every text here is plain (unescaped);
the panels and charts escape it where they render it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import fmt, frames, views
from extract import indicators as lib
from extract.labels import label
from extract.schema import C

# The columns of each frame are declared once, in dashboard/frames.py.
CARD_COLUMNS = frames.CARDS
POINT_COLUMNS = frames.POINTS
CONSENSUS_COLUMNS = frames.CONSENSUS
TABLE_COLUMNS = frames.INDICATOR_TABLE
_SEP = {"zh": "、", "en": ", "}


def indicator_label(metric: str, entity: str, region: str, part: str, unit: str, lang: str = "zh") -> str:
    """An indicator's name, e.g. "海外·收入/充值（美元）" for overseas revenue in USD."""
    bits = [b for b in (entity, label("region", region, lang) if region else "",
                        label("part", part, lang) if part else "", label("metric", metric, lang)) if b]
    name = "·".join(bits) if lang == "zh" else " · ".join(bits)
    if unit in {"CNY", "person", "job", "work", "company", "play", "download"} or not unit:
        return name
    unit_name = fmt.unit_label(unit, lang)
    return f"{name}（{unit_name}）" if lang == "zh" else f"{name} ({unit_name})"


def _label_of(row: dict, lang: str) -> str:
    """:func:`indicator_label` of an indicators row."""
    return indicator_label(str(row[C.metric]), _s(row[C.entity]), _s(row[C.region]), _s(row[C.part]),
                           _s(row[C.unit]), lang)


def _s(value: object) -> str:
    """A cell as text, nulls as ''."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and value != value)
    return "" if missing else str(value)


def status_text(status: str, n_sources: int, lang: str = "zh") -> str:
    """"5 个来源一致", "单一来源" or "3 个来源不一"."""
    return label("status", status, lang).format(n=n_sources)


def _value_text(row: dict, lang: str) -> str:
    """The consensus, with 预计 before a forecast."""
    text = fmt.format_value(float(row[C.value]), str(row[C.unit]), lang)
    if bool(row[C.forecast]):
        return f"预计 {text}" if lang == "zh" else f"{text} (forecast)"
    return text


def _range_text(row: dict, lang: str) -> str:
    """"报告范围 500亿元–505亿元" when the figures reported differ, else ''."""
    low, high = float(row[C.low]), float(row[C.high])
    if not high > low:
        return ""
    span = f"{fmt.format_value(low, str(row[C.unit]), lang)}–{fmt.format_value(high, str(row[C.unit]), lang)}"
    return f"报告范围 {span}" if lang == "zh" else f"reported {span}"


def doc_names(documents: pd.DataFrame) -> dict[str, str]:
    """doc_id -> the short label that names an unnamed source (``doc:<id>``)."""
    return dict(zip(documents[C.doc_id].astype(str), views.doc_labels(documents)["doc_label"], strict=True))


def source_names(keys: Iterable[str], names: dict[str, str]) -> list[str]:
    """Display names of indicator source keys: a cited report or outlet as is, ``doc:<id>`` as its title."""
    return [names.get(k[4:], k[4:]) if k.startswith("doc:") else k for k in keys]


def _row_texts(row: dict, names: dict[str, str], lang: str) -> dict[str, object]:
    """The display texts every indicator frame shares."""
    sources = source_names(_s(row[C.sources]).split("|") if _s(row[C.sources]) else [], names)
    return {
        "label": _label_of(row, lang), "value_text": _value_text(row, lang),
        "period_text": fmt.format_period(row[C.period], row[C.period_kind], lang),
        "status_text": status_text(str(row[C.status]), int(row[C.n_sources]), lang),
        "range_text": _range_text(row, lang), "sources_text": _SEP.get(lang, ", ").join(sources),
    }


def cards_view(table: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh", limit: int = 6,
               periods: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The headline cards (:func:`extract.indicators.cards`, ``periods`` the user's choices) with their
    display texts."""
    picked = lib.cards(table, limit=limit, periods=periods)
    names = doc_names(documents)
    rows = []
    for row in picked.to_dict("records"):
        keys = _s(row[C.claim_keys]).split("|")
        rows.append({
            "indicator": row[C.indicator], **_row_texts(row, names, lang), "status": row[C.status],
            "forecast": bool(row[C.forecast]), "doc_ids": "|".join(sorted({k.split("#")[0] for k in keys})),
            "claim_keys": row[C.claim_keys], "period": row[C.period], "value": row[C.value],
            "unit": row[C.unit],
        })
    return pd.DataFrame(rows, columns=list(CARD_COLUMNS))


def card_periods(table: pd.DataFrame, key: str, lang: str = "zh") -> dict[str, str]:
    """period -> its label for a card's period picker: every period of the indicator, newest first, a
    period with only forecasts marked 预计."""
    mine = table.loc[(table[C.indicator] == key).to_numpy(dtype=bool), [C.year, C.period, C.period_kind,
                                                                        C.forecast]]
    rows = list(zip(*(mine[c].tolist() for c in mine.columns), strict=True))
    # Newest year first (none last), then the latest period; reverse=True keeps equal rows in table order.
    rows.sort(key=lambda r: (*lib.year_rank(r[0]), r[1]), reverse=True)
    kinds: dict[str, object] = {}
    forecast_only: dict[str, bool] = {}
    for _, period, kind, forecast in rows:
        kinds.setdefault(period, kind)
        forecast_only[period] = forecast_only.get(period, True) and bool(forecast)
    out: dict[str, str] = {}
    for period, kind in kinds.items():
        text = fmt.format_period(period, kind, lang)
        marked = f"{text}（预计）" if lang == "zh" else f"{text} (forecast)"
        out[str(period)] = marked if forecast_only[period] else text
    return out


def indicator_choices(table: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """indicator id -> label, most independent sources first: the indicator selector's options."""
    if table.empty:
        return {}
    ranked = table.groupby(C.indicator, sort=False)[C.n_sources].sum().sort_values(ascending=False,
                                                                                    kind="stable")
    first_rows = {row[C.indicator]: row for row in table.drop_duplicates(C.indicator).to_dict("records")}
    return {key: _label_of(first_rows[key], lang) for key in ranked.index}


def indicator_table(table: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row per indicator and period, corroborated rows first: the corroboration section's table."""
    rows = []
    names = doc_names(documents)
    order = {"disagree": 0, "agreed": 1, "single_source": 2}
    for row in table.to_dict("records"):
        rows.append({
            "indicator": row[C.indicator], "period": row[C.period], "forecast": bool(row[C.forecast]),
            **_row_texts(row, names, lang), "status": row[C.status],
            "n_sources": int(row[C.n_sources]), "n_documents": int(row[C.n_documents]),
            "n_reposts": int(row[C.n_reposts]), "claim_keys": row[C.claim_keys],
            "_order": order.get(str(row[C.status]), 3), "_year": row[C.year],
        })
    frame = pd.DataFrame(rows, columns=[*TABLE_COLUMNS, "_order", "_year"])
    frame = frame.sort_values(["_order", "n_sources", "label", "_year"], ascending=[True, False, True, False],
                              kind="stable")
    return frame[list(TABLE_COLUMNS)].reset_index(drop=True)


TABLE_HEADERS: dict[str, dict[str, str]] = {
    "zh": {"label": "指标", "period_text": "期间", "value_text": "共识值", "range_text": "报告范围",
           "status_text": "来源情况", "n_sources": "独立来源", "n_documents": "文档", "n_reposts": "转载",
           "sources_text": "来源"},
    "en": {"label": "Indicator", "period_text": "Period", "value_text": "Consensus", "range_text": "Range",
           "status_text": "Sources", "n_sources": "Independent sources", "n_documents": "Documents",
           "n_reposts": "Re-posts", "sources_text": "Sources named"},
}


def _pairs(keys: object) -> list[tuple[str, int]]:
    """(doc_id, claim_id) of each of an indicator row's ``claim_keys`` ("doc#3|doc#7")."""
    split = (k.split("#", 1) for k in _s(keys).split("|") if "#" in k)
    return [(d, int(c)) for d, c in split if c.isdigit()]


def claims_of(keys: str, claims: pd.DataFrame, rows: Mapping[tuple[str, int], int] | None = None
              ) -> pd.DataFrame:
    """The claims behind an indicator row (its ``claim_keys``), in key order; ``rows`` (:func:`claim_rows`
    of ``claims``) saves finding them again for every card of a view."""
    pairs = _pairs(keys)
    if not pairs:
        return claims.iloc[0:0]
    if rows is None:
        # Only the rows of the documents named: indexing every claim of a 1,000-document view per card
        # cost more than the card.
        named = claims[C.doc_id].isin({d for d, _ in pairs}).to_numpy(dtype=bool)
        at = np.flatnonzero(named)
        rows = {pair: int(at[i]) for i, pair in enumerate(claim_rows(claims.iloc[at]))}
    return claims.iloc[[rows[pair] for pair in pairs if pair in rows]]


def claim_rows(claims: pd.DataFrame) -> dict[tuple[str, int], int]:
    """(doc_id, claim_id) -> position of each claim in ``claims`` (the last, were a key repeated)."""
    docs, ids = claims[C.doc_id].astype(str).tolist(), claims[C.claim_id].astype("int64").tolist()
    return {key: i for i, key in enumerate(zip(docs, ids, strict=True))}


def indicator_points(table: pd.DataFrame, key: str, claims: pd.DataFrame, documents: pd.DataFrame,
                     lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The chart frames of one indicator: its figures (one per claim), its consensus per period, and the
    axis unit ("亿元"). Periods are ordered in time; forecasts follow the reported figures of a period."""
    rows = table[table[C.indicator] == key].sort_values([C.year, C.period, C.forecast], kind="stable")
    if rows.empty:
        return pd.DataFrame(columns=list(POINT_COLUMNS)), pd.DataFrame(columns=list(CONSENSUS_COLUMNS)), ""
    unit = str(rows[C.unit].iloc[0])
    divisor, suffix = fmt.magnitude(float(rows[C.high].max()), unit, lang)
    axis = fmt.axis_unit(divisor, suffix, unit, lang)
    periods = list(dict.fromkeys(rows[C.period].tolist()))
    names = views.doc_labels(documents)
    label_of = dict(zip(names[C.doc_id].astype(str), names["doc_label"].tolist(), strict=True))
    outlet_of = dict(zip(names[C.doc_id].astype(str), names[C.source_name].tolist(), strict=True))
    date_of = dict(zip(names[C.doc_id].astype(str), names[C.date].tolist(), strict=True))
    records = rows.to_dict("records")
    wanted = [_pairs(row[C.claim_keys]) for row in records]
    # Only the claims of the documents named: a lookup over every claim of a 1,000-document view cost more
    # than the chart.
    named = claims[C.doc_id].isin({d for pairs in wanted for d, _ in pairs}).to_numpy(dtype=bool)
    mine = claims.loc[named, list(_POINT_CLAIM_COLUMNS)]  # the columns read, not a reviewed table's 35
    at = claim_rows(mine)
    consensus, picked, meta = [], [], []
    for row, pairs in zip(records, wanted, strict=True):
        x = periods.index(row[C.period])
        period_text = fmt.format_period(row[C.period], row[C.period_kind], lang)
        consensus.append({
            "period": row[C.period], "period_text": period_text, "x": x, "plot_value": row[C.value] / divisor,
            "display": _value_text(row, lang), "forecast": bool(row[C.forecast]),
            "status_text": status_text(str(row[C.status]), int(row[C.n_sources]), lang),
        })
        for pair in pairs:
            if pair in at:
                picked.append(at[pair])
                meta.append((row[C.period], period_text, x, bool(row[C.forecast])))
    behind = mine.iloc[picked]
    docs = behind[C.doc_id].astype(str).tolist()
    values = behind[C.value].astype("float64").tolist()
    highs = behind[C.value_high].astype("float64").tolist()
    cited = [_s(v) for v in behind[C.cited_source].tolist()]
    points = pd.DataFrame({
        "period": [m[0] for m in meta], "period_text": [m[1] for m in meta], "x": [m[2] for m in meta],
        "plot_value": [v / divisor for v in values],
        "display": [fmt.format_value(v, unit, lang, high=fmt.finite_float(h)) for v, h in
                    zip(values, highs, strict=True)],
        "source": [c or _s(outlet_of.get(d)) or _s(label_of.get(d))
                   for c, d in zip(cited, docs, strict=True)],
        "forecast": [m[3] for m in meta], "doc_id": docs,
        "claim_id": behind[C.claim_id].astype(int).tolist(),
        "doc_label": [_s(label_of.get(d)) for d in docs], "doc_date": [_s(date_of.get(d)) for d in docs],
        "sentence": [_s(v) for v in behind[C.sentence].tolist()],
        "surface": [_s(v) for v in behind[C.surface].tolist()],
    }, columns=list(POINT_COLUMNS))
    return points, pd.DataFrame(consensus, columns=list(CONSENSUS_COLUMNS)), axis


_POINT_CLAIM_COLUMNS = (C.doc_id, C.claim_id, C.value, C.value_high, C.cited_source, C.sentence, C.surface)


def doc_ids_of(keys: str) -> list[str]:
    """The documents behind an indicator row, from its claim keys."""
    return sorted({k.split("#")[0] for k in _s(keys).split("|") if "#" in k})


@dataclass(frozen=True)
class SlideData:
    """One indicator's slide: periods, the consensus and each source's figures per period, the figures
    as text lines (who reported what), and the documents behind it."""

    title: str
    axis: str
    periods: list[str]
    consensus: list[float | None]  # reported periods only
    forecast: list[float | None]  # forecast periods only
    series: dict[str, list[float | None]]
    lines: list[str]
    doc_ids: list[str]  # the document of each figure, once per figure (the source line counts them)


def slide_data(points: pd.DataFrame, consensus: pd.DataFrame, title: str, axis: str, lang: str = "zh"
               ) -> SlideData:
    """The deck slide of one indicator, from :func:`indicator_points`' frames (forecast periods marked)."""
    mark = "（预计）" if lang == "zh" else " (forecast)"
    slots = consensus.assign(_slot=[f"{p}{mark}" if f else p for p, f in
                                    zip(consensus["period_text"], consensus["forecast"], strict=True)])
    periods = list(dict.fromkeys(slots["_slot"].tolist()))
    where = {(x, bool(f)): slot
             for x, f, slot in zip(slots["x"], slots["forecast"], slots["_slot"], strict=True)}
    values: list[float | None] = [None] * len(periods)
    ahead: list[float | None] = [None] * len(periods)
    for slot, value, is_forecast in zip(slots["_slot"], slots["plot_value"], slots["forecast"], strict=True):
        (ahead if is_forecast else values)[periods.index(slot)] = float(value)
    series: dict[str, list[float | None]] = {}
    lines: list[str] = []
    sep = "：" if lang == "zh" else ": "
    for slot in periods:
        rows = points[[where.get((x, bool(f))) == slot for x, f in
                       zip(points["x"], points["forecast"], strict=True)]]
        by_source: dict[str, list[str]] = {}
        for row in rows.to_dict("records"):
            series.setdefault(str(row["source"]), [None] * len(periods))[periods.index(slot)] = float(
                row["plot_value"])
            by_source.setdefault(str(row["source"]), []).append(str(row["display"]))
        for source, figures in by_source.items():
            shown = " / ".join(dict.fromkeys(figures))
            count = len(figures)
            extra = (f"（{count} 篇）" if lang == "zh" else f" ({count} documents)") if count > 1 else ""
            lines.append(f"{slot} {shown}{sep}{source}{extra}")
    return SlideData(title=title, axis=axis, periods=periods, consensus=values, forecast=ahead, series=series,
                     lines=lines, doc_ids=points["doc_id"].astype(str).tolist())
