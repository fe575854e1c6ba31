"""The dashboard's panels: one function per panel, and every ``st.*`` call of the app.

Text that comes from a document (titles, sentences, file names) reaches the page only through
:func:`plain` (Markdown with every control character escaped), :func:`quote` (HTML-escaped, for
``st.html``) or a data grid, so an article containing ``<script>`` or ``[x](javascript:...)`` is shown
literally and never becomes an element or a link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, replace
from functools import cached_property
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data, export, indicator_views, state, store, views
from dashboard.i18n import LANG_NAMES, LANGS, t
from dashboard.state import WIDGET_KEYS, Filters, Options
from extract.labels import label
from extract.schema import C

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")
_TOP_N_KEY = "top_n"
_UPLOADER_KEY = "uploader_round"
_MESSAGES_KEY = "upload_messages"
_XLSX_DROP = {"documents": [C.text]}  # whole articles overflow spreadsheet cells (32,767 characters)


# -- text safety -------------------------------------------------------------------------------------------


def plain(text: object) -> str:
    """Markdown that shows ``text`` literally, e.g. ``plain("**x**") == "\\\\*\\\\*x\\\\*\\\\*"``."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    return escaped.replace("\n", "  \n")


def quote(text: object) -> str:
    """HTML that shows ``text`` literally, for ``st.html``: ``quote("<b>") == "&lt;b&gt;"``."""
    return "" if text is None or text is pd.NA else html.escape(str(text), quote=True)


def marked_sentence(sentence: str, surface: str, at: int | None = None) -> str:
    """Escaped HTML of the sentence with its figure in ``<mark>``, for ``st.html``: at offset ``at`` of the
    sentence when the figure is there (two equal figures in one sentence), else its first occurrence."""
    sentence, surface = str(sentence or ""), str(surface or "")
    pos = sentence.find(surface) if surface else -1
    if at is not None and surface and sentence[at : at + len(surface)] == surface:
        pos = at
    if pos < 0:
        return quote(sentence)
    before, after = sentence[:pos], sentence[pos + len(surface):]
    return f"{quote(before)}<mark>{quote(surface)}</mark>{quote(after)}"


# -- the page ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """What every panel needs: the filtered tables, the whole corpus, the filters and the taxonomy."""

    view: Mapping[str, pd.DataFrame]
    full: Mapping[str, pd.DataFrame]
    filters: Filters
    taxonomy: pd.DataFrame | None
    export_problem: str | None = None
    version: str = ""  # identifies the corpus contents; empty disables caching of built frames

    def cache_key(self) -> tuple:
        """What the frames and figures of this page depend on besides the corpus: every filter but the tab."""
        return (self.version, *astuple(replace(self.filters, tab="")))

    @property
    def lang(self) -> str:
        """The UI language code."""
        return self.filters.lang

    def t(self, key: str, **values: object) -> str:
        """A UI string in the page's language."""
        return t(key, self.lang, **values)

    def source(self, doc_ids: list[str] | None = None) -> str:
        """The source line naming the documents behind a chart."""
        return views.source_line(self.view["documents"], doc_ids, self.lang)

    @cached_property
    def labels(self) -> dict[str, str]:
        """Axis and legend titles in the page's language."""
        return dict(charts.axis_labels(self.lang))

    def chart_kwargs(self, title: str, source: str | None = None) -> dict[str, Any]:
        """The keyword arguments every chart builder takes."""
        return {"title": title, "labels": self.labels, "source": self.source() if source is None else source,
                "presentation": self.filters.presentation}

    def filename(self, chart: str) -> str:
        """A download's file stem from the chart and the filters, e.g. ``微短剧_市场规模_2024``."""
        f = self.filters
        names = views.theme_labels(self.taxonomy, self.lang)
        parts = [
            [names.get(x, x) for x in f.themes],
            [label("metric", m, self.lang) for m in f.metrics],
            f"{f.years[0]}" if f.years and f.years[0] == f.years[1] else (f"{f.years[0]}-{f.years[1]}"
                                                                           if f.years else None),
            f.query or None,
        ]
        return charts.chart_filename(chart, parts)


def theme_name(theme_id: str, taxonomy: pd.DataFrame | None, lang: str) -> str:
    """A theme's display name in ``lang``."""
    return views.theme_labels(taxonomy, lang).get(theme_id, theme_id)


# -- chrome: style, sidebar, header, navigation ------------------------------------------------------------


def style(presentation: bool) -> None:
    """Page CSS: sentence quotes, and in presentation mode larger type everywhere (all sizes are rem)."""
    size = "21px" if presentation else "16px"
    st.html(
        "<style>"
        f"html {{ font-size: {size}; }}"
        "blockquote.md-sentence { border-left: 4px solid #C2410C; margin: 0.2rem 0 0.6rem; "
        "padding: 0.3rem 0.8rem; background: #FBF7F4; line-height: 1.7; }"
        "blockquote.md-sentence mark { background: #FED7AA; padding: 0 0.15rem; font-weight: 600; }"
        "</style>"
    )


def sidebar(options: Options, taxonomy: pd.DataFrame | None, documents: pd.DataFrame) -> Filters:
    """The filter controls; returns the filters they hold."""
    lang = st.session_state.get(WIDGET_KEYS["lang"], "zh")
    titles = _doc_titles(documents)
    with st.sidebar:
        st.segmented_control(
            t("sidebar.language", lang), LANGS, format_func=LANG_NAMES.get, key=WIDGET_KEYS["lang"],
            required=True, on_change=state.relabel, args=(options,),
        )
        st.header(t("sidebar.filters", lang))
        st.multiselect(
            t("sidebar.themes", lang), options.themes, key=WIDGET_KEYS["themes"],
            format_func=lambda x: theme_name(x, taxonomy, lang), placeholder=t("sidebar.all", lang),
        )
        st.multiselect(
            t("sidebar.documents", lang), options.docs, key=WIDGET_KEYS["docs"],
            format_func=lambda d: titles.get(d, d), placeholder=t("sidebar.all", lang),
        )
        st.multiselect(
            t("sidebar.metrics", lang), options.metrics, key=WIDGET_KEYS["metrics"],
            format_func=lambda m: label("metric", m, lang), placeholder=t("sidebar.all", lang),
        )
        if options.years and options.years[0] < options.years[1]:
            st.slider(t("sidebar.years", lang), min_value=options.years[0], max_value=options.years[1],
                      key=WIDGET_KEYS["years"], step=1)
        elif options.years:
            st.caption(t("sidebar.years_single", lang, year=options.years[0]))
        else:
            st.caption(t("sidebar.years_none", lang))
        st.checkbox(t("sidebar.undated", lang), key=WIDGET_KEYS["undated"],
                    help=t("sidebar.undated_help", lang))
        if options.notes:
            st.checkbox(t("sidebar.notes", lang, n=len(options.notes)), key=WIDGET_KEYS["notes"],
                        help=t("sidebar.notes_help", lang))
        st.text_input(t("sidebar.search", lang), key=WIDGET_KEYS["query"], max_chars=200,
                      help=t("sidebar.search_help", lang))
        st.button(t("sidebar.reset", lang), on_click=state.reset, args=(options,), width="stretch",
                  icon=":material/restart_alt:")
        st.toggle(t("sidebar.presentation", lang), key=WIDGET_KEYS["presentation"])
        st.caption(t("sidebar.share", lang))
    return state.from_widgets(st.session_state, options)


def _doc_titles(documents: pd.DataFrame) -> dict[str, str]:
    """doc_id -> "title（date）" for the document filter's options (plain text in a select box)."""
    labels = views.doc_labels(documents)
    return dict(zip(labels[C.doc_id].astype(str), labels["doc_label"].astype(str), strict=True))


def header(page: Page) -> None:
    """Title, corpus size, and notices: files that failed, exports that cannot run here."""
    st.title(page.t("app.title"))
    st.caption(page.t("app.caption", n_docs=len(page.view["documents"]), n_claims=len(page.view["claims"])))
    n_errors = len(page.full["errors"])
    if n_errors:
        st.warning(page.t("app.errors_badge", n=n_errors), icon=":material/report:")


def navigation(page: Page) -> str:
    """The row of section buttons; returns the section to draw (only that one runs)."""
    st.segmented_control(
        "nav", state.TABS, key=WIDGET_KEYS["tab"], required=True, label_visibility="collapsed",
        format_func=lambda tab: page.t(f"tab.{tab}"), width="stretch",
    )
    return str(st.session_state.get(WIDGET_KEYS["tab"]) or state.DEFAULT.tab)


def empty_state(page: Page) -> None:
    """The plain message shown when the filters leave nothing at all."""
    st.info(page.t("app.empty_filters"), icon=":material/filter_alt_off:")


def corpus_empty(lang: str) -> None:
    """The message shown when the corpus has no documents."""
    st.info(t("app.corpus_empty", lang), icon=":material/folder_open:")


# -- charts and downloads ----------------------------------------------------------------------------------


def chart(page: Page, fig: go.Figure, frame: pd.DataFrame, name: str, key: str, **select: Any) -> Any:
    """A chart with its download row (PNG, SVG, HTML, CSV); ``select`` passes on_select options."""
    stem = page.filename(name)
    alt = html.unescape(str((fig.layout.meta or {}).get("alt", name)))
    event = st.plotly_chart(fig, key=key, theme=None, config=charts.modebar_config(stem), alt=alt, **select)
    downloads(page, fig, frame, stem, key)
    return event


def downloads(page: Page, fig: go.Figure, frame: pd.DataFrame, stem: str, key: str) -> None:
    """Download buttons for one chart; the files are made only when a button is clicked."""
    cols = st.columns(4)
    server_side = page.export_problem is None
    buttons: list[tuple[str, str, str, Callable[[], bytes], bool]] = [
        ("download.png", "png", "image/png", lambda: export.figure_to_png(fig), server_side),
        ("download.svg", "svg", "image/svg+xml", lambda: export.figure_to_svg(fig), server_side),
        ("download.html", "html", "text/html", lambda: export.figure_to_html(fig), True),
        ("download.csv", "csv", "text/csv", lambda: export.frame_to_csv(frame), True),
    ]
    for col, (text, ext, mime, make, enabled) in zip(cols, buttons, strict=True):
        col.download_button(
            page.t(text), data=make, file_name=f"{stem}.{ext}", mime=mime, key=f"dl-{key}-{ext}",
            on_click="ignore", disabled=not enabled, icon=":material/download:", width="stretch",
        )


def export_notice(page: Page) -> None:
    """Say once, in the sidebar, why PNG/SVG buttons are disabled (the modebar camera still works)."""
    if page.export_problem:
        st.sidebar.info(page.t("app.export_unavailable", reason=plain(page.export_problem)))


def exports(page: Page) -> None:
    """Sidebar downloads of every table (XLSX) and a slide deck (PPTX) for the current view."""
    st.sidebar.subheader(page.t("sidebar.exports"))
    stem = page.filename(page.t("download.deck_title"))
    st.sidebar.download_button(
        page.t("download.xlsx"), data=lambda: export.tables_to_xlsx(_xlsx_tables(page)),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl-xlsx",
        on_click="ignore", icon=":material/table_view:", width="stretch",
    )
    options = deck_options(page)
    slides = st.sidebar.multiselect(page.t("download.deck_slides"), list(options),
                                    default=deck_default(page, options), format_func=options.__getitem__,
                                    key="deck_slides")
    st.sidebar.download_button(
        page.t("download.pptx"), data=lambda: _deck(page, slides), file_name=f"{stem}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", key="dl-pptx",
        on_click="ignore", icon=":material/slideshow:", width="stretch",
    )


def _xlsx_tables(page: Page) -> dict[str, pd.DataFrame]:
    """The tables of the current view for the spreadsheet: readable facts first, then the raw tables."""
    out = {"facts": built(page, "facts")}
    for name, frame in page.view.items():
        if name == "sentences":
            continue
        out[name] = frame.drop(columns=_XLSX_DROP.get(name, []))
    return out


_DECK_CHARTS = ("keywords", "theme_share", "mentions", "timeline")
_DECK_INDICATORS = 8  # indicators offered as slides, most sources first


def deck_options(page: Page) -> dict[str, str]:
    """Slides a user can put in the deck: the cards, the cards' indicators and those with most sources,
    and the view charts."""
    options = {"kpi": page.t("download.deck_kpi")}
    choices = built(page, "choices")
    cards = list(built(page, "headline")["indicator"])
    for key in dict.fromkeys([*(k for k in cards if k in choices), *list(choices)[:_DECK_INDICATORS]]):
        options[f"indicator:{key}"] = page.t("download.deck_slide_indicator", name=choices[key])
    names = {"keywords": "tab.keywords", "theme_share": "themes.share_title", "mentions": "tab.mentions",
             "timeline": "tab.timeline"}
    options.update({name: page.t(names[name]) for name in _DECK_CHARTS})
    return options


def deck_default(page: Page, options: Mapping[str, str]) -> list[str]:
    """The default slides: the cards, the card indicators' slides, and every view chart."""
    cards = built(page, "headline")
    wanted = ["kpi", *(f"indicator:{k}" for k in cards["indicator"]), *_DECK_CHARTS]
    return [w for w in dict.fromkeys(wanted) if w in options]


def filter_text(page: Page) -> str:
    """The filters in words, for the deck's title slide."""
    f = page.filters
    names = views.theme_labels(page.taxonomy, page.lang)
    sep = "、" if page.lang == "zh" else ", "
    parts = [
        page.t("download.deck_themes", v=sep.join(names.get(x, x) for x in f.themes)) if f.themes else "",
        page.t("download.deck_docs", n=len(f.docs)) if f.docs else "",
        page.t("download.deck_metrics", v=sep.join(label("metric", m, page.lang) for m in f.metrics))
        if f.metrics else "",
        page.t("download.deck_years", v=f"{f.years[0]}–{f.years[1]}") if f.years else "",
        page.t("download.deck_query", v=f.query.strip()) if f.query.strip() else "",
    ]
    shown = [p for p in parts if p]
    if not shown:
        return page.t("download.deck_no_filters", n=len(page.full["documents"]))
    return page.t("download.deck_filters", filters=("；" if page.lang == "zh" else "; ").join(shown))


def _deck(page: Page, slides: Sequence[str] | None = None) -> bytes:
    """A PPTX deck of the current view: the chosen slides, each naming the documents behind it."""
    chosen = list(slides) if slides is not None else deck_default(page, deck_options(page))
    view = page.view
    indicator_slides = []
    choices = built(page, "choices")
    for key in (s.split(":", 1)[1] for s in chosen if s.startswith("indicator:")):
        points, consensus, axis = indicator_views.indicator_points(view["indicators"], key, view["claims"],
                                                                    view["documents"], page.lang)
        if points.empty:
            continue
        data = indicator_views.slide_data(points, consensus, choices.get(key, key), axis, page.lang)
        indicator_slides.append((data, page.source(data.doc_ids)))
    figures = {"keywords": lambda: built(page, "keywords", 20)[0],
               "theme_share": lambda: built(page, "theme_share"), "mentions": lambda: built(page, "mentions"),
               "timeline": lambda: built(page, "timeline")}
    deck_charts = []
    for name in (s for s in _DECK_CHARTS if s in chosen):
        fig, frame = figures[name]()
        if frame.empty:
            continue
        behind = frame[C.doc_id].unique().tolist() if C.doc_id in frame.columns else None
        if name == "mentions":
            behind = view["mentions"][C.doc_id].unique().tolist()
        deck_charts.append((fig, frame, page.source(behind)))
    cards = built(page, "headline")
    return export.deck_to_pptx(
        title=page.t("download.deck_title"),
        subtitle=filter_text(page),
        headline=cards if "kpi" in chosen else None,
        kpi_source=page.source(sorted({d for ids in cards["doc_ids"] for d in str(ids).split("|") if d})),
        indicators=indicator_slides,
        charts=deck_charts,
        lang=page.lang,
    )


# -- overview: headline figures and the claims chart -------------------------------------------------------


def overview(page: Page) -> None:
    """Headline cards, one indicator across periods and sources, then (on request) every figure by metric.

    The all-figures chart draws every claim of the view (11,000 points at 1,000 documents, the slowest
    part of a render); with an indicator chart above it, it waits for the user to ask for it.
    """
    headline(page)
    shown = indicator_panel(page)
    st.subheader(page.t("overview.claims"))
    if shown and not st.toggle(page.t("overview.claims_show"), key="show_all_figures"):
        st.caption(page.t("overview.claims_hidden"))
        return
    claims_panel(page)


def headline(page: Page) -> None:
    """KPI cards: each key indicator's consensus, how many sources agree, the range, and the sentences."""
    st.subheader(page.t("overview.headline"))
    cards = built(page, "headline")
    if cards.empty:
        st.info(page.t("overview.no_headline"))
        return
    cols = st.columns(min(3, len(cards)))
    for i, card in enumerate(cards.to_dict("records")):
        with cols[i % len(cols)].container(border=True):
            st.metric(plain(card["label"]), str(card["value_text"]), help=page.t("overview.card_rule"))
            st.caption(plain(" · ".join(x for x in (card["period_text"], card["status_text"],
                                                      card["range_text"]) if x)))
            with st.popover(page.t("overview.source"), icon=":material/format_quote:", width="stretch"):
                _card_period_picker(page, card, i)
                st.caption(plain(page.t("overview.card_sources", sources=card["sources_text"])))
                claims_block(page, card["claim_keys"])


def _card_period_picker(page: Page, card: Mapping[str, Any], i: int) -> None:
    """A select box of the card's periods; a choice other than the card's own is kept in the URL (cp=)."""
    periods = indicator_views.card_periods(page.view["indicators"], str(card["indicator"]), page.lang)
    if len(periods) < 2:
        return
    key = f"card_period_{i}"
    st.session_state[key] = str(card["period"])
    st.selectbox(page.t("overview.card_period"), list(periods), key=key, format_func=periods.__getitem__,
                 on_change=_choose_card_period, args=(str(card["indicator"]), key))


def _choose_card_period(indicator: str, key: str) -> None:
    """Widget callback: remember the period chosen for one card in the filters' card_periods."""
    field = WIDGET_KEYS["card_periods"]
    kept = [c for c in st.session_state.get(field, []) if not c.startswith(f"{indicator}@")]
    st.session_state[field] = [*kept, f"{indicator}@{st.session_state[key]}"]


def claims_block(page: Page, claim_keys: str, limit: int = 8) -> None:
    """The sentences behind an indicator row, each with its figure marked and where it comes from."""
    behind = indicator_views.claims_of(claim_keys, page.view["claims"])
    docs = views.doc_labels(page.view["documents"]).set_index(C.doc_id)
    for claim in behind.head(limit).to_dict("records"):
        doc = str(claim[C.doc_id])
        title = docs["title"].get(doc, doc) if doc in docs.index else doc
        date = docs[C.date].get(doc) if doc in docs.index else ""
        cite = page.t("overview.from_doc", title=title, date=date if isinstance(date, str) else "")
        cited = claim[C.cited_source]
        if isinstance(cited, str) and cited:
            cite = f"{cite} · {page.t('overview.cited', source=cited)}"
        sentence_block(claim[C.sentence], str(claim[C.surface]), cite, _offset_in_sentence(page, claim))
    if len(behind) > limit:
        st.caption(page.t("overview.more_claims", n=len(behind) - limit))


def _offset_in_sentence(page: Page, claim: Mapping[str, Any]) -> int | None:
    """Where a claim's figure starts within its sentence, from the sentence's own start offset."""
    starts = (_sentence_starts(page.version, page.full["sentences"]) if page.version
              else _starts_of(page.full["sentences"]))
    start = starts.get((str(claim[C.doc_id]), claim[C.sent_id]))
    return int(claim[C.start]) - start if start is not None else None


def _starts_of(sentences: pd.DataFrame) -> dict[tuple[str, object], int]:
    """(doc_id, sent_id) -> the sentence's start offset in its document."""
    return dict(zip(zip(sentences[C.doc_id].astype(str).tolist(), sentences[C.sent_id].tolist(), strict=True),
                    sentences[C.start].astype("int64").tolist(), strict=True))


@st.cache_resource(max_entries=4, show_spinner=False)
def _sentence_starts(version: str, _sentences: pd.DataFrame) -> dict[tuple[str, object], int]:
    """:func:`_starts_of` once per corpus version (a mask over every sentence per quoted claim cost
    about a millisecond each, six cards of eight on every render)."""
    return _starts_of(_sentences)


def indicator_panel(page: Page) -> bool:
    """One indicator across periods and sources: pick it, read its chart, click a point for its sentence.
    False when the view has no indicator to show."""
    choices = built(page, "choices")
    if not choices:
        return False
    st.subheader(page.t("overview.indicator"))
    keys = list(choices)
    chosen = st.selectbox(page.t("overview.indicator_pick"), keys, format_func=lambda k: choices[k],
                          key="indicator_pick")
    fig, points = built(page, "indicator", chosen)
    st.caption(page.t("overview.select_hint"))
    event = chart(page, fig, points, choices[chosen], f"indicator-{keys.index(chosen)}", on_select="rerun",
                  selection_mode="points")
    picked = [charts.parse_claim_key(p.get("customdata")) for p in
              list(getattr(getattr(event, "selection", None), "points", None) or [])]
    keys_text = "|".join(f"{d}#{c}" for d, c in (k for k in picked if k is not None))
    if keys_text:
        st.markdown(f"**{plain(page.t('overview.selected'))}**")
        claims_block(page, keys_text)
    return True


def _indicator_fig(page: Page, key: str) -> tuple[go.Figure, pd.DataFrame]:
    """The chart of one indicator and its points."""
    view = page.view
    points, consensus, axis = indicator_views.indicator_points(view["indicators"], key, view["claims"],
                                                                view["documents"], page.lang)
    name = built(page, "choices").get(key, "")
    title = page.t("overview.indicator_title", name=name, unit=axis)
    source = page.source(sorted(set(points["doc_id"]))) if not points.empty else ""
    fig = charts.indicator_chart(points, consensus, axis=axis, **page.chart_kwargs(title, source))
    return fig, points


def _surface_of(page: Page, doc_id: object, claim_id: object) -> str:
    """The figure as written in its sentence, for marking it."""
    claims = page.view["claims"]
    hit = claims[(claims[C.doc_id] == doc_id) & (claims[C.claim_id] == claim_id)]
    return str(hit[C.surface].iloc[0]) if len(hit) else ""


def sentence_block(sentence: object, surface: str, source: object, at: int | None = None) -> None:
    """A source sentence with its figure highlighted (at offset ``at`` when given), and where it comes
    from, all escaped."""
    st.html(f'<blockquote class="md-sentence">{marked_sentence(str(sentence), surface, at)}'
            "</blockquote>")
    if source:
        st.caption(plain(source))


def _claims_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The claims chart and the frame behind it."""
    frame = views.claims_view(page.view["claims"], page.view["documents"], page.lang, page.taxonomy)
    source = page.source(list(frame[C.doc_id].unique()))
    panels_ = frame["panel"].dropna().unique() if "panel" in frame.columns else []
    title = (page.t("overview.claims_title_one", panel=panels_[0]) if len(panels_) == 1
             else page.t("overview.claims_title"))
    fig = charts.claims_chart(frame, **page.chart_kwargs(title, source))
    return fig, frame


def claims_panel(page: Page) -> None:
    """Figures faceted by metric; selecting a point shows the sentence it came from."""
    fig, frame = built(page, "claims")
    if frame.empty:
        st.info(page.t("facts.empty"))
        return
    st.caption(page.t("overview.select_hint"))
    event = chart(page, fig, frame, page.t("overview.claims"), "claims", on_select="rerun",
                  selection_mode="points")
    points = list(getattr(getattr(event, "selection", None), "points", None) or [])
    picked = _selected_claims(frame, points)
    if not picked.empty:
        st.markdown(f"**{plain(page.t('overview.selected'))}**")
        for row in picked.to_dict("records"):
            cite = page.t("overview.from_doc", title=row["doc_title"], date=row["doc_date"] or "")
            sentence_block(row[C.sentence], str(row[C.surface]), cite)


def _selected_claims(frame: pd.DataFrame, points: list[Mapping[str, Any]]) -> pd.DataFrame:
    """The claims behind selected chart points (their customdata is a :func:`charts.claim_key`)."""
    keys = [key for point in points if (key := charts.parse_claim_key(point.get("customdata"))) is not None]
    if not keys:
        return frame.iloc[0:0]
    index = pd.MultiIndex.from_arrays([frame[C.doc_id].astype(str), frame[C.claim_id].astype("int64")])
    return frame[index.isin(keys)]


# -- keywords ----------------------------------------------------------------------------------------------


def _keyword_frame(page: Page, top_n: int) -> pd.DataFrame:
    """Top keywords of the selection: recomputed over the chosen sentences when a theme or search is set."""
    f = page.filters
    if f.themes or f.query:
        table = data.selection_keywords(data.selection_texts(page.view))
    else:
        table = page.view["keywords"]
    return views.keyword_view(table, f.method, None, top_n)


def _keywords_figs(page: Page, top_n: int = 20) -> list[tuple[go.Figure, pd.DataFrame]]:
    """The keyword bar chart and treemap with their frame."""
    frame = _keyword_frame(page, top_n)
    method = page.t(f"keywords.{page.filters.method}")
    bar_title, tree_title = (page.t(f"keywords.{k}_title", method=method) for k in ("bar", "treemap"))
    bar = charts.keywords_bar(frame, **page.chart_kwargs(bar_title))
    tree = charts.keywords_treemap(frame, **page.chart_kwargs(tree_title))
    return [(bar, frame), (tree, frame)]


def keywords(page: Page) -> None:
    """Top keywords as a bar chart and a treemap, TF-IDF or TextRank, following the filters."""
    left, right = st.columns([2, 3])
    with left:
        st.segmented_control(page.t("keywords.method"), state.METHODS, key=WIDGET_KEYS["method"],
                             required=True, format_func=lambda m: page.t(f"keywords.{m}"))
    with right:
        top_n = st.slider(page.t("keywords.top_n"), min_value=5, max_value=50, value=20, step=5,
                          key=_TOP_N_KEY)
    page = _with(page, method=st.session_state.get(WIDGET_KEYS["method"]) or page.filters.method)
    (bar, frame), (tree, _) = built(page, "keywords", top_n)
    if frame.empty:
        st.info(page.t("keywords.empty"))
        return
    st.caption(page.t("keywords.follows"))
    chart(page, bar, frame, page.t("tab.keywords"), "keywords-bar")
    chart(page, tree, frame, page.t("tab.keywords") + "_treemap", "keywords-tree")


def _with(page: Page, **changes: Any) -> Page:
    """The page with some filters replaced (a widget drawn inside a panel changed them this run)."""
    return replace(page, filters=replace(page.filters, **changes))


# -- themes, mentions, timeline ----------------------------------------------------------------------------


def _theme_share_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The theme-share chart and its frame."""
    frame = views.theme_share(page.view["themes"], page.view["sentences"], page.taxonomy, page.lang)
    return charts.theme_share_chart(frame, **page.chart_kwargs(page.t("themes.share_title"))), frame


def themes(page: Page) -> None:
    """Share of sentences per theme, theme × document heatmap, theme co-occurrence."""
    fig, frame = built(page, "theme_share")
    if frame.empty:
        st.info(page.t("themes.empty"))
        return
    chart(page, fig, frame, page.t("themes.share_title"), "theme-share")
    fig, frame = built(page, "theme_by_document")
    chart(page, fig, frame, page.t("themes.heatmap_title"), "theme-heatmap")
    fig, frame = built(page, "cooccurrence")
    chart(page, fig, frame, page.t("themes.cooccurrence_title"), "theme-cooccurrence")


def _theme_by_document_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The theme × document heatmap and its frame."""
    frame = views.theme_by_document(page.view["themes"], page.view["documents"], page.taxonomy, page.lang)
    return charts.theme_heatmap(frame, **page.chart_kwargs(page.t("themes.heatmap_title"))), frame


def _cooccurrence_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The theme co-occurrence heatmap and its frame."""
    frame = views.theme_cooccurrence(page.view["themes"], page.taxonomy, page.lang)
    return charts.cooccurrence_chart(frame, **page.chart_kwargs(page.t("themes.cooccurrence_title"))), frame


def _mentions_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The mentions chart and its frame."""
    frame = views.mention_counts(page.view["mentions"], page.lang)
    return charts.mentions_chart(frame, **page.chart_kwargs(page.t("mentions.title"))), frame


def mentions(page: Page) -> None:
    """Mentions of platforms, genres, business models and audiences."""
    fig, frame = built(page, "mentions")
    if frame.empty:
        st.info(page.t("mentions.empty"))
        return
    chart(page, fig, frame, page.t("tab.mentions"), "mentions")


def _timeline_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The timeline chart and its frame."""
    frame = views.timeline_view(page.view["events"], page.view["documents"])
    return charts.timeline_chart(frame, **page.chart_kwargs(page.t("timeline.title"))), frame


def timeline(page: Page) -> None:
    """Dated events on a time axis, and the same events as a table."""
    fig, frame = built(page, "timeline")
    if frame.empty:
        st.info(page.t("timeline.empty"))
        return
    chart(page, fig, frame, page.t("tab.timeline"), "timeline")
    table = frame.loc[:, [C.date, C.description, C.title, "doc_title"]]
    names = [page.t(f"timeline.{c}") for c in ("date", "description", "work", "document")]
    st.dataframe(table.set_axis(names, axis=1), hide_index=True, width="stretch")


# -- facts and corroboration -------------------------------------------------------------------------------


def facts_frame(page: Page) -> pd.DataFrame:
    """The facts table: readable claims, the sentence with its figure in 【】, and the article's link."""
    return views.facts_table(page.view["claims"], page.view["documents"], page.lang)


def facts(page: Page) -> None:
    """Every claim in a sortable, searchable grid, with its marked sentence and the article's link."""
    if page.view["claims"].empty:
        st.info(page.t("facts.empty"))
        return
    table = built(page, "facts")
    hidden = {C.doc_id, C.claim_id}
    st.dataframe(
        table, hide_index=True, width="stretch", height=min(720, 38 * len(table) + 40),
        column_order=[c for c in table.columns if c not in hidden],
        column_config={page.t("facts.url"): st.column_config.LinkColumn(page.t("facts.url"))},
    )
    stem = page.filename(page.t("tab.facts"))
    left, right = st.columns(2)
    left.download_button(page.t("download.csv"), data=lambda: export.frame_to_csv(table),
                         file_name=f"{stem}.csv", mime="text/csv", key="dl-facts-csv", on_click="ignore",
                         icon=":material/download:", width="stretch")
    right.download_button(
        page.t("download.xlsx"), data=lambda: export.tables_to_xlsx({page.t("tab.facts"): table}),
        file_name=f"{stem}.xlsx", key="dl-facts-xlsx", on_click="ignore", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch",
    )


def corroboration(page: Page) -> None:
    """One row per indicator and period: the consensus, how the sources stand, and their sentences."""
    st.subheader(page.t("corroboration.title"))
    if len(page.view["documents"]) < 2:
        st.info(page.t("corroboration.needs_more"), icon=":material/library_add:")
        return
    frame = built(page, "corroboration")
    if frame.empty:
        st.info(page.t("corroboration.none_found"))
        return
    st.caption(page.t("corroboration.rule"))
    headers = indicator_views.TABLE_HEADERS["zh" if page.lang == "zh" else "en"]
    shown = frame[list(headers)].rename(columns=headers)
    event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key="corroboration-table",
                         height=min(640, 36 * len(shown) + 40))
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    if rows:
        row = frame.iloc[int(rows[0])]
        st.markdown(f"**{plain(row['label'])} · {plain(row['period_text'])}**")
        claims_block(page, str(row["claim_keys"]), limit=20)
    else:
        st.caption(page.t("corroboration.select_hint"))
    export_frame = shown.assign(**{"claim_keys": frame["claim_keys"]})
    st.download_button(page.t("download.csv"), data=lambda: export.frame_to_csv(export_frame),
                       file_name=f"{page.filename(page.t('tab.corroboration'))}.csv", mime="text/csv",
                       key="dl-corroboration-csv", on_click="ignore", icon=":material/download:")


# -- documents: uploads, removal, errors -------------------------------------------------------------------


def documents(page: Page, settings: data.Settings) -> None:
    """Upload documents, remove the ones you added, see the corpus and the files that failed."""
    _upload(page, settings)
    _user_documents(page, settings)
    st.subheader(page.t("documents.list"))
    docs = page.full["documents"]
    cols = [C.title, C.date, C.source_name, C.file_name, C.n_chars]
    st.dataframe(docs.loc[:, cols], hide_index=True, width="stretch")
    st.caption(plain(page.t("documents.folders", folders=" · ".join(str(p) for p in settings.corpus))))
    errors(page)


def _upload(page: Page, settings: data.Settings) -> None:
    """The uploader: each file is checked by extracting it, then saved atomically; bad files are reported."""
    st.subheader(page.t("documents.upload"))
    for kind, message in st.session_state.pop(_MESSAGES_KEY, []):
        (st.success if kind == "ok" else st.error)(plain(message))
    round_ = st.session_state.setdefault(_UPLOADER_KEY, 0)
    mb = store.MAX_UPLOAD_BYTES // (1024 * 1024)
    files = st.file_uploader(
        page.t("documents.upload"), type=[s.lstrip(".") for s in store.ALLOWED_SUFFIXES],
        accept_multiple_files=True, key=f"uploader-{round_}", label_visibility="collapsed",
        help=page.t("documents.upload_help", mb=mb, folder=settings.user_corpus),
    )
    st.caption(plain(page.t("documents.upload_help", mb=mb, folder=settings.user_corpus)))
    if not files:
        return
    messages = []
    for upload in files:
        raw = upload.getvalue()
        problem = data.check_upload(upload.name, raw)
        if problem is None:
            try:
                path = store.save_upload(settings.user_corpus, upload.name, raw)
            except (store.UploadError, OSError) as exc:
                problem = str(exc)
            else:
                messages.append(("ok", page.t("documents.added", name=path.name)))
                continue
        messages.append(("error", page.t("documents.rejected", name=upload.name, reason=problem)))
    st.session_state[_MESSAGES_KEY] = messages
    st.session_state[_UPLOADER_KEY] = round_ + 1  # a fresh uploader: the same files are not added twice
    st.rerun()


def _user_documents(page: Page, settings: data.Settings) -> None:
    """The documents this user folder holds, each with a remove button."""
    st.subheader(page.t("documents.yours"))
    stored = store.list_uploads(settings.user_corpus)
    if not stored:
        st.caption(page.t("documents.none_yours"))
        return
    for i, item in enumerate(stored):
        name_col, button_col = st.columns([5, 1], vertical_alignment="center")
        name_col.text(f"{item.name}  ({item.size / 1024:.1f} KB)")
        button_col.button(page.t("documents.remove"), key=f"rm-{i}-{item.name}", on_click=_remove,
                          args=(settings.user_corpus, item.name, page.lang), icon=":material/delete:")


def _remove(folder: Any, name: str, lang: str) -> None:
    """Button callback: delete one added document and say so."""
    try:
        store.remove_upload(folder, name)
    except (store.UploadError, OSError) as exc:
        st.session_state[_MESSAGES_KEY] = [("error", str(exc))]
    else:
        st.session_state[_MESSAGES_KEY] = [("ok", t("documents.removed", lang, name=name))]


def errors(page: Page) -> None:
    """Files that failed: which file, at which stage, and why."""
    st.subheader(page.t("documents.errors"))
    failed = page.full["errors"]
    if failed.empty:
        st.caption(page.t("documents.no_errors"))
        return
    shown = failed.rename(columns={C.file: page.t("documents.file"), C.stage: page.t("documents.stage"),
                                   C.reason: page.t("documents.reason")})
    st.dataframe(shown, hide_index=True, width="stretch")


# -- built frames and figures, cached per corpus version and filters --------------------------------------


def _headline_frame(page: Page) -> pd.DataFrame:
    """The KPI cards' frame, with the periods the user chose for them."""
    chosen = dict(c.rsplit("@", 1) for c in page.filters.card_periods)
    return indicator_views.cards_view(page.view["indicators"], page.view["documents"], page.lang,
                                      periods=chosen)


def _corroboration_frame(page: Page) -> pd.DataFrame:
    """The indicator table of the corroboration section."""
    return indicator_views.indicator_table(page.view["indicators"], page.view["documents"], page.lang)


_BUILDERS: dict[str, Callable[..., Any]] = {
    "headline": _headline_frame, "claims": _claims_fig, "keywords": _keywords_figs,
    "theme_share": _theme_share_fig, "theme_by_document": _theme_by_document_fig,
    "cooccurrence": _cooccurrence_fig, "mentions": _mentions_fig, "timeline": _timeline_fig,
    "facts": facts_frame, "corroboration": _corroboration_frame, "indicator": _indicator_fig,
    "choices": lambda page: indicator_views.indicator_choices(page.view["indicators"], page.lang),
}


def built(page: Page, name: str, *args: Any) -> Any:
    """What builder ``name`` makes for ``page`` (frames, figures); the result is shared: never mutate it."""
    if not page.version:
        return _BUILDERS[name](page, *args)
    return _built(name, page.cache_key(), args, page)


@st.cache_resource(max_entries=256, show_spinner=False)
def _built(name: str, key: tuple, args: tuple, _page: Page) -> Any:
    """The cached result of a builder; ``key`` (corpus version and filters) decides what ``_page`` holds."""
    # Views and figures cost 50-300 ms each; going back to a view seen before (clearing a filter,
    # switching the language back, another reader opening the same link) then costs nothing.
    return _BUILDERS[name](_page, *args)


def clear_built() -> None:
    """Forget every cached view, frame and figure (benchmarks measure building them)."""
    _built.clear()
    data.clear_views()


# -- dispatch ----------------------------------------------------------------------------------------------

SECTIONS: dict[str, Callable[[Page], None]] = {
    "overview": overview, "keywords": keywords, "themes": themes, "mentions": mentions,
    "timeline": timeline, "facts": facts, "corroboration": corroboration,
}
