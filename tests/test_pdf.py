"""Tests for extract.pdf on Chinese PDFs built at test time (tests/fixtures/pdf_docs.py).

Each layout test first checks that pdfplumber's plain text gets the fixture wrong (columns interleaved, a
figure cut by a line break, headers kept), so that passing means extract.pdf did the work.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pdfplumber
import pytest

from extract import pdf as pdf_module
from extract.errors import DocumentError
from extract.pdf import PdfText, pdf_date, read_pdf
from tests.fixtures import pdf_docs
from tests.fixtures.cjk_font import FontMissing


def build(builder: Callable[[], bytes]) -> bytes:
    """The fixture's bytes; skipped, saying why, when the machine lacks the Chinese font."""
    try:
        return builder()
    except FontMissing as exc:
        pytest.skip(str(exc))


def raw_text(data: bytes) -> str:
    """pdfplumber's own text, page by page: what a reader without layout work would get."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n\n".join(page.extract_text() for page in pdf.pages)


def test_plain_article_text_title_date_and_page() -> None:
    doc = read_pdf(build(pdf_docs.plain_pdf), "plain.pdf")
    assert doc.text == pdf_docs.PLAIN_TEXT
    assert (doc.title, doc.date, doc.warnings) == (pdf_docs.PLAIN_TITLE, "2025-02-10", [])
    assert doc.pages == [(1, 0, len(pdf_docs.PLAIN_TEXT))]


def test_a_figure_wrapped_over_two_lines_comes_out_whole() -> None:
    data = build(pdf_docs.plain_pdf)
    raw = raw_text(data)
    cut = [f for f in pdf_docs.PLAIN_FIGURES if f not in raw]
    assert cut, "the fixture should wrap at least one figure over two lines"
    text = read_pdf(data, "plain.pdf").text
    assert [f for f in pdf_docs.PLAIN_FIGURES if f not in text] == []


def test_bare_page_number_in_the_footer_is_dropped() -> None:
    data = build(pdf_docs.plain_pdf)
    assert raw_text(data).splitlines()[-1] == "1"
    assert "1" not in read_pdf(data, "plain.pdf").text.splitlines()


def test_two_columns_left_before_right() -> None:
    data = build(pdf_docs.two_column_pdf)
    assert pdf_docs.LEFT_COLUMN[0] not in raw_text(data), "plain extraction should interleave the columns"
    text = read_pdf(data, "two_column.pdf").text
    assert text == pdf_docs.TWO_COLUMN_TEXT
    assert text.index(pdf_docs.LEFT_COLUMN[-1]) < text.index(pdf_docs.RIGHT_COLUMN[0])


def test_table_rows_become_lines_with_cells_joined() -> None:
    doc = read_pdf(build(pdf_docs.table_pdf), "table.pdf")
    assert doc.text == pdf_docs.TABLE_TEXT
    assert doc.text.splitlines()[1:5] == ["平台 | 月活跃用户 | 同比增长", "红果短剧 | 1.58亿 | 215%",
                                          "抖音 | 2.30亿 | 18%", "快手 | 1.10亿 | 12%"]
    assert doc.title is None  # the fixture sets no title


def test_running_header_and_page_footer_are_dropped() -> None:
    data = build(pdf_docs.paged_pdf)
    raw = raw_text(data)
    assert pdf_docs.PAGED_HEADER in raw and "第 2 页 共 3 页" in raw
    doc = read_pdf(data, "paged.pdf")
    assert doc.text == pdf_docs.PAGED_TEXT
    assert pdf_docs.PAGED_HEADER not in doc.text and "页" not in doc.text


def test_page_spans_map_offsets_back_to_their_page() -> None:
    doc = read_pdf(build(pdf_docs.paged_pdf), "paged.pdf")
    assert [number for number, _, _ in doc.pages] == [1, 2, 3]
    for (_, start, end), paragraphs in zip(doc.pages, pdf_docs.PAGED_PAGES, strict=True):
        assert doc.text[start:end] == "\n".join(paragraphs)
    offset = doc.text.index(pdf_docs.PAGED_SENTENCE_ON_PAGE_2)
    assert doc.page_of(offset) == 2
    assert doc.page_of(0) == 1 and doc.page_of(len(doc.text) - 1) == 3
    assert doc.page_of(doc.pages[0][2]) is None  # the blank line between pages 1 and 2


@pytest.mark.parametrize("header", [True, False])
def test_a_body_line_repeated_at_the_top_of_every_page_is_not_a_header(header: bool) -> None:
    doc = read_pdf(build(lambda: pdf_docs.long_pdf(6, header=header)), "long.pdf")
    assert doc.text == pdf_docs.long_pdf_text(6)
    assert len(doc.pages) == 6


def test_pages_are_released_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[int] = []
    original = pdfplumber.page.Page.close

    def close(page: pdfplumber.page.Page) -> None:
        closed.append(page.page_number)
        original(page)

    monkeypatch.setattr(pdfplumber.page.Page, "close", close)
    read_pdf(build(lambda: pdf_docs.long_pdf(6)), "long.pdf")
    assert closed[:6] == [1, 2, 3, 4, 5, 6]


def test_a_page_without_text_is_kept_as_an_empty_span_with_a_warning() -> None:
    doc = read_pdf(build(pdf_docs.mixed_pdf), "mixed.pdf")
    assert doc.text == pdf_docs.PLAIN_PARAGRAPHS[0]
    assert doc.pages == [(1, 0, len(doc.text)), (2, len(doc.text), len(doc.text))]
    assert doc.warnings == [
        "page 2 has no text layer (a scanned image?); OCR is not supported, so that text is missing"
    ]


def test_links_notes_attachments_and_javascript_are_not_read() -> None:
    doc = read_pdf(build(pdf_docs.active_pdf), "active.pdf")
    assert doc.text == pdf_docs.ACTIVE_TEXT
    assert not [hidden for hidden in pdf_docs.ACTIVE_HIDDEN if hidden in doc.text]


def test_owner_password_only_is_read_with_a_warning() -> None:
    doc = read_pdf(build(pdf_docs.owner_locked_pdf), "locked.pdf")
    assert doc.text == pdf_docs.PLAIN_TEXT
    assert doc.warnings == ["the PDF's permissions forbid copying its text; it was read for analysis anyway"]


def test_scanned_pdf_says_ocr_is_not_supported() -> None:
    message = r"^scan\.pdf: scanned PDF: no text layer, OCR is not supported; "
    with pytest.raises(DocumentError, match=message):
        read_pdf(build(pdf_docs.scanned_pdf), "scan.pdf")


def test_undecodable_text_is_not_called_scanned() -> None:
    data = build(pdf_docs.undecodable_pdf)
    try:
        text = read_pdf(data, "odd.pdf").text
    except DocumentError as exc:
        assert "text cannot be decoded" in str(exc) and "scanned" not in str(exc)
    else:  # a pdfminer that learns embedded CMaps reads it: then it must read it right
        assert text == pdf_docs.PLAIN_PARAGRAPHS[0]


# (builder, file name, start of the message)
BAD = [
    (pdf_docs.encrypted_pdf, "secret.pdf", "secret.pdf: the PDF is encrypted and needs a password to open; "),
    (pdf_docs.broken_pdf, "cut.pdf", "cut.pdf: the PDF is damaged and cannot be read ("),
    (lambda: b"", "empty.pdf", "empty.pdf: the file is empty; "),
    (lambda: "2024年微短剧".encode(), "text.pdf", "text.pdf: not a PDF (no %PDF- header); "),
    (lambda: b"%PDF-1.7\n" + b"0" * 2000, "junk.pdf", "junk.pdf: the PDF is damaged and cannot be read ("),
]


@pytest.mark.parametrize(("builder", "name", "message"), BAD)
def test_unreadable_pdfs_raise_a_document_error(
    builder: Callable[[], bytes], name: str, message: str
) -> None:
    with pytest.raises(DocumentError, match="^" + re.escape(message)):
        read_pdf(build(builder), name)


def test_a_pdf_over_the_size_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module.pdfplumber, "open", lambda *a, **k: pytest.fail("opened a too-big PDF"))
    data = b"%PDF-1.7\n" + b" " * pdf_module.MAX_PDF_BYTES
    with pytest.raises(DocumentError, match=r"^big\.pdf: the PDF is 50\.0 MB, over the 50 MB limit; "):
        read_pdf(data, "big.pdf")


# (PDF date string, ISO date or None)
DATES = [
    ("D:20250210083000+08'00'", "2025-02-10"),
    ("D:20250210", "2025-02-10"),
    ("20250210083000Z", "2025-02-10"),
    ("D:2025", None),
    ("D:20251340", None),
    ("D:19700101000000Z", None),  # a producer's placeholder
    (b"D:20250210", None),
    (None, None),
]


@pytest.mark.parametrize(("value", "expected"), DATES)
def test_pdf_date(value: object, expected: str | None) -> None:
    assert pdf_date(value) == expected


# (offset, page): page 2 is empty and shares its offset with page 3
PAGE_OF = [(0, 1), (4, 1), (5, None), (6, None), (7, 3), (9, 3), (10, None), (-1, None)]


@pytest.mark.parametrize(("offset", "page"), PAGE_OF)
def test_page_of(offset: int, page: int | None) -> None:
    pages = [(1, 0, 5), (2, 7, 7), (3, 7, 10)]
    doc = PdfText(text="甲乙丙丁戊\n\n己庚辛", pages=pages, title=None, date=None)
    assert doc.page_of(offset) == page
