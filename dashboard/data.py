"""The dashboard's data boundary: which folders make the corpus, loading it (cached), and filtering it.

Data flows one way: folders -> ``extract.extract_corpus`` (cached per folder contents) -> filters ->
views and charts. Cached objects are shared by every session and never mutated; filtering returns new
frames built with columnar pandas operations.
"""

from __future__ import annotations

import argparse
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard import store
from dashboard.state import Filters, Options
from extract import schema
from extract.normalize import to_match_form
from extract.reviewed import EXCLUDED  # the documents an analyst left out, a table beside the others
from extract.schema import C

if TYPE_CHECKING:
    from extract.pipeline import Corpus
    from extract.reviewed import Reviewed
    from extract.reviews import ReviewStore

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DEFAULT_USER_CORPUS = REPO / "user_corpus"  # gitignored; survives restarts and `git pull`
ENV_CORPUS = "MICRODRAMA_CORPUS"
ENV_TABLES = "MICRODRAMA_TABLES"
ENV_USER_CORPUS = "MICRODRAMA_USER_CORPUS"
ENV_DATA = "MICRODRAMA_DATA"
DEFAULT_DATA = REPO / "user_data"  # gitignored: the analysts' reviews (reviews.db)
_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
# Tables with one row per something inside a sentence: the sentence filters (theme, search) apply to them.
_SENTENCE_TABLES = ("sentences", "claims", "themes", "mentions", "events")


@dataclass(frozen=True)
class Settings:
    """Where the corpus comes from: the folders read (user folder last) and where uploads are kept."""

    corpus: tuple[Path, ...]
    user_corpus: Path
    data_dir: Path = DEFAULT_DATA
    tables: tuple[Path, ...] = ()  # tables folders a CLI run wrote (--out), read as they are

    @property
    def reviews(self) -> Path:
        """The reviews database, beside the uploads' folder in the user data folder."""
        return self.data_dir / "reviews.db"


def settings_from(argv: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> Settings:
    """Corpus folders from ``--corpus DIR...``, else ``$MICRODRAMA_CORPUS`` (``:``-separated), else seeds/;
    tables folders from ``--tables DIR...``, else ``$MICRODRAMA_TABLES`` (then seeds/ only when named).

    The user-corpus folder (``$MICRODRAMA_USER_CORPUS``, default ``user_corpus/`` in the repository) is
    always read too, so uploaded documents show up whichever corpus is chosen.
    """
    parser = argparse.ArgumentParser(prog="dashboard/app.py", add_help=False)
    parser.add_argument("--corpus", nargs="+", default=None)
    parser.add_argument("--tables", nargs="+", default=None)
    args, _ = parser.parse_known_args(list(argv))
    base = cwd or Path.cwd()
    named = args.tables or [p for p in env.get(ENV_TABLES, "").split(os.pathsep) if p.strip()]
    tables = tuple(_resolve(p, base) for p in named)
    if args.corpus:
        chosen = [_resolve(p, base) for p in args.corpus]
    elif env.get(ENV_CORPUS, "").strip():
        chosen = [_resolve(p, base) for p in env[ENV_CORPUS].split(os.pathsep) if p.strip()]
    else:
        chosen = [] if tables else [SEEDS]
    user_env = env.get(ENV_USER_CORPUS, "").strip()
    user = _resolve(user_env, base) if user_env else DEFAULT_USER_CORPUS
    folders = [p for p in dict.fromkeys([*chosen, user])]
    data_env = env.get(ENV_DATA, "").strip()
    return Settings(corpus=tuple(folders), user_corpus=user,
                    data_dir=_resolve(data_env, base) if data_env else DEFAULT_DATA, tables=tables)


def _resolve(path: str, base: Path) -> Path:
    """An absolute path: as given, relative to the working folder, or else relative to the repository."""
    p = Path(path.strip()).expanduser()
    if p.is_absolute():
        return p
    return (base / p).resolve() if (base / p).exists() or not (REPO / p).exists() else (REPO / p).resolve()


def signature(paths: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime) of every document file under ``paths``: the corpus cache key, cheap to compute."""
    out: list[tuple[str, int, int]] = []
    for root in paths:
        if root.is_file():
            stat = root.stat()
            out.append((str(root), stat.st_size, stat.st_mtime_ns))
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or not name.lower().endswith(_SUFFIXES):
                    continue
                full = os.path.join(dirpath, name)
                try:
                    stat = os.stat(full)
                except OSError:
                    continue  # deleted between listing and stat: the next rerun sees the new state
                out.append((full, stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def table_signature(folders: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, mtime) of every Parquet file of the tables folders: a run rewriting them reloads them."""
    out: list[tuple[str, int, int]] = []
    for folder in folders:
        for path in sorted(folder.rglob("*.parquet")) if folder.is_dir() else ():
            if any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue  # a run's hidden staging folder (.claims.…), never read
            try:
                stat = path.stat()
            except OSError:
                continue
            out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


@st.cache_resource(max_entries=4, show_spinner=False)
def _extract(paths: tuple[str, ...], version: str, tables: tuple[str, ...] = ()) -> Corpus:
    """The corpus of ``paths`` and the tables folders ``tables``; ``version`` (a hash of every file's size
    and mtime) reloads it on change."""
    from extract import extract_corpus
    from extract.pipeline import combine

    existing = [p for p in paths if Path(p).exists()]
    # One worker: forking a threaded server process is unsafe. `microdrama-facts` (the CLI) can fill the
    # shared disk cache with many workers beforehand, and the app then reads it.
    documents = extract_corpus(existing, workers=1)
    if not tables:
        return single_chunk(documents)
    return single_chunk(combine([*(_read_tables(Path(t)) for t in tables), documents]))


def _read_tables(folder: Path) -> Corpus:
    """The corpus a CLI run wrote into ``folder``; one whose tables cannot be read is an error row."""
    from extract.errors import ExtractError
    from extract.pipeline import Corpus
    from extract.tabular import read_tables

    try:
        return Corpus(**read_tables(folder))
    except (ExtractError, OSError, ValueError) as exc:
        empty = {name: schema.empty(name) for name in schema.TABLE_NAMES}
        reason = str(exc) if isinstance(exc, ExtractError) else f"cannot read the tables: {exc}"
        empty["errors"] = schema.conform(
            pd.DataFrame([(folder.name, "read", reason)], columns=[C.file, C.stage, C.reason]), "errors")
        return Corpus(**empty)


def single_chunk(corpus: Corpus) -> Corpus:
    """``corpus`` with every Arrow column of every table in one chunk, as the app holds it.

    Freshly extracted tables arrive in one chunk per batch of documents (each batch builds its frames, then
    they are concatenated), and every filter, take and join of such a column pays per chunk.
    """
    from extract.pipeline import Corpus

    return Corpus(**{name: _one_chunk(frame) for name, frame in corpus.tables().items()})


def _one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its chunked Arrow string columns combined (the frame itself when none is)."""
    combined: dict[str, pd.api.extensions.ExtensionArray] = {}
    for name in frame.columns:
        values = frame[name].array
        if isinstance(values, pd.arrays.ArrowStringArray):
            chunks = values.__arrow_array__()
            if chunks.num_chunks > 1:
                combined[name] = pd.arrays.ArrowStringArray(pa.chunked_array([chunks.combine_chunks()]),
                                                            dtype=values.dtype)
    return frame.assign(**combined) if combined else frame


@dataclass(frozen=True)
class Snapshot:
    """The corpus as the folders hold it now, with its lookups and a short version id."""

    corpus: Corpus
    index: CorpusIndex
    version: str


def snapshot(settings: Settings) -> Snapshot:
    """The extracted corpus for ``settings``, shared by every session until a document file changes."""
    paths = tuple(str(p) for p in settings.corpus)
    tables = tuple(str(p) for p in settings.tables)
    sig = (signature(settings.corpus), table_signature(settings.tables))
    # The short version, not the 1,000-entry signature, keys the caches: Streamlit hashes keys every rerun.
    version = hashlib.sha256(repr((paths, tables, sig)).encode()).hexdigest()[:16]
    return Snapshot(corpus=_extract(paths, version, tables), index=_index(paths, version, tables),
                    version=version)


@dataclass(frozen=True)
class CorpusIndex:
    """Per-corpus lookups computed once: sentences in search form, and each row's sentence position.

    ``positions[name][i]`` is the row of ``sentences`` that row ``i`` of table ``name`` lies in (-1 if
    none), so narrowing every table to a set of sentences is one array gather, with no sort or join.
    """

    search_forms: pd.Series
    positions: Mapping[str, np.ndarray]


def build_index(tables: Mapping[str, pd.DataFrame], reuse: CorpusIndex | None = None,
                changed: Sequence[str] = _SENTENCE_TABLES) -> CorpusIndex:
    """The :class:`CorpusIndex` of ``tables``: search forms and sentence positions per table.

    With ``reuse``, an index of the same documents and sentences, only the positions of the ``changed``
    tables are computed again (reviewed claims: the sentences' search forms are the costly part).
    """
    doc_ids = _doc_index(tables)
    sentence_keys = pd.Index(_keys(tables["sentences"], doc_ids))
    positions = dict(reuse.positions) if reuse is not None else {}
    for name in (changed if reuse is not None else _SENTENCE_TABLES):
        positions[name] = sentence_keys.get_indexer(_keys(tables[name], doc_ids))
    return CorpusIndex(
        search_forms=reuse.search_forms if reuse is not None else match_forms(tables["sentences"]),
        positions=positions,
    )


@st.cache_resource(max_entries=4, show_spinner=False)
def _index(paths: tuple[str, ...], version: str, tables: tuple[str, ...] = ()) -> CorpusIndex:
    """The cached :class:`CorpusIndex` of the corpus of ``paths`` and ``tables``."""
    return build_index(_extract(paths, version, tables).tables())


def match_forms(sentences: pd.DataFrame) -> pd.Series:
    """Sentences as search matches them: ``繁體／ＡＩ`` and ``繁体/ai`` read the same."""
    return pd.Series([to_match_form(str(t)).lower() for t in sentences[C.text]], index=sentences.index,
                     dtype="string")


def options_for(tables: Mapping[str, pd.DataFrame], taxonomy: pd.DataFrame | None) -> Options:
    """What the sidebar offers: taxonomy themes, documents (newest first), metrics present, year span."""
    docs = tables["documents"].sort_values(C.date, ascending=False, na_position="last", kind="stable")
    present = set(tables["claims"][C.metric].dropna())
    years = tables["claims"][C.year].dropna()
    if taxonomy is not None and not taxonomy.empty:
        themes = tuple(taxonomy[C.theme_id])
    else:
        themes = tuple(dict.fromkeys(tables["themes"][C.theme_id].dropna()))
    return Options(
        themes=themes,
        docs=tuple(docs[C.doc_id]),
        metrics=tuple(m for m in schema.METRICS if m in present),
        years=(int(years.min()), int(years.max())) if len(years) else None,
        notes=tuple(docs.loc[docs[C.kind] == "note", C.doc_id]),
    )


def snapshot_options(snap: Snapshot, taxonomy: pd.DataFrame | None) -> Options:
    """:func:`options_for` the snapshot's corpus, computed once per corpus version and shared."""
    return _options(snap.version, taxonomy is None, snap, taxonomy)


@st.cache_resource(max_entries=8, show_spinner=False)
def _options(version: str, no_taxonomy: bool, _snap: Snapshot, _taxonomy: pd.DataFrame | None) -> Options:
    """The cached options of a corpus version (the taxonomy is the app's fixed default or none)."""
    return options_for(_snap.corpus.tables(), _taxonomy)


def doc_titles(snap: Snapshot) -> Mapping[str, str]:
    """doc_id -> "title（date）" for the document filter's options (plain text in a select box), once per
    snapshot version and shared: never mutate it."""
    return _doc_titles(snap.version, snap)


@st.cache_resource(max_entries=4, show_spinner=False)
def _doc_titles(version: str, _snap: Snapshot) -> dict[str, str]:
    """The cached :func:`doc_titles` of a snapshot version."""
    from dashboard.views import doc_labels

    labels = doc_labels(_snap.corpus.tables()["documents"])
    return dict(zip(labels[C.doc_id].astype(str), labels["doc_label"].astype(str), strict=True))


# -- reviews ------------------------------------------------------------------------------------------------


def review_store(settings: Settings, *, create: bool = False) -> ReviewStore | None:
    """The reviews database (one per server and file); None when there is none yet and ``create`` is
    False, so that merely looking at a corpus writes nothing to disk."""
    if not create and not settings.reviews.exists():
        return None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return _review_store(str(settings.reviews))


def review_store_at(path: str) -> ReviewStore | None:
    """The reviews database at ``path`` when it exists, else None (nothing is created)."""
    return _review_store(path) if path and Path(path).exists() else None


def open_reviews(path: str) -> ReviewStore:
    """The reviews database at ``path``, created when missing (a first review writes it)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return _review_store(path)


@st.cache_resource(max_entries=4, show_spinner=False)
def _review_store(path: str) -> ReviewStore:
    """One open :class:`ReviewStore` per database file (opening checks the file and takes its lock)."""
    from extract.reviews import ReviewStore

    return ReviewStore(Path(path))


@dataclass(frozen=True)
class _Tables:
    """A corpus's tables after review, in the shape of :class:`extract.pipeline.Corpus` for the app, with
    the :class:`extract.reviewed.Reviewed` they come from (the base the next review change updates)."""

    frames: Mapping[str, pd.DataFrame]
    reviewed: Reviewed | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name."""
        return dict(self.frames)


def reviewed(snap: Snapshot, store: ReviewStore | None) -> tuple[Snapshot, pd.DataFrame]:
    """The snapshot with the analysts' reviews applied (rejected figures and excluded documents gone,
    corrections in, pins heading their indicators), and the reviews that matched nothing (orphans)."""
    if store is None:
        from extract.reviews import empty

        return snap, empty("orphans")
    return _reviewed(snap.version, store.version(), snap, store)


@st.cache_resource(max_entries=2, show_spinner=False)
def _reviewed(version: str, review_version: str, _snap: Snapshot,
              _store: ReviewStore) -> tuple[Snapshot, pd.DataFrame]:
    """:func:`reviewed`, once per corpus version and reviews version (two kept: each is a copy of the
    claims, and a review change makes the older one stale), updated from the latest one before it."""
    latest = _latest_reviewed()
    out = apply_store(_snap, _store.reviews(), _store.exclusions(), f"{version}-{review_version}",
                      previous=latest.get(version))
    if out[0] is not _snap:
        latest.clear()  # only the current corpus version's is worth keeping
        latest[version] = out[0]
    return out


@st.cache_resource(show_spinner=False)
def _latest_reviewed() -> dict[str, Snapshot]:
    """Corpus version -> the reviewed snapshot computed last, which the next review change is applied to
    (:func:`extract.reviewed.review` redoes only what the change touches). The one mutable cache entry:
    any earlier result for the corpus gives the same tables, so a race between sessions costs only time."""
    return {}


def apply_store(snap: Snapshot, reviews: pd.DataFrame, exclusions: pd.DataFrame, version: str,
                previous: Snapshot | None = None) -> tuple[Snapshot, pd.DataFrame]:
    """The snapshot under ``reviews`` and ``exclusions``, identified by ``version``; orphans beside it.
    ``previous``, an earlier result of this function for the same ``snap``, saves recomputing what the
    reviews that changed since then did not touch."""
    from extract.reviewed import review
    from extract.reviews import empty

    if reviews.empty and exclusions.empty:
        return snap, empty("orphans")
    base = previous.corpus.reviewed if previous is not None and isinstance(previous.corpus, _Tables) else None
    result = review(snap.corpus.tables(), reviews, exclusions, previous=base)
    tables = dict(result.tables)
    claims_at = snap.index.positions["claims"][result.kept]
    if tables[EXCLUDED].empty:  # every table but the claims is unchanged: so are its sentence lookups
        index = CorpusIndex(search_forms=snap.index.search_forms,
                            positions={**snap.index.positions, "claims": claims_at})
    else:
        gone = set(tables[EXCLUDED][C.doc_id].tolist())
        index = _without(snap.index, snap.corpus.tables(), gone, claims_at)
    corpus = _Tables(tables, result)
    return Snapshot(corpus=corpus, index=index, version=version), result.orphans  # type: ignore[arg-type]


def _without(index: CorpusIndex, tables: Mapping[str, pd.DataFrame], gone: set[str],
             claims_at: np.ndarray) -> CorpusIndex:
    """``index`` of ``tables`` once the documents ``gone`` are left out of every table (the claims already
    are: ``claims_at`` are their positions in the old sentences), the search forms kept, not recomputed."""
    def kept(name: str) -> np.ndarray:
        return ~tables[name][C.doc_id].isin(gone).to_numpy(dtype=bool)

    stays = kept("sentences")
    renumbered = np.full(len(stays) + 1, -1, dtype=np.intp)  # the extra last slot maps -1 (no sentence) to -1
    renumbered[:-1][stays] = np.arange(int(stays.sum()))
    positions = {name: renumbered[index.positions[name][kept(name)]]
                 for name in _SENTENCE_TABLES if name != "claims"}
    positions["claims"] = renumbered[claims_at]
    return CorpusIndex(search_forms=index.search_forms[stays].reset_index(drop=True), positions=positions)


def view_for(snap: Snapshot, filters: Filters) -> Mapping[str, pd.DataFrame]:
    """:func:`filter_tables` of the snapshot's corpus, shared by every session that shows the same view.

    Readers opening one link, or going back to a view seen before, reuse it: the result is shared, never
    mutate it.
    """
    tables = snap.corpus.tables()
    if not filters.narrows():
        return tables
    return _view(snap.version, view_key(filters), snap, filters)


def view_key(filters: Filters) -> tuple:
    """The filters that decide which rows a view holds (not the language, tab or mode)."""
    return (filters.themes, filters.docs, filters.metrics, filters.years, filters.undated, filters.notes,
            filters.reviewed, " ".join(filters.query.split()))


@st.cache_resource(max_entries=64, show_spinner=False)
def _view(version: str, key: tuple, _snap: Snapshot, _filters: Filters) -> dict[str, pd.DataFrame]:
    """The cached view of one corpus version under the filters ``key`` stands for."""
    return filter_tables(_snap.corpus.tables(), _filters, _snap.index)


def cached(name: str, key: tuple, args: tuple, build: Callable[[], Any]) -> Any:
    """What ``build`` makes for chart or frame ``name`` under ``key`` (corpus version and filters), once per
    server: going back to a view seen before, or another reader opening the same link, costs nothing."""
    return _cached(name, key, args, build)


@st.cache_resource(max_entries=256, show_spinner=False)
def _cached(name: str, key: tuple, args: tuple, _build: Callable[[], Any]) -> Any:
    """The cache behind :func:`cached`; ``key`` and ``args`` decide what ``_build`` returns."""
    return _build()


def clear_views() -> None:
    """Forget every cached view, frame and figure (benchmarks measure computing them)."""
    _view.clear()
    _cached.clear()


def filter_tables(tables: Mapping[str, pd.DataFrame], filters: Filters,
                  index: CorpusIndex | None = None) -> dict[str, pd.DataFrame]:
    """The tables narrowed to ``filters``; ``index`` (from :func:`build_index`) saves recomputing lookups.

    Documents, theme and search select sentences; claims, themes, mentions and events keep the rows of
    those sentences; metric and year narrow the claims (and year the events). The keyword panel
    recomputes keywords over the selected sentences (see :func:`selection_texts`).
    """
    out = dict(tables)
    if not filters.narrows():
        return out
    chosen = _chosen_docs(tables["documents"], filters)
    if chosen is not None:
        for name in (*_SENTENCE_TABLES, "documents", "keywords"):
            out[name] = _rows(tables[name], tables[name][C.doc_id].isin(chosen).to_numpy(dtype=bool))
    if filters.themes or filters.query.strip():
        index = index or build_index(tables)
        sentences = tables["sentences"]
        keep = np.ones(len(sentences), dtype=bool)
        if chosen is not None:
            keep &= sentences[C.doc_id].isin(chosen).to_numpy(dtype=bool)
        if filters.themes:
            themed = tables["themes"][C.theme_id].isin(filters.themes).to_numpy(dtype=bool)
            has_theme = np.zeros(len(sentences), dtype=bool)
            has_theme[index.positions["themes"][themed]] = True
            keep &= has_theme
        if filters.query.strip():
            needle = to_match_form(filters.query.strip()).lower()
            keep &= index.search_forms.str.contains(needle, regex=False).fillna(False).to_numpy(dtype=bool)
        # One False appended: a row whose sentence is unknown (position -1) reads it and is dropped.
        kept = np.append(keep, False)
        for name in _SENTENCE_TABLES:
            out[name] = _rows(tables[name], kept[index.positions[name]])
        docs_left = out["sentences"][C.doc_id].unique()
        for name in ("documents", "keywords"):
            out[name] = _rows(tables[name], tables[name][C.doc_id].isin(docs_left).to_numpy(dtype=bool))
    claims = out["claims"]
    if filters.reviewed:
        review = (claims["review"] if "review" in claims.columns
                  else pd.Series("unreviewed", index=claims.index))
        claims = claims[(review != "unreviewed").fillna(False).to_numpy(dtype=bool)]
    if filters.metrics:
        claims = claims[claims[C.metric].isin(filters.metrics)]
    if filters.years or not filters.undated:
        year = claims[C.year]
        dated = year.between(*filters.years) if filters.years else year.notna()
        undated = year.isna() if filters.undated else pd.Series(False, index=claims.index)
        claims = claims[(dated.fillna(False) | undated).astype(bool)]
    if filters.years:
        lo, hi = filters.years
        events = out["events"]
        out["events"] = _rows(events, events[C.year].between(lo, hi).fillna(False).to_numpy(dtype=bool))
    out["claims"] = claims.reset_index(drop=True)
    docs = set(out["documents"][C.doc_id])
    out["corroboration"] = _corroboration_within(tables["corroboration"], out["claims"], docs, filters)
    out["indicators"] = _indicators_of(out["claims"], out["documents"])
    return out


def _chosen_docs(documents: pd.DataFrame, filters: Filters) -> list[str] | None:
    """The doc_ids the documents filter and the notes switch leave, or None when they leave every one."""
    if filters.notes:
        return list(filters.docs) if filters.docs else None
    pool = list(filters.docs) if filters.docs else documents[C.doc_id].tolist()
    notes = set(documents.loc[documents[C.kind] == "note", C.doc_id])
    return [d for d in pool if d not in notes]


def _indicators_of(claims: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The indicators of the filtered claims: consensus and sources follow the filters."""
    from extract.indicators import indicators

    return indicators(claims, documents)


def _rows(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` where ``mask`` holds, renumbered from 0."""
    return frame[mask].reset_index(drop=True)


def _doc_index(tables: Mapping[str, pd.DataFrame]) -> pd.Index:
    """Every doc_id of the corpus, position = its integer code in :func:`_keys`."""
    return pd.Index(pd.concat([tables[name][C.doc_id] for name in _SENTENCE_TABLES]).unique())


def _keys(frame: pd.DataFrame, doc_ids: pd.Index) -> np.ndarray:
    """(doc_id, sent_id) of each row packed into one integer, for hash lookups between tables."""
    doc = doc_ids.get_indexer(frame[C.doc_id]).astype(np.int64)
    sent = frame[C.sent_id].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    return (doc << 32) | (sent & 0xFFFFFFFF)


def _corroboration_within(groups: pd.DataFrame, claims: pd.DataFrame, docs: set[str],
                          filters: Filters) -> pd.DataFrame:
    """The corroboration groups that still concern the filtered documents, metrics and years."""
    if groups.empty:
        return groups
    keep = groups[C.doc_ids].fillna("").str.split("|").map(lambda ids: len(docs.intersection(ids)) >= 1)
    if filters.metrics:
        keep &= groups[C.metric].isin(filters.metrics)
    if filters.years:
        keep &= groups[C.year].between(*filters.years).fillna(False).astype(bool)
    return groups[keep.astype(bool)].reset_index(drop=True)


def selection_texts(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """doc_id -> its selected sentences joined by newlines: the text keywords are computed over."""
    sentences = tables["sentences"]
    groups = sentences.groupby(C.doc_id, sort=True)[C.text]
    return {str(d): "\n".join(texts.astype(str)) for d, texts in groups}


@st.cache_data(max_entries=32, show_spinner=False)
def selection_keywords(texts: dict[str, str], top_k: int = 50) -> pd.DataFrame:
    """Keywords (both methods) of just the selected sentences, so the keyword panel follows the filters."""
    from extract.keywords import corpus_keywords

    if not texts:
        return schema.empty("keywords")
    return corpus_keywords(texts, top_k=top_k)


Message = tuple[str, str, dict[str, str]]  # (ok | same | error, i18n key, its values)


Progress = Callable[[int, int, str], None]  # (documents read, documents in all, the one being read)


class _Upload(NamedTuple):
    """One document to add: its name as the messages show it (报告.zip › 一.md), its own name, its bytes."""

    shown: str
    name: str
    body: bytes


def add_uploads(
    folder: Path, uploads: Sequence[tuple[str, bytes]], progress: Progress | None = None
) -> list[Message]:
    """Check and save each upload into ``folder`` (each member of a .zip as its own document); one message
    per file, in upload order: added, already there (the same bytes under the same name), or why not.

    ``progress`` is told before each document is read (0 of n first) and once more when all are done,
    so that a page can show how far a batch of uploads has got.
    """
    from extract.archive import read_zip
    from extract.errors import DocumentError

    present = {f.name for f in store.list_uploads(folder)}  # listed once: a zip may hold 200 members
    # Every document of every upload, zip members unpacked first so the count is known; a problem found
    # while unpacking is its message already.
    steps: list[Message | _Upload] = []
    for name, raw in uploads:
        if not name.lower().endswith(".zip"):
            steps.append(_Upload(name, name, raw))
            continue
        try:
            unpacked = read_zip(name, raw, store.ALLOWED_SUFFIXES)
        except DocumentError as exc:
            steps.append(("error", "documents.rejected", {"name": name, "reason": str(exc)}))
            continue
        steps += [("error", "documents.rejected", {"name": f"{name} › {m}", "reason": why})
                  for m, why in unpacked.problems]
        steps += [_Upload(f"{name} › {m}", m, body) for m, body in unpacked.members]
    total = sum(isinstance(step, _Upload) for step in steps)
    messages: list[Message] = []
    done = 0
    for step in steps:
        if not isinstance(step, _Upload):
            messages.append(step)
            continue
        if progress is not None:
            progress(done, total, step.shown)
        messages.append(_add_one(folder, step.shown, step.name, step.body, present))
        done += 1
    if progress is not None:
        progress(total, total, "")
    return messages


def _add_one(folder: Path, shown: str, name: str, body: bytes, present: set[str]) -> Message:
    """Save one document if it extracts cleanly; the message says what happened. ``present``, the names
    already in the folder, gains the new one."""
    problem = check_upload(name, body)
    if problem is not None:
        return ("error", "documents.rejected", {"name": shown, "reason": problem})
    try:
        path = store.save_upload(folder, name, body)
    except (store.UploadError, OSError) as exc:
        return ("error", "documents.rejected", {"name": shown, "reason": str(exc)})
    if path.name in present:
        return ("same", "documents.already", {"name": path.name})
    present.add(path.name)
    return ("ok", "documents.added", {"name": path.name})


def paste_fields(text: str) -> dict[str, str]:
    """Title, date, source and URL that a pasted article's own header lines give (empty where they do not)."""
    from extract import parse_document
    from extract.errors import DocumentError

    try:
        doc = parse_document("pasted.txt", text.encode("utf-8"))
    except DocumentError:
        return {"title": "", "date": "", "source": "", "url": ""}
    return {"title": doc.title if doc.title != "pasted" else "", "date": doc.date or "",
            "source": doc.source_name or "", "url": doc.source_url or ""}


def check_upload(name: str, data: bytes) -> str | None:
    """Why an upload cannot be added (unreadable, no text...), or None when it extracts cleanly."""
    from extract import parse_document
    from extract.errors import DocumentError

    try:
        doc = parse_document(store.validate(name, data), data)
    except (store.UploadError, DocumentError) as exc:
        return str(exc)
    if not doc.text.strip():
        return f"{name!r} has no text after removing markup; check that it is an article"
    return None
