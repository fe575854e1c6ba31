"""Writes that are never half-done: a flushed temporary file in the target's folder, then one rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
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
