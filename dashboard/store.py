"""The user-corpus folder: documents users upload, kept across restarts under safe file names.

Plain functions, no Streamlit: every write goes to a temporary file in the same folder, is flushed to
disk and then renamed over the target (``os.replace``), so a crash never leaves half a document behind,
and no name a browser sends (``../x``, ``/etc/passwd``, ``CON``, NUL bytes) can write outside the folder.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import stat
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from extract import corpus
from extract.atomic import fsync_dir, write_atomic

ALLOWED_SUFFIXES: tuple[str, ...] = (".md", ".txt", ".html", ".htm", ".pdf", ".docx")
MAX_UPLOAD_BYTES: int = 5 * 1024 * 1024  # an article (text, Markdown, a saved page)
# A PDF or Word report: the loader's own limit, which server.maxUploadSize in .streamlit/config.toml matches.
MAX_REPORT_BYTES: int = corpus.MAX_REPORT_BYTES
MAX_NAME_BYTES: int = 150  # well under the usual 255-byte limit, leaving room for "-2" and temp prefixes

# Device names Windows refuses as file names, with or without an extension.
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)]
)
# Path separators, characters Windows forbids, and the shell-hostile few; control characters go separately.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_TEMP_PREFIX, _TEMP_SUFFIX = ".upload-", ".tmp"
# A temporary file this old belongs to a writer that was killed: a live write of MAX_UPLOAD_BYTES takes
# seconds and refreshes the file's mtime as it goes, so no live writer's file is ever this stale.
STALE_TEMP_SECONDS: float = 15 * 60


class UploadError(ValueError):
    """An upload was refused; the message says why and what to do."""


@dataclass(frozen=True)
class StoredFile:
    """A document in the user-corpus folder."""

    name: str
    path: Path
    size: int
    mtime_ns: int


def sanitize_name(name: str) -> str:
    """A safe file name for an uploaded ``name``, e.g. ``sanitize_name("../a/报告?.MD") == "报告_.md"``."""
    # Browsers may send a full path (old IE) or a crafted one: only the last component counts.
    base = re.split(r"[\\/]", name.replace("\x00", ""))[-1]
    base = unicodedata.normalize("NFC", base).strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.strip().lower()
    if suffix not in ALLOWED_SUFFIXES:
        allowed = ", ".join(ALLOWED_SUFFIXES)
        raise UploadError(f"{name!r}: only {allowed} files can be added; save the document as one of those")
    stem = _UNSAFE.sub("_", stem)
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C")  # format/private-use chars
    stem = re.sub(r"\s+", " ", stem).strip(" .")
    if not stem:
        stem = "document"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return _truncate(stem, MAX_NAME_BYTES - len(suffix.encode())) + suffix


def size_limit(name: str) -> int:
    """The largest upload of this file type: a report may be ten times an article."""
    return MAX_REPORT_BYTES if Path(name).suffix.lower() in corpus.REPORT_SUFFIXES else MAX_UPLOAD_BYTES


def validate(name: str, data: bytes, *, max_bytes: int | None = None) -> str:
    """The sanitised name of an acceptable upload; :class:`UploadError` when too big, empty or mistyped."""
    max_bytes = size_limit(name) if max_bytes is None else max_bytes
    if len(data) > max_bytes:
        raise UploadError(
            f"{name!r} is {_size_text(len(data), up=True)}, over the {_size_text(max_bytes)} limit; "
            "split it or remove images and markup first"
        )
    if not data.strip():
        raise UploadError(f"{name!r} is empty; upload a file with text in it")
    return sanitize_name(name)


def save_upload(folder: str | Path, name: str, data: bytes, *, max_bytes: int | None = None) -> Path:
    """Write an uploaded document into ``folder`` atomically under a sanitised, unused name; return its path.

    Uploading the same bytes under the same name again returns the existing file instead of a copy.
    """
    safe = validate(name, data, max_bytes=max_bytes)
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(root)
    target = _free_name(root, safe, data)
    if target.exists():
        return target
    _atomic_write(root, target, data)
    return target


def pasted_document(text: str, *, title: str = "", date: str = "", source: str = "",
                    url: str = "") -> tuple[str, bytes]:
    """(file name, Markdown bytes) of a pasted article: front matter with the fields given, then the text.

    The front matter is written by YAML's safe dumper, so a title with colons, quotes or ``---`` stays one
    value; an empty field is left out.
    """
    body = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise UploadError("the pasted text is empty; paste the article first")
    fields = {k: v.strip() for k, v in (("title", title), ("date", date), ("source", source), ("url", url))
              if v and v.strip()}
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000) if fields else ""
    data = (f"---\n{front}---\n\n" if front else "") + body + "\n"
    name = sanitize_name(((title.strip() or body.split("\n", 1)[0].strip())[:60] or "pasted") + ".md")
    return name, data.encode("utf-8")


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
EDITABLE = ("title", "date", "source", "url")


def edit_metadata(folder: str | Path, name: str, fields: dict[str, str]) -> Path:
    """Rewrite the title, date, source or URL in an added .md or .txt document's front matter, atomically.

    Only the keys in ``fields`` change; an empty one is removed; other keys and the text are kept. HTML
    pages carry their own metadata and are refused.
    """
    known = {f.name: f.path for f in list_uploads(folder)}
    if name not in known:
        raise UploadError(f"{name!r} is not a document you added; reload the page to see the current list")
    path = known[name]
    if path.suffix.lower() not in (".md", ".txt"):
        raise UploadError(f"{name!r} is a web page: its title and date come from the page itself")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError(f"{name!r} is not UTF-8 text, so its front matter cannot be edited safely; "
                          "save it as UTF-8 first") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    m = _FRONT.match(text)
    current: dict = {}
    if m and m.group(1):
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            raise UploadError(f"{name!r} has front matter that is not valid YAML; fix it in a text editor "
                              "first") from None
        if isinstance(loaded, dict):
            current = loaded
        else:
            m = None  # not front matter at all (the loader reads it as text): keep every line of it
    body = text[m.end():] if m else text
    for key in (k for k in EDITABLE if k in fields):  # a field not given keeps what the file says
        value = (fields.get(key) or "").strip()
        if value:
            current[key] = value
        else:
            current.pop(key, None)
    front = yaml.safe_dump(current, allow_unicode=True, sort_keys=False, width=10_000) if current else ""
    data = ((f"---\n{front}---\n\n" if front else "") + body.lstrip("\n")).encode("utf-8")
    _atomic_write(Path(folder), path, data)
    return path


def list_uploads(folder: str | Path) -> list[StoredFile]:
    """The documents in ``folder`` (not its subfolders), sorted by name; none when it does not exist."""
    root = Path(folder)
    if not root.is_dir():
        return []
    out = []
    for entry in os.scandir(root):
        name = entry.name
        if name.startswith(".") or not entry.is_file(follow_symlinks=False):
            continue
        if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
            continue
        stat = entry.stat(follow_symlinks=False)
        out.append(StoredFile(name=name, path=Path(entry.path), size=stat.st_size, mtime_ns=stat.st_mtime_ns))
    return sorted(out, key=lambda f: f.name)


def remove_upload(folder: str | Path, name: str) -> None:
    """Delete the document ``name`` from ``folder``; only names :func:`list_uploads` shows can be removed."""
    known = {f.name: f.path for f in list_uploads(folder)}
    if name not in known:
        raise UploadError(f"{name!r} is not a document in {folder}; reload the page to see the current list")
    known[name].unlink()
    fsync_dir(Path(folder))


def remove_stale_temps(folder: str | Path, *, now: float | None = None) -> list[Path]:
    """Delete the temporary files of writers killed mid-upload, once older than ``STALE_TEMP_SECONDS``."""
    # Hidden, so never read as documents; without this sweep each killed upload would leave up to
    # MAX_UPLOAD_BYTES on disk for ever.
    cutoff = (time.time() if now is None else now) - STALE_TEMP_SECONDS
    removed: list[Path] = []
    with contextlib.suppress(FileNotFoundError), os.scandir(folder) as entries:
        for entry in entries:
            if not (entry.name.startswith(_TEMP_PREFIX) and entry.name.endswith(_TEMP_SUFFIX)):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except OSError:
                continue  # swept by another writer meanwhile, or not ours to remove: the upload matters more
    return removed


def _free_name(root: Path, safe: str, data: bytes) -> Path:
    """``root/safe``, or ``root/stem-2.ext`` and so on when a different file already has that name."""
    stem, suffix = safe[: -len(Path(safe).suffix)], Path(safe).suffix
    for n in range(1, 1000):
        candidate = root / (safe if n == 1 else f"{stem}-{n}{suffix}")
        if not candidate.exists():
            return candidate
        if candidate.is_file() and candidate.stat().st_size == len(data) and candidate.read_bytes() == data:
            return candidate
    raise UploadError(f"too many files named like {safe!r}; remove some before adding more")


def _atomic_write(root: Path, target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a flushed, hidden temporary file in ``root`` and a rename."""
    write_atomic(root / target.name, data, prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX)


def _size_text(n: int, *, up: bool = False) -> str:
    """A byte count in the uploader's units (MB = 1024² bytes), e.g. ``_size_text(5 * 1024**2) == "5 MB"``."""
    # Sizes (up=True) round up and limits down, so a file just over the limit never reads as the limit.
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size:
            value = (math.ceil if up else math.floor)(n * 10 / size) / 10
            return f"{value:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _truncate(text: str, max_bytes: int) -> str:
    """``text`` cut at a character boundary so that its UTF-8 form fits in ``max_bytes``."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore").rstrip(" .")
