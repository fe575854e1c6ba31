"""The chart registry: every chart and table frame of the dashboard, declared once.

Each :class:`ChartSpec` names its builder (page -> figure and frame), the i18n key of its title and
whether it may be a deck slide; the sections, the deck and the tests all go through :data:`CHARTS` and
:func:`built`, which caches what a builder makes at the data boundary (``data.cached``), keyed by the
corpus version and the filters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, data, indicator_views, views
from dashboard.page import Page
from extract.schema import C


@dataclass(frozen=True)
class ChartSpec:
    """One chart: what builds it, the i18n keys of its title and of its short name (deck option, download
    file), and whether the deck offers it as a slide."""

    name: str
    build: Callable[..., Any]
    title_key: str
    label_key: str = ""
    deck: bool = False

    @property
    def label(self) -> str:
        """The i18n key of the chart's short name: its own, else its title's."""
        return self.label_key or self.title_key


def _indicator_fig(page: Page, key: str) -> tuple[go.Figure, pd.DataFrame]:
    """The chart of one indicator and its points."""
    view = page.view
    points, consensus, axis = indicator_views.indicator_points(view["indicators"], key, view["claims"],
                                                                view["documents"], page.lang)
    name = built(page, "choices").get(key, "")
    title = page.t("overview.indicator_title", name=name, unit=axis)
    source = page.source(points["doc_id"].tolist()) if not points.empty else ""
    fig = charts.indicator_chart(points, consensus, axis=axis, **page.chart_kwargs(title, source))
    return fig, points

def _claims_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The claims chart and the frame behind it."""
    frame = views.claims_view(page.view["claims"], page.view["documents"], page.lang, page.taxonomy)
    source = page.source(frame[C.doc_id].tolist())
    panels_ = frame["panel"].dropna().unique() if "panel" in frame.columns else []
    title = (page.t("overview.claims_title_one", panel=panels_[0]) if len(panels_) == 1
             else page.t("overview.claims_title"))
    fig = charts.claims_chart(frame, **page.chart_kwargs(title, source))
    return fig, frame

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

def _theme_share_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The theme-share chart and its frame."""
    frame = views.theme_share(page.view["themes"], page.view["sentences"], page.taxonomy, page.lang)
    return charts.theme_share_chart(frame, **page.chart_kwargs(page.t("themes.share_title"))), frame

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

def _timeline_fig(page: Page) -> tuple[go.Figure, pd.DataFrame]:
    """The timeline chart and its frame."""
    frame = views.timeline_view(page.view["events"], page.view["documents"])
    return charts.timeline_chart(frame, **page.chart_kwargs(page.t("timeline.title"))), frame

def facts_frame(page: Page) -> pd.DataFrame:
    """The facts table: readable claims, the sentence with its figure in 【】, and the article's link."""
    return views.facts_table(page.view["claims"], page.view["documents"], page.lang)


Quote = tuple[dict[str, Any], str, int | None]  # a claim, where it comes from, where its figure starts


def _quotes(page: Page, claim_keys: str, limit: int) -> tuple[list[Quote], int]:
    """The first ``limit`` claims behind an indicator row (its ``claim_keys``), each with its citation and
    its figure's offset in its sentence, and how many more there are."""
    behind = indicator_views.claims_of(claim_keys, page.view["claims"], built(page, "claim_rows"))
    docs = built(page, "doc_labels")
    quotes: list[Quote] = []
    for claim in behind.head(limit).to_dict("records"):
        doc = str(claim[C.doc_id])
        title = docs["title"].get(doc, doc) if doc in docs.index else doc
        date = docs[C.date].get(doc) if doc in docs.index else ""
        cite = page.t("overview.from_doc", title=title, date=date if isinstance(date, str) else "")
        cited = claim[C.cited_source]
        if isinstance(cited, str) and cited:
            cite = f"{cite} · {page.t('overview.cited', source=cited)}"
        quotes.append((claim, cite, offset_in_sentence(page, claim)))
    return quotes, max(len(behind) - limit, 0)


def offset_in_sentence(page: Page, claim: Mapping[str, Any]) -> int | None:
    """Where a claim's figure starts within its sentence, from the sentence's own start offset."""
    starts = (_sentence_starts(page.version, page.full["sentences"]) if page.version
              else _starts_of(page.full["sentences"]))
    start = starts.get((str(claim[C.doc_id]), claim[C.sent_id]))
    return int(claim[C.start]) - start if start is not None else None


def _starts_of(sentences: pd.DataFrame) -> dict[tuple[str, object], int]:
    """(doc_id, sent_id) -> the sentence's start offset in its document."""
    return dict(zip(zip(sentences[C.doc_id].astype(str).tolist(), sentences[C.sent_id].tolist(), strict=True),
                    sentences[C.start].astype("int64").tolist(), strict=True))


def _sentence_starts(version: str, sentences: pd.DataFrame) -> dict[tuple[str, object], int]:
    """:func:`_starts_of` once per corpus version (a mask over every sentence per quoted claim cost
    about a millisecond each, six cards of eight on every render)."""
    return data.cached("sentence_starts", (version,), (), lambda: _starts_of(sentences))


def _headline_frame(page: Page) -> pd.DataFrame:
    """The KPI cards' frame, with the periods the user chose for them."""
    chosen = dict(c.rsplit("@", 1) for c in page.filters.card_periods)
    return indicator_views.cards_view(page.view["indicators"], page.view["documents"], page.lang,
                                      periods=chosen)


def _corroboration_frame(page: Page) -> pd.DataFrame:
    """The indicator table of the corroboration section."""
    return indicator_views.indicator_table(page.view["indicators"], page.view["documents"], page.lang)


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in (
    ChartSpec("claims", _claims_fig, "overview.claims_title"),
    ChartSpec("indicator", _indicator_fig, "overview.indicator_title"),
    ChartSpec("keywords", _keywords_figs, "keywords.bar_title", "tab.keywords", deck=True),
    ChartSpec("theme_share", _theme_share_fig, "themes.share_title", deck=True),
    ChartSpec("theme_by_document", _theme_by_document_fig, "themes.heatmap_title"),
    ChartSpec("cooccurrence", _cooccurrence_fig, "themes.cooccurrence_title"),
    ChartSpec("mentions", _mentions_fig, "mentions.title", "tab.mentions", deck=True),
    ChartSpec("timeline", _timeline_fig, "timeline.title", "tab.timeline", deck=True),
)}
# Frames that are not charts: the cards, the facts and corroboration tables, the indicator choices,
# and the lookups and quotes the sections show beside them.
FRAMES: dict[str, Callable[..., Any]] = {
    "headline": _headline_frame, "facts": facts_frame, "corroboration": _corroboration_frame,
    "choices": lambda page: indicator_views.indicator_choices(page.view["indicators"], page.lang),
    "card_periods": lambda page, key: indicator_views.card_periods(page.view["indicators"], key, page.lang),
    "doc_labels": lambda page: views.doc_labels(page.view["documents"]).set_index(C.doc_id),
    "claim_rows": lambda page: indicator_views.claim_rows(page.view["claims"]),
    "quotes": _quotes,
}


def built(page: Page, name: str, *args: Any) -> Any:
    """What chart or frame ``name`` is for ``page``; shared by every session: never mutate the result."""
    build = CHARTS[name].build if name in CHARTS else FRAMES[name]
    if not page.version:
        return build(page, *args)
    return data.cached(name, page.cache_key(), args, lambda: build(page, *args))


def clear_built() -> None:
    """Forget every cached view, frame and figure (benchmarks measure building them)."""
    data.clear_views()
