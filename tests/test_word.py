"""Tests for extract.word on .docx files built at test time (tests/fixtures/docx_docs.py)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest

from extract import word as word_module
from extract.errors import DocumentError
from extract.word import read_docx
from tests.fixtures import docx_docs


def test_article_paragraphs_headings_and_table_in_order() -> None:
    doc = read_docx(docx_docs.article_docx(), "report.docx")
    assert doc.text == docx_docs.ARTICLE_TEXT
    assert (doc.title, doc.date, doc.warnings) == (docx_docs.ARTICLE_TITLE, "2025-03-01", [])


def test_headings_and_table_rows_are_lines_of_their_own() -> None:
    lines = read_docx(docx_docs.article_docx(), "report.docx").text.splitlines()
    assert lines[0] == docx_docs.ARTICLE_HEADING
    assert lines[3:6] == ["平台 | 月活跃用户 | 同比增长", "红果短剧 | 1.58亿 | 215%", "抖音 | 2.30亿 | 18%"]
    assert lines[6] == docx_docs.ARTICLE_SUBHEADING  # the empty paragraph before it left no line


def test_a_cell_merged_across_columns_counts_once() -> None:
    assert read_docx(docx_docs.merged_docx(), "merged.docx").text == "\n".join(docx_docs.MERGED_LINES)


def test_tracked_changes_content_controls_and_text_boxes() -> None:
    text = read_docx(docx_docs.revised_docx(), "revised.docx").text
    assert text.splitlines() == [
        docx_docs.BODY_WITH_BOX, docx_docs.REVISED_TEXT, docx_docs.CONTROLLED_TEXT, docx_docs.TEXT_BOX_TEXT,
    ]
    assert docx_docs.REVISED_DELETED not in text


def test_python_docx_template_date_is_not_the_documents_date() -> None:
    doc = read_docx(docx_docs.merged_docx(), "merged.docx")
    assert (doc.title, doc.date) == (None, None)
    assert doc.warnings == [word_module.TEMPLATE_DATE_WARNING]
    assert "template date" in word_module.TEMPLATE_DATE_WARNING


def test_a_zip_bomb_is_refused_before_python_docx_unpacks_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_module.docx, "Document", lambda *a, **k: pytest.fail("python-docx opened it"))
    message = r"^bomb\.docx: the document unpacks to 6\d MB \(6\d MB of XML\), over the 100 MB \(50 MB XML\) "
    with pytest.raises(DocumentError, match=message):
        read_docx(docx_docs.bomb_docx(60), "bomb.docx")


def _broken_xml_docx() -> bytes:
    """The article with its main part replaced by XML that does not parse."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_docs.article_docx())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = b"<w:document><w:body>cut" if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info, data)
    return out.getvalue()


# (builder, start of the message)
BAD: list[tuple[Callable[[], bytes], str]] = [
    (docx_docs.empty_docx, "x.docx: the document has no text; "),
    (docx_docs.not_word_zip, "x.docx: a zip file but not a Word document; "),
    (lambda: docx_docs.OLE_HEADER, "x.docx: this is a Word 97-2003 .doc or a password-protected file; "),
    (lambda: "微短剧".encode(), "x.docx: not a .docx (it is not a zip package"),
    (lambda: docx_docs.article_docx()[:3000], "x.docx: not a .docx (it is not a zip package"),
    (lambda: b"", "x.docx: the file is empty; "),
    (_broken_xml_docx, "x.docx: the document is damaged and cannot be read (XMLSyntaxError"),
    (
        docx_docs.template_docx,
        "x.docx: not a plain Word document (its content type is application/vnd.openxmlformats-officedocument"
        ".wordprocessingml.template.main+xml); ",
    ),
]


@pytest.mark.parametrize(("builder", "message"), BAD)
def test_unreadable_files_raise_a_document_error(builder: Callable[[], bytes], message: str) -> None:
    with pytest.raises(DocumentError, match="^" + re.escape(message)):
        read_docx(builder(), "x.docx")


def test_a_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(DocumentError, match=r"^big\.docx: the file is 50\.0 MB, over the 50 MB limit; "):
        read_docx(b"PK" + b"\0" * word_module.MAX_DOCX_BYTES, "big.docx")
