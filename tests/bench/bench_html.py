"""How well the project's HTML rules and trafilatura read the news-page fixtures (tests/fixtures/html_news).

Run from the repository root: ``python tests/bench/bench_html.py``. For each page and reader it prints:

* body    - expected body sentences found in the main text (white space ignored);
* leaked  - boilerplate sentences (navigation, related links, comments, ads, footer) found in it;
* T D S   - title, date and source right (1) or wrong (0).

Readers: ``rules`` is ``extract.corpus.parse_document`` (the loader: its own rules, then trafilatura's
judgement of which lines are the article, ``extract/html_main.py``); ``rules-only`` is the rules' reading
alone; ``traf`` is ``trafilatura.bare_extraction`` with ``with_metadata=True`` and comments left out,
``traf-prec`` the same with ``favor_precision=True``; their source is the site name, else the author.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from unittest import mock

import trafilatura

from extract import corpus
from extract.corpus import parse_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html_news"


class Read(NamedTuple):
    """What one reader got from one page."""

    text: str
    title: str | None
    date: str | None
    source: str | None


def _squash(text: str) -> str:
    """``text`` without any white space, for matching across line breaks and indents."""
    return "".join(text.split())


def read_rules(path: Path) -> Read:
    """The project's own loader."""
    doc = parse_document(str(path), path.read_bytes())
    return Read(doc.text, doc.title, doc.date, doc.source_name)


def _traf(path: Path, precision: bool) -> Read:
    """trafilatura's main text and metadata, comments left out."""
    html = path.read_text(encoding="utf-8")
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, favor_precision=precision
    )
    if doc is None:
        return Read("", None, None, None)
    return Read(doc.text or "", doc.title, doc.date, doc.sitename or doc.author)


def read_rules_only(path: Path) -> Read:
    """The loader's own rules, without trafilatura's judgement."""
    with mock.patch.object(corpus, "main_lines", lambda html, rules, heading=None: rules):
        return read_rules(path)


READERS: dict[str, Callable[[Path], Read]] = {
    "rules": read_rules,
    "rules-only": read_rules_only,
    "traf": lambda p: _traf(p, False),
    "traf-prec": lambda p: _traf(p, True),
}


def score(read: Read, expected: dict[str, Any]) -> tuple[int, int, int, int, int, int]:
    """(body found, body total, leaked, boilerplate total, metadata right, metadata total)."""
    text = _squash(read.text)
    body = sum(_squash(s) in text for s in expected["body"])
    leaked = sum(_squash(s) in text for s in expected["boilerplate"])
    meta = (
        (read.title or "").strip() == expected["title"],
        (read.date or "")[:10] == expected["date"],
        read.source in expected["source"],
    )
    return body, len(expected["body"]), leaked, len(expected["boilerplate"]), sum(meta), 3


def main() -> None:
    """Print the per-page table and each reader's totals."""
    pages = sorted(FIXTURES.glob("page*.html"))
    totals = {name: [0] * 6 for name in READERS}
    print(f"{'page':8} {'reader':10} {'body':>6} {'leaked':>7}  T D S  title / date / source")
    for page in pages:
        expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
        for name, reader in READERS.items():
            read = reader(page)
            s = score(read, expected)
            totals[name] = [a + b for a, b in zip(totals[name], s, strict=True)]
            t = int((read.title or "").strip() == expected["title"])
            d = int((read.date or "")[:10] == expected["date"])
            src = int(read.source in expected["source"])
            print(
                f"{page.stem:8} {name:10} {s[0]:>2}/{s[1]:<3} {s[2]:>3}/{s[3]:<3}  {t} {d} {src}  "
                f"{read.title!r} / {read.date} / {read.source}"
            )
    print()
    print(f"{'reader':10} {'body recall':>12} {'boilerplate leaked':>19} {'metadata right':>15}")
    for name, (bf, bt, lk, lt, mr, mt) in totals.items():
        print(
            f"{name:10} {bf:>4}/{bt} {bf / bt:5.1%} {lk:>6}/{lt} {lk / lt:6.1%} {mr:>6}/{mt} {mr / mt:5.1%}"
        )


if __name__ == "__main__":
    main()
