"""The chart-ready frames' columns, declared once, like extract/schema.py for the extracted tables.

Views (dashboard/views.py, dashboard/indicator_views.py) build these frames and charts, the deck and the
tests read them by these names; tests/test_app.py checks every registered chart's frame against them.
"""

from __future__ import annotations

from extract import schema

# Per claim, what the claims view adds to the claims table: the document's title, date and short label,
# readable metric, figure, theme and year, the facet and its unit, and the plotted values.
CLAIM_VIEW_ADDED = ("doc_title", "doc_date", "doc_label", "metric_label", "display", "theme", "theme_label",
                    "theme_rank", "year_label", "panel", "axis_unit", "plot_value", "plot_high")
CLAIM_VIEW = (*schema.columns("claims"), *CLAIM_VIEW_ADDED)
KEYWORDS = ("rank", "method", "keyword", "weight", "n_docs")
THEME_SHARE = ("theme_id", "theme", "n_sentences", "share_pct", "theme_rank")
THEME_BY_DOCUMENT = ("theme_id", "doc_id", "n_sentences", "doc_label", "theme", "theme_rank")
COOCCURRENCE = ("theme_id_a", "theme_id_b", "n_sentences", "theme_a", "theme_b")
MENTIONS = ("category", "category_label", "name", "n_mentions", "n_docs")
TIMELINE = (*schema.columns("events"), "doc_title", "doc_label", "when", "precision")
# Indicators: the headline cards, one indicator's points and consensus, and the corroboration table.
CARDS = ("indicator", "label", "value_text", "period_text", "status", "status_text", "range_text",
         "forecast", "sources_text", "doc_ids", "claim_keys", "period", "value", "unit")
POINTS = ("period", "period_text", "x", "plot_value", "display", "source", "forecast", "doc_id",
          "claim_id", "doc_label", "doc_date", "sentence", "surface")
CONSENSUS = ("period", "period_text", "x", "plot_value", "display", "forecast", "status_text")
INDICATOR_TABLE = ("indicator", "period", "forecast", "label", "period_text", "value_text", "range_text",
                   "status", "status_text", "n_sources", "n_documents", "n_reposts", "sources_text",
                   "claim_keys")

# The frame behind each registered chart (dashboard/figures.py).
CHART_FRAMES: dict[str, tuple[str, ...]] = {
    "claims": CLAIM_VIEW, "indicator": POINTS, "keywords": KEYWORDS, "theme_share": THEME_SHARE,
    "theme_by_document": THEME_BY_DOCUMENT, "cooccurrence": COOCCURRENCE, "mentions": MENTIONS,
    "timeline": TIMELINE,
}
