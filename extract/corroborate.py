"""Corroboration: figures that recur across documents, and figures that contradict each other."""

from __future__ import annotations

import statistics

import pandas as pd

from extract import schema
from extract.schema import C

# Values within this relative distance of a group's first value count as the same figure.
TOLERANCE = 0.01
# Only point figures can contradict each other; a bound (突破2亿) is consistent with many values.
_POINT_QUALIFIERS = ("exact", "approximate")
# Metrics that name one industry-wide quantity per year. Users, plays, growth or share are measured for
# many different subjects (one platform's monthly actives, one drama's plays), so two different values
# there are usually two different things, not a contradiction.
CONFLICT_METRICS = ("market_size", "jobs")


def corroborate(claims: pd.DataFrame) -> pd.DataFrame:
    """Group claims by metric, unit, year and value (±1%); keep groups several documents share or dispute."""
    usable = claims[(claims[C.metric] != "other") & claims[C.value].notna()]
    if usable.empty:
        return schema.empty("corroboration")
    # Plain lists, one pass: per-group DataFrame slicing made this minutes-long work at 10,000 claims.
    metrics, units = schema.plain_values(usable[C.metric]), schema.plain_values(usable[C.unit])
    years, values = schema.plain_values(usable[C.year]), usable[C.value].astype("float64").tolist()
    points = usable[C.qualifier].isin(_POINT_QUALIFIERS).tolist()
    doc_ids = schema.plain_values(usable[C.doc_id])
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, key in enumerate(zip(metrics, units, years, strict=True)):
        groups.setdefault(key, []).append(i)
    rows: list[dict[str, object]] = []
    for (metric, unit, year) in sorted(groups, key=_sort_key):
        members = sorted(groups[(metric, unit, year)], key=values.__getitem__)
        clusters = _clusters([values[i] for i in members])
        point_docs = [{doc_ids[members[i]] for i in range(a, b) if points[members[i]]} for a, b in clusters]
        disputed = (
            metric in CONFLICT_METRICS
            and sum(1 for docs in point_docs if docs) > 1
            and len(set().union(*point_docs)) > 1
        )
        for a, b in clusters:
            docs = sorted({doc_ids[i] for i in members[a:b]})
            if len(docs) < 2 and not disputed:
                continue
            rows.append(
                {
                    C.metric: metric,
                    C.unit: unit,
                    C.year: year,
                    C.value: float(statistics.median(values[i] for i in members[a:b])),
                    C.n_claims: b - a,
                    C.n_sources: len(docs),
                    C.doc_ids: "|".join(docs),
                    C.status: "conflict" if disputed else "corroborated",
                }
            )
    if not rows:
        return schema.empty("corroboration")
    out = pd.DataFrame(rows)
    out[C.group_id] = range(len(out))
    return schema.conform(out, "corroboration")


def _sort_key(key: tuple[object, ...]) -> tuple[tuple[bool, object], ...]:
    """Order groups as ``groupby(sort=True, dropna=False)`` does: by each part, missing parts last."""
    return tuple((part is None, part if part is not None else 0) for part in key)


def _clusters(values: list[float]) -> list[tuple[int, int]]:
    """Split sorted values into runs ``[a, b)`` that stay within TOLERANCE of the run's first value."""
    clusters: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or abs(values[i] - values[start]) > TOLERANCE * abs(values[start]):
            clusters.append((start, i))
            start = i
    return clusters
