"""How well, and how fast, pypdf, pdfplumber and extract.pdf read the Chinese fixture PDFs.

Run from the repository root: ``python tests/bench/bench_pdf.py``. For each fixture (tests/fixtures/pdf_docs;
"long20" is 20 pages of the same layout) and reader it prints:

* text%   - similarity of the non-space characters to the known text, in order (difflib ratio x 100;
            extra text such as running headers counts against it);
* figures - how many of the text's figures (504.4亿元, 34.9%...) come out whole, not cut by a line break;
* order   - two-column page: whether the four column paragraphs come out whole and left column first;
* table   - rows of the table that come out as one line with their cells in order;
* ms, x   - median time of five reads, and that time as a multiple of pypdf's on the same file.

The "office" fixture (the DOCX fixture exported by LibreOffice) is skipped when LibreOffice Writer is
missing. Peak memory of extract.pdf is measured with tracemalloc on 15 and 60 pages of the same layout.
"""

from __future__ import annotations

import difflib
import io
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pdfplumber
import pypdf

from extract.pdf import read_pdf
from tests.fixtures import docx_docs, pdf_docs

RUNS = 5
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?:%|亿美元|亿元|亿人|亿次|万元|亿|部|分钟)?")


def _pypdf(data: bytes) -> str:
    return "\n\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _pypdf_layout(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)


def _plumber(data: bytes, **kwargs: object) -> str:
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            out.append(page.extract_text(**kwargs))
            page.close()
    return "\n\n".join(out)


READERS: dict[str, Callable[[bytes], str]] = {
    "pypdf": _pypdf,
    "pypdf layout": _pypdf_layout,
    "pdfplumber": _plumber,
    "pdfplumber layout": lambda data: _plumber(data, layout=True),
    "extract.pdf": lambda data: read_pdf(data, "bench.pdf").text,
}


def _fixtures() -> dict[str, tuple[bytes, str, tuple[str, ...]]]:
    """name -> (PDF bytes, expected text, expected table lines)."""
    out = {
        "plain": (pdf_docs.plain_pdf(), pdf_docs.PLAIN_TEXT, ()),
        "two_column": (pdf_docs.two_column_pdf(), pdf_docs.TWO_COLUMN_TEXT, ()),
        "table": (pdf_docs.table_pdf(), pdf_docs.TABLE_TEXT, pdf_docs.TABLE_LINES),
        "paged": (pdf_docs.paged_pdf(), pdf_docs.PAGED_TEXT, ()),
        "long20": (pdf_docs.long_pdf(20), pdf_docs.long_pdf_text(20), ()),
    }
    try:
        out["office"] = (pdf_docs.office_pdf(), docx_docs.ARTICLE_TEXT, docx_docs.ARTICLE_TABLE_LINES)
    except pdf_docs.ToolMissing as exc:
        print(f"(office fixture skipped: {exc})")
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text_score(got: str, want: str) -> float:
    return 100 * difflib.SequenceMatcher(None, _squeeze(want), _squeeze(got), autojunk=False).ratio()


def _figures(got: str, want: str) -> str:
    figures = _FIGURE.findall(want)
    return f"{sum(1 for f in figures if f in got)}/{len(figures)}"


def _order(got: str) -> str:
    flat = _squeeze(got)
    spots = [flat.find(_squeeze(p)) for p in (*pdf_docs.LEFT_COLUMN, *pdf_docs.RIGHT_COLUMN)]
    return "yes" if -1 not in spots and spots == sorted(spots) else "no"


def _table(got: str, lines: tuple[str, ...]) -> str:
    if not lines:
        return "-"
    rows = {tuple(c for c in re.split(r"\s*\|\s*|\s+", line.strip()) if c) for line in got.splitlines()}
    return f"{sum(1 for line in lines if tuple(line.split(' | ')) in rows)}/{len(lines)}"


def _time(reader: Callable[[bytes], str], data: bytes) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        reader(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_mb(data: bytes) -> float:
    tracemalloc.start()
    read_pdf(data, "bench.pdf")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    """Print one line per fixture and reader, then extract.pdf's peak memory by page count."""
    fixtures = _fixtures()
    header = ("fixture", "reader", "text%", "figures", "order", "table", "ms", "x")
    print("{:<11} {:<18} {:>6} {:>8} {:>6} {:>6} {:>8} {:>6}".format(*header))
    for name, (data, want, table) in fixtures.items():
        baseline = None
        for reader_name, reader in READERS.items():
            got = reader(data)
            seconds = _time(reader, data)
            baseline = baseline or seconds
            order = _order(got) if name == "two_column" else "-"
            print(
                f"{name:<11} {reader_name:<18} {_text_score(got, want):6.1f} {_figures(got, want):>8} "
                f"{order:>6} {_table(got, table):>6} {seconds * 1000:8.1f} {seconds / baseline:6.2f}"
            )
    small, large = _peak_mb(pdf_docs.long_pdf(15)), _peak_mb(pdf_docs.long_pdf(60))
    print(f"extract.pdf peak traced memory: 15 pages {small:.1f} MB, 60 pages {large:.1f} MB")


if __name__ == "__main__":
    main()
