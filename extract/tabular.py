"""Writing tables for people: CSV that Excel opens correctly and safely, and Parquet (one file per table,
or a folder of partitions per table for an archive), and reading a tables folder back."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from extract import schema
from extract.atomic import replace_folder, write_atomic
from extract.errors import ExtractError
from extract.schema import C

# OWASP ASVS 1.2.10: a text cell starting with one of these could run as a spreadsheet formula.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading quote: ``"=1+1"`` -> ``"'=1+1"``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df``, text cells and headers neutralised (OWASP CSV injection); numbers untouched."""
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def frame_to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads Chinese correctly), formula-injection safe."""
    return safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def frame_to_parquet(df: pd.DataFrame) -> bytes:
    """The frame as one Parquet file's bytes, without the index; pandas reads its dtypes back exactly."""
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    return buffer.getvalue()


def write_tables(tables: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (Excel-safe) and ``<name>.parquet`` (exact) into ``out``.

    Each file is written whole or not at all (extract/atomic.py); a partition folder of the same table
    left by an earlier ``write_partitioned`` is removed, so a reader finds one layout per table.
    """
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in tables.items():
        csv_path, parquet_path = out / f"{name}.csv", out / f"{name}.parquet"
        write_atomic(csv_path, frame_to_csv(frame), prefix=f".{name}.csv.")
        write_atomic(parquet_path, frame_to_parquet(frame), prefix=f".{name}.parquet.")
        if _is_partition_folder(out / name):
            shutil.rmtree(out / name)
        written += [csv_path, parquet_path]
    return written


def use_jemalloc() -> str:
    """Have pyarrow allocate with jemalloc when it is built in and ``$ARROW_DEFAULT_MEMORY_POOL`` names no
    pool; returns the pool in use (``"jemalloc"``).

    A warm run spends most of its time reading the cache's Parquet; pyarrow's default pool (mimalloc)
    reads it several times slower than jemalloc on the development VM (README, Performance). It changes
    the whole process's pool, so the CLI calls it and a library caller chooses for their own process.
    """
    import pyarrow as pa

    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        with contextlib.suppress(NotImplementedError):  # a pyarrow built without jemalloc
            pa.set_memory_pool(pa.jemalloc_memory_pool())
    return pa.default_memory_pool().backend_name


# Partitions of about a thousand documents are a few MB each at the generated corpus's 5 KB articles:
# large enough that a reader opens few files, small enough that one is written in well under a second.
DOCS_PER_PART = 1000
PART_PATTERN = "part-*.parquet"


def part_name(index: int) -> str:
    """The file name of partition ``index``: ``part_name(3) == "part-00003.parquet"``, in reading order."""
    return f"part-{index:05d}.parquet"


def write_partitioned(
    tables: Mapping[str, pd.DataFrame], out: Path, *, docs_per_part: int = DOCS_PER_PART
) -> list[Path]:
    """Write each table as a folder of Parquet partitions, ``out/<name>/part-00000.parquet`` and on.

    Partition k of every table with a ``doc_id`` holds the rows of documents k·N to (k+1)·N−1, in the
    documents table's order (N = ``docs_per_part``), so ``claims/part-00003`` and ``documents/part-00003``
    speak of the same documents; rows of no listed document (the corpus keywords, doc_id ``*``) go in the
    last one. The corpus-level tables (errors, corroboration, indicators) are one partition. Every folder
    holds at least one partition, so an empty table still reads back with its columns. Each folder is
    replaced whole (``atomic.replace_folder``): a reader sees the old table or the new one. Read it back
    with ``read_tables(out)``, ``pandas.read_parquet(out / "claims")`` or ``pyarrow.dataset``.
    """
    if docs_per_part < 1:
        raise ValueError(f"docs_per_part must be at least 1, not {docs_per_part}")
    out.mkdir(parents=True, exist_ok=True)
    doc_ids = tables["documents"][C.doc_id].tolist() if "documents" in tables else []
    position = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    parts = max(1, -(-len(doc_ids) // docs_per_part))
    written: list[Path] = []
    for name, frame in tables.items():
        pieces = _split(frame, position, docs_per_part, parts) if C.doc_id in frame.columns else [frame]

        def fill(folder: Path, pieces: Sequence[pd.DataFrame] = pieces) -> None:
            for i, piece in enumerate(pieces):
                (folder / part_name(i)).write_bytes(frame_to_parquet(piece))

        replace_folder(out / name, fill, prefix=f".{name}.")
        for stale in (out / f"{name}.parquet", out / f"{name}.csv"):
            stale.unlink(missing_ok=True)
        written += [out / name / part_name(i) for i in range(len(pieces))]
    return written


def _split(
    frame: pd.DataFrame, position: Mapping[str, int], docs_per_part: int, parts: int
) -> list[pd.DataFrame]:
    """The frame's rows in ``parts`` pieces by their document's position; order kept within a piece."""
    at = frame[C.doc_id].map(position).to_numpy(dtype="float64", na_value=np.nan)
    index = np.where(np.isnan(at), parts - 1, np.floor_divide(at, docs_per_part)).astype("int64")
    return [frame[index == i].reset_index(drop=True) for i in range(parts)]


def _is_partition_folder(path: Path) -> bool:
    """True for a folder ``write_partitioned`` wrote: only partition files in it."""
    if not path.is_dir():
        return False
    entries = list(path.iterdir())
    return bool(entries) and all(p.is_file() and p.match(PART_PATTERN) for p in entries)


def read_tables(folder: Path, names: Sequence[str] = schema.TABLE_NAMES) -> dict[str, pd.DataFrame]:
    """The tables a CLI run wrote into ``folder``, each as one frame of its schema, by name.

    Reads either layout: ``<name>.parquet`` (a local run) or ``<name>/part-*.parquet`` (``--scheduler``),
    partitions in name order; ``Corpus(**read_tables(out))`` is the run's corpus again.
    """
    tables: dict[str, pd.DataFrame] = {}
    for name in names:
        parts = sorted((folder / name).glob(PART_PATTERN)) if (folder / name).is_dir() else []
        single = folder / f"{name}.parquet"
        if not parts and not single.is_file():
            raise ExtractError(f"{folder} holds no {name} table ({name}.parquet or {name}/part-*.parquet); "
                               f"write it with `microdrama-facts PATH... --out {folder}`")
        frames = [pd.read_parquet(p) for p in parts] if parts else [pd.read_parquet(single)]
        frames = [f for f in frames if not f.empty] or [schema.empty(name)]
        joined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        tables[name] = schema.conform(joined, name)
    return tables
