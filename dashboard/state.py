"""The dashboard's view state: filters, their defaults, and their round trip through the URL.

The URL holds codes (theme ids, document ids, metric codes), never display labels, so a shared link
reopens the same view in either language. Values a URL names that the corpus does not have are dropped.
The pure functions here are tested directly; ``sync`` / ``commit`` / ``reset`` are the thin
Streamlit side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import streamlit as st

from dashboard.i18n import LANGS

TABS: tuple[str, ...] = (
    "overview", "keywords", "themes", "mentions", "timeline", "facts", "corroboration", "documents",
)
METHODS: tuple[str, ...] = ("tfidf", "textrank")


@dataclass(frozen=True)
class Filters:
    """Everything that decides what the dashboard shows; the default is the whole corpus in Chinese."""

    themes: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    undated: bool = True  # figures without a year stay in the view unless the user leaves them out
    notes: bool = True  # the starter notes (seeds/notes/) stay in the view unless the user leaves them out
    reviewed: bool = False  # only figures an analyst confirmed or corrected
    query: str = ""
    lang: str = "zh"
    method: str = "tfidf"
    presentation: bool = False
    card_periods: tuple[str, ...] = ()  # "indicator@period": the period a user chose for a card
    tab: str = "overview"

    def narrows(self) -> bool:
        """True when some filter leaves out part of the corpus (language, tab and mode do not)."""
        return bool(self.themes or self.docs or self.metrics or self.years or self.query.strip()
                    or not self.undated or not self.notes or self.reviewed)


@dataclass(frozen=True)
class Options:
    """What the filters may choose from in the loaded corpus."""

    themes: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    notes: tuple[str, ...] = ()  # the starter notes' doc_ids: the notes switch shows only when there are some


DEFAULT = Filters()

# Filter field -> URL parameter name. Short, stable names: they end up in shared links.
URL_KEYS: dict[str, str] = {
    "themes": "theme", "docs": "doc", "metrics": "metric", "years": "years", "undated": "undated",
    "notes": "notes", "reviewed": "reviewed", "query": "q",
    "lang": "lang", "method": "kw", "presentation": "present", "card_periods": "cp", "tab": "tab",
}
# Filter field -> widget key in st.session_state.
WIDGET_KEYS: dict[str, str] = {name: f"f_{name}" for name in URL_KEYS}
_MAX_QUERY = 200
_CARD_PERIOD = re.compile(r"[^@\s]{1,160}@[0-9HQ/\-]{4,16}")  # indicator id @ period
_LAST = "_filters"  # session-state key of the last run's filters
_LAST_OPTIONS = "_filter_options"  # ... and of the options they were chosen from


def from_query(params: Mapping[str, str | Sequence[str]], options: Options) -> Filters:
    """Filters from URL parameters, ignoring what ``options`` lacks, e.g. ``{"theme": ["ai"]}``."""

    def values(name: str) -> list[str]:
        raw = params.get(URL_KEYS[name], [])
        return [raw] if isinstance(raw, str) else [str(v) for v in raw]

    def last(name: str, default: str) -> str:
        got = values(name)
        return got[-1] if got else default

    filters = Filters(
        themes=tuple(values("themes")),
        docs=tuple(values("docs")),
        metrics=tuple(values("metrics")),
        years=_parse_years(last("years", "")),
        undated=last("undated", "1") not in ("0", "false", "no"),
        notes=last("notes", "1") not in ("0", "false", "no"),
        reviewed=last("reviewed", "0") in ("1", "true", "yes"),
        query=last("query", ""),
        lang=last("lang", DEFAULT.lang),
        method=last("method", DEFAULT.method),
        presentation=last("presentation", "0") in ("1", "true", "yes"),
        card_periods=tuple(values("card_periods")),
        tab=last("tab", DEFAULT.tab),
    )
    return sanitize(filters, options)


def to_query(filters: Filters) -> dict[str, list[str]]:
    """URL parameters for ``filters``; defaults are left out so the plain URL is the default view."""
    out: dict[str, list[str]] = {}
    for name, key in URL_KEYS.items():
        value = getattr(filters, name)
        if value == getattr(DEFAULT, name):
            continue
        if name == "years":
            out[key] = [f"{value[0]}-{value[1]}"]
        elif name in ("presentation", "reviewed"):
            out[key] = ["1"]
        elif name in ("undated", "notes"):
            out[key] = ["0"]
        elif isinstance(value, tuple):
            out[key] = list(value)
        else:
            out[key] = [str(value)]
    return out


def sanitize(filters: Filters, options: Options) -> Filters:
    """``filters`` with unknown codes dropped, years clamped to the corpus and odd values reset."""
    years = filters.years
    if years is not None:
        if options.years is None:
            years = None
        else:
            lo, hi = sorted(years)
            lo, hi = max(lo, options.years[0]), min(hi, options.years[1])
            years = None if lo > hi or (lo, hi) == options.years else (lo, hi)
    return replace(
        filters,
        themes=_keep(filters.themes, options.themes),
        docs=_keep(filters.docs, options.docs),
        metrics=_keep(filters.metrics, options.metrics),
        years=years,
        notes=filters.notes or not options.notes,
        query=" ".join(filters.query.split())[:_MAX_QUERY],
        lang=filters.lang if filters.lang in LANGS else DEFAULT.lang,
        method=filters.method if filters.method in METHODS else DEFAULT.method,
        card_periods=tuple(c for c in dict.fromkeys(filters.card_periods) if _CARD_PERIOD.fullmatch(c))[:12],
        tab=filters.tab if filters.tab in TABS else DEFAULT.tab,
    )


def to_widgets(filters: Filters, options: Options) -> dict[str, Any]:
    """Session-state values for the sidebar widgets showing ``filters`` (years as a full slider range)."""
    out: dict[str, Any] = {}
    for f in fields(Filters):
        value = getattr(filters, f.name)
        if f.name == "years":
            value = value or options.years
        elif isinstance(value, tuple):
            value = list(value)
        out[WIDGET_KEYS[f.name]] = value
    return out


def from_widgets(values: Mapping[str, Any], options: Options, base: Filters = DEFAULT) -> Filters:
    """Filters from widget values, the inverse of :func:`to_widgets`; a missing key keeps ``base``'s value."""
    kwargs: dict[str, Any] = {}
    for f in fields(Filters):
        key = WIDGET_KEYS[f.name]
        if key not in values or values[key] is None:
            continue
        value = values[key]
        if f.name == "years":
            value = (int(value[0]), int(value[1]))
        elif isinstance(getattr(DEFAULT, f.name), tuple):
            value = tuple(value)
        kwargs[f.name] = value
    return sanitize(replace(base, **kwargs), options)


def _keep(chosen: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    """The chosen values that are allowed, in the order of ``allowed``, without duplicates."""
    wanted = set(chosen)
    return tuple(v for v in allowed if v in wanted)


def _parse_years(text: str) -> tuple[int, int] | None:
    """``"2023-2025"`` -> ``(2023, 2025)``; ``"2024"`` -> ``(2024, 2024)``; anything else -> None."""
    parts = text.split("-")
    if not 1 <= len(parts) <= 2 or not all(p.strip().isdigit() and len(p.strip()) == 4 for p in parts):
        return None
    years = [int(p) for p in parts]
    return (min(years), max(years))


# --- Streamlit side -----------------------------------------------------------------------------------


def url_params() -> dict[str, list[str]]:
    """The current URL's parameters, every value as a list."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def sync(options: Options) -> Filters:
    """The filters for this run, written into the widgets' session state before they are drawn.

    A session's first run reads the URL; later runs take the widgets' values, falling back to the last
    run's filters for widgets not drawn last time (the keyword method lives on one tab only), and drop
    what the corpus no longer has, so a widget is never handed an option it does not offer.
    """
    if _LAST not in st.session_state:
        filters = from_query(url_params(), options)
    else:
        values = {key: st.session_state[key] for key in WIDGET_KEYS.values() if key in st.session_state}
        last_span = st.session_state[_LAST_OPTIONS].years
        filters = from_widgets(values, options, base=st.session_state[_LAST])
        if last_span and tuple(values.get(WIDGET_KEYS["years"]) or ()) == last_span:
            # The slider spans every year (also after 重置): keep meaning "all years" when an upload widens
            # the span. (A None widget value would instead keep the last run's years.)
            filters = replace(filters, years=None)
    for key, value in to_widgets(filters, options).items():
        if key not in st.session_state or st.session_state[key] != value:
            st.session_state[key] = value
    st.session_state[_LAST] = filters
    st.session_state[_LAST_OPTIONS] = options
    return filters


def commit(filters: Filters) -> None:
    """Remember ``filters`` for the next run and make the URL show them."""
    st.session_state[_LAST] = filters
    write_url(filters)


def write_url(filters: Filters) -> None:
    """Make the URL show ``filters``."""
    wanted = to_query(filters)
    if url_params() == wanted:
        return
    st.query_params.from_dict(wanted)


def reset(options: Options, keep: Sequence[str] = ("lang", "presentation", "tab")) -> None:
    """Widget callback: every filter back to its default, keeping the fields in ``keep``."""
    now = from_widgets(st.session_state, options, base=st.session_state.get(_LAST, DEFAULT))
    kept = {name: getattr(now, name) for name in keep}
    for key, value in to_widgets(replace(DEFAULT, **kept), options).items():
        st.session_state[key] = value


def relabel(options: Options) -> None:
    """Language-switch callback: re-store the widget values so relabelled options keep their selection."""
    # Multiselects send back their *labels*; once the labels change language the old ones would no longer
    # match. Writing the decoded codes back through session state makes them win over the stale labels.
    now = from_widgets(st.session_state, options, base=st.session_state.get(_LAST, DEFAULT))
    for key, value in to_widgets(now, options).items():
        if key != WIDGET_KEYS["lang"]:
            st.session_state[key] = value
