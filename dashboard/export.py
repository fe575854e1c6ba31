"""Downloads: PNG/SVG (kaleido + chromium), self-contained HTML, formula-safe CSV/XLSX, an editable PPTX.

PNG/SVG go through one warm headless chromium per process (kaleido 1.x on a background event loop), so
only the first export pays the browser start-up; every render has a timeout and a missing browser or
CJK font raises :class:`ExportUnavailable` with the command that fixes it, instead of hanging.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import datetime as dt
import html
import io
import math
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard.charts import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH, spaced
from dashboard.fmt import finite_float
from dashboard.indicator_views import SlideData
from extract.schema import C
from extract.tabular import frame_to_csv as frame_to_csv  # re-exported: the app downloads through export
from extract.tabular import neutralise as neutralise
from extract.tabular import safe_frame

INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"
BROWSER_ENV = "BROWSER_PATH"  # the variable choreographer (kaleido's browser driver) also reads
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CJK_FONT = "Noto Sans CJK SC"
START_TIMEOUT_S = 60.0
RENDER_TIMEOUT_S = 30.0
_XLSX_CELL_LIMIT = 32_000  # Excel refuses cells over 32,767 characters; long document texts are cut
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class ExportUnavailable(Exception):
    """PNG/SVG export cannot run on this machine; the message says what to install."""


# -- environment checks -----------------------------------------------------------------------------------


def browser_path() -> str | None:
    """The chromium to drive: ``$BROWSER_PATH`` if set (even when wrong, so it can be reported), else PATH."""
    if os.environ.get(BROWSER_ENV):
        return os.environ[BROWSER_ENV]
    return next((p for p in map(shutil.which, BROWSER_NAMES) if p), None)


@lru_cache(maxsize=1)
def cjk_fonts() -> tuple[str, ...]:
    """Font families fontconfig offers for Chinese (``fc-list :lang=zh family``); empty if none/no fc-list."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    names = {name.strip() for line in out.splitlines() for name in line.split(",")}
    return tuple(sorted(n for n in names if n))


def export_status() -> str | None:
    """None when PNG/SVG export can run, else a message naming what is missing and how to install it."""
    path = browser_path()
    if not path:
        return f"PNG/SVG export needs chromium, which was not found on PATH. Install it: {INSTALL_HINT}"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return f"PNG/SVG export needs chromium, but {path!r} is not an executable. Install: {INSTALL_HINT}"
    if not any(CJK_FONT.lower() in f.lower() for f in cjk_fonts()):
        return f"PNG/SVG export needs the {CJK_FONT} font or Chinese shows as boxes. Install: {INSTALL_HINT}"
    return None


# -- the warm renderer ------------------------------------------------------------------------------------


class _Renderer:
    """One kaleido/chromium kept open on its own event-loop thread; callers wait with a timeout."""

    def __init__(self, path: str) -> None:
        """Start the loop thread; chromium itself starts lazily on the first render."""
        self.path = path
        self._kaleido: Any = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-loop", daemon=True)
        self._thread.start()
        self._lock: asyncio.Lock | None = None

    async def _ensure(self) -> Any:
        """Open chromium once (the lock stops two first requests from starting two browsers)."""
        import kaleido  # imported late: kaleido checks plotly and sets up logging at import

        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self._kaleido is None:
                # mathjax=False: the default fetches MathJax from a CDN, which stalls on an offline machine;
                # plotly.js comes from the installed plotly package. choreographer already passes
                # --no-sandbox (needed as root) and --disable-component-update to chromium.
                k = kaleido.Kaleido(path=self.path, mathjax=False, timeout=RENDER_TIMEOUT_S)
                await k.open()
                self._kaleido = k
        return self._kaleido

    async def _render(self, fig: dict, opts: dict) -> bytes:
        """Render one figure dict to bytes."""
        k = await self._ensure()
        return await k.calc_fig(fig, opts=opts)

    def render(self, fig: dict, opts: dict) -> bytes:
        """Render from any thread; a browser that does not answer in time raises ExportUnavailable."""
        timeout = RENDER_TIMEOUT_S + (START_TIMEOUT_S if self._kaleido is None else 0.0)
        future = asyncio.run_coroutine_threadsafe(self._render(fig, opts), self._loop)
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            _new_renderer.cache_clear()
            self.close()
            raise ExportUnavailable(
                f"chromium at {self.path!r} did not render within {timeout:.0f} s; check that "
                f"`{self.path} --headless --no-sandbox` runs, or reinstall: {INSTALL_HINT}"
            ) from None

    def close(self) -> None:
        """Close chromium and stop the loop (at exit, or after a timeout)."""
        if self._kaleido is not None:
            done = asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop)
            with contextlib.suppress(Exception):  # shutting down: nothing useful to do with an error
                done.result(timeout=10)
            self._kaleido = None
        self._loop.call_soon_threadsafe(self._loop.stop)


_RENDERER_LOCK = threading.Lock()


def _renderer(path: str) -> _Renderer:
    """The process-wide renderer for one browser path, closed at interpreter exit."""
    with _RENDERER_LOCK:  # Streamlit sessions run in threads: two first downloads must share one browser
        return _new_renderer(path)


@lru_cache(maxsize=4)
def _new_renderer(path: str) -> _Renderer:
    """Create (once per path) the renderer and register its shutdown."""
    renderer = _Renderer(path)
    atexit.register(renderer.close)
    return renderer


def _render(fig: go.Figure, opts: dict) -> bytes:
    """Check the environment, then render with the warm browser, wrapping failures in ExportUnavailable."""
    problem = export_status()
    if problem:
        raise ExportUnavailable(problem)
    renderer = _renderer(str(browser_path()))
    try:
        return renderer.render(fig.to_plotly_json() if isinstance(fig, go.Figure) else fig, opts)
    except ExportUnavailable:
        raise
    except Exception as err:  # kaleido/choreographer raise many types; the user needs one message
        _new_renderer.cache_clear()
        renderer.close()
        detail = " ".join(str(a) for a in err.args)[:300] or type(err).__name__
        message = f"chromium at {renderer.path!r} could not render ({detail}). Install: {INSTALL_HINT}"
        raise ExportUnavailable(message) from err


def warm_up() -> str | None:
    """Start the browser now (e.g. when the app starts) so the first download is fast; returns any problem."""
    try:
        figure_to_svg(go.Figure(), width=200, height=100)
    except ExportUnavailable as err:
        return str(err)
    return None


def figure_to_png(fig: go.Figure, *, width: int = EXPORT_WIDTH, height: int = EXPORT_HEIGHT,
                  scale: float = EXPORT_SCALE) -> bytes:
    """PNG bytes of ``fig`` at ``width × height`` layout px times ``scale`` (default 3200×1800, 16:9)."""
    return _render(fig, {"format": "png", "width": width, "height": height, "scale": scale})


def figure_to_svg(fig: go.Figure, *, width: int = EXPORT_WIDTH, height: int = EXPORT_HEIGHT) -> bytes:
    """SVG bytes of ``fig``; its titles, labels and source stay text, so they are searchable and editable."""
    out = _render(fig, {"format": "svg", "width": width, "height": height, "scale": 1})
    return out.encode("utf-8") if isinstance(out, str) else out


def figure_to_html(fig: go.Figure, *, filename: str = "chart") -> bytes:
    """A standalone HTML page with plotly.js inlined: it opens offline and fetches nothing."""
    from dashboard.charts import modebar_config

    page = fig.to_html(include_plotlyjs=True, full_html=True, include_mathjax=False,
                       config=modebar_config(filename))
    return page.encode("utf-8")


# -- tables -----------------------------------------------------------------------------------------------


def tables_to_xlsx(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per table, formula-injection safe, header row frozen and bold."""
    buf = io.BytesIO()
    names: list[str] = []
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in tables.items():
            sheet = _sheet_name(name, names)
            names.append(sheet)
            _xlsx_frame(df).to_excel(writer, sheet_name=sheet, index=False)
            _style_sheet(writer.sheets[sheet], df)
        if not names:
            pd.DataFrame().to_excel(writer, sheet_name="empty", index=False)
    return buf.getvalue()


def _sheet_name(name: str, taken: Sequence[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, none of ``[]:*?/\\``)."""
    base = _SHEET_BAD.sub("_", str(name)).strip("'") [:31] or "sheet"
    candidate, n = base, 2
    while candidate.lower() in (t.lower() for t in taken):
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def _xlsx_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``safe_frame`` plus what Excel needs: no control characters, cells within Excel's length limit."""
    out = safe_frame(df)
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(_xlsx_text, na_action="ignore")
    out.columns = [_xlsx_text(c) for c in out.columns]  # openpyxl refuses a header with a control character
    return out


def _xlsx_text(value: object) -> object:
    """A text cell without XML-illegal characters, cut to Excel's cell limit, still formula-safe."""
    if not isinstance(value, str):
        return value
    # Removing "\x01" from "\x01=cmd" exposes a formula that safe_frame could not see: neutralise again.
    text = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return text if len(text) <= _XLSX_CELL_LIMIT else text[:_XLSX_CELL_LIMIT] + "…[truncated]"


def _style_sheet(ws: Any, df: pd.DataFrame) -> None:
    """Bold frozen header and column widths that fit the content (capped, text wrapped)."""
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, col in enumerate(df.columns, start=1):
        sample = [str(col), *map(str, df[col].head(200).tolist())]
        width = min(60, max(8, *(sum(2 if ord(ch) > 0x2E7F else 1 for ch in s[:60]) for s in sample)) + 2)
        ws.column_dimensions[get_column_letter(i)].width = width
        if width >= 60:
            for cell in ws[get_column_letter(i)][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


# -- PowerPoint ---------------------------------------------------------------------------------------------

_SLIDE_W, _SLIDE_H = Inches(13.333), Inches(7.5)
_INK, _GREY, _ACCENT = RGBColor(0x22, 0x22, 0x22), RGBColor(0x66, 0x66, 0x66), RGBColor(0x4E, 0x79, 0xA7)
_DECK_TEXT = {
    "zh": {"kpi": "核心数字", "no_kpi": "所选范围内没有可展示的数字。", "no_data": "所选范围内没有数据。",
           "rows": "图表数据（前{n}行）：", "consensus": "共识值", "forecast": "共识值（预计）",
           "figures": "各来源报告值",
           "more": "另有 {n} 条", "date": "日期", "event": "事件", "article": "文章",
           "kpi_rule": "各卡片为该指标最近一个有实际数据的期间的共识值；同一报告的转载只算一个来源。"},
    "en": {"kpi": "Headline figures", "no_kpi": "No figures in the current selection.",
           "no_data": "No data in the current selection.", "rows": "Chart data (first {n} rows):",
           "consensus": "Consensus", "forecast": "Consensus (forecast)", "figures": "Figures by source",
           "more": "{n} more", "date": "Date", "event": "Event", "article": "Article",
           "kpi_rule": "Each card is the consensus of the indicator's latest period with reported figures; "
                       "re-posts of one report count as one source."},
}


@dataclass
class _Panel:
    """One native chart to draw: a facet of a Plotly figure turned into PowerPoint chart data."""

    title: str
    kind: str  # "bar" (horizontal), "column" or "xy"
    categories: list[str] = field(default_factory=list)
    series: list[tuple[str, list[float | None]]] = field(default_factory=list)
    colors: list[str | None] = field(default_factory=list)
    points: list[tuple[str, list[tuple[float, float, str]]]] = field(default_factory=list)
    x_title: str = ""
    y_title: str = ""


def deck_to_pptx(*, title: str, subtitle: str = "", headline: pd.DataFrame | None,
                 charts: Sequence[tuple[go.Figure, pd.DataFrame, str]], lang: str = "zh",
                 indicators: Sequence[tuple[SlideData, str]] = (), kpi_source: str = "",
                 chronology: tuple[str, pd.DataFrame, str] | None = None) -> bytes:
    """A 16:9 deck: title slide (``subtitle`` states the filters), the headline cards (skipped when
    ``headline`` is None), a slide per indicator (a native line chart of each source's figures and the
    consensus, the figures listed by source), a slide per chart, then the ``chronology`` (title, rows of
    ``views.chronology``, source) as a table. Each slide's source line names the documents behind it."""
    words = _DECK_TEXT.get(lang, _DECK_TEXT["en"])
    prs = Presentation()
    prs.slide_width, prs.slide_height = _SLIDE_W, _SLIDE_H
    _title_slide(prs, title, subtitle)
    if headline is not None:
        _kpi_slide(prs, headline, words, kpi_source)
    for slide_data, source in indicators:
        _indicator_slide(prs, slide_data, source, words)
    for fig, data, source in charts:
        _chart_slide(prs, fig, data, source or _figure_source(fig), words)
    if chronology is not None:
        _chronology_slide(prs, *chronology, words)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _blank(prs: Any) -> Any:
    """A new slide on the blank layout (placeholders of the default 4:3 layouts would sit wrong on 16:9)."""
    return prs.slides.add_slide(prs.slide_layouts[6])


def _east_asian(font: Any, typeface: str = CJK_FONT) -> None:
    """Set the latin and East Asian (``a:ea``) typefaces, so PowerPoint draws Chinese in ``typeface``."""
    font.name = typeface
    rpr = font._element  # python-pptx has no API for a:ea; it must follow a:latin in the schema order
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = etree.SubElement(rpr, qn("a:ea"))
        rpr.find(qn("a:latin")).addnext(ea)
    ea.set("typeface", typeface)


def _text(slide: Any, text: str, box: tuple[float, float, float, float], *, size: int, bold: bool = False,
          color: RGBColor = _INK, align: Any = PP_ALIGN.LEFT) -> Any:
    """A text box (position in inches) whose lines are paragraphs, all in the CJK font."""
    left, top, width, height = (Inches(v) for v in box)
    shape = slide.shapes.add_textbox(left, top, width, height)
    frame = shape.text_frame
    frame.word_wrap = True
    for i, line in enumerate(str(text).split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = align
        run = para.add_run()
        run.text = line
        _style_run(run.font, size, bold, color)
    return shape


def _style_run(font: Any, size: int, bold: bool, color: RGBColor) -> None:
    """Size, weight, colour and CJK typeface of one run."""
    font.size, font.bold = Pt(size), bold
    font.color.rgb = color
    _east_asian(font)


def _title_slide(prs: Any, title: str, subtitle: str) -> None:
    """The opening slide: deck title, subtitle and the date it was made."""
    slide = _blank(prs)
    _text(slide, title, (0.8, 2.3, 11.7, 1.6), size=40, bold=True)
    _text(slide, subtitle, (0.8, 4.0, 11.7, 1.6), size=20, color=_GREY)
    _text(slide, dt.date.today().isoformat(), (0.8, 6.4, 11.7, 0.5), size=14, color=_GREY)


def _kpi_slide(prs: Any, headline: pd.DataFrame, words: Mapping[str, str], source: str = "") -> None:
    """Up to six boxes from the cards: indicator, consensus, period and agreement, range, sources."""
    slide = _blank(prs)
    _text(slide, words["kpi"], (0.6, 0.35, 12, 0.8), size=30, bold=True)
    rows = headline.head(6).to_dict("records")
    if not rows:
        _text(slide, words["no_kpi"], (0.6, 3.2, 12, 1), size=20, color=_GREY)
        return
    for i, row in enumerate(rows):
        left, top = 0.6 + (i % 3) * 4.1, 1.3 + (i // 3) * 2.65
        box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(left), Inches(top), Inches(3.85),
                                     Inches(2.45))
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(0xF2, 0xF5, 0xF9)
        box.line.color.rgb = RGBColor(0xD0, 0xD8, 0xE2)
        status = " · ".join(s for s in (_cell(row.get("period_text")), _cell(row.get("status_text"))) if s)
        _text(slide, _cell(row.get("label")), (left + 0.2, top + 0.1, 3.45, 0.5), size=15, color=_GREY)
        _text(slide, _cell(row.get("value_text")), (left + 0.2, top + 0.5, 3.45, 0.8), size=32, bold=True,
              color=_ACCENT)
        _text(slide, status, (left + 0.2, top + 1.3, 3.45, 0.4), size=13)
        _text(slide, _cell(row.get("range_text")), (left + 0.2, top + 1.65, 3.45, 0.35), size=11, color=_GREY)
        _text(slide, _cell(row.get("sources_text")), (left + 0.2, top + 1.95, 3.45, 0.45), size=10,
              color=_GREY)
    _text(slide, words["kpi_rule"], (0.6, 6.65, 12.1, 0.35), size=10, color=_GREY)
    if source:
        _text(slide, source, (0.6, 6.95, 12.1, 0.45), size=10, color=_GREY)


LEGEND_SOURCES = 6  # beyond this many sources an indicator slide's legend names only the consensus lines


def _legend_only(chart: Any, keep: int) -> None:
    """Leave only the first ``keep`` series in a chart's legend (``c:legendEntry`` marked deleted)."""
    legend = chart.legend._element
    position = legend.find(qn("c:legendPos"))
    at = list(legend).index(position) + 1 if position is not None else 0
    for idx in range(keep, len(chart.plots[0].series)):
        entry = legend.makeelement(qn("c:legendEntry"), {})
        entry.append(entry.makeelement(qn("c:idx"), {"val": str(idx)}))
        entry.append(entry.makeelement(qn("c:delete"), {"val": "1"}))
        legend.insert(at, entry)
        at += 1


def _indicator_slide(prs: Any, data: SlideData, source: str, words: Mapping[str, str]) -> None:
    """One indicator: title, a native line chart (each source's figures as markers, the consensus as a
    line) on the left, the figures by source on the right, the documents behind it at the bottom."""
    slide = _blank(prs)
    title = f"{data.title}（{data.axis}）" if data.axis and "（" not in data.title else data.title
    _text(slide, title, (0.5, 0.25, 12.3, 0.8), size=26, bold=True)
    chart_data = CategoryChartData()
    chart_data.categories = data.periods
    chart_data.add_series(words["consensus"], data.consensus)
    has_forecast = any(v is not None for v in data.forecast)
    if has_forecast:
        chart_data.add_series(words["forecast"], data.forecast)
    for name, values in data.series.items():
        chart_data.add_series(name or " ", values)
    left, top, width, height = (Emu(Inches(v)) for v in (0.5, 1.1, 8.2, 5.3))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, left, top, width, height, chart_data).chart
    chart.font.size = Pt(12)
    _east_asian(chart.font)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    _east_asian(chart.legend.font)
    if data.axis:
        _set_text(chart.value_axis.axis_title.text_frame, data.axis, 11)
    lines = 2 if has_forecast else 1  # the consensus series come first
    if len(data.series) > LEGEND_SOURCES:
        _legend_only(chart, lines)  # many sources: the list on the right names them, the chart keeps its room
    for i, series in enumerate(chart.plots[0].series):
        series.smooth = False
        series.marker.size = 9 if i >= lines else 11
        if i >= lines:  # a source's figures are points; only the consensus is a line
            series.format.line.fill.background()
            color = _PALETTE[(i - lines) % len(_PALETTE)]
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = RGBColor.from_string(color)
        else:
            series.format.line.color.rgb = _INK if i == 0 else _GREY
            series.format.line.width = Pt(2.5)
            if i == 1:
                series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    shown = data.lines[:14]
    more = len(data.lines) - len(shown)
    listing = "\n".join([*shown, *([words["more"].format(n=more)] if more > 0 else [])])
    _text(slide, words["figures"], (8.9, 1.1, 4.0, 0.4), size=14, bold=True)
    _text(slide, listing, (8.9, 1.5, 4.0, 4.9), size=11)
    _text(slide, source, (0.5, 6.55, 12.3, 0.8), size=11, color=_GREY)
    slide.notes_slide.notes_text_frame.text = "\n".join([title, *data.lines])


TIMELINE_LABEL_GAP = 0.08  # the least distance between two labels in one lane, as a share of the span
_PALETTE = ("4E79A7", "F28E2B", "E15759", "76B7B2", "59A14F", "EDC948", "B07AA1", "FF9DA7", "9C755F")


def _chronology_slide(prs: Any, title: str, rows: pd.DataFrame, source: str,
                      words: Mapping[str, str]) -> None:
    """Title, a native table of dated events (date, what happened, which article), the source line."""
    slide = _blank(prs)
    _text(slide, title, (0.5, 0.25, 12.3, 0.8), size=26, bold=True)
    if rows.empty:
        _text(slide, words["no_data"], (0.5, 3.2, 12.3, 1), size=20, color=_GREY)
        return
    body = [[_cell(r[C.date]), _cell(r["excerpt"]), _cell(r["article"])] for r in rows.to_dict("records")]
    row_height = min(0.4, 5.2 / (len(body) + 1))  # one line a row: the excerpt and name are cut to fit
    shape = slide.shapes.add_table(len(body) + 1, 3, Inches(0.5), Inches(1.1), Inches(12.3),
                                   Inches(row_height * (len(body) + 1)))
    table = shape.table
    for j, width in enumerate((1.4, 8.4, 2.5)):
        table.columns[j].width = Inches(width)
    for i, values in enumerate([[words["date"], words["event"], words["article"]], *body]):
        table.rows[i].height = Inches(row_height)
        for j, value in enumerate(values):
            frame = table.cell(i, j).text_frame
            frame.word_wrap = True
            _set_text(frame, value, 12 if i == 0 else 11)
            frame.paragraphs[0].runs[0].font.bold = i == 0
    _text(slide, source, (0.5, 6.55, 12.3, 0.8), size=11, color=_GREY)
    slide.notes_slide.notes_text_frame.text = "\n".join(
        [title, *(f"{r[C.date]} {r['excerpt']}（{r['article']}）" for r in rows.to_dict("records"))])


def _cell(value: object) -> str:
    """A frame cell as display text, nulls as ``""``."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _chart_slide(prs: Any, fig: go.Figure, data: pd.DataFrame, source: str, words: Mapping[str, str]) -> None:
    """Title, the figure's facets as native charts in a grid, the source line under them, notes."""
    slide = _blank(prs)
    _text(slide, _plain(fig.layout.title.text), (0.5, 0.25, 12.3, 0.8), size=26, bold=True)
    panels = figure_panels(fig)
    if not panels:
        _text(slide, words["no_data"], (0.5, 3.2, 12.3, 1), size=20, color=_GREY)
    cols = max(1, min(len(panels), 3))
    nrows = max(1, math.ceil(len(panels) / cols))
    width, height = 12.3 / cols, 5.35 / nrows
    for i, panel in enumerate(panels):
        box = (0.5 + (i % cols) * width, 1.1 + (i // cols) * height, width - 0.1, height - 0.1)
        _native_chart(slide, panel, box, single=len(panels) == 1)
    _text(slide, source, (0.5, 6.55, 12.3, 0.8), size=11, color=_GREY)
    notes = [_plain((fig.layout.meta or {}).get("alt", "")) if isinstance(fig.layout.meta, dict) else ""]
    if data is not None and not data.empty:
        notes += [words["rows"].format(n=min(len(data), 20)), data.head(20).to_csv(index=False)]
    slide.notes_slide.notes_text_frame.text = "\n".join(n for n in notes if n)


def _figure_source(fig: go.Figure) -> str:
    """The note/source annotation of a figure built by ``dashboard.charts``, as plain text."""
    for ann in fig.layout.annotations or ():
        if ann.name == "source":
            return _plain(ann.text)
    return ""


def _plain(text: object) -> str:
    """Figure text back to what the document said: ``<br>`` to newlines, entities unescaped."""
    raw = "" if text is None else str(text)
    return html.unescape(re.sub(r"<br\s*/?>", "\n", raw)).replace("\u200b", "")


def figure_panels(fig: go.Figure) -> list[_Panel]:
    """Each facet (x/y axis pair) or treemap of ``fig`` as chart data PowerPoint can draw natively."""
    groups: dict[tuple[str, str], list[Any]] = {}
    panels: list[_Panel] = []
    for trace in fig.data:
        if trace.type == "treemap":
            panels.append(_treemap_panel(trace))
        elif trace.type in ("bar", "scatter", "heatmap"):
            groups.setdefault((trace.xaxis or "x", trace.yaxis or "y"), []).append(trace)
    for (xa, ya), traces in groups.items():
        panels.append(_axes_panel(fig, xa, ya, traces))
    return [p for p in panels if p.categories or p.points]


def _axis(fig: go.Figure, ref: str, letter: str) -> Any:
    """The layout axis object for a trace's axis reference ("x2" -> layout.xaxis2)."""
    return fig.layout[f"{letter}axis{ref[1:]}"]


def _facet_title(fig: go.Figure, xa: Any, ya: Any) -> str:
    """The subplot title (a make_subplots annotation) sitting above a facet, if any."""
    if not (xa.domain and ya.domain):
        return ""
    for ann in fig.layout.annotations or ():
        if ann.name == "source" or ann.xref != "paper" or ann.x is None or ann.y is None:
            continue
        if xa.domain[0] - 1e-6 <= ann.x <= xa.domain[1] + 1e-6 and abs(ann.y - ya.domain[1]) < 0.03:
            return _plain(ann.text)
    return ""


def _axes_panel(fig: go.Figure, xref: str, yref: str, traces: list[Any]) -> _Panel:
    """Chart data for the traces sharing one pair of axes."""
    xa, ya = _axis(fig, xref, "x"), _axis(fig, yref, "y")
    panel = _Panel(title=_facet_title(fig, xa, ya), kind="column", x_title=_plain(xa.title.text),
                   y_title=_plain(ya.title.text))
    first = traces[0]
    if first.type == "heatmap":
        _heatmap_data(panel, first)
    elif first.type == "bar":
        _bar_data(panel, traces, ya if first.orientation == "h" else xa)
    elif xa.type == "date":
        _xy_data(panel, traces)
    else:
        _point_data(panel, traces, xa)
    return panel


def _ordered(values: Sequence[str], axis: Any) -> list[str]:
    """Category values in the axis' explicit order when it has one, else in first-seen order."""
    seen = list(dict.fromkeys(values))
    order = list(axis.categoryarray or ()) if axis.categoryorder == "array" else []
    return [c for c in order if c in seen] + [c for c in seen if c not in order]


def _bar_data(panel: _Panel, traces: list[Any], cat_axis: Any) -> None:
    """Bars: categories from the category axis, one series per trace, values aligned by category."""
    horizontal = traces[0].orientation == "h"
    panel.kind = "bar" if horizontal else "column"
    cats = _ordered([str(c) for t in traces for c in (t.y if horizontal else t.x)], cat_axis)
    panel.categories = [_plain(c) for c in cats]
    for t in traces:
        keys, vals = (t.y, t.x) if horizontal else (t.x, t.y)
        by_cat = {str(k): finite_float(v) for k, v in zip(keys, vals, strict=False)}
        panel.series.append((_plain(t.name or panel.x_title or ""), [by_cat.get(c) for c in cats]))
        panel.colors.append(t.marker.color if isinstance(t.marker.color, str) else None)


def _point_data(panel: _Panel, traces: list[Any], xa: Any) -> None:
    """Category markers (claims facets): one category per point, labelled by its x and subject."""
    order = {c: i for i, c in enumerate(_ordered([str(x) for t in traces for x in t.x], xa))}
    points = []
    for ti, t in enumerate(traces):
        extra = [str(s) for s in t.text] if isinstance(t.text, list | tuple) else [""] * len(t.x)
        for x, y, sub in zip(t.x, t.y, extra, strict=False):
            points.append((order.get(str(x), 0), ti, _plain(f"{x} {sub}".strip()), finite_float(y)))
    points.sort(key=lambda p: (p[0], p[1]))
    labels = _unique_labels([p[2] for p in points])
    panel.categories = labels
    for ti, t in enumerate(traces):
        values = [p[3] if p[1] == ti else None for p in points]
        panel.series.append((_plain(t.name or ""), values))
        panel.colors.append(t.marker.color if isinstance(t.marker.color, str) else None)


def _unique_labels(labels: list[str]) -> list[str]:
    """Category labels made unique with a counter (PowerPoint merges equal categories)."""
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return out


def _xy_data(panel: _Panel, traces: list[Any]) -> None:
    """Date axis (timeline): an XY scatter of date serial × lane, each point labelled with its event."""
    panel.kind = "xy"
    for t in traces:
        lanes = list(dict.fromkeys(str(y) for y in t.y))
        texts = list(t.text) if t.text is not None and not isinstance(t.text, str) else [""] * len(t.x)
        for lane_no, lane in enumerate(lanes):
            pts = [(_excel_date(x), float(len(lanes) - lane_no), _plain(txt))
                   for x, y, txt in zip(t.x, t.y, texts, strict=False) if str(y) == lane]
            panel.points.append((_plain(lane), [p for p in pts if p[0] is not None]))


def _excel_date(value: object) -> float | None:
    """A date as an Excel serial number (days since 1899-12-30), which chart axes format as dates."""
    stamp = pd.to_datetime(value, errors="coerce")
    if pd.isna(stamp):
        return None
    return float((stamp - pd.Timestamp("1899-12-30")).days)


def _heatmap_data(panel: _Panel, trace: Any) -> None:
    """Heatmap as clustered columns: x labels as categories, one series per row."""
    panel.kind = "column"
    panel.categories = [_plain(x) for x in trace.x]
    for name, row in zip(trace.y, trace.z, strict=False):
        panel.series.append((_plain(name), [finite_float(v) for v in row]))
        panel.colors.append(None)


def _treemap_panel(trace: Any) -> _Panel:
    """Treemap as horizontal bars (python-pptx has no treemap), largest on top."""
    pairs = sorted(zip(trace.labels, trace.values, strict=False), key=lambda p: finite_float(p[1]) or 0.0)
    return _Panel(title="", kind="bar", categories=[_plain(lab) for lab, _ in pairs],
                  series=[("", [finite_float(v) for _, v in pairs])], colors=[None])


_CHART_TYPES = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
                "xy": XL_CHART_TYPE.XY_SCATTER}


def _native_chart(slide: Any, panel: _Panel, box: tuple[float, float, float, float], *, single: bool) -> Any:
    """Add ``panel`` as an editable chart (its data is embedded as a workbook) in the box, in inches."""
    if panel.kind == "xy":
        data = XyChartData()
        for name, pts in panel.points:
            series = data.add_series(name or " ")
            for x, y, _ in pts:
                series.add_data_point(x, y)
    else:
        data = CategoryChartData()
        data.categories = panel.categories
        for name, values in panel.series:
            data.add_series(name or " ", values)
    left, top, width, height = (Emu(Inches(v)) for v in box)
    chart = slide.shapes.add_chart(_CHART_TYPES[panel.kind], left, top, width, height, data).chart
    _style_chart(chart, panel, single)
    return chart


def _style_chart(chart: Any, panel: _Panel, single: bool) -> None:
    """Fonts (latin + East Asian), facet title, axis titles, legend, colours and labels of a native chart."""
    chart.font.size = Pt(12 if single else 10)
    _east_asian(chart.font)
    chart.has_title = bool(panel.title)
    if panel.title:
        _set_text(chart.chart_title.text_frame, panel.title, 14)
    n_series = len(panel.points) if panel.kind == "xy" else len(panel.series)
    chart.has_legend = n_series > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        _east_asian(chart.legend.font)
    _axis_titles(chart, panel)
    if panel.kind == "xy":
        _style_timeline(chart, panel)
        return
    plot = chart.plots[0]
    if n_series > 1:
        plot.overlap = 100 if any(v is None for _, vals in panel.series for v in vals) else 0
    for series, color in zip(plot.series, panel.colors, strict=False):
        if color and color.startswith("#") and len(color) == 7:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(color[1:].upper())
    if n_series == 1:
        plot.has_data_labels = True
        plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "#,##0.0##", False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END


def _axis_titles(chart: Any, panel: _Panel) -> None:
    """Axis titles from the figure; for horizontal bars PowerPoint's category axis is the vertical one."""
    value_title = panel.x_title if panel.kind == "bar" else panel.y_title
    category_title = panel.y_title if panel.kind == "bar" else panel.x_title
    if value_title:
        _set_text(chart.value_axis.axis_title.text_frame, value_title, 11)
    if category_title:
        _set_text(chart.category_axis.axis_title.text_frame, category_title, 11)


def _style_timeline(chart: Any, panel: _Panel) -> None:
    """Timeline: date-formatted x axis, hidden lane axis, each point labelled with its event."""
    chart.category_axis.tick_labels.number_format = "yyyy-mm"
    chart.category_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.visible = False
    # Labels that would print over the previous one in their lane are left out (the notes list every event).
    flat = [(k, j, x) for k, (_, pts) in enumerate(panel.points) for j, (x, _, _) in enumerate(pts)]
    keep = spaced([x for _, _, x in flat], [k for k, _, _ in flat], TIMELINE_LABEL_GAP)
    labelled = {(k, j) for (k, j, _), kept in zip(flat, keep, strict=True) if kept}
    for k, (series, (_, pts)) in enumerate(zip(chart.plots[0].series, panel.points, strict=False)):
        series.marker.size = 10
        series.format.line.fill.background()
        for j, (_, _, label) in enumerate(pts):
            if (k, j) not in labelled:
                continue
            frame = series.points[j].data_label.text_frame
            _set_text(frame, label, 10)
            series.points[j].data_label.position = XL_LABEL_POSITION.ABOVE


def _set_text(frame: Any, text: str, size: int) -> None:
    """Replace a text frame's text with one run in the CJK font."""
    frame.text = ""
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(size)
    _east_asian(run.font)
