"""Pure chart builders: a frame from ``dashboard.views`` in, a presentation-ready ``go.Figure`` out.

Every builder takes the frame first and the same keywords (``title, labels, source, note, height,
presentation``) and returns a figure with a title, axis titles with units, a note/source line under the
plot (annotation named ``"source"``), alt text in ``fig.layout.meta["alt"]`` and a CJK font.

Plotly renders a subset of HTML (``<b>``, ``<br>``, ``<a href>``) in every text field, so each string
that comes from a document is passed through :func:`esc` before it enters a figure; the markup this
module writes itself (``<br>``, ``<b>``) is added after escaping.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import get_colorscale

FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
)
EXPORT_WIDTH, EXPORT_HEIGHT, EXPORT_SCALE = 1600, 900, 2
# Tableau 10 plus two: distinguishable, colour-blind tolerable, stable per theme (indexed by taxonomy rank).
PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#17becf", "#8c6d31", "#393b79",
)
NO_THEME_COLOR = "#9e9e9e"
_BLUES = "Blues"

# Axis/legend titles, notes and alt-text templates per language; pass axis_labels("en") as ``labels=``.
AXIS_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "year_label": "年份", "theme_label": "主题", "weight": "权重", "keyword": "关键词",
        "share_pct": "句子占比（%）", "theme": "主题", "doc_label": "文章", "n_sentences": "句子数（句）",
        "cooccur": "共现句子数（句）", "n_mentions": "提及次数（次）", "name": "名称", "when": "日期",
        "empty": "所选范围内没有数据", "sentences_unit": "句", "docs_unit": "篇", "date_format": "%Y年%-m月",
        "sep": "、",
        "note_precision": "注：空心点只知道年份或月份，画在该时段起点。",
        "note_symbols": "注：空心点为预测值，▲为下限（超过），▼为上限（不足），竖线为区间。",
        "alt_claims": "分面点图：{n}个数字，按指标分为{k}个面板（{panels}），横轴为年份，颜色表示主题。",
        "alt_keywords_bar": "条形图：权重最高的{n}个关键词，依次为{top}等。",
        "alt_treemap": "矩形树图：{n}个关键词，面积表示权重，最大的是{top}。",
        "alt_theme_share": "条形图：各主题在句子中的占比，最高为{top}（{pct:.1f}%）。",
        "alt_heatmap": "热力图：{n}个主题在{k}篇文章中出现的句子数。",
        "alt_cooccur": "热力图：{n}个主题两两在同一句中出现的次数，对角线为该主题出现的句子数。",
        "alt_mentions": "分面条形图：{cats}的提及次数。",
        "alt_timeline": "时间线：{n}个事件，{first}至{last}。",
        "period_label": "期间", "source_label": "来源", "consensus": "共识值",
        "note_indicator": "注：每个点是一个来源报告的数字，线为各期共识值；空心点与虚线为预测。",
        "alt_indicator": "点线图：{name}，{n}个数字来自{k}个来源，{first}至{last}，线为共识值。",
    },
    "en": {
        "year_label": "Year", "theme_label": "Theme", "weight": "Weight", "keyword": "Keyword",
        "share_pct": "Share of sentences (%)", "theme": "Theme", "doc_label": "Article",
        "n_sentences": "Sentences", "cooccur": "Sentences with both themes", "n_mentions": "Mentions",
        "name": "Name", "when": "Date", "empty": "No data in the current selection",
        "sentences_unit": " sentences", "docs_unit": " articles", "date_format": "%b %Y", "sep": ", ",
        "note_precision": "Note: hollow points give only a year or month, drawn at its start.",
        "note_symbols": "Note: hollow = forecast, ▲ = lower bound (over), ▼ = upper bound (under), "
                        "bar = range.",
        "alt_claims": "Faceted dot plot of {n} figures in {k} panels by metric ({panels}); x is the year, "
                      "colour the theme.",
        "alt_keywords_bar": "Bar chart of the {n} strongest keywords: {top} and more.",
        "alt_treemap": "Treemap of {n} keywords sized by weight; the largest is {top}.",
        "alt_theme_share": "Bar chart of the share of sentences per theme; highest is {top} ({pct:.1f}%).",
        "alt_heatmap": "Heatmap of sentences per theme in each article: {n} themes, {k} articles.",
        "alt_cooccur": "Heatmap of how often {n} themes share a sentence; the diagonal counts each theme.",
        "alt_mentions": "Faceted bar chart of mentions: {cats}.",
        "alt_timeline": "Timeline of {n} events from {first} to {last}.",
        "period_label": "Period", "source_label": "Source", "consensus": "Consensus",
        "note_indicator": "Note: each point is one source's figure, the line the consensus per period; "
                          "hollow points and dashes are forecasts.",
        "alt_indicator": "Dot and line chart of {name}: {n} figures from {k} sources, {first} to {last}; "
                         "the line is the consensus.",
    },
}
_FILENAME_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+|\s+')


# -- text safety ------------------------------------------------------------------------------------------


def esc(text: object) -> str:
    """Document text made literal for Plotly, e.g. ``esc("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"``."""
    if text is None or text is pd.NA or (isinstance(text, float) and math.isnan(text)):
        return ""
    out = html.escape(str(text), quote=False)
    # Plotly hands "$...$" strings to MathJax; a leading zero-width space keeps them literal.
    return "\u200b" + out if out.startswith("$") and out.endswith("$") and len(out) > 1 else out


def wrap(text: object, width: int = 28, max_lines: int = 6) -> str:
    """Escaped text broken every ``width`` characters with ``<br>`` (for hovers), at most ``max_lines``."""
    raw = str(text if text is not None and text is not pd.NA else "")
    return _wrap(raw, width, max_lines)


@lru_cache(maxsize=1 << 16)
def _wrap(raw: str, width: int, max_lines: int) -> str:
    """:func:`wrap` of a string, remembered: the same sentences come back with every filter change."""
    raw = " ".join(raw.split())
    lines = [raw[i: i + width] for i in range(0, len(raw), width)] or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return "<br>".join(esc(line) for line in lines)


def axis_labels(lang: str = "zh") -> dict[str, str]:
    """Default axis and legend titles for ``lang``; pass (a copy of) it as ``labels=`` to localise a chart."""
    return dict(AXIS_LABELS.get(lang, AXIS_LABELS["en"]))


def theme_color(rank: object) -> str:
    """Colour of a theme from its taxonomy rank; unknown rank (the "no theme" bucket) is grey."""
    try:
        return PALETTE[int(rank) % len(PALETTE)]  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return NO_THEME_COLOR


# -- shared layout -----------------------------------------------------------------------------------------


def _lab(labels: Mapping[str, str] | None, key: str) -> str:
    """A label from the caller's mapping, else the Chinese default."""
    return (labels or {}).get(key) or AXIS_LABELS["zh"].get(key, key)


def _alt(labels: Mapping[str, str] | None, key: str, source: str, **values: object) -> str:
    """Alt text from the language's template, followed by the source line."""
    return " ".join(t for t in (_lab(labels, key).format(**values), source) if t)


def _sizes(presentation: bool) -> dict[str, int]:
    """Font sizes in px: presentation mode is for slides seen from the back of a room."""
    if presentation:
        return {"base": 22, "title": 34, "source": 17, "tick": 19}
    return {"base": 13, "title": 20, "source": 11, "tick": 12}


def _finish(data: list[dict], layout: dict, *, title: str, source: str, note: str, alt: str,
            height: int | None, presentation: bool, axis_px: int = 60) -> go.Figure:
    """The figure: the builder's traces and layout plus title, fonts, margins, note/source line, alt text."""
    size = _sizes(presentation)
    # Lines measured in display width (a Chinese character is two Latin ones), so a Chinese source line
    # fits the chart instead of running past its right edge.
    foot = [_wrap_display(t, FOOT_UNITS[presentation], 3) for t in (note, source) if t]
    foot_px = int(sum(f.count("<br>") + 1 for f in foot) * size["source"] * 1.5)
    bottom = axis_px + foot_px + 16
    annotations = list(layout.get("annotations", []))
    if foot:
        annotations.append({
            "name": "source", "text": "<br>".join(foot), "showarrow": False, "xref": "paper", "yref": "paper",
            "x": 0, "y": 0, "xanchor": "left", "yanchor": "bottom", "yshift": -(bottom - 8), "align": "left",
            "font": {"size": size["source"], "color": "#555"},
        })
    return _figure(data, {
        **layout,
        "title": {"text": esc(title), "x": 0, "xref": "paper", "xanchor": "left",
                  "font": {"size": size["title"]}},
        "font": {"family": FONT_FAMILY, "size": size["base"], "color": "#222"},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "template": _template(presentation),
        "margin": {"t": size["title"] * 3 + 20, "b": bottom, "l": 70, "r": 30},
        "meta": {"alt": esc(alt)},
        "separators": ".,",
        "annotations": annotations,
        **({"height": height} if height else {}),
    })


FOOT_UNITS = {False: 150, True: 100}  # source/note line width in Latin-character units, by presentation


def _wrap_display(text: str, units: int, max_lines: int) -> str:
    """Escaped ``text`` broken into lines of at most ``units`` display units (a wide character counts
    two), joined by ``<br>``; at most ``max_lines``, the last one ending in … when text is left over."""
    lines, line, used = [], "", 0
    for ch in " ".join(str(text).split()):
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > units:
            lines.append(line)
            line, used = "", 0
        line, used = line + ch, used + w
    lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][:-1] + "…"]
    return "<br>".join(esc(x) for x in lines)


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure of plain trace and layout dicts, built in one step without per-property validation."""
    # Validation re-checks the whole template and every data array of each figure, which made building
    # a chart cost 10-100 ms. The builders write only valid properties and tests/test_charts.py validates
    # every chart in full instead; ``_validate`` is the flag plotly.py uses for its own trusted templates.
    try:
        return go.Figure(data=data, layout=layout, _validate=False)
    except TypeError:  # a plotly.py without the flag: validate, slower but the same figure
        return go.Figure(data=data, layout=layout)


@lru_cache(maxsize=2)
def _template(presentation: bool) -> dict:
    """plotly_white with tick sizes and automargin on every axis (template axes apply to xaxis2, … too)."""
    # A plain dict made once; go.Figure deep-copies its layout, so no figure holds this object.
    tick = _sizes(presentation)["tick"]
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.xaxis.update(tickfont={"size": tick}, automargin=True)
    template.layout.yaxis.update(tickfont={"size": tick}, automargin=True)
    return template.to_plotly_json()


@lru_cache(maxsize=1)
def _blues() -> list[list]:
    """The "Blues" colour scale as explicit stops (plotly.js has its own, different scale of that name)."""
    return [list(stop) for stop in get_colorscale(_BLUES)]


def empty_figure(message: str, *, title: str = "", source: str = "", height: int | None = None,
                 presentation: bool = False) -> go.Figure:
    """A figure that says why there is nothing to show, instead of empty axes or an error."""
    size = _sizes(presentation)
    layout = {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "annotations": [{
        "name": "message", "text": esc(message), "showarrow": False, "xref": "paper", "yref": "paper",
        "x": 0.5, "y": 0.5, "font": {"size": size["title"], "color": "#777"}}]}
    return _finish([], layout, title=title, source=source, note="", alt=message, height=height or 360,
                   presentation=presentation, axis_px=10)


def _empty(df: pd.DataFrame, labels: Mapping[str, str] | None, title: str, presentation: bool,
           height: int | None) -> go.Figure | None:
    """The empty figure when ``df`` has no rows, else None."""
    if df is None or df.empty:
        return empty_figure(_lab(labels, "empty"), title=title, height=height, presentation=presentation)
    return None


def _grid(n: int, max_cols: int) -> tuple[int, int]:
    """(rows, cols) for ``n`` facets wrapped at ``max_cols`` columns."""
    cols = max(1, min(n, max_cols))
    return math.ceil(n / cols), cols


def _facets(titles: Sequence[str], cols: int, *, h_space: float, v_space: float,
            font_size: int) -> tuple[dict[str, dict], list[dict]]:
    """Axes (xaxis, yaxis, xaxis2…) and title annotations of a facet per title, as make_subplots lays out."""
    # make_subplots itself cost more than all the rest of a chart.
    rows = math.ceil(len(titles) / cols)
    width = (1.0 - h_space * (cols - 1)) / cols
    height = (1.0 - v_space * (rows - 1)) / rows
    axes: dict[str, dict] = {}
    notes = []
    for i, text in enumerate(titles):
        row, col = divmod(i, cols)
        left, top = col * (width + h_space), 1.0 - row * (height + v_space)
        suffix = _axis_suffix(i)
        # Rounding error must not push a domain past 1.0, which Plotly rejects.
        axes[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": [left, min(left + width, 1.0)]}
        axes[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [max(top - height, 0.0), top]}
        notes.append({"text": text, "x": left + width / 2, "y": top, "xref": "paper", "yref": "paper",
                      "xanchor": "center", "yanchor": "bottom", "showarrow": False,
                      "font": {"size": font_size}})
    return axes, notes


def _axis_suffix(i: int) -> str:
    """Suffix of the ``i``-th facet's axes: "" for the first (xaxis), then "2", "3", …"""
    return "" if i == 0 else str(i + 1)


def _groups(keys: pd.Series) -> dict[object, list[int]]:
    """Row positions per distinct key, keys in order of first appearance (missing keys form one group)."""
    codes, uniques = pd.factorize(keys, use_na_sentinel=False)
    out: dict[object, list[int]] = {u: [] for u in uniques}
    names = list(uniques)
    for pos, code in enumerate(codes):
        out[names[code]].append(pos)
    return out


def _year_order(years: Iterable[str]) -> list[str]:
    """Year categories in time order, the "year not given" bucket last."""
    unique = list(dict.fromkeys(years))
    dated = sorted((y for y in unique if y[:4].isdigit()), key=lambda y: y[:4])
    return dated + [y for y in unique if not y[:4].isdigit()]


def _title(text: str) -> dict:
    """An axis or legend title."""
    return {"text": esc(text)}


# -- claims ------------------------------------------------------------------------------------------------

_SYMBOLS = {"forecast": "circle-open", "lower_bound": "triangle-up", "upper_bound": "triangle-down"}
def claim_key(doc_id: object, claim_id: object) -> str:
    """A claim point's customdata, ``"doc_id:claim_id"``: one string, not a list, so figures copy fast."""
    return f"{doc_id}:{claim_id}"


def parse_claim_key(custom: object) -> tuple[str, int] | None:
    """(doc_id, claim_id) from a claim point's customdata, or None when it is not a claim key."""
    if isinstance(custom, str):
        doc_id, sep, claim_id = custom.rpartition(":")
        return (doc_id, int(claim_id)) if sep and doc_id and claim_id.isdigit() else None
    if isinstance(custom, list | tuple) and len(custom) >= 2 and str(custom[1]).isdigit():
        return str(custom[0]), int(custom[1])
    return None


def claims_chart(df: pd.DataFrame, *, title: str, labels: Mapping[str, str] | None = None, source: str = "",
                 note: str = "", height: int | None = None, presentation: bool = False) -> go.Figure:
    """Figures of ``views.claims_view``: a facet per metric+unit (own y scale), x year, colour first theme.

    Each point's ``customdata`` is its :func:`claim_key`, so a ``st.plotly_chart(on_select=...)``
    selection maps back to the sentence it came from; ``hovertext`` shows the figure, subject, sentence
    and document, and ``text`` holds the subject (exports label points with it). Every per-point array
    is a flat list: plotly deep-copies figure data, and 10,000 small lists cost ten times as much.
    """
    empty = _empty(df, labels, title, presentation, height)
    if empty is not None:
        return empty
    size = _sizes(presentation)
    panels = _groups(df["panel"])
    names = [_text(p) for p in panels]
    # Two columns on slides: at presentation sizes a y title would run into the facet to its left.
    rows, cols = _grid(len(panels), 2 if presentation else 3)
    metric = df["metric_label"].tolist()
    axes, notes = _facets([esc(metric[rows_[0]]) for rows_ in panels.values()], cols,
                          h_space=0.16 if presentation else 0.09,
                          v_space=min(0.5 / rows, 0.22), font_size=size["base"] + 3)
    points = _claim_points(df)
    themes = points["theme"]
    shown: set[str] = set()
    traces: list[dict] = []
    for i, (name, members) in enumerate(zip(names, panels.values(), strict=True)):
        suffix = _axis_suffix(i)
        by_theme: dict[str, list[int]] = {}
        for pos in members:
            by_theme.setdefault(themes[pos], []).append(pos)
        for group in sorted(by_theme.values(), key=lambda g: points["rank"][g[0]]):
            traces.append({**_claim_trace(points, group, themes[group[0]] not in shown, size["base"]),
                           "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
            shown.add(themes[group[0]])
        axes[f"yaxis{suffix}"].update(title=_title(name), rangemode="tozero")
        axes[f"xaxis{suffix}"].update(type="category", categoryorder="array",
                                      categoryarray=_year_order(points["x"][p] for p in members))
        if i + cols >= len(panels):  # one x title per column, under its lowest facet, to save space
            axes[f"xaxis{suffix}"]["title"] = _title(_lab(labels, "year_label"))
    layout = {**axes, "annotations": notes, "legend": {"title": _title(_lab(labels, "theme_label"))},
              "hovermode": "closest", "height": height or max(420, 330 * rows + 120)}
    marked = (df[_Q].isin(list(_SYMBOLS)) | df["plot_high"].notna()).any()
    notes_text = " ".join(t for t in (note, _lab(labels, "note_symbols") if marked else "") if t)
    alt = _alt(labels, "alt_claims", source, n=len(df), k=len(panels), panels=_lab(labels, "sep").join(names))
    return _finish(traces, layout, title=title, source=source, note=notes_text, alt=alt, height=None,
                   presentation=presentation)


_Q = "qualifier"


def _claim_points(df: pd.DataFrame) -> dict[str, list]:
    """Per claim, in frame order: x label, y, bar above it, symbol, colour rank, legend name, key, hover."""
    y = df["plot_value"].astype("float64")
    high = (df["plot_high"].astype("float64") - y).fillna(0.0)
    sentences = df["sentence"].tolist()
    wrapped = {s: wrap(s) for s in set(sentences)}  # the claims of one sentence share its hover text
    subjects = _escaped(df["subject"])
    hovers = [f"<b>{fig}</b>　{sub}<br>{wrapped[s]}<br><i>{doc}</i>" for fig, sub, s, doc in
              zip(_escaped(df["display"]), subjects, sentences, _escaped(df["doc_label"]), strict=True)]
    return {
        "x": _escaped(df["year_label"]), "y": y.tolist(), "high": high.tolist(),
        "theme": [str(t) for t in df["theme"].tolist()],
        "symbol": [_SYMBOLS.get(q, "circle") for q in df[_Q].tolist()], "rank": df["theme_rank"].tolist(),
        "name": _escaped(df["theme_label"]), "subject": subjects, "hover": hovers,
        "key": [claim_key(d, c) for d, c in zip(df["doc_id"].tolist(), df["claim_id"].tolist(), strict=True)],
    }


def _escaped(values: pd.Series) -> list[str]:
    """Each value through :func:`esc`, each distinct value escaped once (claims repeat their labels)."""
    items = values.tolist()
    escaped = {v: esc(v) for v in set(items)}
    return [escaped[v] for v in items]


def _claim_trace(points: dict[str, list], rows: list[int], legend: bool, base: int) -> dict:
    """The marker trace of one theme's claims in one facet; ``legend`` lists the theme in the legend."""
    theme_rank = points["rank"][rows[0]]
    color = theme_color(theme_rank) if points["theme"][rows[0]] != "none" else NO_THEME_COLOR
    high = [points["high"][r] for r in rows]
    return {
        "type": "scatter", "mode": "markers", "x": [points["x"][r] for r in rows],
        "y": [points["y"][r] for r in rows], "name": points["name"][rows[0]],
        "legendgroup": points["theme"][rows[0]], "showlegend": legend,
        "marker": {"color": color, "size": base + 3, "line": {"width": 2, "color": color},
                   "symbol": [points["symbol"][r] for r in rows]},
        "error_y": {"type": "data", "symmetric": False, "array": high, "color": color, "thickness": 2,
                    "arrayminus": [0.0] * len(rows), "visible": any(h > 0 for h in high)},
        "customdata": [points["key"][r] for r in rows], "text": [points["subject"][r] for r in rows],
        "hovertext": [points["hover"][r] for r in rows], "hoverinfo": "text",
    }


# -- one indicator across periods and sources -------------------------------------------------------------

DODGE_STEP, DODGE_SPAN = 0.12, 0.8  # distance between neighbours, and the widest spread, in periods


def indicator_chart(points: pd.DataFrame, consensus: pd.DataFrame, *, title: str, axis: str,
                    labels: Mapping[str, str] | None = None, source: str = "", note: str = "",
                    height: int | None = None, presentation: bool = False) -> go.Figure:
    """One indicator (``indicator_views.indicator_points``): a marker per source and figure, dodged within
    its period so that none hides another, coloured by source; the consensus as a line; forecasts hollow
    and dashed. Each marker's ``customdata`` is its :func:`claim_key`."""
    if points.empty:
        return empty_figure(_lab(labels, "empty"), title=title, source=source, height=height,
                            presentation=presentation)
    size = _sizes(presentation)
    offsets = _dodge(points)
    sources = list(dict.fromkeys(points["source"].tolist()))
    traces: list[dict] = []
    # The consensus first, so that the figures drawn over it stay clickable where they meet.
    for forecast, dash in ((False, "solid"), (True, "dash")):
        part = consensus[consensus["forecast"] == forecast]
        if forecast:  # the dashed line starts from the last reported consensus
            reported = consensus[~consensus["forecast"].astype(bool)]
            part = pd.concat([reported.tail(1), part]) if not reported.empty and not part.empty else part
        if part.empty:
            continue
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": esc(_lab(labels, "consensus")),
            "legendgroup": "consensus", "showlegend": not forecast,
            "x": part["x"].astype(float).tolist(), "y": part["plot_value"].astype(float).tolist(),
            "line": {"color": "#222", "width": 2, "dash": dash},
            "marker": {"symbol": "line-ew", "size": size["base"] * 3, "line": {"width": 3, "color": "#222"}},
            "hovertext": [f"<b>{esc(_lab(labels, 'consensus'))}</b> {esc(d)}<br>{esc(s)}" for d, s in
                          zip(part["display"], part["status_text"], strict=True)],
            "hoverinfo": "text",
        })
    col = {c: points[c].tolist() for c in ("source", "x", "plot_value", "forecast", "doc_id", "claim_id",
                                           "display", "period_text", "sentence", "doc_label")}
    by_source: dict[str, list[int]] = {}
    for r, name in enumerate(col["source"]):
        by_source.setdefault(name, []).append(r)
    for i, name in enumerate(sources):
        rows = by_source[name]
        color = PALETTE[i % len(PALETTE)]
        label = esc(name)
        traces.append({
            "type": "scatter", "mode": "markers", "name": label, "legendgroup": label,
            "x": [float(col["x"][r]) + offsets[r] for r in rows],
            "y": [float(col["plot_value"][r]) for r in rows],
            "marker": {"color": ["rgba(0,0,0,0)" if col["forecast"][r] else color for r in rows],
                       "size": size["base"] + 3, "line": {"width": 2, "color": color}, "symbol": "circle"},
            "customdata": [claim_key(col["doc_id"][r], col["claim_id"][r]) for r in rows],
            "hovertext": [
                f"<b>{esc(col['display'][r])}</b>　{esc(col['period_text'][r])}<br>"
                f"{label}<br>{wrap(col['sentence'][r])}<br><i>{esc(col['doc_label'][r])}</i>"
                for r in rows
            ],
            "hoverinfo": "text",
        })
    ticks = consensus.drop_duplicates("x").sort_values("x")
    layout = {
        "xaxis": {"tickmode": "array", "tickvals": ticks["x"].astype(float).tolist(),
                  "ticktext": [esc(t) for t in ticks["period_text"]],
                  "range": [-0.6, float(ticks["x"].max()) + 0.6],
                  "title": _title(_lab(labels, "period_label"))},
        "yaxis": {"title": _title(esc(axis)), "rangemode": "tozero"},
        "legend": {"title": _title(_lab(labels, "source_label"))}, "hovermode": "closest",
        "height": height or (640 if presentation else 480),
    }
    texts = ticks["period_text"].tolist()
    alt = _alt(labels, "alt_indicator", source, name=title, n=len(points), k=len(sources),
               first=texts[0], last=texts[-1])
    notes = " ".join(t for t in (note, _lab(labels, "note_indicator")) if t)
    return _finish(traces, layout, title=title, source=source, note=notes, alt=alt, height=None,
                   presentation=presentation)


def _dodge(points: pd.DataFrame) -> list[float]:
    """Per point, its offset from its period's position: the points of a period DODGE_STEP apart (closer
    when there are many, to stay within DODGE_SPAN), grouped by source so that its figures sit together."""
    offsets = [0.0] * len(points)
    sources, forecasts = [str(s) for s in points["source"].tolist()], points["forecast"].tolist()
    groups: dict[object, list[int]] = {}
    for r, x in enumerate(points["x"].tolist()):
        groups.setdefault(x, []).append(r)
    for rows in groups.values():
        rows.sort(key=lambda r: (sources[r], bool(forecasts[r])))
        n = len(rows)
        step = min(DODGE_STEP, DODGE_SPAN / (n - 1)) if n > 1 else 0.0
        for i, r in enumerate(rows):
            offsets[r] = (i - (n - 1) / 2) * step
    return offsets


# -- keywords ----------------------------------------------------------------------------------------------


def _method_suffix(df: pd.DataFrame) -> str:
    """"（TF-IDF）" or "（TextRank）" from the frame's method column, for axis titles."""
    if "method" not in df.columns or df.empty:
        return ""
    return {"tfidf": "（TF-IDF）", "textrank": "（TextRank）"}.get(str(df["method"].iloc[0]), "")


def keywords_bar(df: pd.DataFrame, *, title: str, labels: Mapping[str, str] | None = None, source: str = "",
                 note: str = "", height: int | None = None, presentation: bool = False) -> go.Figure:
    """Horizontal bars of ``views.keyword_view``: strongest keyword on top."""
    empty = _empty(df, labels, title, presentation, height)
    if empty is not None:
        return empty
    words = [esc(k) for k in df["keyword"]]
    bar = {"type": "bar", "x": _floats(df["weight"]), "y": words, "orientation": "h",
           "marker": {"color": PALETTE[0]}, "hovertemplate": "%{y}<br>%{x:.3f}<extra></extra>"}
    layout = {"yaxis": {"type": "category", "categoryorder": "array", "categoryarray": words[::-1],
                        "title": _title(_lab(labels, "keyword"))},
              "xaxis": {"title": _title(_lab(labels, "weight") + _method_suffix(df))}}
    top = _lab(labels, "sep").join(map(str, df["keyword"].head(5)))
    alt = _alt(labels, "alt_keywords_bar", source, n=len(df), top=top)
    return _finish([bar], layout, title=title, source=source, note=note, alt=alt,
                   height=height or max(360, 26 * len(df) + 200), presentation=presentation)


def _floats(values: pd.Series) -> list[float]:
    """A numeric column as plain floats (missing as NaN), ready for a trace."""
    return values.astype("float64").tolist()


def keywords_treemap(df: pd.DataFrame, *, title: str, labels: Mapping[str, str] | None = None,
                     source: str = "", note: str = "", height: int | None = None,
                     presentation: bool = False) -> go.Figure:
    """Treemap of ``views.keyword_view``: tile area proportional to weight."""
    df = df[df["weight"] > 0] if not df.empty else df
    empty = _empty(df, labels, title, presentation, height)
    if empty is not None:
        return empty
    words = [esc(k) for k in df["keyword"]]
    weights = _floats(df["weight"])
    tree = {"type": "treemap", "labels": words, "parents": [""] * len(words), "values": weights, "ids": words,
            "textinfo": "label", "marker": {"colors": weights, "colorscale": _blues()},
            "hovertemplate": "%{label}<br>%{value:.3f}<extra></extra>"}
    alt = _alt(labels, "alt_treemap", source, n=len(df), top=df["keyword"].iloc[0])
    return _finish([tree], {}, title=title, source=source, note=note, alt=alt, height=height or 480,
                   presentation=presentation, axis_px=12)


# -- themes ------------------------------------------------------------------------------------------------


def theme_share_chart(df: pd.DataFrame, *, title: str, labels: Mapping[str, str] | None = None,
                      source: str = "", note: str = "", height: int | None = None,
                      presentation: bool = False) -> go.Figure:
    """Horizontal bars of ``views.theme_share``: share of sentences per theme, largest on top."""
    empty = _empty(df, labels, title, presentation, height)
    if empty is not None:
        return empty
    names = [esc(t) for t in df["theme"]]
    unit = _lab(labels, "sentences_unit")
    share = _floats(df["share_pct"])
    bar = {"type": "bar", "x": share, "y": names, "orientation": "h", "text": [f"{v:.1f}%" for v in share],
           "textposition": "outside", "marker": {"color": [theme_color(r) for r in df["theme_rank"]]},
           "customdata": [[int(n)] for n in df["n_sentences"]],
           "hovertemplate": f"%{{y}}<br>%{{customdata[0]}}{esc(unit)}，%{{x:.1f}}%<extra></extra>"}
    layout = {"yaxis": {"type": "category", "categoryorder": "array", "categoryarray": names[::-1],
                        "title": _title(_lab(labels, "theme"))},
              "xaxis": {"title": _title(_lab(labels, "share_pct")), "rangemode": "tozero"}}
    top = df.iloc[0]
    alt = _alt(labels, "alt_theme_share", source, top=top["theme"], pct=float(top["share_pct"]))
    return _finish([bar], layout, title=title, source=source, note=note, alt=alt,
                   height=height or max(360, 30 * len(df) + 200), presentation=presentation)


def _heatmap(df: pd.DataFrame, x: str, y: str, x_order: Sequence[str], y_order: Sequence[str],
             colorbar: str) -> dict:
    """A count heatmap in the given row/column order, non-zero counts written in the cells."""
    rows = pd.Index(list(y_order)).get_indexer(df[y])
    cols = pd.Index(list(x_order)).get_indexer(df[x])
    keep = (rows >= 0) & (cols >= 0)  # a cell outside the given orders is not drawn
    counts = np.zeros((len(y_order), len(x_order)), dtype="int64")
    np.add.at(counts, (rows[keep], cols[keep]), df["n_sentences"].to_numpy(dtype="int64", na_value=0)[keep])
    z = counts.tolist()
    # Row order comes from z itself (the axis is reversed so row 0 is on top): plotly.js does not move
    # cell text along with a categoryarray reordering, so the axes get no categoryarray here.
    return {"type": "heatmap", "z": z, "x": [esc(v) for v in x_order], "y": [esc(v) for v in y_order],
            "text": [[str(int(v)) if v else "" for v in row] for row in z], "texttemplate": "%{text}",
            "colorscale": _blues(), "colorbar": {"title": _title(colorbar)},
            "hovertemplate": "%{y} × %{x}: %{z}<extra></extra>", "xgap": 1, "ygap": 1}


def theme_heatmap(df: pd.DataFrame, *, title: str, labels: Mapping[str, str] | None = None, source: str = "",
                  note: str = "", height: int | None = None, presentation: bool = False) -> go.Figure:
    """Theme × document heatmap of ``views.theme_by_document`` (sentences per theme in each article)."""
    empty = _empty(df, labels, title, presentation, height)
    if empty is not None:
        return empty
    docs = list(dict.fromkeys(df["doc_label"]))
    themes = list(dict.fromkeys(df.sort_values("theme_rank", kind="stable")["theme"]))
    alt = _alt(labels, "alt_heatmap", source, n=len(themes), k=len(docs))
    if len(docs) > HEATMAP_DOCS_ACROSS:
        # Many articles: one row each, read across, instead of slanted labels printed over each other.
        heat = _heatmap(df, "theme", "doc_label", themes, docs, _lab(labels, "n_sentences"))
        layout = {"xaxis": {"type": "category", "title": _title(_lab(labels, "theme")), "tickangle": -30},
                  "yaxis": {"type": "category", "autorange": "reversed",
                            "title": _title(_lab(labels, "doc_label"))}}
        return _finish([heat], layout, title=title, source=source, note=note, alt=alt,
                       height=height or max(420, 24 * len(docs) + 320), presentation=presentation,
                       axis_px=110)
    heat = _heatmap(df, "doc_label", "theme", docs, themes, _lab(labels, "n_sentences"))
    layout = {"xaxis": {"type": "category", "title": _title(_lab(labels, "doc_label")),
                        "tickangle": -30 if len(docs) > 3 else 0},
              "yaxis": {"type": "category", "autorange": "reversed", "title": _title(_lab(labels, "theme"))}}
    return _finish([heat], layout, title=title, source=source, note=note, alt=alt,
                   height=height or max(420, 34 * len(themes) + 260), presentation=presentation, axis_px=130)


HEATMAP_DOCS_ACROSS = 12  # beyond this many articles the heatmap gives each article a row


def cooccurrence_chart(df: pd.DataFrame, *, title: str, labels: Mapping[str, str] | None = None,
                       source: str = "", note: str = "", height: int | None = None,
                       presentation: bool = False) -> go.Figure:
    """Theme co-occurrence heatmap of ``views.theme_cooccurrence`` (sentences where both themes occur)."""
    empty = _empty(df, labels, title, presentation, height)
    if empty is not None:
        return empty
    order = list(dict.fromkeys(df["theme_a"]))
    heat = _heatmap(df, "theme_a", "theme_b", order, order, _lab(labels, "cooccur"))
    layout = {"xaxis": {"type": "category", "title": _title(_lab(labels, "theme")),
                        "tickangle": -30 if len(order) > 4 else 0},
              "yaxis": {"type": "category", "autorange": "reversed", "title": _title(_lab(labels, "theme"))}}
    alt = _alt(labels, "alt_cooccur", source, n=len(order))
    return _finish([heat], layout, title=title, source=source, note=note, alt=alt,
                   height=height or max(440, 36 * len(order) + 260), presentation=presentation, axis_px=130)


# -- mentions, timeline ------------------------------------------------------------------------------------


def mentions_chart(df: pd.DataFrame, *, title: str, labels: Mapping[str, str] | None = None, source: str = "",
                   note: str = "", height: int | None = None, presentation: bool = False) -> go.Figure:
    """Facets of bars from ``views.mention_counts``: platforms, genres, business models, audiences."""
    empty = _empty(df, labels, title, presentation, height)
    if empty is not None:
        return empty
    cats = _groups(df["category_label"])
    names = [_text(c) for c in cats]
    rows, cols = _grid(len(cats), 2)
    docs_unit = esc(_lab(labels, "docs_unit"))
    axes, notes = _facets([esc(c) for c in names], cols, h_space=0.2, v_space=min(0.5 / rows, 0.18),
                          font_size=_sizes(presentation)["base"] + 3)
    bars = []
    for i, (cat, members) in enumerate(zip(names, cats.values(), strict=True)):
        sub = df.iloc[members]
        suffix = _axis_suffix(i)
        labels_ = [esc(n) for n in sub["name"]]
        bars.append({"type": "bar", "x": sub["n_mentions"].astype("int64").tolist(), "y": labels_,
                     "orientation": "h", "name": esc(cat), "showlegend": False, "xaxis": f"x{suffix}",
                     "yaxis": f"y{suffix}", "marker": {"color": PALETTE[i % len(PALETTE)]},
                     "customdata": [[int(n)] for n in sub["n_docs"]],
                     "hovertemplate": f"%{{y}}: %{{x}}<br>%{{customdata[0]}}{docs_unit}<extra></extra>"})
        axes[f"yaxis{suffix}"].update(type="category", categoryorder="array", categoryarray=labels_[::-1],
                                      **({"title": _title(_lab(labels, "name"))} if i % cols == 0 else {}))
        axes[f"xaxis{suffix}"].update(title=_title(_lab(labels, "n_mentions")), rangemode="tozero",
                                      **({"dtick": 1} if sub["n_mentions"].max() < 6 else {}))
    layout = {**axes, "annotations": notes}
    alt = _alt(labels, "alt_mentions", source, cats=_lab(labels, "sep").join(names))
    return _finish(bars, layout, title=title, source=source, note=note, alt=alt,
                   height=height or max(420, 300 * rows + 120), presentation=presentation)


def timeline_chart(df: pd.DataFrame, *, title: str, labels: Mapping[str, str] | None = None, source: str = "",
                   note: str = "", height: int | None = None, presentation: bool = False) -> go.Figure:
    """Dated events of ``views.timeline_view`` on a time axis, one lane per article."""
    empty = _empty(df, labels, title, presentation, height)
    if empty is not None:
        return empty
    lanes = list(dict.fromkeys(df["doc_label"]))
    points = {
        "type": "scatter", "x": pd.to_datetime(df["when"]).dt.strftime("%Y-%m-%d").tolist(),
        "y": [esc(d) for d in df["doc_label"]], "mode": "markers+text",
        "text": _spaced_labels(df), "textposition": "top center",
        "marker": {"size": _sizes(presentation)["base"], "color": PALETTE[0], "line": {"width": 2},
                   "symbol": ["circle" if p == "day" else "circle-open" for p in df["precision"]]},
        "customdata": [[str(d), int(s), esc(when), wrap(text)] for d, s, when, text in
                       zip(df["doc_id"], df["sent_id"], df["date"], df["description"], strict=True)],
        "hovertemplate": "<b>%{customdata[2]}</b><br>%{customdata[3]}<extra></extra>",
    }
    layout = {"xaxis": {"type": "date", "title": _title(_lab(labels, "when")),
                        "tickformat": _lab(labels, "date_format")},
              "yaxis": {"type": "category", "categoryorder": "array",
                        "categoryarray": [esc(d) for d in lanes][::-1],
                        "title": _title(_lab(labels, "doc_label"))}}
    alt = _alt(labels, "alt_timeline", source, n=len(df), first=df["date"].iloc[0], last=df["date"].iloc[-1])
    coarse = _lab(labels, "note_precision") if (df["precision"] != "day").any() else ""
    notes = " ".join(t for t in (note, coarse) if t)
    return _finish([points], layout, title=title, source=source, note=notes, alt=alt,
                   height=height or max(360, 70 * len(lanes) + 220), presentation=presentation)


TIMELINE_LABEL_GAP = 0.22  # on-screen: the least distance between two labels in a lane, share of the span
TIMELINE_LABEL_CHARS = 10  # a label this long is about a fifth of the plot's width in the app


def _spaced_labels(df: pd.DataFrame) -> list[str]:
    """Each event's short label, blank where it would print over the previous label in its lane (the
    hover still names every event)."""
    when = pd.to_datetime(df["when"], errors="coerce")
    days = ((when - when.min()).dt.days).fillna(0).tolist()
    keep = spaced(days, df["doc_label"].tolist(), TIMELINE_LABEL_GAP)
    labels = [esc(_short(d, TIMELINE_LABEL_CHARS)) for d in df["description"]]
    return [label if k else "" for label, k in zip(labels, keep, strict=True)]


def spaced(positions: Sequence[float], lanes: Sequence[object], gap_share: float) -> list[bool]:
    """Which points keep their label: in each lane, a point closer than ``gap_share`` of the whole span
    to the last labelled one would print over it and goes without (timelines on screen and in decks)."""
    gap = (max(positions) - min(positions)) * gap_share if len(positions) else 0.0
    last: dict[object, float] = {}
    keep = [False] * len(positions)
    for r in sorted(range(len(positions)), key=lambda k: positions[k]):
        if lanes[r] in last and positions[r] - last[lanes[r]] < gap:
            continue
        keep[r], last[lanes[r]] = True, positions[r]
    return keep


def _short(text: object, limit: int) -> str:
    """Raw text cut to ``limit`` characters with an ellipsis (escaped later by the caller)."""
    raw = "" if text is None or text is pd.NA else " ".join(str(text).split())
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"


def _text(value: object) -> str:
    """A cell as raw text, missing as ``""``."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
    return "" if missing else str(value)


# -- download helpers --------------------------------------------------------------------------------------


def modebar_config(filename: str) -> dict:
    """Plotly config for ``st.plotly_chart``: the camera button saves a 1600×900 PNG at scale 2."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": safe_stem(filename), "width": EXPORT_WIDTH,
                                 "height": EXPORT_HEIGHT, "scale": EXPORT_SCALE},
    }


def chart_filename(chart: str, filters: Mapping[str, object] | Sequence[object] = (), *,
                   prefix: str = "微短剧", limit: int = 80) -> str:
    """Safe file stem, e.g. ``chart_filename("市场规模", {"year": 2024}) == "微短剧_市场规模_2024"``."""
    values = list(filters.values()) if isinstance(filters, Mapping) else list(filters)
    parts = [prefix, chart, *(_filter_text(v) for v in values)]
    return safe_stem("_".join(p for p in parts if p), limit=limit) or prefix


def safe_stem(name: str, *, limit: int = 80) -> str:
    """``name`` as a file stem: no path separators, control or reserved characters, ≤ ``limit`` chars."""
    cleaned = _FILENAME_BAD.sub("_", unicodedata.normalize("NFC", str(name)))
    return re.sub(r"_+", "_", cleaned).strip("._")[:limit].strip("._") or "chart"


def _filter_text(value: object) -> str:
    """A filter value as text: lists joined by "-", None dropped."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "-".join(str(v) for v in value if v is not None)
    return str(value)
