"""Publication date and source read from a document itself: byline lines, JSON-LD and dates in URLs.

Text pasted from a web page starts with a title and lines such as ``发布时间：2024-11-21 来源：中新网`` or
``某某网 2025-07-14``, and may end with ``（来源：某某日报）`` or a lone URL. :func:`read_header` reads
those lines and only those: a line counts when every part of it is a field (a labelled date, a
labelled name, a site name, a URL, toolbar words), so a sentence of the body that starts with a date
is never a publication date. The words live in ``extract/lexicon/header.toml``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from extract.errors import LexiconError
from extract.normalize import to_match_form

HEADER_FILE = "lexicon/header.toml"
HEAD_LINES = 6  # the header region: this many non-empty lines...
HEAD_CHARS = 400  # ...that start within this many characters
FOOT_LINES = 3  # the footer region, read for the source and the URL only
LINE_MAX = 100  # a longer line is prose, not a byline
TITLE_SEARCH_LINES = 300  # how far down an HTML page's text its <h1> is looked for
YEARS = (1990, 2100)

# Publication-date ranks: lower is surer. A footer date counts only with a label, below every header one.
_PUBLISH, _PLAIN, _UNLABELLED, _LOOSE, _UPDATE, _FOOTER = 0, 1, 2, 3, 4, 10
# Source ranks: a labelled name, then a site name on a dated byline, then the footer's.
_LABELLED, _SITE, _FOOTER_SOURCE = 0, 1, 2

_SEP = r"\s|｜¦·•・/\\\-—–_~、:：()（）\[\]【】<>《》「」『』\"'“”‘’*#+=…"
_SEP_RUN = re.compile(f"[{_SEP}]+")
_NAME_CHARS = f"[^{_SEP},，。;；!！?？]"
_URL = re.compile(r"https?://[^\s<>\"'，。、；）)】\]]+", re.I)
_MARKUP = str.maketrans("*`", "  ")
_PROSE = re.compile(r"[。！？!?；;，,]")
_SENTENCE_END = re.compile(r"[。；;]")
# Spaces inside a romanised name (Xiao Fei Ri Bao Wang): the name counts as one word of a byline.
_LATIN_NAME = re.compile(r"(?<=[A-Za-z])[ \t]+(?=[A-Za-z])")
LOOSE_WORDS = 3  # a loose byline holds at most this many other words...
LOOSE_WORD_CHARS = 12  # ...of at most this many characters each
LOOSE_LATIN_CHARS = 32  # ...or this many for a romanised name
_DATE = re.compile(
    r"(?P<y>\d{4})\s*(?:(?P<s>[-/.])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]?)(?!\d)"
)
_TIME = (
    r"(?:[01]?\d|2[0-3])(?:[:：][0-5]\d(?:[:：][0-5]\d)?(?:\.\d+)?|时[0-5]?\d分(?:[0-5]?\d秒)?)"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?(?!\d)"
)
_AFTER_DATE = re.compile(rf"(?:\s*T\s*|\s*)(?:{_TIME})", re.I)
_TIME_ONLY = re.compile(_TIME, re.I)
_DATE_START = r"\d{4}\s*[-/.年]"
_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+", re.I)
_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20|21)\d{2})(?:[-_/]?(?P<m>[01]\d)[-_/]?(?P<d>[0-3]\d)"
    r"|[-_/](?P<m2>\d{1,2})[-_/](?P<d2>\d{1,2}))(?!\d)"
)
_JSON_LD_MAX = 200_000  # characters of one JSON-LD block; a bigger one is not metadata
_JSON_DEPTH = 8


@dataclass(frozen=True)
class Header:
    """What a document says about itself: publication date (YYYY-MM-DD), source name and source URL."""

    date: str | None = None
    source_name: str | None = None
    source_url: str | None = None


def read_header(text: str, after: str | None = None) -> Header:
    """Date, source and URL from the header and footer lines: ``read_header("题\\n某网 2025-07-14").date``.

    ``after`` is a title (an HTML page's <h1>): when a line near the top equals it, the header starts
    below it, so that menus above the title are not read.
    """
    lines = [(i, line.strip()) for i, line in enumerate(text.split("\n")) if line.strip()]
    start = _title_index(lines, after)
    head = _head_lines(lines, start)
    foot = [pair for pair in lines[-FOOT_LINES:] if pair not in head]
    # (rank, order, value): the best rank wins, and among equals the first one read.
    dates: list[tuple[int, int, str]] = []
    # The line that ends the header may still open with the page's date (2025-12-30 1中国微短剧…).
    for _, line in lines[start:start + min(len(head) + 1, HEAD_LINES)]:
        if _read_line(line) is None and (opening := _opening_date(line)):
            dates.append((_LOOSE, len(dates), opening))
            break
    sources: list[tuple[int, int, str]] = []
    urls: list[tuple[int, int, str]] = []
    if lines and (lead := leading_date(lines[0][1])) is not None:
        dates.append((lead[0], len(dates), lead[1]))
    for region, line in [(0, line) for _, line in head] + [(1, line) for _, line in foot]:
        found = _read_line(line)
        if found is None:
            continue
        for rank, date in found.dates:
            if region == 0:
                dates.append((rank, len(dates), date))
            elif rank in (_PUBLISH, _PLAIN):
                dates.append((_FOOTER + rank, len(dates), date))
        for rank, name in found.sources:
            if name and (rank == _LABELLED or found.dates):
                sources.append((rank + region * _FOOTER_SOURCE, len(sources), name))
        urls.extend((region, len(urls) + k, url) for k, url in enumerate(found.urls))
    return Header(
        date=min(dates)[2] if dates else None,
        source_name=min(sources)[2] if sources else None,
        source_url=min(urls)[2] if urls else None,
    )


def leading_date(line: str) -> tuple[int, str, int] | None:
    """(rank, date, end) of a labelled date that opens a line with the body run on after it
    (``date 2025-09-19 这些…``): the publication date, and where the text after it starts; else None."""
    lex = _lexicon()
    form = to_match_form(line).translate(_MARKUP)
    pos = _skip(form, 0)
    m = lex.date_label.match(form, pos)
    if not m or lex.date_rank[m.group("label").lower()] not in (_PUBLISH, _PLAIN):
        return None
    found = _Found()
    end = _datetime(form, m.end(), found, lex.date_rank[m.group("label").lower()])
    if end and found.dates and (end == len(form) or _SEP_RUN.match(form, end)):
        rank, date = found.dates[0]
        return rank, date, _skip(form, end)
    return None


def date_from_url(url: str | None) -> str | None:
    """The date in a URL's path: ``date_from_url("https://a.cn/2024/11/21/x.html") == "2024-11-21"``."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    for m in _URL_DATE.finditer(path):
        date = _valid(m.group("y"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2"))
        if date:
            return date
    return None


def read_json_ld(blocks: Iterable[str]) -> Header:
    """datePublished (else dateCreated), publisher name and url from JSON-LD ``<script>`` blocks."""
    date = name = url = None
    for block in blocks:
        if len(block) > _JSON_LD_MAX:
            continue
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):
            continue
        objects = list(_json_objects(data, 0))
        date = date or next((d for key in ("datepublished", "datecreated", "uploaddate")
                             for o in objects if (d := _iso(o.get(key)))), None)
        name = name or next((n for o in objects if (n := _publisher(o.get("publisher")))), None)
        url = url or next((u for o in objects for key in ("url", "mainentityofpage")
                           if isinstance(u := _json_url(o.get(key)), str)), None)
    return Header(date=date, source_name=name, source_url=url)


# --- one line ---------------------------------------------------------------------------------------


@dataclass
class _Found:
    """The fields of one header-shaped line: (rank, date), (rank, source name) and URLs."""

    dates: list[tuple[int, str]] = field(default_factory=list)
    sources: list[tuple[int, str]] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


def _read_line(line: str) -> _Found | None:
    """The fields of ``line`` when the whole line is made of them, else None."""
    if len(line) > LINE_MAX or _PROSE.search(_URL.sub(" ", line)):
        return None
    lex = _lexicon()
    # Same length as ``line``, so names are cut from the original by offset; **bold** marks become spaces.
    form = to_match_form(line).translate(_MARKUP)
    found = _Found()
    pos = _skip(form, 0)
    if pos == len(form):
        return None
    while pos < len(form):
        end = (
            _url(line, form, pos, found)
            or _datetime(form, pos, found, _UNLABELLED)
            or _time(form, pos)
            or _date_label(form, pos, found, lex)
            or _name_label(line, form, pos, found, lex)
            or _match_end(lex.count, form, pos)
            or _match_end(lex.noise, form, pos)
            or _site(line, form, pos, found, lex)
        )
        if not end:
            return _loose(form)
        pos = _skip(form, end)
    return found


def _loose(form: str) -> _Found | None:
    """A byline of unknown words around a timestamp (某某编译 张三 2026-02-11 15:30), else None.

    A full date with a time of day, or a date alone on its line but for a counter, is a publication
    timestamp even when the names beside it are in no word list; a date inside a title is neither.
    """
    for m in _DATE.finditer(form):
        if m.group("m") is None and m.group("m2") is None:
            continue
        # 发表于2026-02-09 07:02: a date label glued to the date is no word of its own
        glued = _glued_label().search(form, 0, m.start())
        lo = glued.start() if glued else m.start()
        if lo and not _SEP_RUN.match(form, lo - 1):
            continue
        t = _AFTER_DATE.match(form, m.end())
        end = t.end() if t else m.end()
        if end < len(form) and not _SEP_RUN.match(form, end):
            continue
        # Page counters (浏览2 评论0) are furniture, not words of the byline.
        tail = _lexicon().count.sub(" ", form[end:])
        rest = [w for w in _SEP_RUN.split(_LATIN_NAME.sub("", form[:lo]) + " " + tail) if w]
        if not t and not all(w.isdigit() for w in rest):
            continue
        if len(rest) > LOOSE_WORDS or any(
            len(w) > (LOOSE_LATIN_CHARS if w.isascii() else LOOSE_WORD_CHARS) for w in rest
        ):
            return None
        date = _valid(m.group("y"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2"))
        if not date:
            return None
        found = _Found()
        found.dates.append((_LOOSE, date))
        return found
    return None


def _opening_date(line: str) -> str | None:
    """A numeric date that opens a header line the body or a page's furniture runs on from
    (``2025-12-30 1中国微短剧…``, ``2025-06-20,``); a prose date (2024年11月6日，…) is no such date."""
    form = to_match_form(line).translate(_MARKUP)
    m = _DATE.match(form, _skip(form, 0))
    if not m or m.group("s") is None:
        return None
    return _valid(m.group("y"), m.group("m"), m.group("d"))


@lru_cache(maxsize=1)
def _glued_label() -> re.Pattern[str]:
    """A publish or plain date label that ends where the searched text ends (发表于, 时间:)."""
    lex = _lexicon()
    words = [w for w, rank in lex.date_rank.items() if rank != _UPDATE]
    return re.compile(f"(?:{_alternation(words)})\\s*[:：]?\\s*$", re.I)


def _skip(form: str, pos: int) -> int:
    """The position after any separators at ``pos``."""
    m = _SEP_RUN.match(form, pos)
    return m.end() if m else pos


def _url(line: str, form: str, pos: int, found: _Found) -> int | None:
    """Read a URL at ``pos``."""
    m = _URL.match(form, pos)
    if not m:
        return None
    found.urls.append(line[m.start():m.end()].rstrip(".,"))
    return m.end()


def _datetime(form: str, pos: int, found: _Found, rank: int) -> int | None:
    """Read a date with an optional time at ``pos``; a real date in range is kept at ``rank``."""
    m = _DATE.match(form, pos)
    if not m:
        return None
    date = _valid(m.group("y"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2"))
    if date:
        found.dates.append((rank, date))
    t = _AFTER_DATE.match(form, m.end())
    return t.end() if t else m.end()


def _time(form: str, pos: int) -> int | None:
    """Read a bare time of day (``08:16``) at ``pos``."""
    m = _TIME_ONLY.match(form, pos)
    return m.end() if m else None


def _date_label(form: str, pos: int, found: _Found, lex: _Lexicon) -> int | None:
    """Read a date label and the date it labels."""
    m = lex.date_label.match(form, pos)
    if not m:
        return None
    rank = lex.date_rank[m.group("label").lower()]
    return _datetime(form, m.end(), found, rank)


def _name_label(line: str, form: str, pos: int, found: _Found, lex: _Lexicon) -> int | None:
    """Read a source, link or person label and the names or URL after it."""
    m = lex.name_label.match(form, pos)
    if not m:
        return None
    kind = lex.name_kind[m.group("label").lower()]
    end = m.end()
    if kind != "person" and (m.group("colon") is None or m.group("colon") == ""):
        return None  # 来源于生活: a source label needs a colon or a space after it
    if kind == "person" and len(m.group("label")) == 1 and not m.group("colon").strip():
        return None  # 文汇报: a one-character label needs a colon or a slash
    url = _URL.match(form, end)
    if url:
        found.urls.append(line[url.start():url.end()].rstrip(".,"))
        return url.end()
    for i in range(3):  # 编辑：张三 李四
        start = _skip(form, end) if i else end
        if _DATE.match(form, start) or lex.date_label.match(form, start) or lex.name_label.match(form, start):
            break
        name = lex.name.match(form, start)
        if not name:
            break
        if i == 0 and kind == "source":
            found.sources.append((_LABELLED, _clean(line[name.start():name.end()])))
        end = name.end()
    return end


def _site(line: str, form: str, pos: int, found: _Found, lex: _Lexicon) -> int | None:
    """Read an outlet's name with no label (某某网, news.example.cn) at ``pos``."""
    m = lex.name.match(form, pos)
    if not m:
        return None
    name = m.group().lower()
    if len(name) < 2 or not (name.endswith(lex.site_suffixes) or _DOMAIN.fullmatch(name)):
        return None
    found.sources.append((_SITE, _clean(line[m.start():m.end()])))
    return m.end()


def _match_end(pattern: re.Pattern[str], form: str, pos: int) -> int | None:
    """The end of ``pattern`` matched at ``pos``, or None."""
    m = pattern.match(form, pos)
    return m.end() if m else None


def _clean(name: str) -> str:
    """A source name without surrounding quotes, brackets or spaces."""
    return name.strip(" \t\u3000\"'“”‘’()（）[]【】<>《》")


def _valid(year: str | None, month: str | None, day: str | None) -> str | None:
    """YYYY-MM-DD for a real calendar date with a year in YEARS, else None."""
    if not (year and month and day):
        return None
    y, m, d = int(year), int(month), int(day)
    if not YEARS[0] <= y <= YEARS[1]:
        return None
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


# --- regions ----------------------------------------------------------------------------------------


def _title_index(lines: list[tuple[int, str]], title: str | None) -> int:
    """Position in ``lines`` just after the line that equals ``title``, or 0."""
    if not title:
        return 0
    wanted = " ".join(title.split()).rstrip("…")
    for k, (_, line) in enumerate(lines[:TITLE_SEARCH_LINES]):
        if wanted and " ".join(line.split()).startswith(wanted):
            return k + 1
    return 0


def _head_lines(lines: list[tuple[int, str]], start: int) -> list[tuple[int, str]]:
    """The header region: up to HEAD_LINES lines within HEAD_CHARS, ending at the first prose line."""
    head: list[tuple[int, str]] = []
    chars = 0
    for k, pair in enumerate(lines[start:start + HEAD_LINES]):
        line = pair[1]
        if chars >= HEAD_CHARS:
            break
        chars += len(line) + 1
        if (k > 0 or start > 0) and (len(line) > LINE_MAX or _SENTENCE_END.search(_URL.sub(" ", line))):
            break  # the body has begun: a later short line is a subheading, not a byline
        head.append(pair)
    return head


# --- JSON-LD ----------------------------------------------------------------------------------------


def _json_objects(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    """Every JSON object in ``data`` (lists and @graph included), keys lower-cased, to a fixed depth."""
    if depth > _JSON_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _json_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield {str(k).lower(): v for k, v in data.items()}
        for value in data.values():
            if isinstance(value, list | dict):
                yield from _json_objects(value, depth + 1)


def _iso(value: Any) -> str | None:
    """A JSON-LD date string as YYYY-MM-DD, else None."""
    if not isinstance(value, str):
        return None
    m = _DATE.match(to_match_form(value.strip()))
    return _valid(m.group("y"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2")) if m else None


def _publisher(value: Any) -> str | None:
    """The name of a JSON-LD publisher (an object with a name, or a plain string)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        return None
    return " ".join(value.split())[:80] or None


def _json_url(value: Any) -> str | None:
    """An absolute http(s) URL from a JSON-LD url or mainEntityOfPage value."""
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) and _URL.fullmatch(value.strip()) else None


# --- the lexicon ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    """The compiled header words of ``lexicon/header.toml``."""

    date_label: re.Pattern[str]
    date_rank: dict[str, int]
    name_label: re.Pattern[str]
    name_kind: dict[str, str]
    name: re.Pattern[str]
    count: re.Pattern[str]
    noise: re.Pattern[str]
    site_suffixes: tuple[str, ...]


def _words(data: dict[str, Any], table: str, key: str) -> list[str]:
    """The list ``[table] key`` of the lexicon, in match form, or a LexiconError saying what to write."""
    value = data.get(table, {}).get(key) if isinstance(data.get(table), dict) else None
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        raise LexiconError(
            f"extract/{HEADER_FILE} needs [{table}] {key} = [\"...\", ...], a non-empty list of words"
        )
    return [to_match_form(w.strip()).lower() for w in value]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first; Latin words only as whole words."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(w)
        parts.append(f"(?<![a-z]){escaped}(?![a-z])" if w.isascii() else escaped)
    return "|".join(parts)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Read and compile ``lexicon/header.toml`` once."""
    text = resources.files("extract").joinpath(HEADER_FILE).read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"extract/{HEADER_FILE} is not valid TOML ({exc}); fix that line") from None
    ranks = {"publish": _PUBLISH, "plain": _PLAIN, "update": _UPDATE}
    date_rank: dict[str, int] = {}
    for key in ("update", "plain", "publish"):  # publish last: it wins a word listed twice
        date_rank |= dict.fromkeys(_words(data, "date_labels", key), ranks[key])
    name_kind: dict[str, str] = {}
    for key in ("person", "link", "source"):
        name_kind |= dict.fromkeys(_words(data, "name_labels", key), key)
    counts = _words(data, "counts", "labels")
    noise = _words(data, "noise", "words")
    suffixes = tuple(_words(data, "sites", "suffixes"))
    date_labels = _alternation(date_rank)
    name_labels = _alternation(name_kind)
    person_long = _alternation(w for w, k in name_kind.items() if k == "person" and len(w) > 1)
    other = _alternation(w for w, k in name_kind.items() if k != "person")
    # Where a name ends: a separator, the end, a date, or the next label (中新网作者:x ends at 作者).
    stop = (
        f"(?=[{_SEP},，。;；!！?？]|$|{_DATE_START}|(?:{date_labels})\\s*[:：]?\\s*\\d"
        f"|(?:{person_long})|(?:{other})\\s*[:：])"
    )
    return _Lexicon(
        date_label=re.compile(f"(?P<label>{date_labels})\\s*[:：]?\\s*", re.I),
        date_rank=date_rank,
        name_label=re.compile(f"(?P<label>{name_labels})(?P<colon>\\s*[:：/]\\s*|\\s+|)", re.I),
        name_kind=name_kind,
        name=re.compile(f"{_NAME_CHARS}{{1,24}}?{stop}", re.I),
        count=re.compile(f"(?:{_alternation(counts)})\\s*[:：]?\\s*\\d+(?:\\.\\d+)?[万wk]?\\s*[次人]?"
                         f"(?=[{_SEP}]|$)", re.I),
        noise=re.compile(f"(?:{_alternation(noise)})(?=[{_SEP}]|$|{_DATE_START})", re.I),
        site_suffixes=suffixes,
    )
