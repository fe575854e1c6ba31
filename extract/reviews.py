"""Analysts' reviews of extracted claims: confirm, reject, correct or pin a figure, and exclude a document
or an outlet; stored in SQLite, and applied to a corpus's tables by :mod:`extract.reviewed`.

A claim review is keyed by its document's content hash, its span and its surface (:class:`ClaimKey`), never
by claim id, so it outlives a restart, a cache rebuild and a new extractor version that renumbers claims.
A review whose figure is gone is an orphan: reported, never moved onto another figure.

Storage is one SQLite file (WAL journal, ``PRAGMA user_version`` as the schema version, the steps in
``_MIGRATIONS`` bringing any older file up to :data:`SCHEMA_VERSION`); every write is one ``BEGIN
IMMEDIATE`` transaction, so a write is whole or absent and two processes writing at once wait for each
other instead of failing. A file that is not ours (not SQLite, damaged, another program's, a newer
schema) is renamed aside, never deleted, and :attr:`ReviewStore.problem` says so.

>>> import tempfile
>>> store = ReviewStore(Path(tempfile.mkdtemp()) / "reviews.db")
>>> key = ClaimKey("ab" * 32, start=5, end=13, surface="504.4亿元")  # or key_of(claim_row, documents)
>>> store.correct(key, {"unit": "USD", "year": "2024"}, note="原文为美元")
>>> store.reviews()[["surface", "status", "corrected", "unit", "year", "note"]]
   surface     status  corrected unit  year   note
0  504.4亿元  corrected  unit|year  USD  2024  原文为美元
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import math
import numbers
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from extract import schema
from extract.atomic import write_atomic
from extract.errors import ExtractError
from extract.schema import C, Column
from extract.tabular import FORMULA_START

SCHEMA_VERSION = 2
MAX_TEXT = 500  # characters of a note, a corrected entity, a surface or an outlet name
MAX_IMPORT_BYTES = 50_000_000
YEARS = (1900, 2100)  # the years a correction or a period may name
BUSY_SECONDS = 30.0  # how long a write waits for another process's transaction before giving up
STATUSES: tuple[str, ...] = ("confirmed", "rejected", "corrected")
REVIEW_STATES: tuple[str, ...] = ("unreviewed", "confirmed", "corrected", "rejected")
CORRECTABLE: tuple[str, ...] = (C.value, C.value_high, C.unit, C.metric, C.qualifier, C.year, C.period,
                                C.period_kind, C.entity)
EXCLUSION_KINDS: tuple[str, ...] = ("document", "outlet")
RECORD_KINDS: tuple[str, ...] = ("claim", *EXCLUSION_KINDS)
ORPHAN_REASONS: tuple[str, ...] = ("document_gone", "claim_changed", "claim_gone")


class ReviewError(ExtractError, ValueError):
    """A review, correction, key or import file is invalid; the message says which field and what fits."""


class ReviewStoreError(ExtractError):
    """The review database cannot be read or written (disk full, read-only, locked too long)."""


# -- tables ---------------------------------------------------------------------------------------------

_CLAIM_COLUMNS = {c.name: c for c in schema.TABLES["claims"]}
_KEY = (
    Column("content_hash", "string", "SHA-256 of the document's file bytes, hex (documents.content_hash)"),
    _CLAIM_COLUMNS[C.start],
    _CLAIM_COLUMNS[C.end],
    _CLAIM_COLUMNS[C.surface],
)
_REVIEWS = (
    *_KEY,
    Column("status", "string", "confirmed, rejected, corrected, or null for a claim that is only pinned"),
    Column("corrected", "string", "the corrected fields joined by '|' (value|unit), '' unless corrected"),
    *(replace(_CLAIM_COLUMNS[f], meaning=f"corrected {f} (when listed in corrected; may be null)")
      for f in CORRECTABLE),
    Column("note", "string", "the analyst's note, as typed, or null"),
    Column("pinned", "boolean", "true when the claim is the headline of its indicator and period"),
    Column("pin_rev", "Int64", "store revision of the pin (the later pin wins), null when not pinned"),
    Column("rev", "Int64", "store revision of the review's last change"),
    Column("updated_at", "string", "when the review last changed, ISO 8601 UTC"),
)
REVIEW_TABLES: dict[str, tuple[Column, ...]] = {
    "reviews": _REVIEWS,
    "exclusions": (
        Column("kind", "string", "document (by content hash) or outlet (by documents.source_name)"),
        Column("name", "string", "the document's content hash, or the outlet's source_name"),
        Column("updated_at", "string", "when it was excluded, ISO 8601 UTC"),
    ),
    "orphans": (
        *_REVIEWS,
        Column("reason", "string", "document_gone (its content hash is not in the corpus), claim_changed "
               "(a claim overlaps the span with another span or surface) or claim_gone"),
        Column("detail", "string", "what no longer matches and what to do about it"),
    ),
    # The columns extract.reviewed.apply_reviews adds to the claims table, after the claims' own.
    "reviewed": (
        *(replace(_CLAIM_COLUMNS[f], name=f"orig_{f}", meaning=f"{f} as extracted, before any correction")
          for f in CORRECTABLE),
        Column("corrected", "string", "the fields a correction replaced, joined by '|', else ''"),
        Column("review", "string", "unreviewed, confirmed or corrected (rejected claims are dropped)"),
        Column("review_note", "string", "the analyst's note, or null"),
        Column("pinned", "boolean", "true for the one headline claim of its indicator and period"),
    ),
}
# Column-name constants of the review tables: ``R.status == "status"``.
R = SimpleNamespace(**{c.name: c.name for cols in REVIEW_TABLES.values() for c in cols})
RECORD_FIELDS: tuple[str, ...] = (
    "kind", *(c.name for c in _REVIEWS if c.name != R.rev), C.source_name,
)  # the columns of an export file: one record per review or exclusion


def empty(name: str) -> pd.DataFrame:
    """An empty frame of review table ``name`` ("reviews", "exclusions", "orphans") with its dtypes."""
    return _frame(name, [])


def _frame(name: str, rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """A typed frame of review table ``name`` from row tuples in column order."""
    cols = REVIEW_TABLES[name]
    data = list(zip(*rows, strict=True)) if rows else [() for _ in cols]
    return pd.DataFrame({c.name: pd.array(list(v), dtype=c.dtype) for c, v in zip(cols, data, strict=True)})


# -- keys and validation --------------------------------------------------------------------------------

_HASH = re.compile(r"[0-9a-f]{64}")
_PERIOD_FORMS: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = tuple(
    (form, re.compile(pattern), frozenset(kinds))
    for form, pattern, kinds in (
        ("year", r"(?P<a>\d{4})", ("year", "cumulative")),
        ("half", r"(?P<a>\d{4})-H[12]", ("half", "cumulative")),
        ("quarter", r"(?P<a>\d{4})-Q[1-4]", ("quarter", "cumulative")),
        ("month", r"(?P<a>\d{4})-(?:0[1-9]|1[0-2])", ("month", "as_of", "cumulative")),
        ("span", r"(?P<a>\d{4})/(?P<b>\d{4})", ("span", "cumulative")),
        ("span", r"(?P<a>\d{4}-(?:0[1-9]|1[0-2]))/(?P<b>\d{4}-(?:0[1-9]|1[0-2]))", ("span", "cumulative")),
    )
)
_PERIOD_HELP = "2024, 2024-H1, 2025-Q1, 2025-03, 2022/2024 or 2024-01/2024-09"


@dataclass(frozen=True)
class ClaimKey:
    """What a claim review is attached to: ``ClaimKey(content_hash, 12, 20, "504.4亿元")``.

    Validated and normalised on construction (a numpy int becomes an int, the hash lower case).
    """

    content_hash: str
    start: int
    end: int
    surface: str

    def __post_init__(self) -> None:
        """Check every part, so that a bad key fails here and never reaches the database."""
        start, end = _integer(self.start, "start"), _integer(self.end, "end")
        if start is None or end is None or not 0 <= start < end:
            raise ReviewError(f"a claim span needs 0 <= start < end, got start={self.start!r}, "
                              f"end={self.end!r}")
        object.__setattr__(self, "content_hash", _content_hash(self.content_hash))
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "surface", _text(self.surface, "surface", required=True))


def key_of(claim: Mapping[str, object] | pd.Series, documents: pd.DataFrame) -> ClaimKey:
    """The review key of one row of the claims table, its content hash looked up in ``documents``."""
    doc_id = claim[C.doc_id]
    hashes = documents.loc[documents[C.doc_id] == doc_id, C.content_hash]
    if hashes.empty or pd.isna(hashes.iloc[0]):
        raise ReviewError(f"document {doc_id!r} is not in the documents table; pass the corpus's documents "
                          "together with its claims")
    return ClaimKey(str(hashes.iloc[0]), claim[C.start], claim[C.end], claim[C.surface])  # type: ignore[arg-type]


def clean_corrections(fields: Mapping[str, object]) -> dict[str, object]:
    """The corrections in ``fields``, checked against the extractor's vocabularies and normalised:
    ``clean_corrections({"year": "2024", "unit": "USD"}) == {"year": 2024, "unit": "USD"}``."""
    if not fields:
        raise ReviewError(f"a correction needs at least one field of {', '.join(CORRECTABLE)}")
    unknown = [name for name in fields if name not in CORRECTABLE]
    if unknown:
        raise ReviewError(f"cannot correct {', '.join(map(repr, unknown))}; correctable fields are "
                          f"{', '.join(CORRECTABLE)}")
    clean = {name: _FIELD_CHECKS[name](value) for name, value in fields.items()}
    _check_together(clean)
    return clean


def _check_together(fields: Mapping[str, object]) -> None:
    """Cross-field checks on one set of corrections: a range's ends in order, a period that fits its kind."""
    low, high = fields.get(C.value), fields.get(C.value_high)
    if isinstance(low, float) and isinstance(high, float) and high < low:
        raise ReviewError(f"value_high ({high!r}) is below value ({low!r}); swap them")
    period, kind = fields.get(C.period), fields.get(C.period_kind)
    if isinstance(period, str) and isinstance(kind, str):
        allowed = next(kinds for _, pattern, kinds in _PERIOD_FORMS if pattern.fullmatch(period))
        if kind not in allowed:
            raise ReviewError(f"period {period!r} cannot be of kind {kind!r}; it can be "
                              f"{', '.join(sorted(allowed))}")


def _number(value: object, name: str, *, required: bool) -> float | None:
    """A finite float from a number or its text; None for an empty optional one (NaN included: the
    claims table's "no upper end")."""
    if value is None or value == "" or (not required and _missing(value)):
        if required:
            raise ReviewError(f"{name} cannot be empty; give the figure in base units "
                              "(504.4亿元 is 50440000000)")
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, numbers.Real | str):
            raise TypeError
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise ReviewError(f"{name} must be a finite number in base units (504.4亿元 is 50440000000), "
                          f"got {value!r}")
    return number


def _integer(value: object, name: str) -> int | None:
    """An int from an integer, an integral float (JSON's 2024.0) or digits; None when empty."""
    if _missing(value):
        return None
    if isinstance(value, bool):
        raise ReviewError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,12}\s*", value):
        return int(value)
    raise ReviewError(f"{name} must be a whole number, got {value!r}")


def _year(value: object) -> int | None:
    """A year in :data:`YEARS`, or None."""
    year = _integer(value, "year")
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise ReviewError(f"year must lie between {YEARS[0]} and {YEARS[1]}, got {year}")
    return year


def _period(value: object) -> str | None:
    """A period in the claims table's format, its years in :data:`YEARS` and a span's ends in order."""
    if _missing(value):
        return None
    for _, pattern, _ in _PERIOD_FORMS:
        m = pattern.fullmatch(value) if isinstance(value, str) else None
        if m is None:
            continue
        years = [int(m.group(g)[:4]) for g in ("a", "b") if g in pattern.groupindex]
        if all(YEARS[0] <= y <= YEARS[1] for y in years) and (len(years) == 1 or m.group("a") < m.group("b")):
            return value  # type: ignore[return-value]
    raise ReviewError(f"period must look like {_PERIOD_HELP} (years {YEARS[0]}–{YEARS[1]}, a span's start "
                      f"before its end), got {value!r}")


def _choice(vocabulary: Sequence[str], name: str, *, required: bool) -> Callable[[object], str | None]:
    """A check that a value is one of ``vocabulary`` (or empty, when not ``required``)."""

    def check(value: object) -> str | None:
        if _missing(value) and not required:
            return None
        if isinstance(value, str) and value in vocabulary:
            return value
        raise ReviewError(f"{name} must be one of {', '.join(vocabulary)}, got {value!r}")

    return check


def _text(value: object, name: str, *, required: bool = False) -> str | None:
    """User text kept as given (never interpreted), at most :data:`MAX_TEXT` characters; blank is None."""
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        if required:
            raise ReviewError(f"{name} cannot be empty")
        return None
    if not isinstance(value, str):
        raise ReviewError(f"{name} must be text, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ReviewError(f"{name} is {len(value)} characters long; shorten it to at most {MAX_TEXT}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ReviewError(f"{name} holds a lone surrogate that UTF-8 cannot store; retype it") from None
    return value


def _content_hash(value: object) -> str:
    """A SHA-256 hex digest, lower-cased."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if not _HASH.fullmatch(text):
        raise ReviewError(f"content_hash must be the 64 hex digits of documents.content_hash, got {value!r}")
    return text


def _missing(value: object) -> bool:
    """True for None, NaN, <NA> and the empty string (an empty CSV cell)."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    return not isinstance(value, str) and bool(pd.api.types.is_scalar(value) and pd.isna(value))


_FIELD_CHECKS: dict[str, Callable[[object], object]] = {
    C.value: lambda v: _number(v, C.value, required=True),
    C.value_high: lambda v: _number(v, C.value_high, required=False),
    C.unit: _choice(schema.UNITS, C.unit, required=True),
    C.metric: _choice(schema.METRICS, C.metric, required=True),
    C.qualifier: _choice(schema.QUALIFIERS, C.qualifier, required=True),
    C.year: _year,
    C.period: _period,
    C.period_kind: _choice(schema.PERIOD_KINDS, C.period_kind, required=False),
    C.entity: lambda v: _text(v, C.entity),
}


# -- the store ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Review:
    """One stored claim review; ``fields`` holds the corrections when the status is corrected."""

    key: ClaimKey
    status: str | None = None
    fields: Mapping[str, object] = field(default_factory=dict)
    note: str | None = None
    pinned: bool = False
    pin_rev: int | None = None
    updated_at: str = ""


@dataclass(frozen=True)
class _Exclusion:
    """One excluded document (by content hash) or outlet (by source_name)."""

    kind: str
    name: str
    updated_at: str = ""


_V1 = """
CREATE TABLE reviews (
    content_hash TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    surface TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected', 'corrected')),
    value REAL,
    unit TEXT,
    metric TEXT,
    year INTEGER,
    note TEXT,
    updated_at TEXT NOT NULL,
    CHECK (status <> 'corrected' OR coalesce(value, unit, metric, year) IS NOT NULL),
    PRIMARY KEY (content_hash, start, "end", surface)
);
CREATE TABLE exclusions (
    kind TEXT NOT NULL CHECK (kind IN ('document', 'outlet')),
    name TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);
"""
_V2_REVIEWS = """
CREATE TABLE reviews_v2 (
    content_hash TEXT NOT NULL,
    start INTEGER NOT NULL CHECK (start >= 0),
    "end" INTEGER NOT NULL CHECK ("end" > start),
    surface TEXT NOT NULL CHECK (surface <> ''),
    status TEXT CHECK (status IN ('confirmed', 'rejected', 'corrected')),
    corrected TEXT NOT NULL DEFAULT '' CHECK ((status IS 'corrected') = (corrected <> '')),
    value REAL,
    value_high REAL,
    unit TEXT,
    metric TEXT,
    qualifier TEXT,
    year INTEGER,
    period TEXT,
    period_kind TEXT,
    entity TEXT,
    note TEXT,
    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    pin_rev INTEGER CHECK ((pinned = 1) = (pin_rev IS NOT NULL)),
    rev INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (status IS NOT NULL OR pinned = 1),
    CHECK (status IS NOT 'rejected' OR pinned = 0),
    PRIMARY KEY (content_hash, start, "end", surface)
) WITHOUT ROWID;
"""


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    """Version 1: confirm, reject or correct value, unit, metric and year; exclude documents and outlets."""
    for statement in _V1.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Version 2: all nine correctable fields, corrections to null (a ``corrected`` list), pins, and a
    revision counter for cache keys. Version-1 reviews are copied over whole."""
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID")
    conn.execute("INSERT INTO meta VALUES ('store_id', ?), ('rev', 1)", (uuid.uuid4().hex[:12],))
    conn.execute(_V2_REVIEWS)
    listed = " || ".join(f"CASE WHEN {f} IS NOT NULL THEN '|{f}' ELSE '' END" for f in _V1_FIELDS)
    kept = ", ".join(f"CASE WHEN status = 'corrected' THEN {f} END" for f in _V1_FIELDS)
    conn.execute(
        f"""INSERT INTO reviews_v2 (content_hash, start, "end", surface, status, corrected,
                {", ".join(_V1_FIELDS)}, note, pinned, pin_rev, rev, updated_at)
            SELECT content_hash, start, "end", surface, status,
                CASE WHEN status = 'corrected' THEN substr({listed}, 2) ELSE '' END,
                {kept}, note, 0, NULL, 1, updated_at
            FROM reviews"""
    )
    conn.execute("DROP TABLE reviews")
    conn.execute("ALTER TABLE reviews_v2 RENAME TO reviews")


_V1_FIELDS = (C.value, C.unit, C.metric, C.year)
# _MIGRATIONS[v] brings a database from version v to v + 1; a new file runs them all from 0.
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _migrate_0_to_1, 1: _migrate_1_to_2}
_TABLES_AT = {1: {"reviews", "exclusions"}, 2: {"reviews", "exclusions", "meta"}}
_SQLITE_HEADER = b"SQLite format 3\x00"
_REVIEW_SQL_COLUMNS = ", ".join(f'"{c.name}"' for c in _REVIEWS)


def default_review_path() -> Path:
    """``$MICRODRAMA_REVIEWS``, else ``$XDG_DATA_HOME/microdrama-facts/reviews.db`` (not the cache: reviews
    are the analyst's work and must outlive a cache wipe)."""
    if env := os.environ.get("MICRODRAMA_REVIEWS"):
        return Path(env)
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "microdrama-facts" / "reviews.db"


class ReviewStore:
    """The reviews of one analyst or team, in the SQLite file ``path`` (created when missing).

    Each call opens its own short connection, so one store serves threads and forked processes alike.
    ``problem`` is None, or says which unusable file was set aside and under what name.
    """

    def __init__(self, path: Path) -> None:
        """Open ``path``, setting an unusable file aside and migrating an older one to the current schema."""
        self.path = Path(path)
        self.problem: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._open_lock():
                unusable = self._unusable()
                if unusable is not None:
                    self.problem = self._set_aside(*unusable)
                try:
                    self._migrate()
                except sqlite3.OperationalError as exc:  # locked, disk full, unwritable: the file is fine
                    raise self._failure(exc) from exc
                except sqlite3.DatabaseError as exc:  # data the upgrade refuses: keep it aside, start anew
                    self.problem = self._set_aside(
                        "unmigrated", f"upgrading it to review schema {SCHEMA_VERSION} failed ({exc})")
                    self._migrate()
        except OSError as exc:
            raise ReviewStoreError(f"cannot open the review database {self.path}: {exc.strerror or exc}; "
                                   "check that its folder exists and is writable") from exc

    # writes

    def confirm(self, key: ClaimKey, note: str | None = None) -> None:
        """Mark the extracted figure right as it is (dropping any correction)."""
        self._change(key, note, lambda r, rev: replace(r, status="confirmed", fields={}))

    def reject(self, key: ClaimKey, note: str | None = None) -> None:
        """Mark the figure wrong or not a figure at all: apply_reviews drops it (and its pin)."""
        self._change(key, note, lambda r, rev: replace(r, status="rejected", fields={}, pinned=False,
                                                        pin_rev=None))

    def correct(self, key: ClaimKey, fields: Mapping[str, object], note: str | None = None) -> None:
        """Replace some of the figure's fields, e.g. ``{"unit": "USD", "year": 2024}``; earlier corrections
        of other fields stay. ``None`` corrects to null where the field allows it (entity, year…)."""
        clean = clean_corrections(fields)

        def change(review: _Review, rev: int) -> _Review:
            merged = {**(review.fields if review.status == "corrected" else {}), **clean}
            _check_together(merged)
            return replace(review, status="corrected", fields=merged)

        self._change(key, note, change)

    def pin(self, key: ClaimKey) -> None:
        """Make the claim the headline of its indicator and period (a later pin there wins)."""

        def change(review: _Review, rev: int) -> _Review:
            if review.status == "rejected":
                raise ReviewError("a rejected claim cannot be pinned; confirm or clear it first")
            return replace(review, pinned=True, pin_rev=rev)

        self._change(key, None, change)

    def unpin(self, key: ClaimKey) -> None:
        """Take the headline pin off the claim; its other review stays."""
        self._change(key, None, lambda r, rev: replace(r, pinned=False, pin_rev=None))

    def clear(self, key: ClaimKey) -> None:
        """Forget the claim's review and pin: it is unreviewed again."""
        self._change(key, None, lambda r, rev: replace(r, status=None, pinned=False, pin_rev=None))

    def exclude_document(self, content_hash: str) -> None:
        """Leave every claim of the document with this content hash out of the reviewed claims."""
        self._exclusion(_Exclusion("document", _content_hash(content_hash)), add=True)

    def include_document(self, content_hash: str) -> None:
        """Bring an excluded document back."""
        self._exclusion(_Exclusion("document", _content_hash(content_hash)), add=False)

    def exclude_outlet(self, name: str) -> None:
        """Leave out every claim of the documents whose source_name is exactly ``name``."""
        self._exclusion(_Exclusion("outlet", _text(name, "outlet name", required=True) or ""), add=True)

    def include_outlet(self, name: str) -> None:
        """Bring an excluded outlet back."""
        self._exclusion(_Exclusion("outlet", _text(name, "outlet name", required=True) or ""), add=False)

    def import_file(self, path: Path) -> int:
        """Add the reviews and exclusions of a CSV or JSON Lines export (by suffix), replacing the stored
        review of each key it holds; every row is checked first and all land in one transaction or none
        do. Returns the number of records."""
        path = Path(path)
        try:
            if path.stat().st_size > MAX_IMPORT_BYTES:  # refused before it is read into memory
                raise _too_big(path.name)
            data = path.read_bytes()
        except OSError as exc:
            raise ReviewError(f"cannot read {path}: {exc.strerror or exc}; check the path") from exc
        return self.import_bytes(data, path.name)

    def import_bytes(self, data: bytes, name: str) -> int:
        """:meth:`import_file` for an upload: ``data`` in the format ``name``'s suffix says (.csv, .jsonl)."""
        records = _parse_records(data, name)
        now = _now()
        with self._transaction() as conn:
            base = _reserve(conn, len(records))
            pinned = sorted((r for r in records if isinstance(r, _Review) and r.pinned),
                            key=lambda r: (r.pin_rev is None, r.pin_rev or 0))  # keep the file's pin order
            pin_revs = {id(r): base + i for i, r in enumerate(pinned)}
            for i, record in enumerate(records):
                if isinstance(record, _Exclusion):
                    _save_exclusion(conn, replace(record, updated_at=record.updated_at or now))
                else:
                    _save(conn, replace(record, pin_rev=pin_revs.get(id(record)),
                                        updated_at=record.updated_at or now), base + i)
        return len(records)

    # reads

    def reviews(self) -> pd.DataFrame:
        """Every stored claim review, oldest change first, as the "reviews" table of ``REVIEW_TABLES``."""
        with self._reading() as conn:
            return _frame("reviews", conn.execute(f"SELECT {_REVIEW_SQL_COLUMNS} FROM reviews "
                                                  "ORDER BY rev, content_hash, start").fetchall())

    def exclusions(self) -> pd.DataFrame:
        """Every excluded document and outlet, as the "exclusions" table of ``REVIEW_TABLES``."""
        with self._reading() as conn:
            return _frame("exclusions", conn.execute(
                "SELECT kind, name, updated_at FROM exclusions ORDER BY kind, name").fetchall())

    def version(self) -> str:
        """A token that changes whenever a review or an exclusion does: a cache key for reviewed tables."""
        with self._reading() as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('store_id', 'rev')"))
        return f"{meta['store_id']}-{meta['rev']}"

    def export_csv(self, path: Path) -> Path:
        """Write :meth:`to_csv` to ``path`` (atomically: never half a file)."""
        return _write_atomic(Path(path), self.to_csv())

    def export_jsonl(self, path: Path) -> Path:
        """Write :meth:`to_jsonl` to ``path`` (atomically: never half a file)."""
        return _write_atomic(Path(path), self.to_jsonl())

    def to_csv(self) -> bytes:
        """Every review and exclusion as UTF-8 CSV with a BOM, one record a row (see RECORD_FIELDS); a text
        cell a spreadsheet would run as a formula gets a leading ``'``, which the import takes off again."""
        return _records_csv(self._records())

    def to_jsonl(self) -> bytes:
        """Every review and exclusion as JSON Lines, one record a line, floats exact."""
        return _records_jsonl(self._records())

    # internals

    def _records(self) -> list[dict[str, object]]:
        """Every review and exclusion as an export record (see :data:`RECORD_FIELDS`)."""
        reviews, exclusions = self.reviews(), self.exclusions()
        out = [{"kind": "claim", **{k: _plain(v) for k, v in row.items() if k != R.rev}}
               for row in reviews.to_dict("records")]
        for row in exclusions.to_dict("records"):
            name = C.content_hash if row[R.kind] == "document" else C.source_name
            out.append({"kind": row[R.kind], name: row[R.name], R.updated_at: row[R.updated_at]})
        return out

    def _change(self, key: ClaimKey, note: str | None,
                change: Callable[[_Review, int], _Review]) -> None:
        """Read, change and write one claim's review in one transaction."""
        if not isinstance(key, ClaimKey):
            raise ReviewError(f"expected a ClaimKey (see key_of), got {type(key).__name__}")
        clean_note = _text(note, "note") if note is not None else None
        with self._transaction() as conn:
            rev = _reserve(conn, 1)
            new = change(_load(conn, key) or _Review(key), rev)
            if note is not None:
                new = replace(new, note=clean_note)
            if new.status is None and not new.pinned:
                conn.execute('DELETE FROM reviews WHERE content_hash = ? AND start = ? AND "end" = ? '
                             "AND surface = ?", _key_params(key))
            else:
                _save(conn, replace(new, updated_at=_now()), rev)

    def _exclusion(self, exclusion: _Exclusion, *, add: bool) -> None:
        """Add or remove one exclusion in one transaction."""
        with self._transaction() as conn:
            _reserve(conn, 1)
            if add:
                _save_exclusion(conn, replace(exclusion, updated_at=_now()))
            else:
                conn.execute("DELETE FROM exclusions WHERE kind = ? AND name = ?",
                             (exclusion.kind, exclusion.name))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so concurrent writers queue, not fail."""
        try:
            conn = _connect(self.path)
        except sqlite3.Error as exc:
            raise self._failure(exc) from exc
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise self._failure(exc) from exc
        finally:
            conn.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads (WAL lets them run while another process writes)."""
        try:
            conn = _connect(self.path)
        except sqlite3.Error as exc:
            raise self._failure(exc) from exc
        try:
            yield conn
        except sqlite3.Error as exc:
            raise self._failure(exc) from exc
        finally:
            conn.close()

    def _failure(self, exc: sqlite3.Error) -> ReviewStoreError:
        """A storage error that says what to do; nothing was written."""
        return ReviewStoreError(f"the review database {self.path} failed ({exc}); nothing was changed. Check "
                                "the disk has room and the file is writable, then try again; if it keeps "
                                "failing, reopen the store, which sets a damaged file aside")

    @contextlib.contextmanager
    def _open_lock(self) -> Iterator[None]:
        """Hold ``<path>.lock`` while checking and migrating, so two processes never set aside each other's
        fresh file or migrate twice."""
        with open(self.path.with_name(self.path.name + ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _unusable(self) -> tuple[str, str] | None:
        """(suffix, why) when the file cannot be our database, else None (also when it is new or empty)."""
        try:
            with open(self.path, "rb") as handle:
                head = handle.read(len(_SQLITE_HEADER))
        except FileNotFoundError:
            return None
        if not head:
            return None
        if head != _SQLITE_HEADER:
            return "corrupt", "it is not an SQLite database"
        try:
            conn = _connect(self.path)
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            return "corrupt", f"SQLite cannot read it ({exc})"
        if check != "ok":
            return "corrupt", f"SQLite finds it damaged ({check})"
        if version > SCHEMA_VERSION:
            return "newer", (f"it was written by a newer Micro-drama Facts (review schema {version}; this "
                             f"one reads up to {SCHEMA_VERSION}); move it back after upgrading")
        if version == 0 and not tables:
            return None
        if version == 0 or not _TABLES_AT[version] <= tables:
            return "foreign", f"it is another program's SQLite database (tables: {', '.join(sorted(tables))})"
        return None

    def _set_aside(self, suffix: str, why: str) -> str:
        """Rename the file (and its -wal and -shm) to ``<name>.<suffix>-<UTC time>``; the message to show."""
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        target = self.path.with_name(f"{self.path.name}.{suffix}-{stamp}")
        n = 1
        while target.exists():
            target, n = self.path.with_name(f"{self.path.name}.{suffix}-{stamp}-{n}"), n + 1
        os.rename(self.path, target)
        for side in ("-wal", "-shm"):
            companion = self.path.with_name(self.path.name + side)
            if companion.exists():
                os.rename(companion, target.with_name(target.name + side))
        return (f"the review database {self.path} could not be used: {why}. It was renamed to {target.name} "
                "(nothing was deleted) and a new, empty one was started; to recover a damaged file's reviews "
                f"try `sqlite3 {target.name} .recover`")

    def _migrate(self) -> None:
        """Bring the file to :data:`SCHEMA_VERSION` in one transaction (a new file runs every step): an
        upgrade that fails leaves the file as it was."""
        conn = _connect(self.path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                while version < SCHEMA_VERSION:
                    _MIGRATIONS[version](conn)
                    version += 1
                    conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            conn.execute("PRAGMA journal_mode = WAL")  # persistent: readers never block the writer
        finally:
            conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) that waits for other writers."""
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _reserve(conn: sqlite3.Connection, n: int) -> int:
    """Advance the store's revision by ``n`` (inside a transaction); the first of the reserved revisions."""
    conn.execute("UPDATE meta SET value = value + ? WHERE key = 'rev'", (n,))
    return int(conn.execute("SELECT value FROM meta WHERE key = 'rev'").fetchone()[0]) - n + 1


def _key_params(key: ClaimKey) -> tuple[object, ...]:
    """The key's parts in SQL column order."""
    return key.content_hash, key.start, key.end, key.surface


def _load(conn: sqlite3.Connection, key: ClaimKey) -> _Review | None:
    """The stored review of ``key``, or None."""
    row = conn.execute(
        f"SELECT status, corrected, {', '.join(CORRECTABLE)}, note, pinned, pin_rev, updated_at FROM reviews "
        'WHERE content_hash = ? AND start = ? AND "end" = ? AND surface = ?', _key_params(key)
    ).fetchone()
    if row is None:
        return None
    status, corrected, *values = row[:2 + len(CORRECTABLE)]
    note, pinned, pin_rev, updated_at = row[2 + len(CORRECTABLE):]
    listed = corrected.split("|") if corrected else []
    fields = {f: v for f, v in zip(CORRECTABLE, values, strict=True) if f in listed}
    return _Review(key, status, fields, note, bool(pinned), pin_rev, updated_at)


def _save(conn: sqlite3.Connection, review: _Review, rev: int) -> None:
    """Write ``review`` over whatever is stored for its key."""
    corrected = "|".join(f for f in CORRECTABLE if f in review.fields)
    conn.execute(
        f"INSERT OR REPLACE INTO reviews ({_REVIEW_SQL_COLUMNS}) VALUES ({', '.join('?' * len(_REVIEWS))})",
        (*_key_params(review.key), review.status, corrected, *(review.fields.get(f) for f in CORRECTABLE),
         review.note, int(review.pinned), review.pin_rev, rev, review.updated_at),
    )


def _save_exclusion(conn: sqlite3.Connection, exclusion: _Exclusion) -> None:
    """Write one exclusion (again, when it exists)."""
    conn.execute("INSERT OR REPLACE INTO exclusions (kind, name, updated_at) VALUES (?, ?, ?)",
                 (exclusion.kind, exclusion.name, exclusion.updated_at))


def _now() -> str:
    """The current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _plain(value: object) -> object:
    """A frame cell as a plain Python value: None for any missing one, int and float as such."""
    if _missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


# -- export and import ----------------------------------------------------------------------------------

# User text: neutralised in CSV against formula injection, restored on import.
_TEXT_CELLS = (C.surface, C.entity, R.note, C.source_name)


def _records_csv(records: Sequence[Mapping[str, object]]) -> bytes:
    """Records as CSV; a text cell starting like a formula, or with ``'``, gets a leading ``'`` (the
    second case so that the import can take exactly one off)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RECORD_FIELDS)
    for record in records:
        writer.writerow([_cell(name, record.get(name)) for name in RECORD_FIELDS])
    return buffer.getvalue().encode("utf-8-sig")


def _records_jsonl(records: Sequence[Mapping[str, object]]) -> bytes:
    """Records as JSON Lines (UTF-8, one object a line, exact floats)."""
    return "".join(json.dumps(dict(r), ensure_ascii=False, allow_nan=False) + "\n" for r in records).encode()


def _parse_records(data: bytes, name: str) -> list[_Review | _Exclusion]:
    """Every record of an export file's bytes, each checked; a ReviewError lists the bad rows (up to ten)."""
    suffix = Path(name).suffix.lower()
    if suffix not in {".csv", ".jsonl", ".ndjson"}:
        raise ReviewError(f"cannot import {name}: name it .csv or .jsonl, as the exports are")
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_big(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReviewError(f"{name} is not UTF-8 ({exc.reason}); save it as UTF-8") from exc
    raws = _csv_rows(text) if suffix == ".csv" else _jsonl_rows(text)
    records: list[_Review | _Exclusion] = []
    problems: list[str] = []
    for where, raw in raws:
        try:
            records.append(_record(raw))
        except ReviewError as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise ReviewError(f"{name} was not imported, nothing changed; fix these rows{more}:\n"
                          + "\n".join(problems[:10]))
    return records


def _too_big(name: str) -> ReviewError:
    """The error for an import file over :data:`MAX_IMPORT_BYTES`."""
    return ReviewError(f"{name} is over {MAX_IMPORT_BYTES // 1_000_000} MB; split it into parts")


def _cell(name: str, value: object) -> str:
    """One CSV cell: empty for null, exact digits for numbers, neutralised user text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if name in _TEXT_CELLS and text.startswith((*FORMULA_START, "'")):
        return "'" + text
    return text


def _csv_rows(text: str) -> Iterator[tuple[str, dict[str, object]]]:
    """(where, raw record) per CSV row, user text restored from its neutralised form."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _check_header(reader.fieldnames or [], "the header")
    for n, row in enumerate(reader, start=2):
        if None in row:
            yield f"row {n}", {"kind": "?", "_extra": row[None]}  # more cells than the header names
            continue
        raw: dict[str, object] = dict(row)
        for name in _TEXT_CELLS:
            cell = raw.get(name)
            if isinstance(cell, str) and cell[:1] == "'" and cell[1:2] and cell[1] in (*FORMULA_START, "'"):
                raw[name] = cell[1:]
        yield f"row {n}", raw


def _jsonl_rows(text: str) -> Iterator[tuple[str, dict[str, object]]]:
    """(where, raw record) per non-blank JSON Lines line."""
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReviewError(f"line {n} is not JSON ({exc.msg}); nothing was imported") from exc
        if not isinstance(raw, dict):
            raise ReviewError(f"line {n} is not a JSON object; nothing was imported")
        yield f"line {n}", raw


def _check_header(names: Sequence[str], where: str) -> None:
    """Fail on a column an export never has (a typo would otherwise be silently ignored)."""
    unknown = [n for n in names if n not in RECORD_FIELDS]
    if unknown or "kind" not in names:
        raise ReviewError(f"{where} has unknown columns {unknown} or lacks 'kind'; the columns of a review "
                          f"export are {', '.join(RECORD_FIELDS)}")


def _record(raw: Mapping[str, object]) -> _Review | _Exclusion:
    """One checked record from a raw mapping (CSV text cells or JSON values)."""
    if "_extra" in raw:
        raise ReviewError("the row has more cells than the header has columns")
    _check_header(list(raw), "the record")
    kind = _choice(RECORD_KINDS, "kind", required=True)(raw.get("kind"))
    updated_at = _timestamp(raw.get(R.updated_at))
    if kind == "document":
        return _Exclusion("document", _content_hash(raw.get(C.content_hash)), updated_at)
    if kind == "outlet":
        outlet = _text(raw.get(C.source_name), C.source_name, required=True) or ""
        return _Exclusion("outlet", outlet, updated_at)
    key = ClaimKey(*(raw.get(c.name) for c in _KEY))  # type: ignore[arg-type]
    status = _choice(STATUSES, "status", required=False)(raw.get(R.status))
    listed = _field_list(raw.get(R.corrected))
    if (status == "corrected") != bool(listed):
        raise ReviewError("a corrected review lists its fields in 'corrected' (value|unit), and only it does")
    stray = [f for f in CORRECTABLE if f not in listed and not _missing(raw.get(f))]
    if stray:
        raise ReviewError(f"{', '.join(stray)} given but not listed in 'corrected'")
    fields = clean_corrections({f: raw.get(f) for f in listed}) if listed else {}
    pinned = _flag(raw.get(R.pinned))
    if status is None and not pinned:
        raise ReviewError("the record neither reviews nor pins its claim; give a status or pinned=true")
    if status == "rejected" and pinned:
        raise ReviewError("a rejected claim cannot be pinned")
    pin_rev = _integer(raw.get(R.pin_rev), R.pin_rev)
    return _Review(key, status, fields, _text(raw.get(R.note), R.note), pinned, pin_rev, updated_at)


def _field_list(value: object) -> list[str]:
    """The field names of a ``corrected`` cell ("value|unit", or a JSON list), each correctable."""
    if _missing(value):
        return []
    names = value.split("|") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n in CORRECTABLE for n in names):
        raise ReviewError(f"corrected must list fields of {', '.join(CORRECTABLE)} joined by '|', "
                          f"got {value!r}")
    return names


def _flag(value: object) -> bool:
    """A boolean from JSON true/false or a CSV cell (true, false, 1, 0, empty)."""
    if _missing(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "1", "false", "0"}:
        return value.strip().lower() in {"true", "1"}
    raise ReviewError(f"pinned must be true or false, got {value!r}")


def _timestamp(value: object) -> str:
    """An ISO 8601 timestamp, normalised; '' when empty (the import time is used then)."""
    if _missing(value):
        return ""
    try:
        return datetime.fromisoformat(str(value)).isoformat(timespec="seconds")
    except ValueError:
        raise ReviewError(f"updated_at must be an ISO 8601 time such as 2025-03-01T08:00:00+00:00, "
                          f"got {value!r}") from None


def _write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and one rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, prefix=f".{path.name}.")
    return path
