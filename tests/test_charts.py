"""Figure structure: traces, titles, axis titles with units, source line, alt text, order, escaping."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts, views
from extract.schema import C
from tests.conftest import HOSTILE_TITLE

Tables = dict[str, pd.DataFrame]
SOURCE_MARK = "来源："

# chart name -> (builder, view of the tiny corpus, expected trace types)
BUILDS: dict[str, tuple[Callable[..., go.Figure], Callable[[Tables], pd.DataFrame], set[str]]] = {
    "claims": (charts.claims_chart, lambda t: views.claims_view(t["claims"], t["documents"]),
               {"scatter"}),
    "keywords_bar": (charts.keywords_bar,
                     lambda t: views.keyword_view(t["keywords"], "tfidf", topic=True), {"bar"}),
    "keywords_treemap": (charts.keywords_treemap,
                         lambda t: views.keyword_view(t["keywords"], "textrank", topic=True), {"treemap"}),
    "theme_share": (charts.theme_share_chart, lambda t: views.theme_share(t["themes"], t["sentences"]),
                    {"bar"}),
    "theme_heatmap": (charts.theme_heatmap, lambda t: views.theme_by_document(t["themes"], t["documents"]),
                      {"heatmap"}),
    "cooccurrence": (charts.cooccurrence_chart, lambda t: views.theme_cooccurrence(t["themes"]), {"heatmap"}),
    "mentions": (charts.mentions_chart, lambda t: views.mention_counts(t["mentions"]), {"bar"}),
    "timeline": (charts.timeline_chart, lambda t: views.timeline_view(t["events"], t["documents"]),
                 {"scatter"}),
}


def build(name: str, tables: Tables, **kwargs: object) -> go.Figure:
    """One chart of the tiny corpus with a source line naming every document."""
    builder, view, _ = BUILDS[name]
    source = views.source_line(tables["documents"])
    return builder(view(tables), title=kwargs.pop("title", f"微短剧{name}"), source=source, **kwargs)


def strings(node: object) -> Iterator[str]:
    """Every string anywhere in a JSON-like structure."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def source_annotation(fig: go.Figure) -> go.layout.Annotation:
    """The note/source annotation every chart carries."""
    found = [a for a in fig.layout.annotations if a.name == "source"]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("name", list(BUILDS))
def test_every_chart_has_title_source_alt_and_cjk_font(name: str, tiny_corpus: Tables) -> None:
    fig = build(name, tiny_corpus)
    assert fig.layout.title.text == f"微短剧{name}"
    assert SOURCE_MARK in source_annotation(fig).text and "2025-02-10" in source_annotation(fig).text
    assert len(fig.layout.meta["alt"]) > 10 and SOURCE_MARK in fig.layout.meta["alt"]
    assert "Noto Sans CJK SC" in fig.layout.font.family
    assert {t.type for t in fig.data} == BUILDS[name][2]


@pytest.mark.parametrize("presentation", [False, True])
@pytest.mark.parametrize("name", list(BUILDS))
def test_every_chart_passes_plotly_validation(name: str, presentation: bool, tiny_corpus: Tables) -> None:
    # Builders skip Plotly's per-property checks for speed; a full validation here catches a bad property.
    fig = build(name, tiny_corpus, presentation=presentation)
    validated = go.Figure(fig.to_plotly_json())
    assert validated.to_plotly_json()["layout"]["meta"] == fig.to_plotly_json()["layout"]["meta"]
    assert len(validated.data) == len(fig.data)


def test_empty_figure_passes_plotly_validation() -> None:
    go.Figure(charts.empty_figure("没有数据", title="t", source="来源：x").to_plotly_json())


def test_figures_do_not_share_their_template(tiny_corpus: Tables) -> None:
    first = build("keywords_bar", tiny_corpus)
    first.layout.template.layout.paper_bgcolor = "red"
    first.update_layout(template={"layout": {"font": {"size": 99}}})
    second = build("keywords_bar", tiny_corpus)
    assert second.layout.template.layout.paper_bgcolor != "red"
    assert second.layout.template.layout.font.size != 99


@pytest.mark.parametrize("name", ["claims", "mentions"])
def test_facet_titles_sit_above_their_facets_and_grow_for_slides(name: str, tiny_corpus: Tables) -> None:
    normal, big = build(name, tiny_corpus), build(name, tiny_corpus, presentation=True)
    layout = normal.to_plotly_json()["layout"]
    titles = [a for a in layout["annotations"] if a.get("name") != "source"]
    xaxes = sorted((k for k in layout if k.startswith("xaxis")), key=lambda k: int(k[5:] or 1))
    assert len(titles) == len(xaxes) == len({t.yaxis for t in normal.data})  # no empty facets
    for note, xaxis in zip(titles, xaxes, strict=True):
        domain_x, domain_y = layout[xaxis]["domain"], layout["y" + xaxis[1:]]["domain"]
        assert domain_x[0] < note["x"] < domain_x[1] and note["y"] == pytest.approx(domain_y[1])
        assert 0 <= domain_x[0] < domain_x[1] <= 1 and 0 <= domain_y[0] < domain_y[1] <= 1
    big_titles = [a for a in big.layout.annotations if a.name != "source"]
    assert min(a.font.size for a in big_titles) > max(a["font"]["size"] for a in titles)


@pytest.mark.parametrize("name", [n for n in BUILDS if n != "keywords_treemap"])
def test_cartesian_charts_title_their_axes(name: str, tiny_corpus: Tables) -> None:
    fig = build(name, tiny_corpus)
    layout = fig.to_plotly_json()["layout"]
    x_titles = [v["title"]["text"] for k, v in layout.items() if k.startswith("xaxis") and "title" in v]
    y_titles = [v["title"]["text"] for k, v in layout.items() if k.startswith("yaxis") and "title" in v]
    assert x_titles and y_titles and all(x_titles) and all(y_titles)


@pytest.mark.parametrize("name", list(BUILDS))
def test_builders_leave_the_frame_alone(name: str, tiny_corpus: Tables) -> None:
    frame = BUILDS[name][1](tiny_corpus)
    before = frame.copy(deep=True)
    BUILDS[name][0](frame, title="t", source="s")
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize("name", list(BUILDS))
def test_empty_input_gives_a_message_not_empty_axes(name: str, tiny_corpus: Tables) -> None:
    frame = BUILDS[name][1](tiny_corpus).iloc[0:0]
    fig = BUILDS[name][0](frame, title="空")
    assert len(fig.data) == 0
    messages = [a.text for a in fig.layout.annotations if a.name == "message"]
    assert messages == [charts.AXIS_LABELS["zh"]["empty"]]
    assert fig.layout.xaxis.visible is False and fig.layout.meta["alt"] == messages[0]


def test_empty_figure_escapes_its_message() -> None:
    fig = charts.empty_figure("<b>没有</b>数据")
    assert fig.layout.annotations[0].text == "&lt;b&gt;没有&lt;/b&gt;数据"


@pytest.mark.parametrize("name", list(BUILDS))
def test_document_text_cannot_inject_markup(name: str, tiny_corpus: Tables) -> None:
    fig = build(name, tiny_corpus, title=HOSTILE_TITLE)
    texts = list(strings(json.loads(fig.to_json())))
    lowered = [s.lower() for s in texts]
    assert not [s for s in lowered if "<script" in s or "<img" in s or "<a " in s or "<b>evil" in s]
    assert fig.layout.title.text.startswith("&lt;script&gt;alert(1)&lt;/script&gt;短剧&lt;img")
    assert "**x** [a](javascript:alert(1))" in fig.layout.title.text  # markdown is plain text to Plotly


@pytest.mark.parametrize(
    ("text", "expected"),
    [("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"), ("a & b", "a &amp; b"), ("<br>", "&lt;br&gt;"), (None, ""),
     ("$x$", "\u200b$x$"), ("普通文本", "普通文本")],
)
def test_esc(text: str | None, expected: str) -> None:
    assert charts.esc(text) == expected


def test_wrap_breaks_and_escapes() -> None:
    wrapped = charts.wrap("<i>" + "长" * 30, width=10)
    assert wrapped.count("<br>") == 3 and wrapped.startswith("&lt;i&gt;")


def test_claims_chart_facets_per_metric_with_own_scales(tiny_corpus: Tables) -> None:
    view = views.claims_view(tiny_corpus["claims"], tiny_corpus["documents"])
    fig = charts.claims_chart(view, title="数字")
    layout = fig.to_plotly_json()["layout"]
    yaxes = {k: v for k, v in layout.items() if k.startswith("yaxis")}
    assert len(yaxes) >= view["panel"].nunique()
    assert all("matches" not in v for v in yaxes.values())  # independent y scales
    assert {v["title"]["text"] for v in yaxes.values() if "title" in v} == set(view["panel"])
    assert "市场规模（亿元）" in set(view["panel"])


def test_claims_chart_points_map_back_to_claims(tiny_corpus: Tables) -> None:
    claims = tiny_corpus["claims"]
    fig = charts.claims_chart(views.claims_view(claims, tiny_corpus["documents"]), title="数字")
    points = [charts.parse_claim_key(cd) for trace in fig.data for cd in trace.customdata]
    assert sorted(points) == sorted(zip(claims[C.doc_id], claims[C.claim_id], strict=True))
    keys = zip(claims[C.doc_id], claims[C.claim_id], strict=True)
    sentence = dict(zip(keys, claims[C.sentence], strict=True))
    for trace in fig.data:
        assert trace.hoverinfo == "text"
        for cd, hover in zip(trace.customdata, trace.hovertext, strict=True):
            assert charts.esc(sentence[charts.parse_claim_key(cd)]) in hover.replace("<br>", "")


@pytest.mark.parametrize(
    ("custom", "expected"),
    [("a1b2:3", ("a1b2", 3)), (["a1b2", 3, "x"], ("a1b2", 3)), (("d", "7"), ("d", 7)), ("a1b2", None),
     ("a1b2:x", None), (":3", None), ([], None), (None, None), (["d"], None), (5, None)],
)
def test_parse_claim_key(custom: object, expected: tuple[str, int] | None) -> None:
    assert charts.parse_claim_key(custom) == expected
    if expected:
        assert charts.parse_claim_key(charts.claim_key(*expected)) == expected


def test_claims_chart_colours_by_first_theme_with_one_legend_entry_each(tiny_corpus: Tables) -> None:
    view = views.claims_view(tiny_corpus["claims"], tiny_corpus["documents"])
    fig = charts.claims_chart(view, title="数字")
    legend = [t.legendgroup for t in fig.data if t.showlegend]
    assert sorted(legend) == sorted(set(view["theme"]))
    assert "audiences" not in {t.legendgroup for t in fig.data if "红果" in str(t.hovertext)}


def test_claims_chart_orders_years_with_missing_last(tiny_corpus: Tables) -> None:
    claims = tiny_corpus["claims"].copy()
    claims[C.metric], claims[C.unit] = "market_size", "CNY"
    claims[C.year] = pd.array([2027, 2024, None, 2025, 2024, None, 2023, 2026], dtype="Int64")
    fig = charts.claims_chart(views.claims_view(claims, tiny_corpus["documents"]), title="数字")
    assert fig.layout.xaxis.categoryorder == "array"
    expected = ["2023年", "2024年", "2025年", "2026年", "2027年", "未注明年份"]
    assert list(fig.layout.xaxis.categoryarray) == expected


def test_claims_chart_explains_symbols_when_used(tiny_corpus: Tables) -> None:
    claims = tiny_corpus["claims"]
    docs = tiny_corpus["documents"]
    fig = charts.claims_chart(views.claims_view(claims, docs), title="数字", source="来源：x")
    assert "空心点为预测值" in source_annotation(fig).text
    exact = claims[(claims[C.qualifier] == "exact") & claims[C.value_high].isna()]
    plain = charts.claims_chart(views.claims_view(exact, docs), title="数字", source="来源：x")
    assert "空心点" not in source_annotation(plain).text


def test_keywords_bar_puts_the_strongest_on_top(tiny_corpus: Tables) -> None:
    view = views.keyword_view(tiny_corpus["keywords"], "tfidf", None, 5, topic=True)
    fig = charts.keywords_bar(view, title="关键词")
    assert fig.layout.yaxis.categoryorder == "array"
    assert fig.layout.yaxis.categoryarray[-1] == view[C.keyword].iloc[0]  # plotly draws the last on top
    assert fig.layout.xaxis.title.text == "权重（TF-IDF）"


def test_treemap_areas_are_weights(tiny_corpus: Tables) -> None:
    view = views.keyword_view(tiny_corpus["keywords"], "textrank", None, 10, topic=True)
    fig = charts.keywords_treemap(view, title="关键词")
    assert list(fig.data[0].values) == list(view[C.weight])
    assert fig.data[0].hovertemplate.startswith("%{label}")


def test_theme_share_bars_are_percentages(tiny_corpus: Tables) -> None:
    view = views.theme_share(tiny_corpus["themes"], tiny_corpus["sentences"])
    fig = charts.theme_share_chart(view, title="主题")
    assert list(fig.data[0].x) == pytest.approx(list(view["share_pct"]))
    assert fig.layout.xaxis.title.text == "句子占比（%）"
    assert fig.layout.yaxis.categoryarray[-1] == view["theme"].iloc[0]


def test_theme_heatmap_cells_match_counts(tiny_corpus: Tables) -> None:
    view = views.theme_by_document(tiny_corpus["themes"], tiny_corpus["documents"])
    fig = charts.theme_heatmap(view, title="主题×文章")
    trace = fig.data[0]
    for yi, theme in enumerate(trace.y):
        for xi, doc in enumerate(trace.x):
            cell = (view["theme"] == theme) & (view["doc_label"].map(charts.esc) == doc)
            expected = view.loc[cell, "n_sentences"].sum()
            assert trace.z[yi][xi] == expected
            assert trace.text[yi][xi] == (str(expected) if expected else "")
    assert fig.layout.yaxis.autorange == "reversed"  # first theme of the taxonomy on top


def test_mentions_chart_has_a_facet_per_category(tiny_corpus: Tables) -> None:
    view = views.mention_counts(tiny_corpus["mentions"])
    fig = charts.mentions_chart(view, title="提及")
    assert len(fig.data) == view[C.category].nunique()
    titles = {a.text for a in fig.layout.annotations if a.name != "source"}
    assert titles == set(view["category_label"])


def test_timeline_marks_coarse_dates(tiny_corpus: Tables) -> None:
    view = views.timeline_view(tiny_corpus["events"], tiny_corpus["documents"])
    fig = charts.timeline_chart(view, title="时间线")
    symbols = dict(zip(view["precision"], fig.data[0].marker.symbol, strict=True))
    assert symbols == {"year": "circle-open", "day": "circle", "month": "circle-open"}
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.tickformat == "%Y年%-m月"


def test_presentation_mode_enlarges_text(tiny_corpus: Tables) -> None:
    normal, big = build("keywords_bar", tiny_corpus), build("keywords_bar", tiny_corpus, presentation=True)
    assert big.layout.title.font.size > normal.layout.title.font.size
    assert big.layout.font.size > normal.layout.font.size


def test_labels_override_axis_titles(tiny_corpus: Tables) -> None:
    fig = build("theme_share", tiny_corpus, labels=charts.axis_labels("en"))
    assert fig.layout.xaxis.title.text == "Share of sentences (%)"


def test_modebar_config_exports_slide_sized_png() -> None:
    config = charts.modebar_config("微短剧_市场规模_2024")
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "微短剧_市场规模_2024",
                                              "width": 1600, "height": 900, "scale": 2}


@pytest.mark.parametrize(
    ("chart", "filters", "expected"),
    [
        ("市场规模", {"year": 2024}, "微短剧_市场规模_2024"),
        ("市场规模", [2023, 2024], "微短剧_市场规模_2023_2024"),
        ("关键词", {"docs": ["a", "b"], "method": None}, "微短剧_关键词_a-b"),
        ("../../etc/passwd", {}, "微短剧_.._.._etc_passwd"),
        ("a\\b:c*d?e\"f<g>h|i", {}, "微短剧_a_b_c_d_e_f_g_h_i"),
        ("控制\x00字符\n换行\t", {}, "微短剧_控制_字符_换行"),
    ],
)
def test_chart_filename(chart: str, filters: object, expected: str) -> None:
    assert charts.chart_filename(chart, filters) == expected


def test_chart_filename_is_short_and_safe() -> None:
    name = charts.chart_filename("很长的图表名称" * 30, {"a": "/" * 50})
    assert len(name) <= 80 and "/" not in name and "\\" not in name
    assert all(ch.isprintable() for ch in name)


@pytest.mark.parametrize(
    ("name", "start"),
    [("claims", "Faceted dot plot of 8 figures"), ("keywords_bar", "Bar chart of the 5 strongest"),
     ("keywords_treemap", "Treemap of 4 keywords"), ("theme_share", "Bar chart of the share"),
     ("theme_heatmap", "Heatmap of sentences"), ("cooccurrence", "Heatmap of how often"),
     ("mentions", "Faceted bar chart of mentions"),
     ("timeline", "Timeline of 3 events from 2024 to 2025-02")],
)
def test_alt_text_follows_the_labels_language(name: str, start: str, tiny_corpus: Tables) -> None:
    fig = build(name, tiny_corpus, labels=charts.axis_labels("en"))
    assert fig.layout.meta["alt"].startswith(start)


def test_source_lines_wrap_by_display_width() -> None:
    text = "来源：" + "微短剧" * 60  # 183 wide characters
    lines = charts._wrap_display(text, 150, 3).split("<br>")
    assert [len(x) for x in lines] == [75, 75, 33]  # a Chinese character takes two units
    latin = charts._wrap_display("a" * 200, 150, 3).split("<br>")
    assert [len(x) for x in latin] == [150, 50]
    capped = charts._wrap_display("字" * 500, 150, 3).split("<br>")
    assert len(capped) == 3 and capped[-1].endswith("…")
    assert charts._wrap_display("<b>x</b>", 150, 3) == "&lt;b&gt;x&lt;/b&gt;"


def test_timeline_labels_leave_out_ones_that_would_overlap() -> None:
    dates = ["2024-01-01", "2024-01-02", "2024-07-01", "2025-01-01"]
    view = pd.DataFrame({
        "doc_label": ["甲", "甲", "甲", "乙"], "when": dates, "date": dates,
        "description": ["开机", "杀青", "上线", "<b>备案</b>"], "precision": ["day"] * 4,
        "doc_id": ["d"] * 4, "sent_id": list(range(4)),
    })
    fig = charts.timeline_chart(view, title="时间线")
    assert list(fig.data[0].text) == ["开机", "", "上线", "&lt;b&gt;备案&lt;/b&gt;"]
    assert len(fig.data[0].customdata) == 4  # every event keeps its hover


def test_theme_heatmap_gives_many_articles_a_row_each() -> None:
    rows = [{"doc_label": f"文章{i:02d}（2025-01-01）", "theme": t, "theme_rank": r, "n_sentences": 1 + i % 3}
            for i in range(charts.HEATMAP_DOCS_ACROSS + 3) for r, t in enumerate(("出海", "监管"))]
    fig = charts.theme_heatmap(pd.DataFrame(rows), title="主题 × 文档")
    heat = fig.data[0]
    assert list(heat.x) == ["出海", "监管"] and len(heat.y) == charts.HEATMAP_DOCS_ACROSS + 3
    assert fig.layout.yaxis.title.text and fig.layout.height >= 24 * len(heat.y)
    few = charts.theme_heatmap(pd.DataFrame(rows[:4]), title="主题 × 文档").data[0]
    assert list(few.y) == ["出海", "监管"]  # a few articles stay across


def test_charts_serialise_through_orjson_with_chinese_as_utf8() -> None:
    """Every chart is serialised again per session and rerun: plotly's orjson engine is faster and writes
    Chinese as UTF-8 (the stdlib engine writes six-byte \\u escapes), and NaN still becomes null."""
    import plotly.io as pio

    fig = go.Figure(go.Scatter(x=[1, 2], y=[3.0, float("nan")], hovertext=["市场规模", "用户"]))
    spec = pio.to_json(fig, validate=False)
    assert pio.json.config.default_engine in ("auto", "orjson")
    assert "市场规模" in spec and "\\u5e02" not in spec
    assert json.loads(spec)["data"][0]["y"] == [3.0, None]
