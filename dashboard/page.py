"""The page every section draws: its filtered tables and filters, and how document text reaches it safely.

Text that comes from a document (titles, sentences, file names) reaches the page only through
:func:`plain` (Markdown with every control character escaped), :func:`quote` (HTML-escaped, for
``st.html``) or a data grid, so an article containing ``<script>`` or ``[x](javascript:...)`` is shown
literally and never becomes an element or a link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import astuple, dataclass, replace
from functools import cached_property
from typing import Any

import pandas as pd

from dashboard import charts, views
from dashboard.i18n import t
from dashboard.state import Filters
from extract.labels import label

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")


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
    reviews: str = ""  # the reviews database's path; empty: reviewing is off (tests, read-only views)
    orphans: pd.DataFrame | None = None  # reviews that matched no figure of the corpus

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


def with_filters(page: Page, **changes: Any) -> Page:
    """The page with some filters replaced (a widget drawn inside a panel changed them this run)."""
    return replace(page, filters=replace(page.filters, **changes))


def uploader_css(key: str, button: str, note: str) -> str:
    """A style element putting the page's own words on the file uploader with widget key ``key`` (or keys
    starting with it), for ``st.html``: Streamlit writes its button and size line in English only."""
    scope = f'[class*="st-key-{_css_ident(key)}"]'
    return (
        "<style>"
        f'{scope} [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,'
        f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}'
        f'{scope} [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
        f' {{ content: {_css_string(button)}; font-size: 0.875rem; }}'
        f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span::after'
        f' {{ content: {_css_string(note)}; font-size: 0.875rem; }}'
        "</style>"
    )


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal: every character outside plain letters written as a code point
    escape, so no quote, brace or angle bracket can end the rule or the style element."""
    return '"' + "".join(c if c.isalnum() and ord(c) < 128 else f"\\{ord(c):x} " for c in text) + '"'


def _css_ident(key: str) -> str:
    """A widget key as Streamlit spells it in its ``st-key-`` class."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "_-") else "-" for c in key.strip())
