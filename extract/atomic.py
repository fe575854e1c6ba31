"""Writes that are never half-done: a flushed temporary file in the target's folder, then one rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(target: Path, data: bytes, *, prefix: str, suffix: str = ".tmp") -> None:
    """Write ``data`` to ``target`` so that a crash leaves the old file or the new one, never a mix.

    The temporary file is named ``prefix…suffix`` in the same folder (a dot prefix keeps the corpus
    loader, which skips hidden files, from reading one a crash left behind); the folder's entry list is
    flushed after the rename so that it survives a power cut.
    """
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entry list so a rename or delete survives a power cut (a no-op where unsupported)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_folder(target: Path, fill: Callable[[Path], None], *, prefix: str) -> None:
    """Make ``target`` a folder that ``fill`` wrote in full, or leave the old one: never a mix.

    ``fill`` writes into a hidden staging folder beside ``target`` (a dot prefix: pyarrow.dataset and
    pandas.read_parquet skip it, as does the corpus loader); its files are flushed, the old folder is
    renamed aside, the staging folder renamed into place and the old one removed. Between those two
    renames a reader finds no folder rather than a partial one; a crash there leaves the old folder
    beside it, named ``prefix…old``.
    """
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    old: Path | None = None
    try:
        fill(staging)
        for path in staging.iterdir():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(staging)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=prefix, suffix="old", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not target.exists():
            os.replace(old / target.name, target)  # put the old folder back
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        raise
    fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
