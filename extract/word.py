"""Reading Word (.docx) files: the body's paragraphs, headings and tables in order, with title and date.

python-docx opens the package and gives the core properties (title, created). The body is then walked
in document order: each paragraph is one line (headings too), each table row one line with its cells
joined by `` | ``; paragraphs inside content controls and text boxes are kept, as is the text of tracked
insertions, while tracked deletions and field codes are not. Headers, footers, footnotes and comments are
not the article and are left out.

A .docx is a zip: before python-docx reads it, the sizes its members unpack to are added up and a
package over :data:`MAX_UNPACKED_BYTES` (or :data:`MAX_XML_BYTES` of XML) is refused, so a zip bomb is
never inflated. zipfile never yields more bytes than a member declares, so the declared sizes bound
what python-docx can unpack. Example: ``read_docx(data, "report.docx").text``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table

from extract.errors import DocumentError

_MB = 1024 * 1024
MAX_DOCX_BYTES: int = 50 * _MB
MAX_UNPACKED_BYTES: int = 100 * _MB  # everything, pictures included: python-docx loads it all
MAX_XML_BYTES: int = 50 * _MB
MAX_MEMBERS: int = 10_000
CELL_SEPARATOR = " | "
TEMPLATE_DATE_WARNING = "the created date is python-docx's template date, not the document's; left empty"

_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Word 97-2003 .doc, and password-protected .docx
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# Text that is not (or no longer) part of what the document says, or that is read elsewhere.
_SKIP_INSIDE = frozenset({qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), f"{{{_MC}}}Fallback"})
_TEXT, _TAB, _BREAKS = qn("w:t"), qn("w:tab"), frozenset({qn("w:br"), qn("w:cr")})
_P, _TBL, _TXBX = qn("w:p"), qn("w:tbl"), qn("w:txbxContent")
_SDT, _SDT_CONTENT, _CUSTOM = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_CONTENT_TYPE = re.compile(r"is not a Word file, content type is '([^']+)'")
# The created date of python-docx's own template: a document made from it without setting one has this.
_TEMPLATE_CREATED = dt.datetime(2013, 12, 23, 23, 15, tzinfo=dt.UTC)


@dataclass(frozen=True)
class WordText:
    """A Word document's text (one line per paragraph or table row), title, creation date and warnings."""

    text: str
    title: str | None
    date: str | None
    warnings: list[str] = field(default_factory=list)


def read_docx(data: bytes, name: str) -> WordText:
    """The text of a .docx in document order, with the title and creation date of its properties."""
    _check_package(name, data)
    try:
        document = docx.Document(io.BytesIO(data))
    # zipfile, lxml and python-docx raise many types on a damaged package (BadZipFile, XMLSyntaxError,
    # KeyError for a missing part...): each is a file to save again.
    except Exception as exc:
        raise DocumentError(_open_problem(name, exc)) from None
    warnings: list[str] = []
    text = "\n".join(_block_lines(document.element.body))
    if not text.strip():
        raise DocumentError(f"{name}: the document has no text; add the article text or remove the file")
    props = document.core_properties
    return WordText(text=text, title=(props.title or "").strip() or None, date=_date(props, warnings),
                    warnings=warnings)


def _check_package(name: str, data: bytes) -> None:
    """Refuse what is too big, not a zip, or would unpack to too much, before python-docx reads it."""
    if len(data) > MAX_DOCX_BYTES:
        raise DocumentError(
            f"{name}: the file is {len(data) / _MB:.1f} MB, over the {MAX_DOCX_BYTES // _MB} MB limit; split "
            "the document or remove its pictures"
        )
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty; upload the document again")
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(
            f"{name}: this is a Word 97-2003 .doc or a password-protected file; open it in Word or WPS "
            "and save it as .docx without a password"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(
            f"{name}: not a .docx (it is not a zip package: {exc}); the file may be cut short: save the "
            "document as .docx again and upload that"
        ) from None
    if len(members) > MAX_MEMBERS:
        raise DocumentError(f"{name}: the package holds {len(members):,} files, too many for a document")
    if any(m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for m in members):
        # Word writes deflate; bzip2 and LZMA would inflate past any size cap before it could be checked
        raise DocumentError(f"{name}: the package uses a compression Word never writes; save it as .docx "
                            "again")
    unpacked = sum(m.file_size for m in members)
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    if unpacked > MAX_UNPACKED_BYTES or xml > MAX_XML_BYTES:
        raise DocumentError(
            f"{name}: the document unpacks to {unpacked / _MB:.0f} MB ({xml / _MB:.0f} MB of XML), over the "
            f"{MAX_UNPACKED_BYTES // _MB} MB ({MAX_XML_BYTES // _MB} MB XML) limit, as a zip bomb would; "
            "save it again from Word, or split it"
        )
    if not any(m.filename == "[Content_Types].xml" for m in members):
        raise DocumentError(f"{name}: a zip file but not a Word document; save the document as .docx")


def _open_problem(name: str, exc: Exception) -> str:
    """The message for a package python-docx cannot read: a template or macro file, or a damaged one."""
    detail = str(exc).strip()[:120]
    kind = _CONTENT_TYPE.search(str(exc)) if isinstance(exc, ValueError) else None  # python-docx's check
    if kind:
        return (
            f"{name}: not a plain Word document (its content type is {kind.group(1)}); save it as .docx "
            "(Word Document) and upload that"
        )
    return (
        f"{name}: the document is damaged and cannot be read ({type(exc).__name__}"
        f"{': ' + detail if detail else ''}); open it in Word or WPS and save it again as .docx"
    )


def _date(props: Any, warnings: list[str]) -> str | None:
    """The created date as YYYY-MM-DD; python-docx's template date is no date."""
    created = props.created
    if created is None:
        return None
    if created == _TEMPLATE_CREATED:
        warnings.append(TEMPLATE_DATE_WARNING)
        return None
    return created.isoformat()[:10]


# --- the body, in document order -----------------------------------------------------------------------


def _block_lines(container: Any) -> Iterator[str]:
    """The lines of a body, cell, content control or text box: paragraphs and table rows, in order."""
    for child in container.iterchildren():
        if child.tag == _P:
            text = _paragraph_text(child).strip()
            if text:
                yield text
            for box in _text_boxes(child):
                yield from _block_lines(box)
        elif child.tag == _TBL:
            yield from _table_lines(Table(child, None))
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM):
            content = child.find(qn("w:sdtContent")) if child.tag == _SDT else child
            if content is not None:
                yield from _block_lines(content)


def _paragraph_text(p: Any) -> str:
    """A paragraph's text: its runs (tracked insertions too), tabs and line breaks, not deletions."""
    parts = []
    for el in p.iter(_TEXT, _TAB, *_BREAKS):
        if _skipped(el, p):
            continue
        parts.append(el.text or "" if el.tag == _TEXT else "\t" if el.tag == _TAB else "\n")
    return "".join(parts)


def _skipped(el: Any, stop: Any) -> bool:
    """True when ``el`` lies inside a deletion, a fallback copy or a text box below ``stop``."""
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag in _SKIP_INSIDE:
            return True
        node = node.getparent()
    return False


def _text_boxes(p: Any) -> list[Any]:
    """The text boxes anchored in a paragraph (not their fallback copies, not boxes inside boxes)."""
    return [box for box in p.iter(_TXBX) if not _skipped(box, p)]


def _table_lines(table: Table) -> Iterator[str]:
    """One line per table row, its cells joined by `` | ``; a cell merged across columns counts once."""
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is last:  # python-docx repeats a merged cell once per grid column it spans
                continue
            last = cell._tc
            cells.append(" ".join(_block_lines(cell._tc)).replace("\n", " "))
        if any(cells):
            yield CELL_SEPARATOR.join(cells)
