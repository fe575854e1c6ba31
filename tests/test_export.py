"""Exports: PNG/SVG through chromium (size, CJK glyphs, literal text), HTML, CSV/XLSX safety, PPTX deck.

The PNG/SVG tests need Debian's chromium and fonts-noto-cjk (installed by .ci/setup); they fail, not skip,
when either is missing, because a dashboard whose Chinese exports show boxes is broken.
"""

from __future__ import annotations

import concurrent.futures
import io
import json
import re
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches

from dashboard import charts, export, indicator_views, views
from extract.pipeline import extract_corpus
from extract.schema import C
from tests.conftest import DOC_A, FORMULA, HOSTILE_TITLE

INDICATOR_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "indicators"

Tables = dict[str, pd.DataFrame]
T = TypeVar("T")
HINT = "apt-get install chromium fonts-noto-cjk"


def within(seconds: float, fn: Callable[[], T]) -> T:
    """Run ``fn`` in a worker thread and fail the test if it does not return in time (no hanging CI)."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(fn).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def claims_figure(tables: Tables, **kwargs: object) -> go.Figure:
    """The claims chart of the tiny corpus, with its source line."""
    view = views.claims_view(tables["claims"], tables["documents"])
    return charts.claims_chart(view, source=views.source_line(tables["documents"]), **kwargs)


def ink(text: str) -> int:
    """Dark pixels when ``text`` is drawn big in the CJK font: tofu boxes give the same count for any text."""
    fig = go.Figure()
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"family": charts.FONT_FAMILY, "size": 120, "color": "black"})
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, paper_bgcolor="white", plot_bgcolor="white")
    image = Image.open(io.BytesIO(export.figure_to_png(fig, width=900, height=200, scale=1))).convert("L")
    return sum(image.histogram()[:128])


# -- environment ------------------------------------------------------------------------------------------


def test_noto_sans_cjk_is_installed() -> None:
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30,
                              check=False).stdout
    assert "Noto Sans CJK" in families, f"no Noto Sans CJK font for Chinese; install it: {HINT}"


def test_export_is_available_here() -> None:
    assert export.export_status() is None


def test_chinese_renders_as_glyphs_not_boxes() -> None:
    dense, sparse = ink("微微微微微"), ink("一一一一一")
    assert sparse > 0
    assert dense > 2 * sparse, "CJK characters render as identical boxes: is fonts-noto-cjk installed?"


def test_missing_browser_is_reported_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(export.BROWSER_ENV, str(tmp_path / "no-chromium-here"))
    assert HINT in (export.export_status() or "")
    with pytest.raises(export.ExportUnavailable, match=re.escape(HINT)):
        within(30, lambda: export.figure_to_png(go.Figure()))


def test_broken_browser_fails_fast_instead_of_hanging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(export.BROWSER_ENV, "/bin/false")  # executable, but exits at once
    with pytest.raises(export.ExportUnavailable, match=re.escape(HINT)):
        within(120, lambda: export.figure_to_svg(go.Figure()))


def test_missing_cjk_font_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export, "cjk_fonts", lambda: ("DejaVu Sans",))
    message = export.export_status() or ""
    assert "Noto Sans CJK SC" in message and HINT in message
    with pytest.raises(export.ExportUnavailable, match="fonts-noto-cjk"):
        export.figure_to_png(go.Figure())


# -- PNG / SVG / HTML -------------------------------------------------------------------------------------


def test_png_is_16_9_at_scale_2(tiny_corpus: Tables) -> None:
    fig = claims_figure(tiny_corpus, title="微短剧市场规模", presentation=True)
    assert png_size(within(180, lambda: export.figure_to_png(fig))) == (3200, 1800)


def test_png_size_follows_arguments(tiny_corpus: Tables) -> None:
    fig = claims_figure(tiny_corpus, title="微短剧市场规模", height=400)  # export size wins over layout
    png = within(180, lambda: export.figure_to_png(fig, width=800, height=450, scale=1))
    assert png_size(png) == (800, 450)


def test_svg_keeps_chinese_title_and_source_as_text(tiny_corpus: Tables) -> None:
    fig = claims_figure(tiny_corpus, title="微短剧市场规模")
    svg = within(180, lambda: export.figure_to_svg(fig)).decode("utf-8")
    texts = "".join(etree.fromstring(svg.encode("utf-8")).itertext())
    assert "微短剧市场规模" in texts
    assert "来源：澎湃新闻" in texts


def test_svg_shows_hostile_text_literally(tiny_corpus: Tables) -> None:
    fig = claims_figure(tiny_corpus, title=HOSTILE_TITLE)
    svg = within(180, lambda: export.figure_to_svg(fig))
    root = etree.fromstring(svg)
    tags = {etree.QName(el).localname.lower() for el in root.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "img", "a", "foreignobject"}
    assert not [el for el in root.iter() if isinstance(el.tag, str) and "onerror" in el.attrib]
    assert "<script>alert(1)</script>短剧<img src=x onerror=alert(1)>" in "".join(root.itertext())


def test_html_is_self_contained(tiny_corpus: Tables) -> None:
    page = export.figure_to_html(claims_figure(tiny_corpus, title="微短剧市场规模")).decode("utf-8")
    assert not re.search(r"<script[^>]*\ssrc=", page, flags=re.IGNORECASE)
    assert not re.search(r"<link[^>]*\shref=[\"']?https?:", page, flags=re.IGNORECASE)
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js itself is inlined
    # plotly writes the title raw with orjson and \u-escaped with the standard json module: both display it
    assert "微短剧市场规模" in page or json.dumps("微短剧市场规模") in page


# -- CSV / XLSX -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("\0x", "'\0x"), ("\rx", "'\rx"), (FORMULA, "'" + FORMULA), ("市场规模", "市场规模"), ("a=b", "a=b"),
     (5, 5), (-5.5, -5.5), (None, None)],
)
def test_neutralise(cell: object, expected: object) -> None:
    assert export.neutralise(cell) == expected


def test_csv_has_bom_and_neutralised_text_but_real_numbers() -> None:
    frame = pd.DataFrame({"文本": ["=HYPERLINK(\"x\")", "-减", "微短剧"], "数值": [-5, 504.4, 0]})
    before = frame.copy(deep=True)
    data = export.frame_to_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["文本"]) == ["'=HYPERLINK(\"x\")", "'-减", "微短剧"]
    assert list(back["数值"]) == [-5, 504.4, 0]
    text = data.decode("utf-8-sig")
    assert ",-5.0\r\n" in text and "'-5" not in text  # the negative number is not quoted
    pd.testing.assert_frame_equal(frame, before)


def test_csv_of_claims_neutralises_the_formula_sentence(tiny_corpus: Tables) -> None:
    table = views.facts_table(tiny_corpus["claims"], tiny_corpus["documents"], "zh")
    back = pd.read_csv(io.BytesIO(export.frame_to_csv(table)), encoding="utf-8-sig")
    assert "'" + FORMULA in set(back["对象"])
    assert not [s for s in back["原句"] if str(s).startswith("=")]


def test_xlsx_has_a_sheet_per_table_with_safe_text(tiny_corpus: Tables) -> None:
    tables = {name: tiny_corpus[name] for name in ("documents", "claims", "keywords")}
    tables["事实表"] = views.facts_table(tiny_corpus["claims"], tiny_corpus["documents"], "zh")
    book = openpyxl.load_workbook(io.BytesIO(export.tables_to_xlsx(tables)))
    assert book.sheetnames == list(tables)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # nothing Excel would evaluate
    facts = book["事实表"]
    headers = [c.value for c in facts[1]]
    assert headers[:2] == ["指标", "数值"]
    subjects = [r[headers.index("对象")] for r in facts.iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA in subjects
    claims = book["claims"]
    value_col = [c.value for c in claims[1]].index(C.value)
    values = [r[value_col] for r in claims.iter_rows(min_row=2, values_only=True)]
    assert values == list(tiny_corpus["claims"][C.value])  # numbers stay numbers, not text
    doc_ids = [r[0] for r in claims.iter_rows(min_row=2, values_only=True)]
    assert doc_ids == list(tiny_corpus["claims"][C.doc_id])  # text ids not turned into numbers


def test_xlsx_keeps_text_columns_as_text() -> None:
    frame = pd.DataFrame({"编号": ["0012", "1e5", "2024-01-01"],
                          "说明": ["含\x01控制符", "x" * 40_000, "正常"]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.tables_to_xlsx({"t": frame})))["t"]
    assert [c.value for c in sheet["A"][1:]] == ["0012", "1e5", "2024-01-01"]
    assert sheet["B2"].value == "含控制符" and len(sheet["B3"].value) < 32_767


@pytest.mark.parametrize(
    ("names", "expected"),
    [(["a/b", "c:d"], ["a_b", "c_d"]), (["x" * 40], ["x" * 31]), (["表", "表"], ["表", "表_2"])],
)
def test_xlsx_sheet_names_are_valid(names: list[str], expected: list[str]) -> None:
    taken: list[str] = []
    for name in names:
        taken.append(export._sheet_name(name, taken))
    assert taken == expected


# -- PPTX -------------------------------------------------------------------------------------------------


def deck(tables: Tables) -> tuple[bytes, list[tuple[go.Figure, pd.DataFrame, str]]]:
    """A deck of the tiny corpus: claims facets, keywords bar, theme heatmap and an empty chart."""
    docs = tables["documents"]
    source = views.source_line(docs)
    claims = views.claims_view(tables["claims"], docs)
    keywords = views.keyword_view(tables["keywords"], "tfidf", topic=True)
    heat = views.theme_by_document(tables["themes"], docs)
    specs = [
        (charts.claims_chart(claims, title="微短剧数字", source=source), claims, source),
        (charts.keywords_bar(keywords, title="关键词", source=source), keywords, source),
        (charts.theme_heatmap(heat, title="主题×文章", source=source), heat, ""),
        (charts.empty_figure("没有数据", title="空图"), pd.DataFrame(), "来源：无"),
    ]
    headline = indicator_views.cards_view(tables["indicators"], docs)
    data = export.deck_to_pptx(title="微短剧事实看板", subtitle=HOSTILE_TITLE, headline=headline,
                               charts=specs, kpi_source=views.source_line(docs, [DOC_A]))
    return data, specs


def all_text(slide: object) -> str:
    """Every text frame's text on a slide."""
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_deck_structure(tiny_corpus: Tables) -> None:
    data, specs = deck(tiny_corpus)
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 2 + len(specs)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    title, kpi, *_, empty = prs.slides
    assert "微短剧事实看板" in all_text(title) and HOSTILE_TITLE in all_text(title)
    assert "504.4亿元" in all_text(kpi) and "2024年" in all_text(kpi)
    assert not [s for s in empty.shapes if s.has_chart] and "没有数据" in all_text(empty)


def test_indicator_slide_is_a_native_line_chart_with_its_sources() -> None:
    corpus = extract_corpus([INDICATOR_FIXTURE], use_cache=False)
    table, docs = corpus.indicators, corpus.documents
    key = "market_size||||CNY|year"
    points, consensus, axis = indicator_views.indicator_points(table, key, corpus.claims, docs)
    slide = indicator_views.slide_data(points, consensus, "市场规模", axis)
    source = views.source_line(docs, slide.doc_ids, limit=10)
    data = export.deck_to_pptx(title="t", headline=None, charts=[], indicators=[(slide, source)])
    _, indicator = Presentation(io.BytesIO(data)).slides  # no KPI slide when it is left out
    chart = next(s.chart for s in indicator.shapes if s.has_chart)
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(chart.plots[0].categories) == ["2024年", "2025年", "2025年（预计）"]
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert series["共识值"][:2] == [pytest.approx(504.4), pytest.approx(620.0)]  # reported, a line
    assert series["共识值（预计）"][2] == pytest.approx(600.0)  # the forecast, a dashed line of its own
    assert series["艾媒咨询"][0] == pytest.approx(505.0) and series["艾媒咨询"][2] == pytest.approx(680.0)
    text = all_text(indicator)
    assert "市场规模（亿元）" in text
    assert "2024年 504.4亿元：中国网络视听协会（3 篇）" in text  # three outlets re-posting one report
    documents = set(slide.doc_ids)
    assert documents == {d for d in docs[C.doc_id] if d in set(points["doc_id"])}
    for title in docs[C.title]:  # the source line names exactly the documents behind the slide
        behind = docs.loc[docs[C.title] == title, C.doc_id].iloc[0] in documents
        assert (fmt_short(title) in source) == behind


def fmt_short(title: str) -> str:
    """A title as a source line shortens it."""
    from dashboard.fmt import shorten

    return shorten(title, 24).rstrip("…")


def test_deck_charts_are_native_with_chinese_categories(tiny_corpus: Tables) -> None:
    data, _ = deck(tiny_corpus)
    slides = list(Presentation(io.BytesIO(data)).slides)
    claims_charts = [s.chart for s in slides[2].shapes if s.has_chart]
    panels = views.claims_view(tiny_corpus["claims"], tiny_corpus["documents"])["panel"].nunique()
    assert len(claims_charts) == panels  # one editable chart per facet
    assert not [s for s in slides[2].shapes if s.shape_type == 13]  # 13 = picture
    keywords = next(s.chart for s in slides[3].shapes if s.has_chart)
    categories = list(keywords.plots[0].categories)
    assert "微短剧" in categories and "<script>" in categories  # literal text, not markup
    heat = next(s.chart for s in slides[4].shapes if s.has_chart)
    assert "受众与用户" in [s.name for s in heat.plots[0].series] or len(heat.plots[0].series) > 1


def test_deck_slides_carry_their_source(tiny_corpus: Tables) -> None:
    data, _ = deck(tiny_corpus)
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert "来源：澎湃新闻《专访｜丁亚平：微短剧行业隐忧》" in all_text(slides[2])
    assert "<b>evil</b> site《<script>alert(1)</scrip" in all_text(slides[3])
    assert "来源：" in all_text(slides[4])  # empty source: taken from the figure's annotation


def test_deck_sets_east_asian_font(tiny_corpus: Tables) -> None:
    data, _ = deck(tiny_corpus)
    prs = Presentation(io.BytesIO(data))
    slide_xml = prs.slides[1].shapes._spTree.xml
    assert '<a:ea typeface="Noto Sans CJK SC"/>' in slide_xml
    chart = next(s.chart for s in prs.slides[3].shapes if s.has_chart)
    assert b'<a:ea typeface="Noto Sans CJK SC"/>' in chart.part.blob


def test_deck_without_headline_or_charts(tiny_corpus: Tables) -> None:
    empty_head = indicator_views.cards_view(tiny_corpus["indicators"].iloc[0:0], tiny_corpus["documents"])
    data = export.deck_to_pptx(title="空", headline=empty_head, charts=[])
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 2 and "没有可展示的数字" in all_text(prs.slides[1])


def test_timeline_becomes_a_dated_scatter(tiny_corpus: Tables) -> None:
    view = views.timeline_view(tiny_corpus["events"], tiny_corpus["documents"])
    fig = charts.timeline_chart(view, title="时间线")
    panels = export.figure_panels(fig)
    assert [p.kind for p in panels] == ["xy"]
    xs = sorted(x for _, pts in panels[0].points for x, _, _ in pts)
    assert xs[0] == (pd.Timestamp("2024-01-01") - pd.Timestamp("1899-12-30")).days


def test_timeline_slide_labels_do_not_print_over_each_other() -> None:
    dates = ["2024-01-01", "2024-01-03", "2024-01-05", "2024-06-01", "2025-01-01"]
    view = pd.DataFrame({
        "doc_label": ["甲"] * 5, "when": dates, "date": dates, "description": [f"事件{i}" for i in range(5)],
        "precision": ["day"] * 5, "doc_id": ["d"] * 5, "sent_id": list(range(5)),
    })
    fig = charts.timeline_chart(view, title="时间线")
    data = export.deck_to_pptx(title="t", headline=None, charts=[(fig, view, "来源：测试")])
    slide = Presentation(io.BytesIO(data)).slides[1]
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    series = chart.plots[0].series[0]
    labels = [series.points[j].data_label.text_frame.text for j in range(5)
              if series.points[j].data_label.has_text_frame]
    assert labels == ["事件0", "事件3", "事件4"]  # 1月3日 and 1月5日 would sit on 1月1日's label


def _events(n: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A timeline view of ``n`` monthly events over three articles (the last two told again by a fourth),
    with its sentences and documents; every article was published in 2030."""
    dates = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]
    said = [f"据报道，{d[:4]}年{int(d[5:])}月发生了第{i}件事。" for i, d in enumerate(dates)]
    view = pd.DataFrame({
        "doc_label": [f"文章{i % 3}（2030-01-01）" for i in range(n)],
        "doc_title": [f"文章{i % 3}" for i in range(n)],
        "date": dates, "when": [f"{d}-01" for d in dates], "description": [f"第{i}件事" for i in range(n)],
        "precision": ["month"] * n, "doc_id": [f"d{i % 3}" for i in range(n)], "sent_id": list(range(n)),
        "start": [100 * i + 4 for i in range(n)],
    })
    again = view.tail(2).assign(doc_label="转载", doc_title="转载", doc_id="d9")
    view = pd.concat([view, again]).sort_values(["when", "doc_id"]).reset_index(drop=True)
    sentences = pd.DataFrame({"doc_id": view["doc_id"], "sent_id": view["sent_id"],
                              "start": [100 * i for i in view["sent_id"]],
                              "text": [said[i] for i in view["sent_id"]]})
    docs = pd.DataFrame({"doc_id": ["d0", "d1", "d2", "d9"], "title": ["文章0", "文章1", "文章2", "转载"],
                         "date": ["2030-01-01"] * 4, "source_name": [pd.NA] * 4, "kind": ["article"] * 4,
                         "cited_source": [pd.NA] * 4, "categories": [""] * 4})
    return view, sentences, docs


def test_chronology_keeps_the_latest_events_once_each_oldest_first() -> None:
    rows = views.chronology(*_events(20), today="2030-06-01")
    assert len(rows) == views.CHRONOLOGY_ROWS
    assert rows["description"].tolist() == [f"第{i}件事" for i in range(20 - views.CHRONOLOGY_ROWS, 20)]
    assert "d9" not in set(rows["doc_id"])  # the re-told events appear once, from the first article
    assert rows["excerpt"].iloc[-1] == "据报道，2021年8月发生了第19件事。"  # the sentence, not a fragment
    assert rows["article"].tolist()[:3] == ["文章2", "文章0", "文章1"]
    assert views.chronology(*_events(0)).empty


def test_chronology_leaves_out_what_had_not_happened_when_the_article_appeared() -> None:
    view, sentences, docs = _events(20)
    docs = docs.assign(date=["2021-03-15", "2021-03-15", "2021-03", "2021-03-15"])
    rows = views.chronology(view, sentences, docs, today="2030-06-01")
    assert rows["date"].max() == "2021-03"  # later months are plans of articles from March 2021
    assert views.chronology(view, sentences, docs.assign(date=[None] * 4), today="2020-06-15")[
        "date"].max() == "2020-06"  # no publication date: today bounds it


def test_a_long_sentence_is_cut_around_its_event() -> None:
    text = "甲" * 80 + "2025年3月，某平台上线了新的短剧频道" + "乙" * 80
    cut = views._excerpt(text, 80, 30)
    assert len(cut) <= 30 and "2025年3月" in cut and cut.startswith("…") and cut.endswith("…")


def test_the_chronology_slide_is_a_table_and_names_its_own_articles() -> None:
    view, sentences, docs = _events(20)
    rows = views.chronology(view, sentences, docs, today="2030-06-01")
    source = views.source_line(docs, rows["doc_id"].tolist(), limit=4)
    data = export.deck_to_pptx(title="t", headline=None, charts=[], chronology=("大事记", rows, source))
    slide = Presentation(io.BytesIO(data)).slides[1]
    assert not any(s.has_chart for s in slide.shapes)
    table = next(s.table for s in slide.shapes if s.has_table)
    cells = [[table.cell(i, j).text for j in range(3)] for i in range(len(table.rows))]
    assert cells[0] == ["日期", "事件", "文章"]
    assert [c[0] for c in cells[1:]] == rows["date"].tolist()  # oldest first, one row per event
    assert cells[-1][1:] == [rows["excerpt"].iloc[-1], rows["article"].iloc[-1]]
    assert source in all_text(slide) and "转载" not in source  # the article no row comes from is not named
    assert sum(r.height for r in table.rows) <= Inches(5.3)  # the table ends above the source line


@pytest.mark.parametrize(("n_sources", "hidden"),
                         [(3, 0), (export.LEGEND_SOURCES + 3, export.LEGEND_SOURCES + 3)])
def test_a_crowded_indicator_slide_keeps_its_legend_to_the_consensus(n_sources: int, hidden: int) -> None:
    """Past a few sources the legend would eat the chart: the list beside it names them instead."""
    series = {f"来源{i}": [500.0 + i, None] for i in range(n_sources)}
    slide = indicator_views.SlideData(title="市场规模", axis="亿元", periods=["2024年", "2025年"],
                                      consensus=[504.0, None], forecast=[None, None], series=series,
                                      lines=[f"2024年 {500 + i}亿元：来源{i}" for i in range(n_sources)],
                                      doc_ids=[])
    data = export.deck_to_pptx(title="t", headline=None, charts=[], indicators=[(slide, "来源：测试")])
    chart = next(s.chart for s in Presentation(io.BytesIO(data)).slides[1].shapes if s.has_chart)
    entries = chart.legend._element.findall(qn("c:legendEntry"))
    deleted = [int(e.find(qn("c:idx")).get("val")) for e in entries if e.find(qn("c:delete")) is not None]
    assert len(deleted) == hidden and 0 not in deleted  # the consensus line stays named
    assert len(chart.plots[0].series) == n_sources + 1  # every source is still drawn
