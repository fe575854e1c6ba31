"""Corroboration: figures that recur across documents, and figures that contradict each other."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
CLAIM_COLUMNS = (C.metric, C.unit, C.year, C.value, C.qualifier, C.doc_id)
Group = tuple[object, object, object]  # (metric, unit, year): the claims whose values are compared


def corroborate(claims: pd.DataFrame) -> pd.DataFrame:
    """Group claims by metric, unit, year and value (±1%); keep groups several documents share or dispute."""
    # Plain lists, one pass: per-group DataFrame slicing made this minutes-long work at 10,000 claims.
    cols = {c: schema.plain_values(claims[c]) for c in CLAIM_COLUMNS}
    groups: dict[Group, list[int]] = {}
    for i, group in enumerate(group_keys(cols, range(len(claims)))):
        if group is not None:
            groups.setdefault(group, []).append(i)
    return corroboration_frame({group: group_rows(group, rows, cols) for group, rows in groups.items()})


def group_keys(cols: Mapping[str, list], rows: Iterable[int]) -> list[Group | None]:
    """Per claim of ``rows`` (positions in ``cols``, plain lists of :data:`CLAIM_COLUMNS`) its group, or
    None when it has no value or its metric is "other"."""
    metrics, units, years, values = cols[C.metric], cols[C.unit], cols[C.year], cols[C.value]
    return [(metrics[i], units[i], years[i]) if metrics[i] not in (None, "other") and values[i] is not None
            else None for i in rows]


def group_rows(group: Group, rows: list[int], cols: Mapping[str, list]) -> list[dict[str, object]]:
    """The corroboration rows of one group's claims (``rows``, in table order, index ``cols``), in value
    order: a function of those claims alone, so a change elsewhere never alters them."""
    metric, unit, year = group
    values, qualifiers, doc_ids = cols[C.value], cols[C.qualifier], cols[C.doc_id]
    members = sorted(rows, key=values.__getitem__)
    ordered = [float(values[i]) for i in members]
    clusters = _clusters(ordered)
    disputed = False
    if metric in CONFLICT_METRICS and len(clusters) > 1:  # one cluster cannot dispute itself
        point_docs = [{doc_ids[i] for i in members[a:b] if qualifiers[i] in _POINT_QUALIFIERS}
                      for a, b in clusters]
        disputed = sum(1 for docs in point_docs if docs) > 1 and len(set().union(*point_docs)) > 1
    out: list[dict[str, object]] = []
    for a, b in clusters:
        if b - a == 1 and not disputed:  # one claim is one document
            continue
        docs = sorted({doc_ids[i] for i in members[a:b]})
        if len(docs) < 2 and not disputed:
            continue
        out.append(
            {
                C.metric: metric,
                C.unit: unit,
                C.year: year,
                C.value: _median(ordered[a:b]),
                C.n_claims: b - a,
                C.n_sources: len(docs),
                C.doc_ids: "|".join(docs),
                C.status: "conflict" if disputed else "corroborated",
            }
        )
    return out


def corroboration_frame(groups: Mapping[Group, list[dict[str, object]]]) -> pd.DataFrame:
    """The corroboration table of :func:`group_rows` per group: groups in ``groupby(sort=True)`` order,
    numbered from 0."""
    rows = [row for group in sorted(groups, key=_sort_key) for row in groups[group]]
    if not rows:
        return schema.empty("corroboration")
    columns: dict[str, list[object]] = {name: [row[name] for row in rows] for name in rows[0]}
    columns[C.group_id] = list(range(len(rows)))
    return schema.frame("corroboration", columns)


def _median(ordered: list[float]) -> float:
    """The median of values already in ascending order (statistics.median without its sort)."""
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def _sort_key(key: Group) -> tuple[tuple[bool, object], ...]:
    """Order groups as ``groupby(sort=True, dropna=False)`` does: by each part, missing parts last."""
    return tuple((part is None, part if part is not None else 0) for part in key)


def _clusters(values: list[float]) -> list[tuple[int, int]]:
    """Split sorted values into runs ``[a, b)`` that stay within TOLERANCE of the run's first value."""
    clusters: list[tuple[int, int]] = []
    if not values:
        return clusters
    start, first = 0, values[0]
    limit = TOLERANCE * abs(first)
    for i in range(1, len(values)):
        if values[i] - first > limit:  # sorted, so values[i] - first is never negative
            clusters.append((start, i))
            start, first = i, values[i]
            limit = TOLERANCE * abs(first)
    clusters.append((start, len(values)))
    return clusters
