"""PDF and Word reports as documents: read through the same loader as articles, with a page per claim."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard import data, store
from extract.corpus import SUPPORTED_SUFFIXES, load_document, parse_document
from extract.errors import DocumentError
from extract.pipeline import extract_corpus, extract_document
from extract.schema import C
from tests.fixtures import docx_docs, pdf_docs
from tests.fixtures.cjk_font import FontMissing


def build(builder: Callable[[], bytes]) -> bytes:
    """A fixture's bytes; skipped, saying why, when the machine lacks the Chinese font (.ci/setup has it)."""
    try:
        return builder()
    except FontMissing as exc:
        pytest.skip(str(exc))


def test_a_pdf_is_a_document_whose_claims_know_their_page() -> None:
    doc = parse_document("备案.pdf", build(pdf_docs.paged_pdf))
    assert doc.format == "pdf" and len(doc.pages) == 3
    claims = extract_document(doc)["claims"]
    hit = claims[claims[C.sentence].str.contains(pdf_docs.PAGED_SENTENCE_ON_PAGE_2, regex=False)]
    assert not hit.empty and set(hit[C.page]) == {2}
    assert claims[C.page].notna().all() and claims[C.page].min() >= 1
    for row in claims.itertuples():  # every page number holds its claim's text
        _, start, end = doc.pages[int(row.page) - 1]
        assert start <= row.start < end


def test_a_word_file_is_a_document_with_its_table_as_lines() -> None:
    doc = parse_document("报告.docx", build(docx_docs.article_docx))
    assert doc.format == "docx" and doc.pages == ()
    claims = extract_document(doc)["claims"]
    assert not claims.empty and claims[C.page].isna().all()
    assert " | " in doc.text


@pytest.mark.parametrize(("name", "builder", "message"), [
    ("scan.pdf", lambda: pdf_docs.BUILDERS["scanned"](), "scanned PDF: no text layer, OCR is not supported"),
    ("broken.pdf", lambda: build(pdf_docs.plain_pdf)[:400], "damaged"),
    ("bomb.docx", lambda: docx_docs.bomb_docx(), "unpack"),
])
def test_unreadable_reports_are_reported(name: str, builder: Callable[[], bytes], message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse_document(name, builder())


def test_a_folder_with_reports_loads_them_and_reports_the_broken_one(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(build(pdf_docs.plain_pdf))
    (tmp_path / "b.docx").write_bytes(build(docx_docs.article_docx))
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.7 not really")
    corpus = extract_corpus([tmp_path], use_cache=False)
    assert sorted(corpus.documents[C.format]) == ["docx", "pdf"]
    assert list(corpus.errors[C.file].map(lambda f: Path(f).name)) == ["c.pdf"]
    assert ".pdf" in SUPPORTED_SUFFIXES and ".docx" in SUPPORTED_SUFFIXES
    assert load_document(tmp_path / "a.pdf").title


def test_a_pdf_upload_is_saved_and_extracted(tmp_path: Path) -> None:
    messages = data.add_uploads(tmp_path, [("白皮书.pdf", build(pdf_docs.plain_pdf))])
    assert [m[:2] for m in messages] == [("ok", "documents.added")]
    assert (tmp_path / "白皮书.pdf").exists()
    assert store.size_limit("x.pdf") == 50 * 1024 * 1024 > store.size_limit("x.md")
