"""The downloads of a whole view: the spreadsheet of its tables and the slide deck."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard import export, indicator_views, views
from dashboard.figures import CHARTS, built
from dashboard.page import Page
from extract.labels import label
from extract.schema import C

_XLSX_DROP = {"documents": [C.text]}  # whole articles overflow spreadsheet cells (32,767 characters)


def xlsx_tables(page: Page) -> dict[str, pd.DataFrame]:
    """The tables of the current view for the spreadsheet: readable facts first, then the raw tables."""
    out = {"facts": built(page, "facts")}
    for name, frame in page.view.items():
        if name == "sentences":
            continue
        out[name] = frame.drop(columns=_XLSX_DROP.get(name, []))
    return out


_DECK_CHARTS = tuple(name for name, spec in CHARTS.items() if spec.deck)
_DECK_INDICATORS = 8  # indicators offered as slides, most sources first


def deck_options(page: Page) -> dict[str, str]:
    """Slides a user can put in the deck: the cards, the cards' indicators and those with most sources,
    and the view charts."""
    options = {"kpi": page.t("download.deck_kpi")}
    choices = built(page, "choices")
    cards = list(built(page, "headline")["indicator"])
    for key in dict.fromkeys([*(k for k in cards if k in choices), *list(choices)[:_DECK_INDICATORS]]):
        options[f"indicator:{key}"] = page.t("download.deck_slide_indicator", name=choices[key])
    options.update({name: page.t(CHARTS[name].label) for name in _DECK_CHARTS})
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


def build_deck(page: Page, slides: Sequence[str] | None = None) -> bytes:
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
    deck_charts = []
    chronology = None
    for name in (s for s in _DECK_CHARTS if s in chosen):
        made = built(page, name)
        fig, frame = made[0] if isinstance(made, list) else made  # keywords: the bar chart, not the treemap
        if frame.empty:
            continue
        if name == "timeline":  # a table of the latest events: a date axis of many articles is unreadable
            rows = views.chronology(frame, view["sentences"], view["documents"])
            chronology = (page.t(CHARTS[name].title_key), rows, page.source(rows[C.doc_id].tolist()))
            continue
        behind = frame[C.doc_id].tolist() if C.doc_id in frame.columns else None
        if name == "mentions":
            behind = view["mentions"][C.doc_id].tolist()
        deck_charts.append((fig, frame, page.source(behind)))
    cards = built(page, "headline")
    return export.deck_to_pptx(
        title=page.t("download.deck_title"),
        subtitle=filter_text(page),
        headline=cards if "kpi" in chosen else None,
        kpi_source=page.source(sorted({d for ids in cards["doc_ids"] for d in str(ids).split("|") if d})),
        indicators=indicator_slides,
        charts=deck_charts,
        chronology=chronology,
        lang=page.lang,
    )
