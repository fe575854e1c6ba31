"""Hostile input: crafted upload names and sizes, YAML tags, active HTML, markup in titles, formula cells.

Each test feeds what an attacker or a careless export would feed and checks the promise the user relies
on: nothing is written outside the user folder, nothing runs, and every piece of document text reaches
the page, the charts and the downloads as the same literal characters.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from streamlit.testing.v1 import AppTest

from dashboard import charts, data, deck, export, figures, fmt, state, store, views
from dashboard import page as page_mod
from dashboard.i18n import t
from dashboard.state import Filters
from extract.corpus import parse_document
from extract.errors import DocumentError
from extract.pipeline import extract_corpus
from extract.schema import C
from extract.tabular import FORMULA_START, neutralise
from tests.test_app import APP, TIMEOUT

TEXT = "2024年微短剧市场规模达504.4亿元。".encode()

# -- upload names --------------------------------------------------------------------------------------------

_NAME_PIECES = st.sampled_from([
    "..", "../", "..\\", "/", "\\", "\x00", "CON", "nul", "com1", "LPT9", "aux", ".", " ", "~", "$", "报告",
    "a", ".md", ".txt", ".html", ".HTM", ".exe", ".md.exe", "\u202e", "\n", "\t", ":", "*", "?", '"', "<",
    ">", "|", "%2e%2e%2f", "\u200b", "\uff0f", "\u2215", "C:\\", "/etc/passwd", "\x7f", "\ufeff", "é",
])
NAMES = st.one_of(
    st.lists(_NAME_PIECES | st.text(max_size=4), max_size=14).map("".join),
    st.text(max_size=40).map(lambda s: s + ".md"),
    st.builds(lambda n, ch, ext: ch * n + ext, st.integers(60, 400), st.sampled_from(["长", "a", ". ", "é"]),
              st.sampled_from([".md", ".txt", ".html"])),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES)
def test_no_upload_name_writes_outside_the_folder(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "user"
        try:
            path = store.save_upload(folder, name, TEXT)
        except store.UploadError as exc:
            assert str(exc)
            assert not folder.exists() or not any(folder.iterdir())
            return
        assert path.parent == folder and path.resolve().parent == folder.resolve()
        assert [p.name for p in root.iterdir()] == ["user"] and list(folder.iterdir()) == [path]
        assert path.read_bytes() == TEXT
        safe = path.name
        assert safe == store.sanitize_name(name) == store.sanitize_name(safe)  # idempotent
        assert not safe.startswith(".") and len(safe.encode()) <= store.MAX_NAME_BYTES
        assert not re.search(r'[\\/:*?"<>|]', safe)
        assert not [ch for ch in safe if unicodedata.category(ch)[0] == "C"]
        assert Path(safe).suffix in store.ALLOWED_SUFFIXES
        assert safe.split(".")[0].upper() not in store._RESERVED
        assert [f.path for f in store.list_uploads(folder)] == [path]


# -- size limit ----------------------------------------------------------------------------------------------


def _sizes(message: str) -> list[float]:
    """The sizes an over-limit message states, in bytes: [file size, limit]."""
    units = {"bytes": 1, "KB": 1024, "MB": 1024 * 1024}
    return [float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?) (bytes|KB|MB)", message)]


@pytest.mark.parametrize(
    ("size", "limit"),
    [(101, 100), (2049, 2048), (store.MAX_UPLOAD_BYTES + 1, store.MAX_UPLOAD_BYTES),
     (store.MAX_UPLOAD_BYTES + 60_000, store.MAX_UPLOAD_BYTES), (3 * 1024 * 1024, 1024 * 1024 + 1)],
)
def test_over_limit_message_states_a_size_above_the_limit(tmp_path: Path, size: int, limit: int) -> None:
    with pytest.raises(store.UploadError) as info:
        store.save_upload(tmp_path, "big.md", b"x" * size, max_bytes=limit)
    stated_size, stated_limit = _sizes(str(info.value))
    assert stated_size > stated_limit  # never "5.2 MB, over the 5.2 MB limit"
    assert stated_size >= size and stated_limit <= limit
    assert list(tmp_path.iterdir()) == []


def test_over_limit_upload_in_the_app_names_the_limit_the_uploader_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, user = tmp_path / "corpus", tmp_path / "user"
    corpus.mkdir()
    (corpus / "a.md").write_bytes(TEXT)
    monkeypatch.setenv(data.ENV_CORPUS, str(corpus))
    monkeypatch.setenv(data.ENV_USER_CORPUS, str(user))
    monkeypatch.setenv("MICRODRAMA_CACHE", str(tmp_path / "cache"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"tab": "documents"})
    at.run()
    at.file_uploader[0].upload("big.md", b"x" * (store.MAX_UPLOAD_BYTES + 1), "text/markdown").run()
    assert not at.exception
    [error] = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]
    mb = store.MAX_UPLOAD_BYTES // (1024 * 1024)
    assert "big.md" in error and f"over the {mb} MB limit" in error
    assert f"{mb} MB" in t("documents.upload_help", mb=mb, report_mb=50)
    assert not user.exists() or not any(user.iterdir())


# -- YAML front matter ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "warned"),
    [
        ("run: !!python/name:os.system", True),
        ("run: !!python/module:os", True),
        ("run: !!python/object:builtins.object {}", True),
        ("run: !<tag:yaml.org,2002:python/object/apply:os.system> [x]", True),
        ("run: !custom 值", True),
        ("title: !!binary 5qCH6aKY", True),  # bytes, not text: ignored with a warning
        ("title: !!set {a, b}", True),
        ("title: !!str 标题", False),
        ("title: !!python/str 标题", True),
        ("<<: {title: 合并}", False),
    ],
)
def test_yaml_tags_are_refused_or_read_as_data(front: str, warned: bool,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a) or 0)
    doc = parse_document("evil.md", f"---\n{front}\n---\n正文。\n".encode())
    assert called == []
    assert doc.text == "正文。"
    assert bool(doc.warnings) == warned, doc.warnings
    assert doc.title in ("标题", "合并", "正文。")


def _yaml_bomb(levels: int, key: str) -> bytes:
    """A 'billion laughs' front matter: ``key`` aliases 9**levels strings in a few hundred bytes."""
    lines = ['l0: &l0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    lines.append(f"{key}: *l{levels}")
    return ("---\n" + "\n".join(lines) + "\n---\n2024年微短剧市场规模达504.4亿元。\n").encode()


@pytest.mark.parametrize("key", ["date", "title", "categories", "summary", "source", "url"])
def test_yaml_alias_bomb_is_never_expanded(key: str) -> None:
    small = parse_document("bomb.md", _yaml_bomb(3, key))
    # The warning names the field, never the structure: rendering it is what a big bomb makes explode.
    assert len(small.warnings) == 1 and key in small.warnings[0] and "哈" not in small.warnings[0]
    big = parse_document("bomb.md", _yaml_bomb(9, key))  # 387 million strings if anything walked them
    assert big.warnings == small.warnings and big.text == "2024年微短剧市场规模达504.4亿元。"


# -- HTML --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('<p>正文<script>alert(1)</script></p>', "正文"),
        ('<p>正文<img src=x onerror=alert(1)></p>', "正文"),
        ('<iframe src="javascript:alert(1)">框架</iframe><p>正文</p>', "正文"),
        ('<a href="javascript:alert(1)">点我</a><p>正文</p>', "正文"),
        ('<a href="&#106;avascript:alert(1)">点我</a><p>正文</p>', "正文"),
        ('<a href="java\nscript:alert(1)">点我</a><p>正文</p>', "正文"),
        ('<p>正文<a href="https://x.cn" onclick="alert(1)">好链接</a></p>', "正文好链接"),
        ('<p style="background:url(javascript:alert(1))" onmouseover="alert(1)">正文</p>', "正文"),
        ('<object data="javascript:alert(1)">对象</object><p>正文</p>', "正文"),
        ('<embed src="javascript:alert(1)"><p>正文</p>', "正文"),
        ('<p>前文</p><embed src=x.swf><p>正文</p>', "前文\n正文"),
        ('<noscript><p>开启脚本</p></noscript><p>正文</p>', "正文"),
        ('<p>正文</p><!-- <script>alert(1)</script> -->', "正文"),
        ('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>', "<script>alert(1)</script>"),
        ('<form action="javascript:alert(1)"><input value="x"><button>提交</button></form><p>正文</p>',
         "正文"),
        ('<base href="javascript:alert(1)//"><p>正文</p>', "正文"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><p>正文</p>', "正文"),
        ('<p>正文<template><script>alert(1)</script></template></p>', "正文"),
        ('<body onload="alert(1)"><p>正文</p></body>', "正文"),
        ('<p>正文<style>body{background:url("javascript:alert(1)")}</style></p>', "正文"),
        ('<p>正文</p><script>document.write("<p>注入</p>")</script>', "正文"),
        ('<video><source onerror="alert(1)"></video><p>正文</p>', "正文"),
        ('<textarea><script>alert(1)</script></textarea><p>正文</p>', "正文"),
    ],
)
def test_active_html_becomes_text_only(html: str, text: str) -> None:
    assert parse_document("page.html", html.encode()).text == text


_ACTIVE = [
    "<script>恶意脚本()</script>", '<img src=x onerror="恶意处理()">', '<p onclick="恶意处理()">',
    '<a href="javascript:恶意链接()">恶意链</a>', '<a href=" JaVaScRiPt:恶意链接()">恶意链</a>',
    "<style>p{恶意样式:1}</style>", '<iframe src="javascript:恶意链接()">恶意框</iframe>',
    '<embed src="恶意插件.swf">', '<object data="恶意插件.swf">恶意对象</object>',
    "<noscript>恶意提示</noscript>", "<!-- 恶意注释 -->",
    '<svg onload="恶意处理()"><text>恶意图</text></svg>',
    '<form action="javascript:恶意链接()"><input value="恶意值">',
]
_SAFE = ["<p>", "</p>", "<div>", "</div>", "<br>", "<b>", "</b>", "<span>", "</span>", "\n"]


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(_ACTIVE), st.sampled_from(_SAFE),
                                st.integers(0, 99).map(lambda n: f"正文{n}号")), min_size=1, max_size=30))
def test_html_never_keeps_scripts_handlers_or_script_links(parts: list[str]) -> None:
    try:
        doc = parse_document("page.html", "".join(parts).encode())
    except DocumentError as exc:
        assert "empty" in str(exc)
        return
    assert "恶意" not in doc.text and "javascript" not in doc.text.lower()
    assert "<" not in doc.text and ">" not in doc.text
    # Text outside active elements survives, in order; text after an unclosed <form> may not (its
    # controls are dropped with everything inside it).
    first = next((i for i, p in enumerate(parts) if p.startswith("<form")), len(parts))
    found = iter(re.findall(r"正文\d+号", doc.text))
    assert all(word in found for word in parts[:first] if word.startswith("正文"))


# -- document text and titles shown literally ---------------------------------------------------------------

# Each title fits the source line (24 characters), so every one reaches the charts unshortened.
TITLES = ["<b>粗</b><script>", "**星**[链](javascript:x)", "$x$&amp;<br><a href=x>"]
SOURCE = "<i>站</i>&lt;源"
BODIES = [
    "<b>粗</b>2024年微短剧市场规模达到504.4亿元，**星**用户超过1亿人。\n\n"
    "[链接](javascript:alert(1)) 出海短剧在海外市场收入达到6.5亿美元。\n",
    "$x$ &amp; 付费短剧占比约52.4%，<br>监管部门加强审核。\n\n"
    "2025年2月，《<script>剧</script>》在抖音上线，播放量突破2.2亿次。\n",
    "=1+1 微短剧行业带动就业岗位64.7万个。\n\n"
    "@SUM(A1) 2024年微短剧市场规模为373.9亿元，AI技术进入短剧制作。\n",
]
# The markup of the documents above as written: it must never reach a page or chart unescaped.
RAW = ("<b>粗</b>", "<script>", "<a href=x>", "<i>站</i>", "<br>监管")


def write_hostile_corpus(folder: Path) -> Path:
    """Three Markdown files whose titles, source and text carry HTML, Markdown, TeX and formulas."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (title, body) in enumerate(zip(TITLES, BODIES, strict=True)):
        front = {"title": title, "date": f"2025-03-0{i + 1}", **({"source": SOURCE} if i == 0 else {})}
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body
        (folder / f"h{i}.md").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The extracted tables of the hostile corpus (extracted once for the module)."""
    folder = write_hostile_corpus(tmp_path_factory.mktemp("hostile"))
    tables = extract_corpus([folder], use_cache=False).tables()
    assert sorted(tables["documents"][C.title]) == sorted(TITLES)  # the front matter kept them verbatim
    return tables


@pytest.fixture
def page(hostile_tables: dict[str, pd.DataFrame]) -> page_mod.Page:
    """An app page over the whole hostile corpus, with no caching (no Streamlit runtime needed)."""
    return page_mod.Page(view=hostile_tables, full=hostile_tables, filters=Filters(),
                       taxonomy=views.default_taxonomy())


def svg_text(fig: object) -> tuple[str, set[str]]:
    """The text an SVG export of ``fig`` shows, and the element names in it."""
    root = etree.fromstring(export.figure_to_svg(fig))
    tags = {etree.QName(el).localname.lower() for el in root.iter() if isinstance(el.tag, str)}
    return "".join(root.itertext()).replace("\u200b", ""), tags


def test_svg_export_shows_titles_and_labels_literally(page: page_mod.Page) -> None:
    shown, tags = svg_text(figures.built(page, "claims")[0])
    assert not tags & {"script", "a", "b", "i", "img", "foreignobject"}
    for title in TITLES:
        assert fmt.shorten(title, 24) == title and title in shown
    assert SOURCE in shown
    heat, heat_tags = svg_text(figures.built(page, "theme_by_document")[0])
    assert not heat_tags & {"script", "a", "b", "img"}
    for label in views.doc_labels(page.view["documents"])["doc_label"]:
        assert label in heat
    timeline, _ = svg_text(figures.built(page, "timeline")[0])
    assert "《<script>" in timeline  # the event label, shortened but literal


def test_pptx_shows_titles_literally(page: page_mod.Page) -> None:
    prs = Presentation(io.BytesIO(deck.build_deck(page)))
    title_slide, _, *chart_slides = prs.slides
    boxes = [s.text_frame.text for s in title_slide.shapes if s.has_text_frame]
    assert deck.filter_text(page) in boxes
    assert chart_slides
    named: set[str] = set()
    for slide in chart_slides:
        text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        named |= {title for title in TITLES if title in text}  # each slide names its own documents
        for title in TITLES:
            # No HTML entities left over from the figure's escaped text.
            assert charts.esc(title) == title or charts.esc(title) not in text
    assert named == set(TITLES)
    charts_ = [sh.chart for s in chart_slides for sh in s.shapes if sh.has_chart]
    labels = [str(c) for ch in charts_ for c in ch.plots[0].categories] + [
        str(p.data_label.text_frame.text) for ch in charts_ for series in ch.plots[0].series
        if ch.chart_type == XL_CHART_TYPE.XY_SCATTER for p in series.points]
    labels += [c.text for s in chart_slides for sh in s.shapes if sh.has_table for c in sh.table.iter_cells()]
    assert [lab for lab in labels if "《<script>剧</script>》" in lab]  # the chronology's sentence, literal
    assert not [lab for lab in labels if "&lt;" in lab or "&amp;amp;" in lab]


def test_xlsx_and_csv_show_text_literally_and_neutralise_formulas(page: page_mod.Page) -> None:
    tables = deck.xlsx_tables(page)
    book = openpyxl.load_workbook(io.BytesIO(export.tables_to_xlsx(tables)))
    docs = book["documents"]
    headers = [c.value for c in docs[1]]
    titles = [row[headers.index(C.title)] for row in docs.iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == sorted(TITLES)
    facts = book["facts"]
    fact_headers = [c.value for c in facts[1]]
    sentences = [row[fact_headers.index("原句")] for row in facts.iter_rows(min_row=2, values_only=True)]
    expected = [neutralise(s) for s in tables["facts"]["原句"]]
    assert sentences == expected
    assert [s for s in sentences if s.startswith("'=1+1")] and [s for s in sentences if "<b>粗</b>" in s]
    assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    rows = list(csv.reader(io.StringIO(export.frame_to_csv(tables["facts"]).decode("utf-8-sig"), newline="")))
    column = rows[0].index("原句")
    assert [r[column] for r in rows[1:]] == expected


@pytest.fixture
def hostile_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hostile corpus as the app's corpus, in private folders."""
    folder = write_hostile_corpus(tmp_path / "corpus")
    monkeypatch.setenv(data.ENV_CORPUS, str(folder))
    monkeypatch.setenv(data.ENV_USER_CORPUS, str(tmp_path / "user"))
    monkeypatch.setenv("MICRODRAMA_CACHE", str(tmp_path / "cache"))
    return folder


def _strings(value: object) -> list[str]:
    """Every string inside a decoded JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_panel_shows_document_markup_literally(hostile_app: Path) -> None:
    labels = views.doc_labels(extract_corpus([hostile_app], use_cache=False).documents)["doc_label"]
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    seen_escaped: set[str] = set()
    listed: set[str] = set()
    for tab in state.TABS:
        at.segmented_control(key=state.WIDGET_KEYS["tab"]).set_value(tab).run()
        assert not at.exception, (tab, [e.message for e in at.exception])
        markdown = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.error)]
        for value in markdown:
            for title in TITLES:
                assert title not in value, (tab, value)  # raw, it would render as markup
                if page_mod.plain(title) in value:
                    seen_escaped.add(title)
        for element in at.get("html"):
            assert not [r for r in RAW if r in element.proto.body], (tab, element.proto.body)
        for fig in at.get("plotly_chart"):
            texts = _strings(json.loads(fig.proto.spec))
            assert not [s for s in texts for r in RAW if r in s], tab
            assert [s for s in texts if charts.esc("<b>粗</b>") in s], tab  # shown, escaped
        options = [o for ms in at.sidebar.get("multiselect") for o in ms.options]
        assert set(labels) <= set(options)  # select boxes show plain text: the literal label
        if tab == "documents":
            assert sorted(at.dataframe[0].value[t("documents.col_title")]) == sorted(TITLES)
            listed = set(TITLES)  # grids show text as data, never as markup
        if tab == "facts":
            grid = at.dataframe[0].value
            assert any("<b>粗</b>" in s for s in grid["原句"])
    # Every title is shown somewhere: as a grid cell, and at least one in escaped Markdown too.
    assert listed == set(TITLES) and seen_escaped


# -- spreadsheet formula injection --------------------------------------------------------------------------

_CELL_STARTS = st.sampled_from([*FORMULA_START, "\x01", "\x0b", "\x1f", "'", " ", "＝", "a", "微", "1"])
_CELL_CHARS = st.sampled_from([*'=+-@"\t\n,;()1A微 ', "\x00", "\x02"])
CELLS = st.builds(lambda a, b, rest: a + b + rest, _CELL_STARTS, _CELL_STARTS,
                  st.text(alphabet=_CELL_CHARS, max_size=12))


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(CELLS, min_size=1, max_size=8), numbers=st.lists(
    st.floats(allow_nan=False, allow_infinity=False), min_size=8, max_size=8))
def test_csv_neutralises_every_formula_and_keeps_numbers(texts: list[str], numbers: list[float]) -> None:
    frame = pd.DataFrame({"=文本": texts, "数值": numbers[: len(texts)]})
    rows = list(csv.reader(io.StringIO(export.frame_to_csv(frame).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["'=文本", "数值"]
    for (cell, number), original, value in zip(rows[1:], texts, frame["数值"], strict=True):
        assert cell == neutralise(original) and not cell.startswith(FORMULA_START)
        assert float(number) == value


# Fewer examples with more rows each: writing and reading a workbook costs a quarter of a second.
@settings(max_examples=40, deadline=None)
@given(texts=st.lists(CELLS, min_size=1, max_size=60), numbers=st.lists(
    st.floats(min_value=-1e300, max_value=1e300), min_size=60, max_size=60))  # 15 digits of 1.79e308 is inf
def test_xlsx_neutralises_every_formula_and_keeps_numbers(texts: list[str], numbers: list[float]) -> None:
    frame = pd.DataFrame({"=文本": texts, "数值": numbers[: len(texts)]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.tables_to_xlsx({"t": frame})))["t"]
    assert [c.value for c in sheet[1]] == ["'=文本", "数值"]
    for (cell, number), original, value in zip(sheet.iter_rows(min_row=2), texts, frame["数值"], strict=True):
        shown = cell.value or ""  # a cell of only control characters is left empty
        assert cell.data_type != "f" and not shown.startswith(FORMULA_START)
        clean = ILLEGAL_CHARACTERS_RE.sub("", original)  # what an XLSX cell can hold at all
        assert shown in (clean, "'" + clean)
        assert number.data_type == "n" and number.value == pytest.approx(value, rel=1e-14)  # Excel: 15 digits


@pytest.mark.parametrize(
    ("header", "cell", "expected_header", "expected_cell"),
    [
        ("说明", "\x01=1+1", "说明", "'=1+1"),
        ("说明", "\x0b@SUM(A1)", "说明", "'@SUM(A1)"),
        ("说明", "\x00-5", "说明", "'-5"),
        ("说明", "\x02\x03+cmd|' /C calc'!A0", "说明", "'+cmd|' /C calc'!A0"),
        ("控\x01制", "正常", "控制", "正常"),
        ("\x01=列", "x", "'=列", "x"),
    ],
)
def test_xlsx_control_characters_never_crash_or_unmask_a_formula(header: str, cell: str, expected_header: str,
                                                                 expected_cell: str) -> None:
    book = export.tables_to_xlsx({"t": pd.DataFrame({header: [cell]})})
    sheet = openpyxl.load_workbook(io.BytesIO(book))["t"]
    assert (sheet["A1"].value, sheet["A2"].value) == (expected_header, expected_cell)
    assert sheet["A2"].data_type == "s"
