"""Corroboration: figures that recur across documents, and figures that contradict each other."""

from __future__ import annotations

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
    rows: list[dict[str, object]] = []
    keys = [C.metric, C.unit, C.year]
    for (metric, unit, year), group in usable.groupby(keys, dropna=False, sort=True):
        clusters = _clusters(group.sort_values(C.value))
        point_docs = [
            set(c.loc[c[C.qualifier].isin(_POINT_QUALIFIERS), C.doc_id]) for c in clusters
        ]
        disputed = (
            metric in CONFLICT_METRICS
            and sum(1 for docs in point_docs if docs) > 1
            and len(set().union(*point_docs)) > 1
        )
        for cluster in clusters:
            docs = sorted(set(cluster[C.doc_id]))
            if len(docs) < 2 and not disputed:
                continue
            rows.append(
                {
                    C.metric: metric,
                    C.unit: unit,
                    C.year: year,
                    C.value: float(cluster[C.value].median()),
                    C.n_claims: len(cluster),
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


def _clusters(group: pd.DataFrame) -> list[pd.DataFrame]:
    """Split value-sorted claims into runs whose values stay within TOLERANCE of the run's first value."""
    clusters: list[pd.DataFrame] = []
    start = 0
    values = group[C.value].tolist()
    for i in range(1, len(values) + 1):
        if i == len(values) or abs(values[i] - values[start]) > TOLERANCE * abs(values[start]):
            clusters.append(group.iloc[start:i])
            start = i
    return clusters
