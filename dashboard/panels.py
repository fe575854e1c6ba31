"""The app's chrome: style, sidebar, header, section buttons, empty states and the sidebar downloads.

The sections themselves are in dashboard/sections/, one module per page; :data:`SECTIONS` dispatches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from dashboard import deck, export, state
from dashboard.i18n import LANG_NAMES, LANGS, t
from dashboard.page import Page, plain, theme_name
from dashboard.sections import explore, overview, tables
from dashboard.state import WIDGET_KEYS, Filters, Options
from extract.labels import label

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


def sidebar(options: Options, taxonomy: pd.DataFrame | None, titles: Mapping[str, str]) -> Filters:
    """The filter controls (``titles``: doc_id -> "title（date）", :func:`data.doc_titles`); returns the
    filters they hold."""
    lang = st.session_state.get(WIDGET_KEYS["lang"], "zh")
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
        st.checkbox(t("review.only", lang), key=WIDGET_KEYS["reviewed"])
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


def export_notice(page: Page) -> None:
    """Say once, in the sidebar, why PNG/SVG buttons are disabled (the modebar camera still works)."""
    if page.export_problem:
        st.sidebar.info(page.t("app.export_unavailable", reason=plain(page.export_problem)))


def exports(page: Page) -> None:
    """Sidebar downloads of every table (XLSX) and a slide deck (PPTX) for the current view."""
    st.sidebar.subheader(page.t("sidebar.exports"))
    stem = page.filename(page.t("download.deck_title"))
    st.sidebar.download_button(
        page.t("download.xlsx"), data=lambda: export.tables_to_xlsx(deck.xlsx_tables(page)),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl-xlsx",
        on_click="ignore", icon=":material/table_view:", width="stretch",
    )
    options = deck.deck_options(page)
    slides = st.sidebar.multiselect(page.t("download.deck_slides"), list(options),
                                    default=deck.deck_default(page, options), format_func=options.__getitem__,
                                    key="deck_slides")
    st.sidebar.download_button(
        page.t("download.pptx"), data=lambda: deck.build_deck(page, slides), file_name=f"{stem}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", key="dl-pptx",
        on_click="ignore", icon=":material/slideshow:", width="stretch",
    )


# -- dispatch ----------------------------------------------------------------------------------------------

SECTIONS: dict[str, Callable[[Page], None]] = {
    "overview": overview.overview, "keywords": explore.keywords, "themes": explore.themes,
    "mentions": explore.mentions, "timeline": explore.timeline, "facts": tables.facts,
    "corroboration": tables.corroboration,
}
