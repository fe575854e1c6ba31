"""A corpus under its analysts' reviews: :func:`review` applies reviews and exclusions to every table, and,
given its earlier result for the same corpus, redoes only what the changed reviews touch.

Rejected claims and those of excluded documents and outlets are gone, corrections are in (``orig_<field>``
keeps every extracted value), pins head their indicators, and corroboration and indicators are computed
from the reviewed claims. Indicator and corroboration rows are pure functions of their group's claims
(:func:`extract.indicators.indicator_row`, :func:`extract.corroborate.group_rows`), so after a change only
the changed claims' cells and the groups they leave or join are computed again, and the result is the full
computation's, cell for cell. Claims of a document or outlet excluded or brought back come and go like
rejected ones; a new year (which turns forecasts into reports) regroups every claim; another corpus starts
afresh.

>>> first = review(corpus.tables(), store.reviews(), store.exclusions())  # doctest: +SKIP
>>> store.confirm(key)  # doctest: +SKIP
>>> after = review(corpus.tables(), store.reviews(), store.exclusions(), previous=first)  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from extract import corroborate, indicators
from extract.reviews import CORRECTABLE, REVIEW_TABLES, R, ReviewError, empty
from extract.schema import C

EXCLUDED = "excluded"  # review_tables' extra table: the documents left out, without their text

Key = tuple[object, object, object, object]  # (content_hash, start, end, surface) as plain values
Record = tuple[object, ...]  # one row of the reviews table as plain values, in its column order

_REVIEW_COLUMNS = tuple(c.name for c in REVIEW_TABLES["reviews"])
_AT = {name: i for i, name in enumerate(_REVIEW_COLUMNS)}
_KEY_COLUMNS = _REVIEW_COLUMNS[:4]
_ADDED = (R.corrected, R.review, R.review_note)  # what a review sets besides the corrected fields and the pin
_DTYPES = {c.name: c.dtype for c in REVIEW_TABLES["reviewed"]}
# The claim columns kept as plain lists: what a review corrects and what indicators and corroboration read.
_PLAIN = tuple(dict.fromkeys((*CORRECTABLE, *indicators.CLAIM_COLUMNS, *corroborate.CLAIM_COLUMNS)))
_PIN_SCOPE = (C.metric, C.entity, C.region, C.part, C.unit, C.period_kind)


# -- what a corpus and its exclusions fix ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Corpus:
    """What depends on the claims and documents alone: computed once, shared by every later review."""

    claims: pd.DataFrame
    documents: pd.DataFrame
    hashes: pd.api.extensions.ExtensionArray  # per claim, its document's content hash
    outlets: pd.api.extensions.ExtensionArray  # per claim, its document's source_name
    keys: list[Key]  # per claim row, its review key
    last: dict[Key, int]  # the claim row of each review key (the last, when several claims share it)
    shared: dict[Key, tuple[int, ...]]  # the claim rows of each key several claims share
    plain: dict[str, list]  # per claim, the extracted values of _PLAIN

    def rows_of(self, key: Key) -> tuple[int, ...]:
        """The claim rows a review of ``key`` applies to (none: it is an orphan)."""
        if key in self.shared:
            return self.shared[key]
        return (self.last[key],) if key in self.last else ()

    @cached_property
    def sources(self) -> list[str]:
        """Per claim, who its figure comes from (indicators count sources, not documents)."""
        return indicators.source_keys(self.plain, self.documents)


def _corpus_of(claims: pd.DataFrame, documents: pd.DataFrame) -> _Corpus:
    """The :class:`_Corpus` of a claims and a documents table."""
    docs = documents.drop_duplicates(C.doc_id)
    at = pd.Index(docs[C.doc_id]).get_indexer(claims[C.doc_id])
    hashes, outlets = _take(docs[C.content_hash], at), _take(docs[C.source_name], at)
    spans = (_plain(claims[c]) for c in _KEY_COLUMNS[1:])
    keys: list[Key] = list(zip(_plain(pd.Series(hashes)), *spans, strict=True))
    last = dict(zip(keys, range(len(keys)), strict=True))
    shared: dict[Key, tuple[int, ...]] = {}
    if len(last) < len(keys):  # claims that share a key: the same file twice in the corpus
        rows: dict[Key, list[int]] = {}
        for i, key in enumerate(keys):
            rows.setdefault(key, []).append(i)
        shared = {key: tuple(r) for key, r in rows.items() if len(r) > 1}
    plain = {c: _plain(claims[c]) for c in _PLAIN}
    return _Corpus(claims, documents, hashes, outlets, keys, last, shared, plain)


def _take(column: pd.Series, at: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``column``'s values at positions ``at``, missing where ``at`` is -1 (also from an empty column)."""
    if column.empty:
        return pd.array([None] * len(at), dtype=column.dtype)
    return column.array.take(at, allow_fill=True)


@dataclass(frozen=True, eq=False)
class _Scope:
    """What depends on the corpus and the exclusions: which claims are left out and the other tables."""

    inputs: Mapping[str, pd.DataFrame]  # the tables as given, to tell the same corpus again
    exclusions: frozenset[tuple[str, str]]  # (kind, name)
    excluded: np.ndarray  # per claim: its document or its outlet is excluded
    tables: dict[str, pd.DataFrame]  # the other tables without the excluded documents' rows, and EXCLUDED


def _exclusion_set(exclusions: pd.DataFrame) -> frozenset[tuple[str, str]]:
    """The exclusions as (kind, name) pairs."""
    return frozenset(zip(exclusions[R.kind].tolist(), exclusions[R.name].tolist(), strict=True))


def _excluded(corpus: _Corpus, exclusions: frozenset[tuple[str, str]]) -> np.ndarray:
    """Per claim, whether the exclusions leave its document or its outlet out."""
    documents = [name for kind, name in exclusions if kind == "document"]
    outlets = [name for kind, name in exclusions if kind == "outlet"]
    return (pd.Series(corpus.hashes).isin(documents).to_numpy(dtype=bool)
            | pd.Series(corpus.outlets).isin(outlets).to_numpy(dtype=bool))


def _scope_of(tables: Mapping[str, pd.DataFrame], corpus: _Corpus,
              exclusions: frozenset[tuple[str, str]]) -> _Scope:
    """The :class:`_Scope` of ``tables`` under ``exclusions``."""
    docs = tables["documents"]
    hashes = {name for kind, name in exclusions if kind == "document"}
    outlets = {name for kind, name in exclusions if kind == "outlet"}
    gone = set(docs[docs[C.content_hash].isin(hashes) | docs[C.source_name].isin(outlets)][C.doc_id])
    out = dict(tables)
    for name, frame in tables.items():
        if gone and name != "claims" and C.doc_id in frame.columns:
            out[name] = frame[~frame[C.doc_id].isin(gone)].reset_index(drop=True)
    out[EXCLUDED] = docs[docs[C.doc_id].isin(gone)].drop(columns=[C.text]).reset_index(drop=True)
    return _Scope(dict(tables), exclusions, _excluded(corpus, exclusions), out)


def _same(tables: Mapping[str, pd.DataFrame], inputs: Mapping[str, pd.DataFrame]) -> bool:
    """Whether ``tables`` are the very frames of ``inputs`` (a cached corpus is never mutated)."""
    return tables.keys() == inputs.keys() and all(tables[name] is inputs[name] for name in tables)


# -- the reviewed claims ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Claims:
    """The claims under one set of reviews, as frames and as the plain lists groups are computed from."""

    records: dict[Key, Record]  # the reviews applied, the last of each key
    cols: dict[str, list]  # per claim row: _PLAIN after corrections, the added columns, and pinned
    keep: np.ndarray  # per claim row: not rejected, not excluded
    pins: dict[int, tuple[int, PinGroup]]  # the kept claims an analyst pinned: row -> (revision, group)
    pinned: frozenset[int]  # the pins that head their indicator and period (the latest of each)
    claims: pd.DataFrame | None  # the claims kept (None until first needed)
    kept: np.ndarray  # per kept claim, its row in the unreviewed table
    splices: int = 0  # rows spliced into or out of ``claims`` since it was last taken whole


PinGroup = tuple[str, str, bool]  # (indicator id, period, forecast): one pin heads each
MAX_SPLICES = 64  # then the kept claims are taken whole again: each splice adds an Arrow chunk per column


def _unreviewed(corpus: _Corpus, scope: _Scope) -> _Claims:
    """The claims with no review: as extracted, with the added columns' defaults (no frame yet)."""
    n = len(corpus.claims)
    cols = {**corpus.plain, R.corrected: [""] * n, R.review: ["unreviewed"] * n, R.review_note: [None] * n,
            R.pinned: [False] * n}
    keep = ~scope.excluded
    return _Claims({}, cols, keep, {}, frozenset(), None, np.flatnonzero(keep))


def _corrected(record: Record | None) -> tuple[str, tuple[str, ...]]:
    """A review's ``corrected`` value ('' unless it corrects) and the fields it lists."""
    if record is None or record[_AT[R.status]] != "corrected":
        return "", ()
    corrected = record[_AT[R.corrected]]
    return (corrected, tuple(corrected.split("|"))) if isinstance(corrected, str) and corrected else ("", ())


def _effect(record: Record | None, corrected: tuple[str, tuple[str, ...]], i: int, plain: Mapping[str, list],
            excluded: bool, fields: Sequence[str]) -> tuple[dict[str, object], bool, int | None]:
    """What ``record`` (or no review; ``corrected`` is its :func:`_corrected`) makes of claim row ``i``: its
    reviewed values of ``fields`` (the others are as extracted) and the added columns, whether it stays,
    and its pin revision when it is a pin candidate."""
    status = record[_AT[R.status]] if record is not None else None
    corrected, listed = corrected
    values = {f: record[_AT[f]] if f in listed else plain[f][i] for f in fields}  # type: ignore[index]
    values[R.corrected] = corrected
    values[R.review] = status if status is not None else "unreviewed"
    values[R.review_note] = record[_AT[R.note]] if record is not None else None
    stays = not excluded and status != "rejected"
    pin = None
    if record is not None and record[_AT[R.pinned]] and stays:
        revision = record[_AT[R.pin_rev]]
        pin = 0 if revision is None else int(revision)  # type: ignore[call-overload]
    return values, stays, pin


def _change(state: _Claims, corpus: _Corpus, scope: _Scope, records: dict[Key, Record],
            flipped: Sequence[int] = ()) -> tuple[_Claims, set[int], set[int]]:
    """``state`` under ``records`` instead of its own, only the claims whose review changed recomputed, and
    those of rows ``flipped`` (excluded or brought back since ``state``); with the rows whose values (those
    groups read) or place changed, and those whose pin alone did."""
    changed = {k for k, r in records.items() if state.records.get(k) != r} | (state.records.keys() - records)
    changed.update(corpus.keys[i] for i in flipped)
    cols, copied = dict(state.cols), set()
    keep, pins = state.keep, dict(state.pins)
    cells: dict[str, dict[int, object]] = {}
    moved: set[int] = set()

    def write(name: str, i: int, value: object) -> None:
        if name not in copied:  # copied on first write: the earlier state shares its lists
            cols[name] = list(cols[name])
            copied.add(name)
        cols[name][i] = value
        cells.setdefault(name, {})[i] = value

    for key in changed:
        record = records.get(key)
        now = _corrected(record)
        # Only the fields this review or the one before corrects can differ from the extracted values.
        listed = {*now[1], *_corrected(state.records.get(key))[1]}
        fields = [f for f in CORRECTABLE if f in listed]
        for i in corpus.rows_of(key):
            values, stays, pin = _effect(record, now, i, corpus.plain, bool(scope.excluded[i]), fields)
            for name, value in values.items():
                if cols[name][i] != value:
                    write(name, i, value)
            if stays != keep[i]:
                keep = keep if moved else keep.copy()
                keep[i] = stays
                moved.add(i)
            if pin is None:
                pins.pop(i, None)
            else:  # a claim's group changes only with its own review, so it is computed here
                pins[i] = (pin, _pin_group(cols, i))
    pinned = _one_pin_each(pins)
    touched = set().union(*(rows for name, rows in cells.items() if name in CORRECTABLE)) | moved
    for i in pinned ^ state.pinned:
        write(R.pinned, i, i in pinned)
    claims, kept, splices = _kept_claims(state, corpus, cols, keep, cells, moved)
    new = _Claims(records, cols, keep, pins, pinned, claims, kept, splices)
    return new, touched, set(cells.get(R.pinned, ())) - touched


def _kept_claims(state: _Claims, corpus: _Corpus, cols: Mapping[str, list], keep: np.ndarray,
                 cells: Mapping[str, Mapping[int, object]], moved: set[int],
                 ) -> tuple[pd.DataFrame, np.ndarray, int]:
    """(the kept claims, their rows, splices since built whole): ``state``'s with the changed cells
    written and the claims that came or went spliced in or out, or, the first time and after
    :data:`MAX_SPLICES`, built whole."""
    if state.claims is None or state.splices + len(moved) > MAX_SPLICES:
        kept = np.flatnonzero(keep)
        return _whole(corpus, cols, kept), kept, 0
    stay = {name: sorted(i for i in c if keep[i] and state.keep[i]) for name, c in cells.items()}
    claims = state.claims.assign(**{name: _patched(state.claims[name], rows, cells[name], at=state.kept)
                                    for name, rows in stay.items() if rows})
    if not moved:
        return claims, state.kept, state.splices
    pieces, start = [], 0
    for i in sorted(moved):  # a claim rejected or brought back: slices of Arrow columns are not copied
        at = int(np.searchsorted(state.kept, i))
        pieces.append(claims.iloc[start:at])
        if keep[i]:
            # A slice, not a take: a take costs per Arrow chunk, and a corpus may hold one per document.
            pieces.append(_reviewed_rows(corpus.claims.iloc[i:i + 1], cols, np.array([i])))
            start = at
        else:
            start = at + 1
    pieces.append(claims.iloc[start:])
    return pd.concat(pieces, ignore_index=True), np.flatnonzero(keep), state.splices + len(moved)


def _whole(corpus: _Corpus, cols: Mapping[str, list], kept: np.ndarray) -> pd.DataFrame:
    """The reviewed claims of rows ``kept``, built from the claims table and the reviewed values."""
    claims = corpus.claims
    return _reviewed_rows(claims.take(kept) if len(kept) < len(claims) else claims, cols, kept, corpus.plain)


def _reviewed_rows(rows: pd.DataFrame, cols: Mapping[str, list], at: np.ndarray,
                   plain: Mapping[str, list] | None = None) -> pd.DataFrame:
    """``rows`` of the claims table (claim rows ``at``) with their reviewed values and the added columns;
    with ``plain``, the extracted values, only the fields a correction changed are built anew."""
    columns: dict[str, object] = {}
    for f in CORRECTABLE:
        if plain is None or cols[f] is not plain[f]:  # the list is copied on the first correction of f
            columns[f] = _gathered(cols[f], at, rows[f].dtype)
    columns.update({f"orig_{f}": rows[f].array for f in CORRECTABLE})
    for name in (*_ADDED, R.pinned):
        columns[name] = _gathered(cols[name], at, _DTYPES[name])
    # One constructor, not assign: assign copies the frame and inserts column by column.
    whole = {name: columns.pop(name, rows[name].array) for name in rows.columns}
    return pd.DataFrame({**whole, **columns}, copy=False)


def _gathered(values: list, at: np.ndarray, dtype: object) -> pd.api.extensions.ExtensionArray:
    """``values`` at positions ``at`` as a typed array: an object array's gather, not a loop in Python."""
    return pd.array(np.array(values, dtype=object)[at], dtype=dtype)


def _patched(column: pd.Series, rows: Sequence[int], values: Mapping[int, object],
             at: np.ndarray | None = None) -> pd.api.extensions.ExtensionArray:
    """``column``'s values with ``values[row]`` written at each of ``rows`` (claim rows, found in the kept
    rows ``at`` when given): a new array, the column itself untouched."""
    out = column.array.copy()
    if rows:
        where = np.asarray(rows) if at is None else np.searchsorted(at, rows)
        out[where] = pd.array([values[r] for r in rows], dtype=column.dtype)
    return out


def _pin_group(cols: Mapping[str, list], i: int) -> PinGroup:
    """The indicator, period and forecast-or-not a pin of claim row ``i`` heads."""
    scope = indicators.indicator_key(*(_text(cols[c][i]) for c in _PIN_SCOPE))
    return scope, _text(cols[C.period][i]), cols[C.qualifier][i] == "forecast"


def _one_pin_each(pins: Mapping[int, tuple[int, PinGroup]]) -> frozenset[int]:
    """The pins that count: per indicator, period and forecast-or-not, the latest (the first on a tie)."""
    best: dict[PinGroup, tuple[int, int]] = {}
    for row in sorted(pins):
        revision, group = pins[row]
        if group not in best or revision > best[group][0]:
            best[group] = (revision, row)
    return frozenset(row for _, row in best.values())


def _text(value: object) -> str:
    """A text value, '' for a missing one."""
    return value if isinstance(value, str) else ""


# -- groups ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Groups:
    """Claims grouped for indicator or corroboration rows: each claim's group, each group's claims, the
    rows each group gives, and the table of them all."""

    of: list[Hashable | None]  # per claim row, its group (None: in none)
    members: dict[Hashable, list[int]]  # in table order
    rows: dict[Hashable, object]
    frame: pd.DataFrame


RowOf = Callable[[Hashable, list[int]], object]  # a group's rows from its claims
FrameOf = Callable[[dict[Hashable, object]], pd.DataFrame]  # the table of every group's rows


def _grouped(rows: list[int], keys: Sequence[Hashable | None], n: int, row_of: RowOf,
             frame_of: FrameOf) -> _Groups:
    """The groups of claim ``rows``, ``keys`` their groups, out of ``n`` claims."""
    of: list[Hashable | None] = [None] * n
    members: dict[Hashable, list[int]] = {}
    for i, key in zip(rows, keys, strict=True):
        if key is not None:
            of[i] = key
            members.setdefault(key, []).append(i)
    out = {key: row_of(key, m) for key, m in members.items()}
    return _Groups(of, members, out, frame_of(out))


def _regrouped(groups: _Groups, rows: list[int], keys: Sequence[Hashable | None], row_of: RowOf,
               frame_of: FrameOf) -> _Groups:
    """``groups`` after claim ``rows`` changed (``keys``, their groups now): only the groups they were in
    and are in now are computed again, and the table only when one of their rows differs."""
    if not rows:
        return groups
    of, members, out = list(groups.of), dict(groups.members), dict(groups.rows)
    dirty: set[Hashable] = set()
    for i, key in zip(rows, keys, strict=True):
        old = of[i]
        dirty.update(g for g in (old, key) if g is not None)
        if old == key:
            continue
        of[i] = key
        if old is not None:
            members[old] = [r for r in members[old] if r != i]
        if key is not None:
            members[key] = list(members.get(key, ()))
            bisect.insort(members[key], i)
    differ = False
    for key in dirty:
        if members.get(key):
            row = row_of(key, members[key])
            differ = differ or key not in out or out[key] != row
            out[key] = row
        else:
            differ = differ or key in out
            members.pop(key, None)
            out.pop(key, None)
    return _Groups(of, members, out, frame_of(out) if differ else groups.frame)


# -- the reviewed tables ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Reviewed:
    """A corpus's tables under reviews (``tables``: claims reviewed, corroboration and indicators computed
    from them, excluded documents' rows gone and listed in ``tables["excluded"]``), the reviews that match
    no claim (``orphans``), and what :func:`review` needs to update them for a change."""

    tables: Mapping[str, pd.DataFrame]
    orphans: pd.DataFrame
    _corpus: _Corpus
    _scope: _Scope
    _year: int
    _claims: _Claims
    _indicators: _Groups
    _corroboration: _Groups
    _orphan_records: list[Record]

    @property
    def kept(self) -> np.ndarray:
        """Per reviewed claim, its row in the unreviewed claims table (sentence lookups carry over)."""
        return self._claims.kept


def review(tables: Mapping[str, pd.DataFrame], reviews: pd.DataFrame, exclusions: pd.DataFrame,
           previous: Reviewed | None = None) -> Reviewed:
    """Every table of a corpus under ``reviews`` and ``exclusions`` (:meth:`ReviewStore.reviews`,
    :meth:`ReviewStore.exclusions`); ``previous``, an earlier result for the very same tables, saves
    recomputing what did not change. Inputs are untouched."""
    _check(tables["claims"], tables["documents"], reviews, exclusions)
    year = indicators.this_year()
    known = previous if previous is not None and _same(tables, previous._scope.inputs) else None
    corpus = known._corpus if known else _corpus_of(tables["claims"], tables["documents"])
    excluding = _exclusion_set(exclusions)
    flipped: list[int] = []  # claims excluded or brought back since ``known``: they come and go as rejected
    if known and known._scope.exclusions == excluding:
        scope = known._scope
    else:
        scope = _scope_of(tables, corpus, excluding)
        if known:
            flipped = np.flatnonzero(scope.excluded != known._scope.excluded).tolist()
    listed = _records(reviews)
    matched = [r[:4] in corpus.last for r in listed]
    state, touched, pin_only = _change(known._claims if known else _unreviewed(corpus, scope), corpus, scope,
                                       {r[:4]: r for r in listed}, flipped)
    ind, cor = _groups(state, corpus, year, known if known and known._year == year else None,
                       touched, pin_only)
    orphan_records = [r for r, hit in zip(listed, matched, strict=True) if not hit]
    if known and orphan_records == known._orphan_records:
        orphans = known.orphans
    else:
        orphans = _orphans(reviews.reset_index(drop=True).loc[~np.array(matched, dtype=bool)], corpus)
    out = dict(scope.tables)
    out["claims"] = state.claims  # type: ignore[assignment]  # _change always makes them
    out["corroboration"], out["indicators"] = cor.frame, ind.frame
    return Reviewed(out, orphans, corpus, scope, year, state, ind, cor, orphan_records)


def _groups(state: _Claims, corpus: _Corpus, year: int, since: Reviewed | None, touched: set[int],
            pin_only: set[int]) -> tuple[_Groups, _Groups]:
    """The indicator and corroboration groups of the reviewed claims: ``since``'s with the ``touched``
    rows (and for indicators the ``pin_only`` ones) moved and their groups recomputed, else all anew."""
    cols = state.cols

    def indicator(group: Hashable, rows: list[int]) -> object:
        return indicators.indicator_row(group, rows, cols, corpus.sources)  # type: ignore[arg-type]

    def corroboration(group: Hashable, rows: list[int]) -> object:
        return corroborate.group_rows(group, rows, cols)  # type: ignore[arg-type]

    def indicator_table(rows: dict[Hashable, object]) -> pd.DataFrame:
        return indicators.indicator_frame(rows.values())  # type: ignore[arg-type]

    def corroboration_table(rows: dict[Hashable, object]) -> pd.DataFrame:
        return corroborate.corroboration_frame(rows)  # type: ignore[arg-type]

    if since is None:
        kept, n = state.kept.tolist(), len(state.keep)
        return (_grouped(kept, indicators.group_keys(cols, kept, year), n, indicator, indicator_table),
                _grouped(kept, corroborate.group_keys(cols, kept), n, corroboration, corroboration_table))
    rows = sorted(touched | pin_only)
    keys = _keys(indicators.group_keys(cols, rows, year), rows, state.keep)
    ind = _regrouped(since._indicators, rows, keys, indicator, indicator_table)
    rows = sorted(touched)
    keys = _keys(corroborate.group_keys(cols, rows), rows, state.keep)
    return ind, _regrouped(since._corroboration, rows, keys, corroboration, corroboration_table)


def _keys(keys: list[Hashable | None], rows: list[int], keep: np.ndarray) -> list[Hashable | None]:
    """``keys`` with None for the rows that are left out."""
    return [key if keep[i] else None for key, i in zip(keys, rows, strict=True)]


def _records(reviews: pd.DataFrame) -> list[Record]:
    """The rows of a reviews table as plain tuples, in its order."""
    return list(zip(*(_plain(reviews[c]) for c in _REVIEW_COLUMNS), strict=True))


def _plain(column: pd.Series) -> list[object]:
    """:func:`extract.schema.plain_values`, the same values and types, at a fraction of its cost on small
    frames."""
    return column.to_numpy(dtype=object, na_value=None).tolist()


def review_tables(tables: Mapping[str, pd.DataFrame], reviews: pd.DataFrame,
                  exclusions: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Every table of a corpus under the reviews (:func:`review`), and the orphaned reviews beside them."""
    result = review(tables, reviews, exclusions)
    return dict(result.tables), result.orphans


def apply_reviews(
    claims: pd.DataFrame, documents: pd.DataFrame, reviews: pd.DataFrame, exclusions: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(claims after review, orphans): rejected claims and those of excluded documents and outlets dropped,
    corrections applied, and the "reviewed" columns of ``REVIEW_TABLES`` added (``orig_<field>`` keeps every
    extracted value); orphans are the reviews that match no claim, with the reason. Inputs are untouched.

    ``reviews`` and ``exclusions`` are :meth:`ReviewStore.reviews` and :meth:`ReviewStore.exclusions`.
    """
    _check(claims, documents, reviews, exclusions)
    corpus = _corpus_of(claims, documents)
    scope = _Scope({}, frozenset(), _excluded(corpus, _exclusion_set(exclusions)), {})
    listed = _records(reviews)
    state, _, _ = _change(_unreviewed(corpus, scope), corpus, scope, {r[:4]: r for r in listed})
    matched = np.array([r[:4] in corpus.last for r in listed], dtype=bool)
    orphans = _orphans(reviews.reset_index(drop=True).loc[~matched], corpus)
    return state.claims, orphans  # type: ignore[return-value]  # _change always makes the claims


def _check(claims: pd.DataFrame, documents: pd.DataFrame, reviews: pd.DataFrame,
           exclusions: pd.DataFrame) -> None:
    """Fail, naming the table and the columns, when an input lacks a column applying reviews reads."""
    _require(claims, [C.doc_id, C.start, C.end, C.surface, C.region, C.part, *CORRECTABLE], "claims")
    _require(documents, [C.doc_id, C.content_hash, C.source_name], "documents")
    _require(reviews, list(_REVIEW_COLUMNS), "reviews")
    _require(exclusions, [c.name for c in REVIEW_TABLES["exclusions"]], "exclusions")


def _require(df: pd.DataFrame, names: Sequence[str], table: str) -> None:
    """Fail, naming the missing columns, when ``df`` lacks any of ``names``."""
    missing = [n for n in names if n not in df.columns]
    if missing:
        raise ReviewError(f"the {table} frame lacks columns {missing}; pass the corpus's {table} table"
                          + (f" (ReviewStore.{table}())" if table in REVIEW_TABLES else ""))


def _orphans(reviews: pd.DataFrame, corpus: _Corpus) -> pd.DataFrame:
    """The "orphans" table: each unmatched review with why it matches nothing and what to do."""
    if reviews.empty:
        return empty("orphans")
    reviews = reviews.reset_index(drop=True)
    # The claims of the orphans' documents, to tell what a figure became: few, so plain Python.
    hashes, claims = corpus.hashes, corpus.claims
    near = np.flatnonzero(pd.Series(hashes).isin(set(reviews[C.content_hash].tolist())).to_numpy(dtype=bool))
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    columns = (pd.Series(hashes), claims[C.start], claims[C.end], claims[C.surface])
    for h, a, b, t in zip(*(col.array.take(near).tolist() for col in columns), strict=True):
        by_doc.setdefault(h, []).append((a, b, t))
    known = set(corpus.documents[C.content_hash].dropna().tolist())
    reasons, details = [], []
    for content_hash, start, end, surface in zip(*(reviews[c].tolist() for c in _KEY_COLUMNS), strict=True):
        overlaps = [(min(end, b) - max(start, a), a, b, t) for a, b, t in by_doc.get(content_hash, ())
                    if min(end, b) > max(start, a)]
        if content_hash not in known:
            reasons.append("document_gone")
            details.append(f"no document of the corpus has content hash {content_hash[:12]}… (the file "
                           "was edited or removed); restore the file, or clear the review")
        elif overlaps:
            _, now_start, now_end, now_surface = max(overlaps, key=lambda o: o[0])
            reasons.append("claim_changed")
            details.append(f"the figure read {surface!r} at {start}–{end}; it is now {now_surface!r} "
                           f"at {now_start}–{now_end}: review that one and clear this review")
        else:
            reasons.append("claim_gone")
            details.append(f"no figure of the document lies at {start}–{end} any more (was {surface!r}); "
                           "clear the review")
    return reviews.assign(**{R.reason: pd.array(reasons, dtype="string"),
                             R.detail: pd.array(details, dtype="string")})
