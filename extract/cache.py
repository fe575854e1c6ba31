"""On-disk Parquet cache of per-document tables, keyed by file content hash and extractor version.

Layout: ``<cache_dir>/<version>/<generation>/<table>.parquet``, each holding the rows of every cached
document, and ``<cache_dir>/<version>/CURRENT`` naming the live generation. A run reads the files once,
extracts only the documents whose content hash is missing, and writes a whole new generation before
switching CURRENT to it with one atomic rename, so a crash mid-write never leaves tables that disagree.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from extract import schema
from extract.errors import CacheError

# Tables produced per document; "errors" and "corroboration" are corpus-level and never cached.
DOC_TABLES: tuple[str, ...] = ("documents", "sentences", "claims", "keywords", "themes", "mentions", "events")


def default_cache_dir() -> Path:
    """``$MICRODRAMA_CACHE``, else ``$XDG_CACHE_HOME/microdrama-facts`` (``~/.cache/microdrama-facts``)."""
    if env := os.environ.get("MICRODRAMA_CACHE"):
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "microdrama-facts"


# Modules that never change what extraction produces: editing them keeps the cache.
_NOT_EXTRACTION = frozenset({"reviews.py", "cli.py", "atomic.py"})


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Hash of the package's code and lexicons: any change to the extractor invalidates the cache."""
    digest = hashlib.sha256()
    root = resources.files("extract")
    for path in sorted(Path(str(root)).rglob("*")):
        if path.name in _NOT_EXTRACTION:
            continue
        if path.suffix in {".py", ".txt", ".toml"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(Path(str(root))).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class TableCache:
    """The cache folder of one extractor version; read with ``load``, write with ``save``."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        """Open (and create) ``<cache_dir>/<extractor_version>``."""
        self.root = Path(cache_dir or default_cache_dir()) / extractor_version()
        self.root.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def locked(self, *, shared: bool = False) -> Iterator[None]:
        """Hold the cache's lock: exclusive for writers, shared for readers, so neither sees half a save."""
        with open(self.root / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def load(self) -> tuple[dict[str, pd.DataFrame], list[str]]:
        """All cached tables, plus a message per corrupt file; a corrupt generation is dropped and rebuilt."""
        with self.locked(shared=True):
            return self.load_unlocked()

    def load_unlocked(self) -> tuple[dict[str, pd.DataFrame], list[str]]:
        """``load`` for a caller that already holds the lock."""
        generation = self._current()
        if generation is None:
            return {name: schema.empty(name) for name in DOC_TABLES}, self._dangling()
        tables: dict[str, pd.DataFrame] = {}
        problems: list[str] = []
        for name in DOC_TABLES:
            try:
                tables[name] = self._read(generation / f"{name}.parquet", name)
            except CacheError as exc:
                problems.append(str(exc))
        if problems:
            # One broken table makes the others untrustworthy for the documents it held: start clean.
            (self.root / "CURRENT").unlink(missing_ok=True)
            shutil.rmtree(generation, ignore_errors=True)
            tables = {name: schema.empty(name) for name in DOC_TABLES}
        return tables, problems

    def save(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Write every table into a new generation folder, fsync, then switch CURRENT to it atomically."""
        old = self._current()
        generation = self.root / f"gen-{uuid.uuid4().hex}"
        generation.mkdir()
        for name in DOC_TABLES:
            with open(generation / f"{name}.parquet", "wb") as handle:
                schema.conform(tables[name], name).to_parquet(handle, index=False)
                handle.flush()
                os.fsync(handle.fileno())
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".CURRENT.")
        with os.fdopen(fd, "w") as handle:
            handle.write(generation.name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.root / "CURRENT")
        if old is not None and old != generation:
            shutil.rmtree(old, ignore_errors=True)

    def _current(self) -> Path | None:
        """The live generation folder, or None when nothing is cached yet."""
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except OSError:
            return None
        generation = self.root / name
        return generation if name.startswith("gen-") and generation.is_dir() else None

    def _dangling(self) -> list[str]:
        """A problem when CURRENT exists but names no generation (and the pointer is dropped), else none."""
        pointer = self.root / "CURRENT"
        try:
            name = pointer.read_text(errors="replace").strip()
        except FileNotFoundError:
            return []
        except OSError as exc:
            name = f"unreadable ({exc.strerror or exc})"
        pointer.unlink(missing_ok=True)
        return [f"cache pointer {pointer} names no cached generation ({name[:80]!r}); the cache was dropped "
                "and the documents were extracted again"]

    @staticmethod
    def _read(path: Path, name: str) -> pd.DataFrame:
        """Read one table, turning any decoding problem into a CacheError that says what happens next."""
        try:
            return schema.conform(pd.read_parquet(path), name)
        except Exception as exc:  # pyarrow raises several types for truncated or garbled files
            raise CacheError(
                f"cache file {path} is corrupt ({type(exc).__name__}: {exc}); the cache was dropped "
                "and the documents were extracted again"
            ) from exc
