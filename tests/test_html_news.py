"""The HTML loader on ten news-like pages (tests/fixtures/html_news): body kept, boilerplate and scripts not.

Each page's ``pageNN.expected.json`` gives the body sentences, the boilerplate sentences and the title,
date and source. What the loader still gets wrong is listed under ``rules_gaps`` with the reason; those
are asserted to be still wrong, so a loader that closes one fails here until the gap is removed.
``tests/bench/bench_html.py`` measures the same pages against trafilatura.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extract.corpus import Document, load_document, parse_document

FIXTURES = Path(__file__).parent / "fixtures" / "html_news"
PAGES = sorted(FIXTURES.glob("page*.html"))
# Script code, handlers and what a script would write: never document text, on any page.
ACTIVE = ("alert(", "window.open", "onmouseover", "onclick", "onload", "track(", "document.write",
          "脚本写入的文字", "visibility", "您的浏览器不支持视频播放", "var ct")


def _squash(text: str) -> str:
    """``text`` without any white space, for matching across line breaks and indents."""
    return "".join(text.split())


def _expected(page: Path) -> dict[str, Any]:
    """The page's expected file."""
    return json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))


def test_ten_pages() -> None:
    """The issue asks for at least ten news-like pages."""
    assert len(PAGES) >= 10


@pytest.fixture(scope="module", params=PAGES, ids=lambda p: p.stem)
def loaded(request: pytest.FixtureRequest) -> tuple[Document, dict[str, Any]]:
    """One fixture page through the project's loader, with its expectations."""
    return load_document(request.param), _expected(request.param)


def test_body_is_kept(loaded: tuple[Document, dict[str, Any]]) -> None:
    """Every body sentence is in the main text."""
    doc, expected = loaded
    text = _squash(doc.text)
    missing = [s for s in expected["body"] if _squash(s) not in text]
    assert not missing, missing


def test_boilerplate_is_dropped(loaded: tuple[Document, dict[str, Any]]) -> None:
    """Boilerplate sentences are not in the main text, but for the known gaps, which still leak."""
    doc, expected = loaded
    text = _squash(doc.text)
    known = set(expected.get("rules_gaps", {}).get("leaked", []))
    assert known <= set(expected["boilerplate"])
    leaked = [s for s in expected["boilerplate"] if s not in known and _squash(s) in text]
    assert not leaked, leaked
    closed = [s for s in known if _squash(s) not in text]
    assert not closed, f"known gaps closed, remove them from rules_gaps.leaked: {closed}"


def test_no_active_content(loaded: tuple[Document, dict[str, Any]]) -> None:
    """No script code, event handler or embedded frame's fallback text reaches the text or the title."""
    doc, _ = loaded
    for needle in ACTIVE:
        assert needle not in doc.text and needle not in doc.title, needle


@pytest.mark.parametrize("field", ["title", "date", "source"])
def test_metadata(loaded: tuple[Document, dict[str, Any]], field: str) -> None:
    """Title, date and source are the expected ones, or still the recorded wrong value of a known gap."""
    doc, expected = loaded
    got = {"title": doc.title, "date": doc.date, "source": doc.source_name}[field]
    gaps = expected.get("rules_gaps", {})
    if field in gaps:
        assert got == gaps[field], f"known gap changed, update rules_gaps.{field}: {got!r}"
    elif field == "source":
        assert got in expected["source"]
    else:
        assert got == expected[field]


@pytest.mark.parametrize(
    ("title", "heading", "expected"),
    [
        ("横店剧组数量翻番_某某网", "横店剧组数量翻番", "横店剧组数量翻番"),
        ("某某报--横店剧组数量翻番", "横店剧组数量翻番", "横店剧组数量翻番"),
        ("横店剧组数量翻番 | Some Site", "横店剧组数量翻番", "横店剧组数量翻番"),
        ("横店剧组数量翻番续篇", "横店剧组数量翻番", "横店剧组数量翻番续篇"),  # no separator: a longer title
        ("横店剧组数量翻番：上半年六百多个剧组开机，带动住宿餐饮", "横店剧组数量翻番",
         "横店剧组数量翻番：上半年六百多个剧组开机，带动住宿餐饮"),  # a subtitle, not a site name
        ("专题页", "横店剧组数量翻番", "专题页"),
    ],
)
def test_title_drops_site_name(title: str, heading: str, expected: str) -> None:
    """<title> loses a site name joined to the <h1> headline, and nothing else."""
    page = f"<html><head><title>{title}</title></head><body><h1>{heading}</h1><p>正文一段。</p></body></html>"
    assert parse_document("t.html", page.encode()).title == expected
