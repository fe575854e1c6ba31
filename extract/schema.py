"""Table schemas: every column of every output table, declared once and imported everywhere.

Use the column constants (``C.value``) instead of retyping names, and ``empty(name)`` /
``conform(df, name)`` to build frames that match the schema exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa

from extract.errors import SchemaError
from extract.normalize import without_lone_surrogates


@dataclass(frozen=True)
class Column:
    """One column: its name, pandas dtype, meaning and unit (``""`` when unitless)."""

    name: str
    dtype: str
    meaning: str
    unit: str = ""


def _cols(*cols: Column) -> tuple[Column, ...]:
    """Freeze a column list so that schemas cannot be mutated by callers."""
    return tuple(cols)


_DOC_ID = Column("doc_id", "string", "stable document id: first 16 hex digits of the file's SHA-256")
_SENT_ID = Column("sent_id", "Int64", "sentence index within its document, from 0")
_START = Column("start", "Int64", "start offset into the document text", "characters")
_END = Column("end", "Int64", "end offset (exclusive) into the document text", "characters")

TABLES: dict[str, tuple[Column, ...]] = {
    "documents": _cols(
        _DOC_ID,
        Column("path", "string", "file path as given"),
        Column("file_name", "string", "file name without folders"),
        Column("format", "string", "md, txt or html"),
        Column("encoding", "string", "detected encoding of the file bytes"),
        Column("script", "string", "simplified or traditional: the dominant script of the text"),
        Column("title", "string", "title from front matter, <title> or the first line"),
        Column("date", "string", "publication date as YYYY-MM-DD, or null"),
        Column("summary", "string", "summary from front matter, or null"),
        Column("categories", "string", "front-matter categories joined by '|'"),
        Column("source_name", "string", "name of the source (link text or site), or null"),
        Column("source_url", "string", "URL the document came from, or null"),
        Column("kind", "string", "article, or note: our own summary of one public source (seeds/notes/)"),
        Column("cited_source", "string", "front matter's cited_source: whom the figures come from, or null"),
        Column("n_chars", "Int64", "length of the document text", "characters"),
        Column("content_hash", "string", "SHA-256 of the file bytes, hex"),
        Column("text", "string", "document body text that every start/end offset refers to"),
        Column("warnings", "string", "problems met while reading, one per line (also rows of errors)"),
    ),
    "sentences": _cols(
        _DOC_ID,
        _SENT_ID,
        _START,
        _END,
        Column("text", "string", "the sentence, exactly text[start:end] of its document"),
    ),
    "claims": _cols(
        _DOC_ID,
        Column("claim_id", "Int64", "claim index within its document, from 0"),
        _SENT_ID,
        Column("surface", "string", "the figure exactly as written, text[start:end]"),
        _START,
        _END,
        Column("page", "Int64", "the PDF page (from 1) the figure starts on; null for other documents"),
        Column("value", "float64", "the figure in base units (504.4亿元 is 50440000000)", "see unit"),
        Column("value_high", "float64", "upper end of a range, else NaN", "see unit"),
        Column("unit", "string", "CNY, USD, TWD, HKD, JPY, EUR, KRW, GBP, person, job, play, work, "
               "episode, company, download, percent, age, minute, hour, day, week, month, year (durations), "
               "person_day or count"),
        Column("metric", "string", "market_size, revenue, profit, investment, ad_spend, cost, box_office, "
               "users, jobs, plays, works, companies, downloads, share, growth, age, duration or other"),
        Column("qualifier", "string", "exact, lower_bound, upper_bound, approximate, range or forecast"),
        Column("year", "Int64", "year the figure refers to (never a baseline such as 较2023年), or null"),
        Column("period", "string", "the period the figure covers: 2024, 2024-H1, 2025-Q1, 2025-03 (a month "
               "or, for as_of, the month it stands at), 2022/2024 or 2024-01/2024-09 (a span), or null"),
        Column("period_kind", "string", "year, half, quarter, month, as_of (截至…, a level at a point in "
               "time), cumulative (累计, a running total), span, or null"),
        Column("entity", "string", "the platform, company or app the figure belongs to (canonical name "
               "from extract/lexicon/mentions.toml), or null for an industry-wide figure"),
        Column("region", "string", "for indicator metrics: '' (domestic), overseas, global or one market "
               "(japan, north_america…), from the words before the figure; null for other metrics"),
        Column("part", "string", "for indicator metrics: the part of a whole (direct, indirect, mau, dau, "
               "paying, filed…) or ''; null for other metrics"),
        Column("cited_source", "string", "the report or institution the text attributes the figure to, "
               "normalised (extract/lexicon/sources.toml), or null"),
        Column("subject", "string", "short Chinese phrase for what is measured"),
        Column("sentence", "string", "the sentence the claim came from"),
        Column("themes", "string", "the sentence's theme ids joined by '|', nearest trigger first"),
    ),
    "keywords": _cols(
        Column("doc_id", "string", "document id, or '*' for the whole corpus"),
        Column("method", "string", "tfidf or textrank"),
        Column("rank", "Int64", "1 for the strongest keyword"),
        Column("keyword", "string", "the keyword or quoted keyphrase"),
        Column("weight", "float64", "the method's weight, larger is stronger"),
    ),
    "themes": _cols(
        _DOC_ID,
        _SENT_ID,
        Column("theme_id", "string", "theme id from the taxonomy (extract/lexicon/themes.toml)"),
        Column("trigger", "string", "the trigger term that matched"),
        _START,
        _END,
    ),
    "mentions": _cols(
        _DOC_ID,
        _SENT_ID,
        Column("category", "string", "platform, company, genre, business_model or audience"),
        Column("name", "string", "canonical name of the thing mentioned"),
        Column("surface", "string", "the text as written, text[start:end]"),
        _START,
        _END,
    ),
    "events": _cols(
        _DOC_ID,
        _SENT_ID,
        Column("date", "string", "YYYY, YYYY-MM or YYYY-MM-DD"),
        Column("year", "Int64", "year of the event"),
        Column("month", "Int64", "month of the event, or null"),
        Column("title", "string", "work title in 《》 involved, or null"),
        Column("description", "string", "short description of the happening"),
        _START,
        _END,
    ),
    "errors": _cols(
        Column("file", "string", "path of the file that failed"),
        Column("stage", "string", "read, extract or cache"),
        Column("reason", "string", "what went wrong and how to fix it"),
    ),
    "corroboration": _cols(
        Column("group_id", "Int64", "id of a group of claims for the same metric, year and value"),
        Column("metric", "string", "metric of the group"),
        Column("unit", "string", "unit of the group"),
        Column("year", "Int64", "year of the group, or null"),
        Column("value", "float64", "median value of the group", "see unit"),
        Column("n_claims", "Int64", "claims in the group"),
        Column("n_sources", "Int64", "distinct documents reporting the figure"),
        Column("doc_ids", "string", "documents reporting it, joined by '|'"),
        Column("status", "string", "corroborated (several sources agree) or conflict (sources disagree)"),
    ),
    "indicators": _cols(
        Column("indicator", "string", "the indicator's id, the same in every period: metric|entity|region|"
               "part|unit|period_kind"),
        Column("metric", "string", "metric of the indicator"),
        Column("entity", "string", "the platform or company it belongs to, or '' for the industry"),
        Column("region", "string", "'' (domestic), overseas, global or one market (japan, north_america…)"),
        Column("part", "string", "part of a whole: direct, indirect, mau, dau, paying, filed…, or ''"),
        Column("unit", "string", "unit of every figure behind it"),
        Column("period_kind", "string", "period kind of every figure behind it, or ''"),
        Column("period", "string", "the period, as in the claims table"),
        Column("year", "Int64", "the period's year"),
        Column("forecast", "boolean", "true for forecasts, false for reported figures"),
        Column("value", "float64", "consensus: the median of the independent sources' figures", "see unit"),
        Column("low", "float64", "lowest figure reported", "see unit"),
        Column("high", "float64", "highest figure reported (upper ends of ranges included)", "see unit"),
        Column("n_claims", "Int64", "claims behind the row"),
        Column("n_documents", "Int64", "documents behind the row"),
        Column("n_sources", "Int64", "independent sources: cited report or institution, else outlet, "
               "else document"),
        Column("n_reposts", "Int64", "documents beyond one per source: re-posts of a source's figure"),
        Column("sources", "string", "the independent sources, joined by '|' (doc:<id> for an unnamed one)"),
        Column("status", "string", "agreed, single_source or disagree"),
        Column("claim_keys", "string", "the claims behind it as doc_id#claim_id, joined by '|'"),
    ),
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)

# Column-name constants: ``C.value == "value"``. Unknown names fail at attribute access.
C = SimpleNamespace(**{col.name: col.name for cols in TABLES.values() for col in cols})

CURRENCIES: tuple[str, ...] = ("CNY", "USD", "TWD", "HKD", "JPY", "EUR", "KRW", "GBP")
UNITS: tuple[str, ...] = (
    *CURRENCIES, "person", "job", "play", "work", "episode", "company", "download",
    "percent", "age", "minute", "hour", "day", "week", "month", "year", "person_day", "count",
)
METRICS: tuple[str, ...] = (
    "market_size", "revenue", "profit", "investment", "ad_spend", "cost", "box_office", "users", "jobs",
    "plays", "works", "companies", "downloads", "share", "growth", "age", "duration", "other",
)
PERIOD_KINDS: tuple[str, ...] = ("year", "half", "quarter", "month", "as_of", "cumulative", "span")
QUALIFIERS: tuple[str, ...] = (
    "exact", "lower_bound", "upper_bound", "approximate", "range", "forecast",
)


def columns(name: str) -> list[str]:
    """Column names of table ``name`` in schema order, e.g. ``columns("errors")``."""
    return [c.name for c in _table(name)]


def empty(name: str) -> pd.DataFrame:
    """An empty frame with table ``name``'s columns and dtypes; a new one each call, for callers to fill."""
    return _empty(name).copy()


@lru_cache(maxsize=16)
def _empty(name: str) -> pd.DataFrame:
    """The empty frame of table ``name``, built once; :func:`empty` hands out copies."""
    return pd.DataFrame({c.name: pd.Series([], dtype=_dtype(c.dtype)) for c in _table(name)})


def conform(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """A new frame with exactly table ``name``'s columns, in order, cast to their dtypes."""
    cols = _table(name)
    missing = [c.name for c in cols if c.name not in df.columns]
    if missing:
        raise SchemaError(f"table {name!r} lacks columns {missing}; build it with schema.empty({name!r})")
    if df.empty:
        return empty(name)
    out = df[[c.name for c in cols]].reset_index(drop=True)
    # Cast only what differs: astype on columns that already match costs more than the extraction.
    casts = {c.name: c.dtype for c in cols if str(out[c.name].dtype) != c.dtype}
    return out.astype(casts) if casts else out


def frame(
    name: str, columns: Mapping[str, Sequence[object]], *, only: Sequence[str] | None = None
) -> pd.DataFrame:
    """A frame of table ``name`` (or of its columns in ``only``) built column by column with the schema's
    dtypes; ``conform``'s result.

    Extractors run once per document, and typed columns built directly cost a sixth of ``conform`` on an
    untyped frame (about 0.4 ms against 3 ms per call).
    """
    cols = tuple(c for c in _table(name) if only is None or c.name in only)
    missing = [c.name for c in cols if c.name not in columns]
    if columns and missing:
        raise SchemaError(f"table {name!r} lacks columns {missing}; pass every column of columns({name!r})")
    return pd.DataFrame({c.name: _array(columns.get(c.name, ()), c.dtype) for c in cols}, copy=False)


class TableBatch:
    """Rows of several tables gathered document by document as column lists, then built into one frame
    per table: ``batch.add("themes", columns); batch.frames()["themes"]``.

    A frame costs about as much to build for one row as for a thousand, so a batch of documents builds
    each table once instead of once per document.
    """

    def __init__(self, names: Sequence[str]) -> None:
        """An empty batch of the tables ``names``."""
        self._columns: dict[str, dict[str, list[object]]] = {
            name: {c: [] for c in columns(name)} for name in names
        }

    def add(self, name: str, values: Mapping[str, Sequence[object]]) -> None:
        """Append rows to table ``name``: every column of the table, as equally long sequences."""
        gathered = self._columns[name]
        missing = [c for c in gathered if c not in values]
        if missing:
            raise SchemaError(f"rows of table {name!r} lack columns {missing}; pass every column of "
                              f"columns({name!r})")
        for column, target in gathered.items():
            target.extend(values[column])

    def column(self, name: str, column: str) -> list[object]:
        """The values gathered so far in one column of table ``name`` (the batch's own list: read only)."""
        return self._columns[name][column]

    def frames(self) -> dict[str, pd.DataFrame]:
        """One frame per table, with the schema's dtypes (``frame``'s result)."""
        return {name: frame(name, cols) for name, cols in self._columns.items()}


def plain_values(column: pd.Series) -> list[object]:
    """A column as a list of Python values with every missing one (None, NaN, <NA>) as None, so that
    values hash and compare plainly in loops over rows."""
    values = column.tolist()
    if not column.hasnans:
        return values
    missing = column.isna().tolist()
    return [None if m else v for v, m in zip(values, missing, strict=True)]


def _array(values: Sequence[object], dtype: str) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """One typed column; a lone surrogate (only a str built in code has one) is stored as U+FFFD."""
    resolved = _dtype(dtype)
    fast = _plain_array(values, resolved)
    if fast is not None:
        return fast
    try:
        return pd.array(values, dtype=resolved)
    except UnicodeEncodeError:  # Arrow, Parquet and CSV hold UTF-8 only; U+FFFD keeps every offset true
        clean = [without_lone_surrogates(v) if isinstance(v, str) else v for v in values]
        return pd.array(clean, dtype=resolved)


def _plain_array(
    values: Sequence[object], dtype: object
) -> pd.api.extensions.ExtensionArray | np.ndarray | None:
    """The column built straight from Arrow or numpy when its values are plain (all str or None; all int;
    all float), else None for ``pd.array`` to convert: the same column at a third of ``pd.array``'s cost."""
    if dtype == _ARROW_STRING:
        try:
            return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()))
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
            return None  # NaN, NA or numbers to convert, or a lone surrogate to replace
    if dtype in (_INT64, _FLOAT64):
        plain = np.asarray(values)
        if dtype == _INT64 and plain.dtype.kind == "i":
            no_gaps = np.zeros(len(plain), dtype=bool)
            return pd.arrays.IntegerArray(plain.astype(np.int64, copy=False), no_gaps)
        if dtype == _FLOAT64 and plain.dtype.kind in "fi":
            return plain.astype(np.float64, copy=False)
    return None


@lru_cache(maxsize=16)
def _dtype(spec: str) -> object:
    """The pandas dtype of a dtype string, resolved once (parsing it per column cost 40% of ``frame``)."""
    return pd.api.types.pandas_dtype(spec)


_ARROW_STRING = pd.StringDtype("pyarrow")
_INT64 = pd.Int64Dtype()
_FLOAT64 = np.dtype(np.float64)


def _table(name: str) -> tuple[Column, ...]:
    """Look up a table's columns, with an error that lists the valid names."""
    try:
        return TABLES[name]
    except KeyError:
        raise SchemaError(f"unknown table {name!r}; expected one of {', '.join(TABLES)}") from None
