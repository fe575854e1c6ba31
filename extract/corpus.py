"""Reading documents: Markdown with YAML front matter, plain text and HTML, in any common Chinese encoding.

Every loader returns a :class:`Document` whose ``text`` is the body that all later offsets refer to:
line endings are normalised to ``"\\n"``, front matter is removed and HTML is reduced to its main text.
Problems that lose nothing (broken front matter, an unreadable date) become ``Document.warnings``;
problems that leave no text to read raise :class:`~extract.errors.DocumentError`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import os
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import yaml
from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    MarkupResemblesLocatorWarning,
    NavigableString,
    ProcessingInstruction,
    Tag,
)
from charset_normalizer import from_bytes

from extract import schema
from extract.errors import DocumentError
from extract.header import date_from_url, leading_date, read_header, read_json_ld
from extract.html_main import main_lines
from extract.noise import squeeze
from extract.normalize import detect_script
from extract.schema import C

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SUPPORTED_SUFFIXES: tuple[str, ...] = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
MAX_FILE_BYTES: int = 20 * 1024 * 1024

_FORMATS = {".md": "md", ".markdown": "md", ".txt": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf",
            ".docx": "docx"}
MAX_REPORT_BYTES: int = 50 * 1024 * 1024  # PDF and Word reports: images make them large
REPORT_SUFFIXES: tuple[str, ...] = (".pdf", ".docx")
_BINARY_FORMATS = ("pdf", "docx")
_TITLE_MAX = 80


@dataclass(frozen=True)
class Document:
    """One loaded document: its metadata and the body text every offset refers to."""

    doc_id: str
    path: str
    file_name: str
    format: str
    encoding: str
    script: str
    title: str
    date: str | None
    summary: str | None
    categories: tuple[str, ...]
    source_name: str | None
    source_url: str | None
    text: str
    content_hash: str
    warnings: tuple[str, ...] = ()
    kind: str = "article"
    cited_source: str | None = None
    pages: tuple[tuple[int, int, int], ...] = ()  # a PDF's (page from 1, start, end) spans of the text


def load_document(path: str | Path) -> Document:
    """Read and parse one file, e.g. ``load_document("seeds/000_346428899b60929e.md").title``."""
    p = Path(path)
    _format_of(str(p))  # fail on an unsupported type before reading a possibly huge file
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise DocumentError(f"{p}: is not a file; pass a document file or a folder of them")
        if size > _limit(str(p)):
            raise DocumentError(_too_big(str(p), size))
        data = p.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{p}: file not found; check the path") from None
    except PermissionError:
        raise DocumentError(f"{p}: permission denied; make the file readable") from None
    except OSError as exc:
        raise DocumentError(f"{p}: cannot be read ({exc.strerror or exc}); check the path") from None
    return parse_document(str(path), data)


def parse_document(name: str, data: bytes) -> Document:
    """Parse a document from its bytes (for uploads); ``name`` gives the format and becomes ``path``."""
    fmt = _format_of(name)
    if len(data) > _limit(name):
        raise DocumentError(_too_big(name, len(data)))
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty; add the article text or remove the file")
    if fmt in _BINARY_FORMATS:
        return _report_document(name, data, fmt)
    raw, encoding = _decode(name, data, fmt)
    raw = _normalise_newlines(raw)
    if not raw.strip():
        raise DocumentError(f"{name}: the file is empty (only white space); add the article text")
    if _looks_binary(raw):
        raise DocumentError(_binary(name))
    meta = _html_meta(raw) if fmt == "html" else _text_meta(raw, fmt)
    if not meta.text.strip():
        what = "no readable text outside markup" if fmt == "html" else "front matter but no body text"
        raise DocumentError(f"{name}: the file is empty ({what}); add the article text")
    digest = hashlib.sha256(data).hexdigest()
    return Document(
        doc_id=digest[:16],
        path=name,
        file_name=Path(name).name,
        format=fmt,
        encoding=encoding,
        script=detect_script(meta.text),
        title=meta.title or _stem(name),
        date=meta.date,
        summary=meta.summary,
        categories=meta.categories,
        source_name=meta.source_name,
        source_url=meta.source_url,
        text=meta.text,
        content_hash=digest,
        warnings=tuple(f"{name}: {w}" for w in meta.warnings),
        kind=meta.kind,
        cited_source=meta.cited_source,
    )


def _limit(name: str) -> int:
    """The largest file of this type that is read: reports (PDF, Word) may be bigger than articles."""
    return MAX_REPORT_BYTES if Path(name).suffix.lower() in REPORT_SUFFIXES else MAX_FILE_BYTES


def _report_document(name: str, data: bytes, fmt: str) -> Document:
    """A PDF or Word file as a document: its text in reading order, pages (PDF), title and date.

    The date is the one the text's own header lines give, else the file's creation date (often when the
    report was exported, so second best).
    """
    from extract.pdf import read_pdf
    from extract.word import read_docx

    read = read_pdf(data, name) if fmt == "pdf" else read_docx(data, name)
    text = read.text  # as read: the page spans are offsets into it
    header = read_header(text)
    title = _clip(read.title) if read.title else (_body_title(text, "txt") or _stem(name))
    digest = hashlib.sha256(data).hexdigest()
    return Document(
        doc_id=digest[:16], path=name, file_name=Path(name).name, format=fmt, encoding="binary",
        script=detect_script(text), title=title,
        date=header.date or read.date, summary=None, categories=(), source_name=header.source_name,
        source_url=header.source_url, text=text, content_hash=digest,
        warnings=tuple(f"{name}: {w}" for w in read.warnings),
        pages=tuple(getattr(read, "pages", ())),
    )


def iter_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given plus supported files found recursively in folders; sorted, unique, no hidden files."""
    found: dict[str, Path] = {}  # by real path: a file reached twice (or through a symlink) counts once
    for given in paths:
        p = Path(given)
        candidates = _walk(p) if p.is_dir() else iter([(os.path.realpath(p), p)])
        for real, f in candidates:
            found.setdefault(real, f)
    return sorted(found.values())


def documents_frame(docs: Sequence[Document]) -> pd.DataFrame:
    """The ``documents`` table: one row per document, categories joined by ``"|"``."""
    if not docs:
        return schema.empty("documents")
    return schema.frame("documents", document_columns(docs))


def document_columns(docs: Sequence[Document]) -> dict[str, list[object]]:
    """The ``documents`` table's columns as plain lists, to be appended to a batch's table."""
    return {
        C.doc_id: [d.doc_id for d in docs],
        C.path: [d.path for d in docs],
        C.file_name: [d.file_name for d in docs],
        C.format: [d.format for d in docs],
        C.encoding: [d.encoding for d in docs],
        C.script: [d.script for d in docs],
        C.title: [d.title for d in docs],
        C.date: [d.date for d in docs],
        C.summary: [d.summary for d in docs],
        C.categories: ["|".join(d.categories) for d in docs],
        C.source_name: [d.source_name for d in docs],
        C.source_url: [d.source_url for d in docs],
        C.kind: [d.kind for d in docs],
        C.cited_source: [d.cited_source for d in docs],
        C.n_chars: [len(d.text) for d in docs],
        C.content_hash: [d.content_hash for d in docs],
        C.text: [d.text for d in docs],
        C.warnings: ["\n".join(d.warnings) for d in docs],
    }


# --- paths and formats -------------------------------------------------------------------------------


def _walk(folder: Path) -> Iterator[tuple[str, Path]]:
    """(real path, path) of the supported, non-hidden files below ``folder``, in ``os.walk``'s order;
    symlinked folders are not followed (no loops), unreadable ones skipped.

    A file's real path is its real folder's plus its name unless the file is itself a symlink, so only
    the folder and symlinks are resolved (resolving every file was most of a warm run's file listing).
    """
    todo = [(str(folder), os.path.realpath(folder))]
    while todo:
        shown, real = todo.pop()
        try:
            with os.scandir(shown) as scan:
                entries = list(scan)
        except OSError:
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if not entry.is_symlink():
                    folders.append((entry.path, os.path.join(real, entry.name)))
            elif Path(entry.name).suffix.lower() in SUPPORTED_SUFFIXES:
                own = os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real, entry.name)
                yield own, Path(entry.path)
        todo.extend(reversed(folders))  # depth first, in listing order, as os.walk goes


def _format_of(name: str) -> str:
    """``"md"``, ``"txt"`` or ``"html"`` from the file name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix not in _FORMATS:
        shown = f"type {suffix!r}" if suffix else "name without a suffix"
        raise DocumentError(
            f"{name}: unsupported file {shown}; save it as one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    return _FORMATS[suffix]


def _stem(name: str) -> str:
    """The file name without folders and suffix: the title of last resort."""
    return Path(name).stem or Path(name).name or name


def _too_big(name: str, size: int) -> str:
    """The message for a file over the size limit."""
    return (
        f"{name}: the file is {size / 1024 / 1024:.1f} MB, over the {_limit(name) // 1024 // 1024} MB "
        "limit; split it into several articles"
    )


def _binary(name: str) -> str:
    """The message for a file that is not text."""
    return (
        f"{name}: the file looks binary (not text in a known encoding); "
        "save it as UTF-8 text, Markdown or HTML"
    )


# --- decoding ------------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Detectors report these as separate encodings, but GB18030 decodes all of them and more.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn", "euc-cn", "ms936"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_PUNCT = re.compile(r"[\u2000-\u206f\u3000-\u303f\uff00-\uffef\u00b7\u00d7]")
_WIDE = re.compile(r"[^\x00-\x7f]")
_SAMPLE_CHARS = 200_000  # enough to tell encodings apart; scoring a whole 20 MB file adds nothing
_NOT_PROSE = re.compile(r"[^\x20-\x7e\t\n\r\u4e00-\u9fff\u2000-\u206f\u3000-\u303f\uff00-\uffef\u00b7\u00d7]")
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_\-]{2,30})""", re.I)


def _decode(name: str, data: bytes, fmt: str) -> tuple[str, str]:
    """The text of ``data`` and its encoding: BOMs, UTF-8, Chinese legacy, HTML <meta>, then a detector."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise DocumentError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid {encoding}; "
                    "re-save it as UTF-8"
                ) from None
    if b"\x00" in data:
        # NUL is valid UTF-8, but only UTF-16 text holds NUL bytes; anything else with them is binary.
        found = _bomless_utf16(data)
        if found is None:
            raise DocumentError(_binary(name))
        return found
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Before a page's declared charset: pages that claim iso-8859-1 but hold GBK are common.
    chinese = _chinese_legacy(data)
    if chinese:
        return chinese
    declared = _declared_charset(data) if fmt == "html" else None
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the page lies about its charset; detect it instead
    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(_binary(name))
    encoding = best.encoding
    if encoding.replace("-", "_") in _GB_FAMILY:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            pass
    return str(best), encoding


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """Decode UTF-16 without a byte-order mark when one byte order gives clearly plausible text."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None or best[0] < 0.95:
        return None
    return best[1], best[2]


def _plausible(text: str) -> float:
    """Share of characters that ordinary Chinese or English prose is made of (random bytes score ~0.3)."""
    if not text:
        return 0.0
    return 1 - len(_NOT_PROSE.findall(text)) / len(text)


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """The most frequent Chinese characters: GB2312 level 1 plus Big5 level 1 (about 6,700)."""
    chars: set[str] = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for code in range(0xA440, 0xC67F):
        try:
            chars.add(code.to_bytes(2, "big").decode("big5"))
        except UnicodeDecodeError:
            continue
    return frozenset(chars)


def _chinese_legacy(data: bytes) -> tuple[str, str] | None:
    """Decode GB18030, Big5 or BOM-less UTF-16 bytes when one of them yields mostly common characters.

    charset-normalizer misreads short Chinese texts (20 GBK characters come out as UTF-16-BE), so the
    candidate whose decoding is made of frequent hanzi and punctuation wins; a wrong decoding scores
    about 0.2-0.6, a right one above 0.9. UTF-16 is a candidate because pure-Chinese UTF-16 has no NULs.
    """
    candidates = ("gb18030", "big5") + (("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ())
    scored: list[tuple[float, int, str, str]] = []
    for rank, encoding in enumerate(candidates):  # rank: the earlier encoding wins ties
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _common_share(text)
        if score is not None:
            scored.append((score, -rank, text, encoding))
    if not scored:
        return None
    score, _, text, encoding = max(scored)
    return (text, encoding) if score >= 0.75 else None


def _common_share(text: str) -> float | None:
    """Share of non-ASCII and control characters that are common hanzi or punctuation; None for ASCII."""
    wide = _WIDE.findall(text, 0, _SAMPLE_CHARS)
    if not wide:
        return None
    common = _common_hanzi()
    good = sum(1 for ch in wide if ch in common or _PUNCT.match(ch))
    return good / (len(wide) + len(_CONTROL.findall(text, 0, _SAMPLE_CHARS)))


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, as a Python codec name (GBK read as GB18030)."""
    m = _HTML_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    return "gb18030" if name in _GB_FAMILY else name


def _normalise_newlines(text: str) -> str:
    """CRLF and lone CR to LF, and no leading byte-order mark."""
    return text.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")


def _looks_binary(text: str) -> bool:
    """True when NULs or over 5% control or replacement characters show the bytes were not text."""
    return "\x00" in text or len(_CONTROL.findall(text)) > 0.05 * len(text)


# --- Markdown and plain text ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Meta:
    """What a format-specific reader found: the body text and its metadata."""

    text: str
    title: str | None = None
    date: str | None = None
    summary: str | None = None
    categories: tuple[str, ...] = ()
    source_name: str | None = None
    source_url: str | None = None
    warnings: tuple[str, ...] = ()
    kind: str = "article"
    cited_source: str | None = None


_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_YAML_KEY = re.compile(r"^[\w-]+\s*:(?:\s|$)")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_LAST_LINK = re.compile(r"^\s*\[([^\]\n]+)\]\((https?://[^\s)]+)\)\s*$")
_MD_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`>#]+")
_URL_KEYS = ("source_url", "url", "link", "original", "original_url", "source", "canonical")
_NAME_KEYS = ("source_name", "source", "publisher", "site", "site_name")
_CATEGORY_KEYS = ("categories", "category")


def _text_meta(raw: str, fmt: str) -> _Meta:
    """Split off YAML front matter (Markdown and .txt alike); date and source from it, else from the body."""
    fields, body, problems = _split_front_matter(raw)
    body = _trim_body(body)
    header = read_header(body)
    title = _scalar(fields, "title", problems)
    date = _date_field(fields, problems) or header.date
    summary = _scalar(fields, "summary", problems) or _scalar(fields, "description", problems)
    categories = _categories(fields, problems)
    source_url, source_name = _front_source(fields, problems)
    kind, cited_source = _kind(fields, problems), _scalar(fields, "cited_source", problems)
    if source_url is None:
        source_name, source_url = _last_line_link(body, source_name)
    source_name = source_name or header.source_name
    source_url = source_url or header.source_url
    if source_url and not source_name:
        source_name = _host(source_url)
    return _Meta(
        text=body,
        title=_clip(title) if title else _body_title(body, fmt),
        date=date,
        summary=summary,
        categories=categories,
        source_name=source_name,
        source_url=source_url,
        warnings=tuple(problems),
        kind=kind,
        cited_source=cited_source,
    )


KINDS = ("article", "note")


def _kind(fields: dict[str, Any], problems: list[str]) -> str:
    """The front matter's ``kind``: article (the default) or note, a summary we wrote of one source."""
    kind = _scalar(fields, "kind", problems)
    if kind is None:
        return "article"
    if kind.strip().lower() not in KINDS:
        problems.append(f"front matter kind {kind!r} is not one of {', '.join(KINDS)}; read as article")
        return "article"
    return kind.strip().lower()


def _split_front_matter(raw: str) -> tuple[dict[str, Any], str, list[str]]:
    """Front-matter fields, the body after it, and warnings; broken YAML is dropped with a warning."""
    problems: list[str] = []
    m = _FRONT.match(raw)
    if m is None:
        if raw.startswith("---\n") and _YAML_KEY.match(raw[4:].lstrip("\n")):
            problems.append(
                "front matter opens with '---' on line 1 but is never closed; add a closing '---' line. "
                "The whole file was read as text"
            )
        return {}, raw, problems
    block, body = m.group(1) or "", raw[m.end():]
    try:
        # A safe loader only: YAML tags such as !!python/object are refused, never executed. libyaml's
        # CSafeLoader is the same safe loader in C, about ten times faster; PyYAML without it falls back.
        fields = yaml.load(block, Loader=_SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        problems.append(
            f"front matter is not valid YAML ({_yaml_problem(exc)}); it was skipped and the body kept. "
            "Fix the YAML between the '---' lines"
        )
        return {}, body, problems
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        # Dates such as 2025-02-30 make the YAML parser itself raise ValueError.
        problems.append(
            f"front matter could not be read ({type(exc).__name__}: {exc}); it was skipped and the "
            "body kept. Fix the YAML between the '---' lines"
        )
        return {}, body, problems
    if fields is None:
        return {}, body, problems
    if not isinstance(fields, dict):
        # Not front matter after all (e.g. a line of text between two rules): keep everything as text.
        return {}, raw, problems
    return {str(k).lower(): v for k, v in fields.items()}, body, problems


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """A YAML error with file line numbers: "while scanning a quoted scalar on line 2: found ..."."""
    parts = []
    for what, mark in ((exc.context, exc.context_mark), (exc.problem, exc.problem_mark)):
        if what:
            # +2: marks count from 0 and from the line after the opening '---'.
            parts.append(f"{what} on line {mark.line + 2}" if mark is not None else what)
    return ": ".join(parts) or "unreadable YAML"


def _trim_body(body: str) -> str:
    """Drop blank lines before the body and white space after it."""
    return re.sub(r"\A(?:[ \t]*\n)+", "", body).rstrip()


_SCALARS = (str, int, float, dt.date)


def _scalar(fields: dict[str, Any], key: str, problems: list[str]) -> str | None:
    """A front-matter text field, or None when absent, empty or not a single value."""
    value = fields.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, _SCALARS):
        problems.append(f"front matter field {key!r} should be a single text value; it was ignored")
        return None
    text = str(value).strip()
    return text or None


def _date_field(fields: dict[str, Any], problems: list[str]) -> str | None:
    """The front-matter date as YYYY-MM-DD, with a warning when it is not a date."""
    for key in ("date", "published", "pubdate", "publish_date", "published_at"):
        value = fields.get(key)
        if value is None or value == "":
            continue
        date = to_iso_date(value)
        if date is None:
            # Never str() a list or mapping: YAML aliases make a 400-byte one stand for 10⁹ items.
            shown = repr(str(value)[:40]) if isinstance(value, _SCALARS) else f"(a {type(value).__name__})"
            problems.append(f"front matter {key} {shown} is not a date; write it as YYYY-MM-DD")
        return date
    return None


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\D|$)")


def to_iso_date(value: object) -> str | None:
    """A date, datetime or string as YYYY-MM-DD, else None: ``to_iso_date("2025-02-10 08:10:30")``."""
    if isinstance(value, dt.datetime | dt.date):
        # isoformat, not strftime("%Y"), which writes year 999 as "999" rather than "0999" on Linux.
        return value.isoformat()[:10]
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    text = str(value).strip()
    m = _DATE.search(text) or _COMPACT_DATE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _categories(fields: dict[str, Any], problems: list[str]) -> tuple[str, ...]:
    """Front-matter categories from a list or a comma/'|'-separated string, blanks dropped."""
    for key in _CATEGORY_KEYS:
        value = fields.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            items = re.split(r"[,，|、;；]", value)
        elif isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value):
            items = [str(v) for v in value]
        elif isinstance(value, _SCALARS) and not isinstance(value, bool):
            items = [str(value)]
        else:
            problems.append(f"front matter field {key!r} should be a list of names; it was ignored")
            return ()
        return tuple(dict.fromkeys(s.strip() for s in items if s.strip()))
    return ()


def _front_source(fields: dict[str, Any], problems: list[str]) -> tuple[str | None, str | None]:
    """(source_url, source_name) from front-matter keys such as url, source, link or original."""
    # Each field read once: "source" is both a URL key and a name key, and reading it twice warned twice.
    values = {key: _scalar(fields, key, problems) for key in dict.fromkeys((*_URL_KEYS, *_NAME_KEYS))
              if key in fields}
    url = next((v for k in _URL_KEYS if (v := values.get(k)) and _is_url(v)), None)
    name = next((v for k in _NAME_KEYS if (v := values.get(k)) and not _is_url(v)), None)
    return url, name


def _is_url(text: str) -> bool:
    """True for an absolute http(s) URL."""
    return bool(re.match(r"https?://[^\s/]+", text, re.I))


def _last_line_link(body: str, name: str | None) -> tuple[str | None, str | None]:
    """(source_name, source_url) from a last line like ``[qq](https://new.qq.com/...)``, else (name, None)."""
    last = body.rstrip().rsplit("\n", 1)[-1]
    m = _LAST_LINK.match(last)
    if not m:
        return name, None
    return name or m.group(1).strip(), m.group(2)


def _host(url: str) -> str | None:
    """The site of a URL without ``www.``: ``_host("https://www.thepaper.cn/x") == "thepaper.cn"``."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _body_title(body: str, fmt: str) -> str | None:
    """The first Markdown heading (Markdown only) or else the first line with words (a Chinese character or
    two Latin letters), markup removed."""
    if fmt == "md":
        for m in _HEADING.finditer(body):
            title = _clip(_MD_MARKUP.sub(r"\1", m.group(1)))
            if title:
                return title
    for line in body.split("\n"):
        if (lead := leading_date(line)) is not None:
            line = line[lead[2]:]  # date 2025-09-19 这些时长…: the title starts after the date
        title = _clip(_MD_MARKUP.sub(r"\1", line)) if fmt == "md" else _clip(line.lstrip("# \t"))
        if title and _WORDS.search(title):  # "- +1", "0", "|": page furniture, not a title
            return title
    return None


_WORDS = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]|[A-Za-z]{2}")


def _clip(text: str) -> str:
    """Page noise (pinyin glosses, spam glyphs) squeezed out, white space collapsed, and cut to the title
    length, marking a cut with '…'."""
    squeezed = squeeze(text)
    text = " ".join((squeezed.text if squeezed is not None else text).split())
    return text if len(text) <= _TITLE_MAX else text[: _TITLE_MAX - 1] + "…"


# --- HTML ----------------------------------------------------------------------------------------------

# No <embed>: it is void and holds no text, but libxml2's HTML parser nests everything after it inside
# it, so dropping its subtree dropped the article that followed a video.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "svg", "canvas", "math",
    "form", "button", "select", "textarea", "input", "head", "title", "meta", "link", "base",
)
_CHROME_TAGS = ("nav", "aside", "footer", "menu", "dialog")
_BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
))
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_BREAK = "\x00"  # line-break marker; safe because text with NULs was rejected as binary
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# A line wrap in the HTML source next to a Chinese character is not a space: "504.4\n亿元" is "504.4亿元".
_CJK_WRAP = re.compile(
    f"(?<=[{_CJK}])[ \t\n\r\f]*\n[ \t\n\r\f]*|[ \t\n\r\f]*\n[ \t\n\r\f]*(?=[{_CJK}])"
)
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")
_DATE_META = (
    "article:published_time", "og:published_time", "og:release_date", "pubdate", "publishdate",
    "publish_date", "publication_date", "date", "dc.date", "dc.date.issued", "datepublished",
    "sailthru.date", "parsely-pub-date",
)


def _html_meta(raw: str) -> _Meta:
    """Main text and metadata of an HTML page; scripts, styles, handlers and navigation are dropped."""
    with warnings.catch_warnings():
        # Short pages that look like a file name or URL are still pages here.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(raw, "lxml")
    tags = _tags_by_name(soup)
    metas = _meta_tags(tags["meta"])
    title = metas.get("og:title") or metas.get("twitter:title")
    if not title and tags["title"]:
        title = tags["title"][0].get_text(" ", strip=True)
    rules_text = _html_text(soup, tags)
    heading = _html_heading(tags["h1"])
    text = main_lines(raw, rules_text, heading)  # the rules' lines that are the article's
    if title and heading and not (metas.get("og:title") or metas.get("twitter:title")):
        title = _without_site_name(" ".join(title.split()), heading)
    ld = read_json_ld(s.get_text() for s in tags["script"] if _is_json_ld(s))
    byline = read_header(rules_text, after=heading)  # bylines are not main text: read them from every line
    date = next((d for k in _DATE_META if (d := to_iso_date(metas.get(k, ""))) is not None), None)
    date = date or ld.date or byline.date
    if date is None:
        for t in tags["time"]:
            value = t.get("datetime") or t.get_text(" ", strip=True)
            if isinstance(value, str) and (date := to_iso_date(value)):
                break
    canonical = next((link.get("href") for link in tags["link"] if "canonical" in _rel(link)), None)
    urls = (canonical, metas.get("og:url"), ld.source_url, byline.source_url)
    source_url = next((u for u in urls if isinstance(u, str) and _is_url(u)), None)
    date = date or date_from_url(source_url)
    source_name = metas.get("og:site_name") or ld.source_name or byline.source_name
    source_name = source_name or (_host(source_url) if source_url else None)
    section = metas.get("article:section")
    return _Meta(
        text=text,
        title=_clip(title) if title else heading or _body_title(rules_text, "txt"),
        date=date,
        summary=metas.get("description") or metas.get("og:description"),
        categories=(section,) if section else (),
        source_name=source_name,
        source_url=source_url,
    )


# "标题_某某网", "某某报--标题", "标題｜某某視聽": a site name joined to the headline by one of these (not a
# colon, which opens a subtitle); a name is short and has no sentence punctuation.
_TITLE_SEPARATORS = frozenset("_-|｜—–·•")
_SITE_NAME_MAX = 20
_NOT_IN_NAME = re.compile(r"[，,。？?！!；;、：:]")


def _without_site_name(title: str, heading: str) -> str:
    """The <h1> headline when ``title`` is it plus a separator and a short site name, else ``title``."""
    if title == heading or heading not in (title[: len(heading)], title[-len(heading):]):
        return title
    rest = title[len(heading):] if title.startswith(heading) else title[: -len(heading)]
    name = rest.strip().strip("".join(_TITLE_SEPARATORS)).strip()
    joined = rest.strip()[:1] in _TITLE_SEPARATORS or rest.strip()[-1:] in _TITLE_SEPARATORS
    short = 0 < len(name) <= _SITE_NAME_MAX and not _NOT_IN_NAME.search(name)
    return heading if joined and short else title


_ROLE_MAIN = "[role=main]"  # pseudo tag name under which _tags_by_name files role="main" elements


def _tags_by_name(root: Tag) -> defaultdict[str, list[Tag]]:
    """Every tag below ``root`` by name, in document order.

    One walk replaces a bs4 find_all per name: find_all matching costs ~100 µs a tag, which made a
    page of 200,000 elements take most of a minute.
    """
    tags: defaultdict[str, list[Tag]] = defaultdict(list)
    for node in root.descendants:
        if isinstance(node, Tag):
            tags[node.name].append(node)
            if node.attrs.get("role") == "main":
                tags[_ROLE_MAIN].append(node)
    return tags


def _meta_tags(metas: list[Tag]) -> dict[str, str]:
    """<meta> name/property/itemprop (lower-cased) to content; the first occurrence wins."""
    out: dict[str, str] = {}
    for tag in metas:
        content = tag.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if isinstance(key, str):
                out.setdefault(key.strip().lower(), " ".join(content.split()))
    return out


def _is_json_ld(tag: Tag) -> bool:
    """True for a ``<script type="application/ld+json">`` block."""
    kind = tag.get("type")
    return isinstance(kind, str) and kind.strip().lower() == "application/ld+json"


def _rel(tag: Tag) -> list[str]:
    """A tag's rel values, lower-cased (bs4 gives a list, or a string for unusual markup)."""
    rel = tag.get("rel") or []
    return [r.lower() for r in ([rel] if isinstance(rel, str) else rel)]


def _html_heading(h1s: list[Tag]) -> str | None:
    """The first <h1> with text, as a title of last resort before the first line."""
    return next((title for h1 in h1s if (title := _clip(h1.get_text(" ", strip=True)))), None)


def _html_text(soup: BeautifulSoup, tags: defaultdict[str, list[Tag]]) -> str:
    """The page's main text, one block (paragraph, heading, list item, <br>) per line.

    The tree is read, never edited: bs4's insert and decompose rescan all siblings, which made a 5 MB
    page of paragraphs take minutes. Dropped subtrees and line breaks are kept as sets of node ids.
    """
    skip: set[int] = set()
    for name in _DROP_TAGS:
        for tag in tags[name]:
            _skip_subtree(tag, skip)
    for a in tags["a"]:
        href = a.get("href")
        if isinstance(href, str) and re.sub(r"[\s\x00-\x1f]", "", href).lower().startswith("javascript:"):
            _skip_subtree(a, skip)
    mains = (*tags["article"], *tags["main"], *tags[_ROLE_MAIN])
    root = next((t for t in mains if id(t) not in skip), soup)
    inner = tags if root is soup else _tags_by_name(root)
    for name in _CHROME_TAGS:
        for tag in inner[name]:
            _skip_subtree(tag, skip)
    in_pre = {id(s) for pre in inner["pre"] for s in pre.descendants if isinstance(s, NavigableString)}
    after: dict[int, Any] = {}
    ends = (_node_after(tag, root, after) for name in _BLOCK_TAGS for tag in inner[name])
    break_before = {id(n) for n in ends if n is not None}
    pieces: list[str] = []
    # .descendants follows next_element pointers: deeply nested pages cannot overflow the stack.
    for node in root.descendants:
        if id(node) in break_before:
            pieces.append(_BREAK)
        if id(node) in skip:
            continue
        if isinstance(node, Tag):
            if node.name == "br" or node.name in _BLOCK_TAGS:
                pieces.append(_BREAK)
        elif not isinstance(node, _SKIP_STRINGS):
            text = str(node).replace(_BREAK, "")
            pieces.append(text.replace("\n", _BREAK) if id(node) in in_pre else text)
    joined = _CJK_WRAP.sub("", "".join(pieces))
    lines = (_SPACE.sub(" ", line).strip() for line in joined.split(_BREAK))
    return "\n".join(line for line in lines if line)


def _skip_subtree(tag: Tag, skip: set[int]) -> None:
    """Add ``tag`` and everything inside it to the ids the text walk leaves out."""
    if id(tag) in skip:
        return  # already inside a dropped ancestor
    skip.add(id(tag))
    skip.update(id(d) for d in tag.descendants)


def _node_after(tag: Tag, root: Tag, memo: dict[int, Any]) -> Any:
    """The first node after ``tag`` ends (its next sibling, or an ancestor's) within ``root``, else None.

    ``memo`` remembers the answer for every ancestor climbed, so nested last children cost linear time.
    """
    chain: list[Any] = []
    node: Any = tag
    found: Any = None
    while node is not None and node is not root:
        if id(node) in memo:
            found = memo[id(node)]
            break
        chain.append(node)
        if node.next_sibling is not None:
            found = node.next_sibling
            break
        node = node.parent
    for n in chain:
        memo[id(n)] = found
    return found
