"""The overview section: headline cards, one indicator across periods and sources, every figure by metric."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.figures import built
from dashboard.page import Page, plain
from dashboard.state import WIDGET_KEYS
from dashboard.widgets import chart, claims_block, sentence_block
from extract.schema import C


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
                # Review controls on request only: six cards of eight figures would be hundreds of widgets.
                review = bool(page.reviews) and st.toggle(page.t("review.these"), key=f"card_review_{i}")
                claims_block(page, card["claim_keys"], review=review, where=f"card{i}")


def _card_period_picker(page: Page, card: Mapping[str, Any], i: int) -> None:
    """A select box of the card's periods; a choice other than the card's own is kept in the URL (cp=)."""
    periods = built(page, "card_periods", str(card["indicator"]))
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
        claims_block(page, keys_text, review=True, where="picked")
    return True


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
