"""Reading PDFs: the main text in reading order, where each page's text lies in it, and the metadata.

pdfplumber (on pdfminer.six) gives every character's position; :mod:`extract.layout` rebuilds lines,
columns and paragraphs from those. Ruled tables become one line per row with cells joined by `` | ``;
running headers and footers (the same line at the top or bottom of most pages) and bare page numbers are
dropped. Pages are read one at a time and their caches released, so a 50 MB file is not held twice.

Only what is drawn on the pages is read: JavaScript, attachments, links, form fields and annotations are
never opened, let alone run.

``doc = read_pdf(data, "report.pdf")``; then ``doc.text[start:end]`` for ``(page, start, end)`` in
``doc.pages`` is each page's text, and ``doc.page_of(offset)`` the page a figure found at ``offset`` is on.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfplumber.utils import extract_words
from pdfplumber.utils.exceptions import PdfminerException

from extract import layout
from extract.errors import DocumentError
from extract.layout import Line, Word

MAX_PDF_BYTES: int = 50 * 1024 * 1024
CELL_SEPARATOR = " | "
PAGE_SEPARATOR = "\n\n"
SCANNED = "scanned PDF: no text layer, OCR is not supported"

EDGE_BAND = 0.12  # of the page height: where running headers, footers and page numbers sit
EDGE_LINES = 2  # lines at each edge of a page that may be a running header or footer
DETACHED_GAP = 1.5  # of the body font size: the white space that sets a header or footer apart
RUNNING_SHARE = 0.5  # a line at the same edge of at least this share of pages (and two) is running

_PAGE_NUMBER = re.compile(
    r"^[\s\-–—]*(?:(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4})?(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|page\s+\d{1,4}(?:\s+of\s+\d{1,4})?)[\s\-–—]*$",
    re.IGNORECASE,
)
_CID = re.compile(r"\(cid:\d+\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
# Kangxi and supplementary radicals, and compatibility ideographs, that some producers' fonts map
# characters to (⽤ for 用): NFKC turns each into the ordinary ideograph that search and lexicons expect.
_LOOKALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_PDF_DATE = re.compile(r"^(?:D:)?\s*(\d{4})(\d{2})(\d{2})")
_WORD_PROCESSOR_TITLE = re.compile(r"^(?:microsoft\s+(?:word|powerpoint)\s*-\s*)", re.IGNORECASE)


@dataclass(frozen=True)
class PdfText:
    """A PDF's main text, each page's ``(page, start, end)`` span in it, its title, date and warnings."""

    text: str
    pages: list[tuple[int, int, int]]
    title: str | None
    date: str | None
    warnings: list[str] = field(default_factory=list)

    def page_of(self, offset: int) -> int | None:
        """The page (from 1) whose text holds character ``offset``, e.g. a claim's start; None if none."""
        # Starts never decrease; an empty page may share its start with the next page, which bisect_right
        # then picks: the one that can hold the offset.
        i = bisect.bisect_right([start for _, start, _ in self.pages], offset) - 1
        if i >= 0 and offset < self.pages[i][2]:
            return self.pages[i][0]
        return None


@dataclass
class _Table:
    """A ruled table on a page, flattened to one text line per row."""

    lines: list[str]


@dataclass
class _Page:
    """One page read: its blocks (column runs of lines, and tables) in reading order, and edge lines."""

    number: int
    blocks: list[list[Line] | _Table]
    edges: list[tuple[str, Line]]  # ("top" | "bottom", line): candidates for running headers and footers
    outer: list[Line]  # the top-most and bottom-most lines in the margin bands: candidates for page numbers
    chars: int  # characters with a text layer, before any were dropped


def read_pdf(data: bytes, name: str) -> PdfText:
    """The main text of a PDF in reading order, with page spans, metadata title and creation date."""
    _check_bytes(name, data)
    warnings: list[str] = []
    pages: list[_Page] = []
    failures: dict[int, str] = {}  # page number -> what went wrong
    unmapped = rotated = 0
    undecoded = False  # some page declares fonts yet yields no character: text drawn in an unknown encoding
    with _opened(name, data) as pdf:
        title, date = _title(pdf.metadata), _date(pdf.metadata, warnings)
        if not pdf.doc.is_extractable:
            warnings.append("the PDF's permissions forbid copying its text; it was read for analysis anyway")
        for page in _pages(name, pdf):
            try:
                read, page_unmapped, page_rotated = _read_page(page)
                unmapped, rotated = unmapped + page_unmapped, rotated + page_rotated
                undecoded |= not read.chars and _has_fonts(page)
            # pdfminer raises any type on a damaged page (KeyError, struct.error, zlib.error...): the page
            # is lost, the others are still worth reading.
            except Exception as exc:
                failures[page.page_number] = problem = _describe(exc)
                warnings.append(f"page {page.page_number} could not be read ({problem}); its text is missing")
                read = _Page(page.page_number, [], [], [], 0)
            finally:
                page.close()  # drops the page's parsed objects: pages are not all held at once
            pages.append(read)
    if not pages:
        raise DocumentError(f"{name}: the PDF has no pages; check that it opens in a PDF viewer")
    _drop_running_lines(pages)
    text, spans = _assemble(pages)
    if not text:
        raise DocumentError(_no_text(name, failures, len(pages), unmapped > 0 or undecoded))
    warnings += _page_warnings(pages, failures, unmapped, rotated)
    return PdfText(text=text, pages=spans, title=title, date=date, warnings=warnings)


def _no_text(name: str, failures: dict[int, str], n_pages: int, undecoded: bool) -> str:
    """Why a PDF gave no text at all: every page damaged, fonts without a character map, or a scan."""
    if len(failures) == n_pages:
        return _open_problem(name, next(iter(failures.values())))
    if undecoded:
        return (
            f"{name}: the PDF's text cannot be decoded (its fonts do not map glyphs to characters); export "
            "it again from the original document, or upload the article's text instead"
        )
    return f"{name}: {SCANNED}; run OCR on it first, or upload the article's text instead"


# --- opening -------------------------------------------------------------------------------------------


def _check_bytes(name: str, data: bytes) -> None:
    """Reject what is too big or plainly not a PDF before pdfminer spends time on it."""
    if len(data) > MAX_PDF_BYTES:
        raise DocumentError(
            f"{name}: the PDF is {len(data) / 1024 / 1024:.1f} MB, over the {MAX_PDF_BYTES // 1024 // 1024} "
            "MB limit; split it into smaller files"
        )
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty; upload the PDF again")
    if b"%PDF-" not in data[:1024]:  # the header may follow up to 1 KB of junk (PDF 1.7, annex H)
        raise DocumentError(f"{name}: not a PDF (no %PDF- header); check the file, or save it again as PDF")


@contextmanager
def _opened(name: str, data: bytes) -> Iterator[pdfplumber.PDF]:
    """The PDF opened with pdfplumber, its open-time errors turned into DocumentError."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps pdfminer's errors; damaged input can raise any type
        raise DocumentError(_open_problem(name, _cause(exc))) from None
    try:
        yield pdf
    finally:
        pdf.close()


def _pages(name: str, pdf: pdfplumber.PDF) -> list[Any]:
    """The PDF's pages; a page tree that cannot be walked is a damaged PDF."""
    try:
        return list(pdf.pages)
    except Exception as exc:  # as on opening: the page tree is parsed only now
        raise DocumentError(_open_problem(name, _cause(exc))) from None


def _cause(exc: Exception) -> object:
    """pdfminer's own exception inside pdfplumber's wrapper, else ``exc``."""
    return exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc


def _open_problem(name: str, cause: object) -> str:
    """The message for a PDF that cannot be opened: encrypted, or damaged."""
    if isinstance(cause, PDFPasswordIncorrect):
        return (
            f"{name}: the PDF is encrypted and needs a password to open; remove the password (print or "
            "export it to a new PDF) and upload that"
        )
    if isinstance(cause, PDFEncryptionError):
        return (
            f"{name}: the PDF is encrypted in a way this reader cannot open ({cause}); export it to a new "
            "PDF without encryption and upload that"
        )
    detail = cause if isinstance(cause, str) else _describe(cause)
    return (
        f"{name}: the PDF is damaged and cannot be read ({detail}); it may be cut short: download it "
        "again, or open it in a PDF viewer and save it as a new PDF"
    )


def _describe(exc: object) -> str:
    """An exception as ``Type: message``, short enough for a message."""
    text = str(exc).strip()
    kind = type(exc).__name__
    return f"{kind}: {text[:120]}" if text else kind


def _has_fonts(page: Any) -> bool:
    """True when the page declares fonts, i.e. it draws text even if none of it could be decoded."""
    resources = resolve1(page.page_obj.resources) or {}
    return bool(resolve1(resources.get("Font")) if isinstance(resources, dict) else False)


# --- metadata ------------------------------------------------------------------------------------------


def _title(meta: dict[str, Any]) -> str | None:
    """The metadata title, without a word processor's "Microsoft Word - " prefix; None if blank."""
    value = meta.get("Title")
    if not isinstance(value, str):
        return None
    title = _CONTROL.sub("", _WORD_PROCESSOR_TITLE.sub("", value)).strip()
    title = re.sub(r"\.(?:docx?|wps|pptx?)$", "", title, flags=re.IGNORECASE).strip()
    return title or None


def _date(meta: dict[str, Any], warnings: list[str]) -> str | None:
    """The metadata creation date as YYYY-MM-DD; a value that is no date becomes a warning."""
    value = meta.get("CreationDate")
    if value is None:
        return None
    day = pdf_date(value)
    if day is None:
        warnings.append(f"the creation date {str(value)[:40]!r} is not a usable date; the date is left empty")
    return day


def pdf_date(value: object) -> str | None:
    """A PDF date as YYYY-MM-DD, e.g. ``pdf_date("D:20250210083000+08'00'") == "2025-02-10"``, else None.

    Years before 1990 are producers' placeholders (PDF is from 1993), not dates.
    """
    m = _PDF_DATE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return day.isoformat() if day.year >= 1990 else None


# --- one page ------------------------------------------------------------------------------------------


def _read_page(page: Any) -> tuple[_Page, int, int]:
    """A page's blocks in reading order, and how many unmapped and rotated characters were dropped."""
    kept: list[dict[str, Any]] = []
    unmapped = rotated = 0
    for char in page.chars:
        if char["text"].startswith("(cid:"):
            unmapped += 1  # a glyph the font gives no Unicode for: pdfminer writes "(cid:123)"
        elif not char.get("upright", True):
            rotated += 1  # a diagonal watermark or vertical text, which the reading order cannot place
        else:
            kept.append(char)
    kept = _dedupe(kept)
    tables = _tables(page, kept) if (page.rects or page.lines) else []
    boxes = [bbox for bbox, _ in tables]
    body = [c for c in kept if not any(_inside(c, box) for box in boxes)]
    words = [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w.get("size") or (w["bottom"] - w["top"]))
        for w in extract_words(body, extra_attrs=["size"])
    ]
    blocks: list[list[Line] | _Table] = []
    rows = layout.group_rows(words)
    # A table cuts the page: the rows above it are read (in columns if need be) before its lines.
    for top, table in sorted(((bbox[1], t) for bbox, t in tables), key=lambda item: item[0]):
        blocks += layout.flows([row for row in rows if _row_middle(row) < top])
        blocks.append(table)
        rows = [row for row in rows if _row_middle(row) >= top]
    blocks += layout.flows(rows)
    height = float(page.height)
    read = _Page(page.page_number, blocks, _edge_lines(blocks, height), _outermost(blocks, height), len(kept))
    return read, unmapped, rotated


def _dedupe(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Characters without the copies some producers overprint for fake bold (same glyph within 1 pt)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for char in chars:
        gx, gy = round(char["x0"]), round(char["top"])
        key = (char["text"], char.get("fontname"), round(char.get("size", 0), 1))
        if any((*key, gx + dx, gy + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((*key, gx, gy))
        out.append(char)
    return out


def _tables(page: Any, kept: list[dict[str, Any]]) -> list[tuple[tuple[float, ...], _Table]]:
    """The page's ruled tables of at least two rows and two columns, each as its box and its lines."""
    keep = {id(c) for c in kept}
    clean = page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep)
    out = []
    for table in clean.find_tables():
        rows = [[_cell(cell) for cell in row if cell is not None] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
            out.append((tuple(table.bbox), _Table([CELL_SEPARATOR.join(row) for row in rows])))
    return out


def _cell(text: str) -> str:
    """A table cell's text on one line: its wrapped lines glued back together."""
    lines = [line.strip() for line in _CID.sub("", text).split("\n") if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        out += layout.glue(out, line) + line
    # pdfplumber spaces out justified characters; Chinese does not put spaces between characters.
    return re.sub(f"(?<={layout.CJK_CLASS}) +(?={layout.CJK_CLASS})", "", out)


def _inside(char: dict[str, Any], box: tuple[float, ...]) -> bool:
    """True when the character's centre lies in ``box`` (x0, top, x1, bottom)."""
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _row_middle(row: list[Word]) -> float:
    """The vertical middle of a row's first word."""
    return (row[0].top + row[0].bottom) / 2


def _flow_lines(blocks: list[list[Line] | _Table]) -> list[Line]:
    """Every line of the page's column runs (not its tables), top to bottom."""
    lines = [line for block in blocks if isinstance(block, list) for line in block]
    return sorted(lines, key=lambda x: x.top)


def _in_band(line: Line, edge: str, height: float) -> bool:
    """True when ``line`` lies in the top or bottom margin band of a page ``height`` tall."""
    return line.bottom <= EDGE_BAND * height if edge == "top" else line.top >= (1 - EDGE_BAND) * height


def _edge_lines(blocks: list[list[Line] | _Table], height: float) -> list[tuple[str, Line]]:
    """The lines set apart at the top and bottom of the page, where running headers and footers sit."""
    lines = _flow_lines(blocks)
    if not lines:
        return []
    body = statistics.median(line.size for line in lines)
    return [(edge, line) for edge, run in (("top", lines), ("bottom", lines[::-1]))
            for line in _set_apart(run, edge, height, body)]


def _set_apart(run: list[Line], edge: str, height: float, body: float) -> list[Line]:
    """The first lines of ``run`` (from the page's edge inwards) that stand apart from the body text.

    One or two lines in the margin band stand apart when white space wider than a paragraph break, or a
    smaller font, separates them from the rest: a first line of body text repeated on every page is not
    a header.
    """
    for k in range(1, min(EDGE_LINES, len(run)) + 1):
        if not _in_band(run[k - 1], edge, height):
            return []
        smaller = all(line.size < 0.9 * body for line in run[:k])
        if k == len(run) or smaller or _gap(run[k - 1], run[k]) >= DETACHED_GAP * body:
            return run[:k]
    return []


def _gap(a: Line, b: Line) -> float:
    """The white space between two lines, one above the other."""
    return max(b.top - a.bottom, a.top - b.bottom)


def _outermost(blocks: list[list[Line] | _Table], height: float) -> list[Line]:
    """The top-most and bottom-most lines of the page when they lie in the margin band: page numbers."""
    lines = _flow_lines(blocks)
    if not lines:
        return []
    top, bottom = lines[0], max(lines, key=lambda x: x.bottom)
    return [line for line, edge in ((top, "top"), (bottom, "bottom")) if _in_band(line, edge, height)]


# --- the whole document --------------------------------------------------------------------------------


def _running_key(text: str) -> str:
    """A line with its digits and spaces taken out, so "第 2 页" and "第 3 页" look the same."""
    return re.sub(r"\s+", "", re.sub(r"\d+", "#", text))


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove running headers and footers and bare page numbers from the pages' blocks, in place."""
    with_text = sum(1 for page in pages if page.chars)
    counts = Counter(
        key for page in pages for key in {(edge, _running_key(line.text)) for edge, line in page.edges}
    )
    threshold = max(2, math.ceil(RUNNING_SHARE * with_text))
    for page in pages:
        drop = {id(line) for edge, line in page.edges if counts[(edge, _running_key(line.text))] >= threshold}
        drop |= {id(line) for line in page.outer if _PAGE_NUMBER.match(line.text)}
        if drop:
            page.blocks = [
                [line for line in block if id(line) not in drop] if isinstance(block, list) else block
                for block in page.blocks
            ]


def _assemble(pages: list[_Page]) -> tuple[str, list[tuple[int, int, int]]]:
    """The pages' text joined by blank lines, and each page's (number, start, end) in it."""
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    offset = 0
    for page in pages:
        units: list[str] = []
        for block in page.blocks:
            units += block.lines if isinstance(block, _Table) else layout.paragraphs(block)
        text = "\n".join(u for u in (_clean(unit) for unit in units) if u)
        if not text:
            spans.append((page.number, offset, offset))
            continue
        if parts:
            offset += len(PAGE_SEPARATOR)
        parts.append(text)
        spans.append((page.number, offset, offset + len(text)))
        offset += len(text)
    return PAGE_SEPARATOR.join(parts), spans


def _clean(text: str) -> str:
    """One line of text with control characters out, radical look-alikes mapped, spaces squeezed."""
    text = _LOOKALIKE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), _CONTROL.sub("", text))
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _page_warnings(pages: list[_Page], failures: dict[int, str], unmapped: int, rotated: int) -> list[str]:
    """Warnings for what the text is missing: pages without a text layer, undecodable or rotated text."""
    out = []
    blank = [page.number for page in pages if not page.chars and page.number not in failures]
    if blank:
        out.append(
            f"{_pages_label(blank)} no text layer (a scanned image?); OCR is not supported, so that text "
            "is missing"
        )
    if unmapped:
        out.append(f"{unmapped} characters have no Unicode mapping in their font and were left out")
    if rotated:
        out.append(f"{rotated} rotated characters (watermarks or vertical text) were left out")
    return out


def _pages_label(numbers: list[int]) -> str:
    """ "page 3 has" or "pages 2, 5, 9 have", listing at most ten pages."""
    shown = ", ".join(str(n) for n in numbers[:10]) + (", …" if len(numbers) > 10 else "")
    return f"page {shown} has" if len(numbers) == 1 else f"pages {shown} have"
