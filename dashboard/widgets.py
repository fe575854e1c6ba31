"""Widgets the sections share: a chart with its downloads, and the sentences behind a figure."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, export, reviewing
from dashboard.figures import built
from dashboard.page import Page, marked_sentence, plain
from extract.schema import C


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


def claims_block(page: Page, claim_keys: str, limit: int = 8, review: bool = False, where: str = "") -> None:
    """The sentences behind an indicator row, each with its figure marked and where it comes from; with
    ``review``, each with the controls to confirm, reject, correct or pin it."""
    quotes, more = built(page, "quotes", claim_keys, limit)
    for claim, cite, at in quotes:
        sentence_block(claim[C.sentence], str(claim[C.surface]), cite, at)
        if review and page.reviews:
            with st.expander(page.t("review.title"), icon=":material/fact_check:"):
                reviewing.review_form(page, claim, f"review-{where}-{claim[C.doc_id]}-{claim[C.claim_id]}")
    if more:
        st.caption(page.t("overview.more_claims", n=more))


def sentence_block(sentence: object, surface: str, source: object, at: int | None = None) -> None:
    """A source sentence with its figure highlighted (at offset ``at`` when given), and where it comes
    from, all escaped."""
    st.html(f'<blockquote class="md-sentence">{marked_sentence(str(sentence), surface, at)}'
            "</blockquote>")
    if source:
        st.caption(plain(source))

