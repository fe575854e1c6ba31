"""The corpus pipeline: files -> documents -> per-document tables (cached) -> corpus tables."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import pickle
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from extract import schema
from extract.attribution import canonical_source
from extract.cache import DOC_TABLES, TableCache
from extract.claims import claim_columns
from extract.corpus import Document, document_columns, iter_paths, load_document, parse_document
from extract.corroborate import corroborate
from extract.errors import DocumentError
from extract.events import event_columns
from extract.indicators import indicators
from extract.keywords import CORPUS_ID, keyword_columns, merge_rankings
from extract.mentions import mention_columns
from extract.schema import C
from extract.sentences import numbered, sentence_columns, split_sentences
from extract.themes import nearest_themes, theme_columns

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class Corpus:
    """Every output table of a corpus; each frame matches its schema in extract/schema.py."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    claims: pd.DataFrame
    keywords: pd.DataFrame
    themes: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    errors: pd.DataFrame
    corroboration: pd.DataFrame
    indicators: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in schema order: ``corpus.tables()["claims"]``."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class RunStats:
    """What a run did: how many files were read, taken from the cache, extracted, or failed."""

    files: int
    cached: int
    extracted: int
    failed: int
    seconds: float


def pages_of(pages: Sequence[tuple[int, int, int]], offsets: Sequence[int]) -> list[int | None]:
    """The page (from 1) each character offset falls on, by the pages' (page, start, end) spans."""
    starts = np.array([s for _, s, _ in pages], dtype="int64")
    ends = np.array([e for _, _, e in pages], dtype="int64")
    numbers = np.array([p for p, _, _ in pages], dtype="int64")
    where = np.asarray(offsets, dtype="int64")
    at = np.searchsorted(starts, where, side="right") - 1
    inside = (at >= 0) & (where < ends[np.clip(at, 0, None)])
    return [int(numbers[a]) if ok else None for a, ok in zip(at, inside, strict=True)]


@dataclass(frozen=True)
class _Rows:
    """One document's rows: column lists of each table, built into frames once per batch (_tables)."""

    columns: dict[str, dict[str, list[object]]]


def extract_document(doc: Document) -> dict[str, pd.DataFrame]:
    """All per-document tables of one loaded document, keyed by table name."""
    return _tables([_document_rows(doc)])


def extract_documents(docs: Sequence[Document]) -> dict[str, pd.DataFrame]:
    """All per-document tables of several loaded documents, one frame per table, keyed by table name."""
    return _tables([_document_rows(doc) for doc in docs])


def _document_rows(doc: Document) -> _Rows:
    """Every extractor's rows for one document: plain lists, so that a batch builds each frame once."""
    spans = split_sentences(doc.text)
    numbered_spans = numbered(spans)
    themes = theme_columns(doc.doc_id, doc.text, numbered_spans)
    # Claims read only the sentences' offsets, and get their themes per batch (_tables).
    claims = claim_columns(doc.doc_id, doc.text, spans, published=doc.date)
    if doc.pages and claims[C.start]:
        claims[C.page] = pages_of(doc.pages, claims[C.start])  # type: ignore[arg-type]
    if doc.cited_source:
        # The front matter names whom the whole document cites: it stands for every figure naming no one.
        cited = canonical_source(doc.cited_source)
        claims[C.cited_source] = [cited if c is None else c for c in claims[C.cited_source]]
    columns = {
        "documents": document_columns([doc]),
        "sentences": sentence_columns(doc.doc_id, doc.text, spans),
        "keywords": keyword_columns(doc.doc_id, doc.text),
        "themes": themes,
        "mentions": mention_columns(doc.doc_id, doc.text, numbered_spans),
        "events": event_columns(doc.doc_id, doc.text, numbered_spans, doc.date),
        "claims": claims,
    }
    return _Rows(columns)


def _tables(rows: Sequence[_Rows]) -> dict[str, pd.DataFrame]:
    """One frame per table for the documents' rows; each claim gets its sentence's themes here."""
    batch = schema.TableBatch(DOC_TABLES)
    for doc_rows in rows:
        for name, columns in doc_rows.columns.items():
            batch.add(name, columns)
    tables = batch.frames()
    claims = tables["claims"]
    if not claims.empty:
        claims[C.themes] = _claim_themes(claims, batch)
    return {name: tables[name] for name in DOC_TABLES}


def _claim_themes(claims: pd.DataFrame, batch: schema.TableBatch) -> pd.api.extensions.ExtensionArray:
    """Each claim's sentence themes, nearest trigger first, from the themes rows of the claims' batch."""
    themes = partial(batch.column, "themes")
    sentences = zip(themes(C.doc_id), themes(C.sent_id), strict=True)
    hits = zip(sentences, themes(C.theme_id), themes(C.start), strict=True)
    claim_sentences = zip(claims[C.doc_id].tolist(), claims[C.sent_id].tolist(), strict=True)
    keys = zip(claim_sentences, claims[C.start].tolist(), strict=True)
    return pd.array(nearest_themes(keys, hits), dtype="string")


def _load_and_extract(path: Path) -> tuple[str, _Rows | None, list[tuple[str, str]]]:
    """Worker body: load and extract one file; failures return as (stage, reason) pairs, never raised."""
    try:
        doc = load_document(path)
    except DocumentError as exc:
        return str(path), None, [("read", str(exc))]
    except Exception as exc:  # a bug must cost one file, not the run
        return str(path), None, [("read", f"unexpected {type(exc).__name__}: {exc}; please report this file")]
    try:
        return str(path), _document_rows(doc), []
    except Exception as exc:
        reason = f"extraction failed ({type(exc).__name__}: {exc}); the file's other facts were not lost"
        return str(path), None, [*(("read", w) for w in doc.warnings), ("extract", reason)]


def _warm_up() -> None:
    """Build the per-process singletons (jieba dictionary, lexicons) once, before any fork."""
    extract_document(_tiny_document())


def _tiny_document() -> Document:
    """A one-sentence document, used to warm the extractors up."""
    return parse_document("warm-up.txt", "2024年微短剧市场规模达504.4亿元，抖音上线。".encode())


def extract_corpus(
    paths: Iterable[str | Path],
    *,
    workers: int = 1,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: ProgressFn | None = None,
    executor: Executor | None = None,
) -> Corpus:
    """Load and extract every supported file under ``paths``; unchanged files come from the cache.

    ``executor`` runs the extraction on any :class:`concurrent.futures.Executor` instead of the built-in
    process pool (a thread pool, a process pool of your own, a ``dask.distributed`` client's executor);
    its workers must be able to read the paths.
    """
    corpus, _ = extract_corpus_with_stats(
        paths, workers=workers, cache_dir=cache_dir, use_cache=use_cache, progress=progress, executor=executor
    )
    return corpus


def extract_corpus_with_stats(
    paths: Iterable[str | Path],
    *,
    workers: int = 1,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: ProgressFn | None = None,
    executor: Executor | None = None,
) -> tuple[Corpus, RunStats]:
    """Like ``extract_corpus``, also returning counts and timing for summaries and benchmarks."""
    started = time.perf_counter()
    errors: list[tuple[str, str, str]] = []
    files = iter_paths(paths)
    hashes = _content_ids(files, errors)
    cache = TableCache(Path(cache_dir) if cache_dir else None) if use_cache else None
    if cache is not None:
        cached, problems = cache.load()
        errors += [(str(cache.root), "cache", p) for p in problems]
    else:
        cached = {name: schema.empty(name) for name in DOC_TABLES}
    known = set(cached["documents"][C.doc_id])
    todo: list[Path] = []
    for path, doc_id in hashes.items():  # one file per content: a copy is reported, not extracted twice
        if doc_id not in known:
            known.add(doc_id)
            todo.append(path)
    fresh, failed = _extract_files(todo, workers, progress, executor)
    for path, stage, reason in failed:
        errors.append((path, stage, reason))
    if cache is not None and fresh:
        with cache.locked():
            latest, _ = cache.load_unlocked()
            cache.save(_merge(latest, fresh))
    merged = _merge(cached, fresh) if fresh else cached  # a warm run: the cache's tables as they are
    corpus = _assemble(merged, files, hashes, errors)
    loaded = set(corpus.documents[C.doc_id])
    stats = RunStats(
        files=len(files),
        cached=len(hashes) - len(todo),
        extracted=sum(len(tables["documents"]) for tables in fresh),
        failed=sum(1 for f in files if hashes.get(f) not in loaded),
        seconds=time.perf_counter() - started,
    )
    return corpus, stats


def _content_ids(files: Sequence[Path], errors: list[tuple[str, str, str]]) -> dict[Path, str]:
    """Each readable file's doc_id (its content hash); unreadable files become error rows."""
    ids: dict[Path, str] = {}
    for path in files:
        try:
            ids[path] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        except OSError as exc:
            reason = f"cannot read the file ({exc.strerror or exc}); check that it exists and is readable"
            errors.append((str(path), "read", reason))
    return ids


def _extract_files(
    todo: Sequence[Path], workers: int, progress: ProgressFn | None, executor: Executor | None = None
) -> tuple[list[dict[str, pd.DataFrame]], list[tuple[str, str, str]]]:
    """Extract the files not in the cache, on ``executor`` or in ``workers`` processes; returns tables and
    error rows."""
    results: list[dict[str, pd.DataFrame]] = []
    failed: list[tuple[str, str, str]] = []
    done = 0
    as_given: dict[str, str] = {}  # an engine's absolute paths, back to the paths as given

    def collect(batch: _Batch) -> None:
        nonlocal done
        tables, problems, count = batch
        if tables is not None:
            results.append(tables)
        failed.extend(problems)
        done += count
        if progress is not None:
            progress(done, len(todo))

    rest: Sequence[Path] = todo
    if executor is not None and todo:
        # An engine's workers need not share this process's working folder (a Dask worker on a machine
        # of its own): they get absolute paths, and every path in their tables and messages is named back.
        absolute = [path.absolute() for path in todo]
        as_given = {str(a): str(p) for a, p in zip(absolute, todo, strict=True)}
        batches = _batches(absolute, max(2, workers))
        finished = 0
        try:
            for blob in executor.map(_extract_batch_pickled, batches):
                # Our own workers' bytes, as trusted as the engine's own pickles.
                collect(_named_as_given(pickle.loads(blob), as_given))
                finished += 1
        except (BrokenExecutor, OSError):
            pass  # the engine lost a worker: finish the rest in this process, as with the built-in pool
        rest = [path for batch in batches[finished:] for path in batch]
    elif workers > 1 and len(todo) > 1:
        _warm_up()
        # Objects alive now are never collected in the workers, so the collector does not write to (and
        # copy) the pages they share with this process: the warmed jieba dictionary above all.
        gc.freeze()
        # fork shares the warmed jieba dictionary with the workers instead of loading it once per worker.
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        batches = _batches(todo, workers)
        finished = 0
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for batch in pool.map(_extract_batch, batches):
                    collect(batch)
                    finished += 1
        except BrokenProcessPool:
            pass  # a worker died (out of memory, a crash in C code): finish the rest in this process
        finally:
            gc.unfreeze()
        rest = [path for batch in batches[finished:] for path in batch]
    for batch in _batches(rest, 1):
        collect(_named_as_given(_extract_batch(batch), as_given))
    return results, failed


def _named_as_given(batch: _Batch, as_given: Mapping[str, str]) -> _Batch:
    """A batch extracted from absolute paths with each path, and each message that opens with one, as given
    (``/home/me/in/a.md: the file is empty`` -> ``in/a.md: the file is empty``)."""
    if not as_given:
        return batch
    tables, problems, count = batch

    def named(text: str, path: str) -> str:
        return as_given[path] + text[len(path):] if path in as_given and text.startswith(path) else text

    problems = [(as_given.get(file, file), stage, named(reason, file)) for file, stage, reason in problems]
    if tables is not None:
        docs = tables["documents"]
        paths = docs[C.path].tolist()
        warnings = [None if pd.isna(w) else "\n".join(named(line, p) for line in w.split("\n"))
                    for w, p in zip(docs[C.warnings].tolist(), paths, strict=True)]
        docs = docs.assign(**{C.path: [as_given.get(p, p) for p in paths], C.warnings: warnings})
        tables = {**tables, "documents": schema.conform(docs, "documents")}
    return tables, problems, count


_Batch = tuple[dict[str, pd.DataFrame] | None, list[tuple[str, str, str]], int]


# A batch's tables cost about half as much per document at 32 documents as at 8 (a frame's fixed cost
# is spread wider), while 32 documents' rows as Python lists are still a few MB.
BATCH_FILES = 32


def _batches(todo: Sequence[Path], workers: int) -> list[list[Path]]:
    """Files in batches of at most BATCH_FILES, at least 8 batches per worker: workers finish within a
    batch's time."""
    size = max(1, min(BATCH_FILES, len(todo) // (workers * 8)))
    return [list(todo[i:i + size]) for i in range(0, len(todo), size)]


def _extract_batch(paths: Sequence[Path]) -> _Batch:
    """Worker body: extract a batch of files into one frame per table, so one pickle crosses per batch."""
    parts: list[_Rows] = []
    problems: list[tuple[str, str, str]] = []
    for path in paths:
        name, rows, failures = _load_and_extract(path)
        if rows is not None:
            parts.append(rows)
        problems.extend((name, stage, reason) for stage, reason in failures)
    return (_tables(parts) if parts else None), problems, len(paths)


def _extract_batch_pickled(paths: Sequence[Path]) -> bytes:
    """``_extract_batch`` as one pickle: an engine then ships plain bytes, not frames of its own encoding
    (dask.distributed takes several times longer to move a batch's frames than to unpickle them)."""
    return pickle.dumps(_extract_batch(paths), protocol=pickle.HIGHEST_PROTOCOL)


def _concat(frames: Sequence[pd.DataFrame], name: str) -> pd.DataFrame:
    """Frames of one table joined in order; the table's empty frame when there is nothing to join."""
    frames = [f for f in frames if not f.empty]
    if not frames:
        return schema.empty(name)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _merge(
    base: dict[str, pd.DataFrame], fresh: Sequence[dict[str, pd.DataFrame]]
) -> dict[str, pd.DataFrame]:
    """Concatenate cached tables with freshly extracted ones, table by table."""
    out: dict[str, pd.DataFrame] = {}
    for name in DOC_TABLES:
        parts = [base[name], *(tables[name] for tables in fresh)]
        parts = [p for p in parts if not p.empty]
        if not parts:
            out[name] = schema.empty(name)
            continue
        # Another process may have saved the same document meanwhile: keep one copy of each row.
        merged = pd.concat(parts, ignore_index=True).drop_duplicates(subset=_key(name), keep="last")
        out[name] = schema.conform(merged, name)
    return out


def _assemble(
    tables: dict[str, pd.DataFrame],
    files: Sequence[Path],
    ids: dict[Path, str],
    errors: list[tuple[str, str, str]],
) -> Corpus:
    """Keep the rows of this run's files, one document per content, with paths as given this time."""
    first_path: dict[str, Path] = {}
    for path in files:
        doc_id = ids.get(path)
        if doc_id is None:
            continue
        if doc_id in first_path:
            errors.append((str(path), "read", f"same content as {first_path[doc_id]}; counted once"))
        else:
            first_path[doc_id] = path
    wanted = set(first_path)
    # Every table's rows belong to documents of the documents table: when all of those are wanted (a
    # re-run of the same files), no table needs filtering.
    everything = wanted.issuperset(tables["documents"][C.doc_id].tolist())
    out: dict[str, pd.DataFrame] = {}
    for name in DOC_TABLES:
        frame = tables[name]
        kept = frame if everything else frame[frame[C.doc_id].isin(wanted)]
        out[name] = kept.reset_index(drop=True)
    docs = out["documents"].copy()
    # Warnings live in the documents table, so a warm run reports them exactly as the cold run did.
    for doc_id, warnings in zip(docs[C.doc_id], docs[C.warnings], strict=True):
        errors.extend((str(first_path[doc_id]), "read", w) for w in str(warnings or "").split("\n") if w)
    docs[C.path] = docs[C.doc_id].map(lambda d: str(first_path[d]))
    docs[C.file_name] = docs[C.doc_id].map(lambda d: first_path[d].name)
    order = {d: i for i, d in enumerate(first_path)}
    out["documents"] = docs.sort_values(C.doc_id, key=lambda s: s.map(order)).reset_index(drop=True)
    out["keywords"] = pd.concat([out["keywords"], merge_rankings(out["keywords"])], ignore_index=True)
    error_frame = pd.DataFrame(errors, columns=[C.file, C.stage, C.reason])
    return Corpus(
        **out,
        errors=schema.conform(error_frame, "errors") if errors else schema.empty("errors"),
        corroboration=corroborate(out["claims"]),
        indicators=indicators(out["claims"], out["documents"]),
    )


def combine(corpora: Sequence[Corpus]) -> Corpus:
    """One corpus of several (a tables folder a cluster wrote, plus the documents of a folder): every
    document once, the first corpus naming it winning, with corpus keywords, corroboration and indicators
    computed again over all of them."""
    seen: set[str] = set()
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in DOC_TABLES}
    for corpus in corpora:
        ids = corpus.documents[C.doc_id].astype(str)
        new = set(ids) - seen
        for name in DOC_TABLES:
            frame = getattr(corpus, name)
            if name == "keywords":
                frame = frame[frame[C.doc_id] != CORPUS_ID]
            parts[name].append(frame if len(new) == len(set(ids)) else frame[frame[C.doc_id].isin(new)])
        seen |= new
    out = {name: schema.conform(_concat(frames, name), name) for name, frames in parts.items()}
    out["keywords"] = pd.concat([out["keywords"], merge_rankings(out["keywords"])], ignore_index=True)
    errors = _concat([c.errors for c in corpora], "errors")
    return Corpus(
        **out,
        errors=schema.conform(errors, "errors"),
        corroboration=corroborate(out["claims"]),
        indicators=indicators(out["claims"], out["documents"]),
    )


def _key(name: str) -> list[str]:
    """Columns that identify a row of a per-document table, for dropping repeated cache rows."""
    keys = {
        "documents": [C.doc_id],
        "sentences": [C.doc_id, C.sent_id],
        "claims": [C.doc_id, C.claim_id],
        "keywords": [C.doc_id, C.method, C.rank],
        "themes": [C.doc_id, C.sent_id, C.theme_id],
        "mentions": [C.doc_id, C.start, C.end, C.category],
        "events": [C.doc_id, C.start, C.date],
    }
    return keys[name]
