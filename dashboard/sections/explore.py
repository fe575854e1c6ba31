"""The keywords, themes, mentions and timeline sections: what the selected texts talk about."""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.figures import CHARTS, built
from dashboard.page import Page, with_filters
from dashboard.state import WIDGET_KEYS
from dashboard.widgets import chart
from extract.schema import C

_TOP_N_KEY = "top_n"


def keywords(page: Page) -> None:
    """Top keywords as a bar chart and a treemap, TF-IDF or TextRank, following the filters."""
    left, right = st.columns([2, 3])
    with left:
        st.segmented_control(page.t("keywords.method"), state.METHODS, key=WIDGET_KEYS["method"],
                             required=True, format_func=lambda m: page.t(f"keywords.{m}"))
    with right:
        top_n = st.slider(page.t("keywords.top_n"), min_value=5, max_value=50, value=20, step=5,
                          key=_TOP_N_KEY)
    page = with_filters(page, method=st.session_state.get(WIDGET_KEYS["method"]) or page.filters.method)
    (bar, frame), (tree, _) = built(page, "keywords", top_n)
    if frame.empty:
        st.info(page.t("keywords.empty"))
        return
    st.caption(page.t("keywords.follows"))
    chart(page, bar, frame, page.t("tab.keywords"), "keywords-bar")
    chart(page, tree, frame, page.t("tab.keywords") + "_treemap", "keywords-tree")


def themes(page: Page) -> None:
    """Share of sentences per theme, theme × document heatmap, theme co-occurrence."""
    fig, frame = built(page, "theme_share")
    if frame.empty:
        st.info(page.t("themes.empty"))
        return
    chart(page, fig, frame, page.t(CHARTS["theme_share"].label), "theme-share")
    for name, key in (("theme_by_document", "theme-heatmap"), ("cooccurrence", "theme-cooccurrence")):
        fig, frame = built(page, name)
        chart(page, fig, frame, page.t(CHARTS[name].label), key)


def mentions(page: Page) -> None:
    """Mentions of platforms, genres, business models and audiences."""
    fig, frame = built(page, "mentions")
    if frame.empty:
        st.info(page.t("mentions.empty"))
        return
    chart(page, fig, frame, page.t(CHARTS["mentions"].label), "mentions")


def timeline(page: Page) -> None:
    """Dated events on a time axis, and the same events as a table."""
    fig, frame = built(page, "timeline")
    if frame.empty:
        st.info(page.t("timeline.empty"))
        return
    chart(page, fig, frame, page.t(CHARTS["timeline"].label), "timeline")
    table = frame.loc[:, [C.date, C.description, C.title, "doc_title"]]
    names = [page.t(f"timeline.{c}") for c in ("date", "description", "work", "document")]
    st.dataframe(table.set_axis(names, axis=1), hide_index=True, width="stretch")
