"""Chart-ready frames: filtered corpus tables in, the exact data behind each chart out (also its CSV).

Every function is pure: it returns a new frame and leaves its inputs alone. Strings stay raw here;
``dashboard.charts`` escapes them at the point where they enter a figure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
import pandas as pd

from dashboard import fmt
from extract import segment
from extract.claims import lexicon
from extract.labels import label
from extract.mentions import CATEGORIES
from extract.schema import METRICS, C
from extract.themes import taxonomy

NO_THEME = "none"
_NO_THEME_LABEL = {"zh": "未分类", "en": "No theme"}
_NO_YEAR = {"zh": "未注明年份", "en": "Year not given"}
_CATEGORY_LABELS = {
    "zh": {"platform": "平台", "company": "公司", "genre": "题材", "business_model": "商业模式",
           "audience": "受众"},
    "en": {"platform": "Platforms", "company": "Companies", "genre": "Genres",
           "business_model": "Business models", "audience": "Audiences"},
}
_SOURCE_PREFIX = {"zh": "来源：", "en": "Source: "}
# A starter note is our own summary of one public source: every place that names it says so.
_NOTE_MARK = {"zh": "整理 · 据{source}", "en": "Note · per {source}"}
_NOTE_TAG = {"zh": "〔整理〕", "en": "[Note] "}  # the same, in a chart's short document label
_TITLE_LIMIT = 24
_DOC_LABEL_LIMIT = 14
T = TypeVar("T")
Column = pd.api.extensions.ExtensionArray | np.ndarray  # one value per row of a table


# -- documents --------------------------------------------------------------------------------------------


def doc_labels(documents: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """doc_id -> short unique label "标题…（2025-02-10）" and raw title/date/source, for axes and hovers."""
    _, titles, labels = _doc_names(documents, lang)
    return pd.DataFrame({
        C.doc_id: documents[C.doc_id].array, C.title: _strings(titles), C.date: documents[C.date].array,
        C.source_name: documents[C.source_name].array, C.categories: documents[C.categories].array,
        "doc_label": _strings(labels),
    })


def note_marks(documents: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Per document, "整理 · 据中国网络视听协会" for a starter note (our summary of one source), else ""."""
    kinds, cited = documents[C.kind].tolist(), documents[C.cited_source].tolist()
    outlets = documents[C.source_name].tolist()
    mark = _NOTE_MARK.get(lang, _NOTE_MARK["en"])
    return [mark.format(source=_text(c) or _text(o) or "?") if k == "note" else ""
            for k, c, o in zip(kinds, cited, outlets, strict=True)]


def _doc_names(documents: pd.DataFrame, lang: str = "zh") -> tuple[list[str], list[str], list[str]]:
    """Each document's id, title (the id when it has none; a note's marked as one) and unique short label,
    in table order."""
    ids = [str(d) for d in documents[C.doc_id].tolist()]
    plain = [d if _missing(t) else str(t) for t, d in zip(documents[C.title].tolist(), ids, strict=True)]
    marks = note_marks(documents, lang)
    titles = [f"{m}｜{t}" if m else t for m, t in zip(marks, plain, strict=True)]
    dates = [_text(d) for d in documents[C.date].tolist()]
    tag = _NOTE_TAG.get(lang, _NOTE_TAG["en"])
    short = [tag * bool(m) + fmt.shorten(t, _DOC_LABEL_LIMIT) for m, t in zip(marks, plain, strict=True)]
    return ids, titles, _unique([f"{s}（{d}）" if d else s for s, d in zip(short, dates, strict=True)], ids)


def _unique(labels: list[str], ids: Iterable[str]) -> list[str]:
    """Labels made unique by appending the id's first characters where two documents would collide."""
    counts = Counter(labels)
    pairs = zip(labels, ids, strict=True)
    return [f"{lab} #{doc_id[:6]}" if counts[lab] > 1 else lab for lab, doc_id in pairs]


def source_line(documents: pd.DataFrame, doc_ids: Iterable[str] | None = None, lang: str = "zh",
                limit: int = 3) -> str:
    """"来源：澎湃新闻《专访｜丁亚平…》，2025-02-10；…等5篇": the documents behind a chart.

    ``doc_ids`` may name a document once per figure it gives. Named first are documents with a date, then
    those giving the most figures, newest first; a page whose title carries spam words (a casino shell
    wrapping an article) comes last, so it never heads a chart's sources.
    """
    ids = None if doc_ids is None else list(doc_ids)
    docs = documents if ids is None else documents[documents[C.doc_id].isin(ids)]
    if docs.empty:
        return ""
    figures = Counter(ids or ())
    spam = lexicon().spam
    docs = docs.assign(
        _spam=[any(w in str(t) for w in spam) for t in docs[C.title].tolist()],
        _undated=[_missing(d) or not str(d) for d in docs[C.date].tolist()],
        _figures=[-figures[d] for d in docs[C.doc_id].tolist()],
    ).sort_values(C.date, ascending=False, na_position="last", kind="stable").sort_values(
        ["_spam", "_undated", "_figures"], kind="stable")
    marks = note_marks(docs.head(limit), lang)
    parts = [f"{m}（{_cite(row, lang)}）" if m and lang == "zh" else (f"{m} ({_cite(row, lang)})" if m else
             _cite(row, lang)) for m, row in zip(marks, docs.head(limit).to_dict("records"), strict=True)]
    more = len(docs) - limit
    sep = "；" if lang == "zh" else "; "
    tail = (f"等{len(docs)}篇" if lang == "zh" else f" and {more} more") if more > 0 else ""
    return _SOURCE_PREFIX.get(lang, _SOURCE_PREFIX["en"]) + sep.join(parts) + tail


def _cite(doc: dict, lang: str) -> str:
    """One document as "来源名《标题》，日期"."""
    source = _text(doc.get(C.source_name)) or _text(doc.get(C.categories)).split("|")[0]
    title = fmt.shorten(_text(doc.get(C.title)) or _text(doc.get(C.doc_id)), _TITLE_LIMIT)
    date = _text(doc.get(C.date))
    named = f"{source}《{title}》" if lang == "zh" else f"{source}, “{title}”".lstrip(", ")
    return f"{named}，{date}" if lang == "zh" and date else (f"{named}, {date}" if date else named)


def _text(value: object) -> str:
    """A cell as a string, with nulls as ``""``."""
    return "" if _missing(value) else str(value)


def _or_none(value: T) -> T | None:
    """``value``, or None when the cell is null."""
    return None if _missing(value) else value


def _missing(value: object) -> bool:
    """Whether a cell is null (None, <NA> or NaN)."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


# -- themes -----------------------------------------------------------------------------------------------


def theme_labels(taxonomy: pd.DataFrame | None, lang: str = "zh") -> dict[str, str]:
    """theme_id -> display label in taxonomy order, plus the "no theme" bucket."""
    out: dict[str, str] = {}
    if taxonomy is not None and not taxonomy.empty:
        col = "label_zh" if lang == "zh" else "label_en"
        out = {str(t): str(lab) for t, lab in zip(taxonomy["theme_id"], taxonomy[col], strict=True)}
    out[NO_THEME] = _NO_THEME_LABEL.get(lang, _NO_THEME_LABEL["en"])
    return out


def default_taxonomy() -> pd.DataFrame:
    """The bundled theme taxonomy (extract/lexicon/themes.toml), used when the caller passes none."""
    return taxonomy()


def _label_of(theme_id: str, labels: dict[str, str]) -> str:
    """Display label of a theme id, echoing unknown ids."""
    return labels.get(theme_id, theme_id)


def _rank_of(theme_id: str, labels: dict[str, str]) -> int:
    """Stable position of a theme in the taxonomy (so colours do not shift when filters change)."""
    order = list(labels)
    return order.index(theme_id) if theme_id in order else len(order) + sum(map(ord, theme_id)) % 97


def first_theme(themes: object) -> str:
    """The first id of a "|"-joined theme list, or ``"none"``: a claim is coloured by its first theme."""
    text = _text(themes)
    return next((t for t in text.split("|") if t), NO_THEME)


def theme_share(themes: pd.DataFrame, sentences: pd.DataFrame, taxonomy: pd.DataFrame | None = None,
                lang: str = "zh") -> pd.DataFrame:
    """Share of sentences touching each theme (a sentence with two themes counts for both), largest first."""
    labels = theme_labels(taxonomy if taxonomy is not None else default_taxonomy(), lang)
    total = _count_sentences(sentences)
    marks = _sentence_themes(themes)
    counts = pd.Series(np.bincount(marks.theme, minlength=len(marks.theme_ids)), index=marks.theme_ids)
    ids = [t for t in labels if t != NO_THEME] + [t for t in counts.index if t not in labels]
    out = pd.DataFrame({C.theme_id: pd.Series(ids, dtype="string")})
    out["theme"] = out[C.theme_id].map(lambda t: _label_of(t, labels)).astype("string")
    out["n_sentences"] = out[C.theme_id].map(counts).fillna(0).astype("Int64")
    out["share_pct"] = (out["n_sentences"].astype("float64") / total * 100.0) if total else 0.0
    out["theme_rank"] = out[C.theme_id].map(lambda t: _rank_of(t, labels)).astype("Int64")
    if counts.empty:  # nothing matched: an empty frame, so the chart says "no data" instead of zero bars
        out = out.iloc[0:0]
    return out.sort_values(["n_sentences", "theme_rank"], ascending=[False, True]).reset_index(drop=True)


def theme_by_document(themes: pd.DataFrame, documents: pd.DataFrame, taxonomy: pd.DataFrame | None = None,
                      lang: str = "zh") -> pd.DataFrame:
    """Sentences per (theme, document), zeros included, for the theme × document heatmap."""
    labels = theme_labels(taxonomy if taxonomy is not None else default_taxonomy(), lang)
    marks = _sentence_themes(themes)
    counts = np.zeros((len(marks.theme_ids), len(marks.doc_ids)), dtype="int64")
    np.add.at(counts, (marks.theme, marks.doc), 1)
    extra = set(marks.theme_ids) - set(labels)
    ids = [t for t in labels if t != NO_THEME] + sorted(extra)
    docs = doc_labels(documents).sort_values(C.date, na_position="last")
    if not len(marks.theme):  # nothing matched: an empty frame, so the chart says "no data"
        ids, docs = [], docs.iloc[0:0]
    rows = pd.Index(marks.theme_ids).get_indexer(ids)
    cols = pd.Index(marks.doc_ids).get_indexer(docs[C.doc_id])
    # Themes or documents without a match (index -1) read a zero row or column.
    padded = np.pad(counts, ((0, 1), (0, 1)))
    return pd.DataFrame({
        C.theme_id: _strings(np.repeat(ids, len(cols)).tolist()),
        C.doc_id: _strings(np.tile(docs[C.doc_id].to_numpy(dtype=object), len(ids)).tolist()),
        "n_sentences": pd.array(padded[np.ix_(rows, cols)].ravel(), dtype="Int64"),
        "doc_label": _strings(np.tile(docs["doc_label"].to_numpy(dtype=object), len(ids)).tolist()),
        "theme": _strings([_label_of(t, labels) for t in ids for _ in range(len(cols))]),
        "theme_rank": pd.array([_rank_of(t, labels) for t in ids for _ in range(len(cols))], dtype="Int64"),
    })


def theme_cooccurrence(themes: pd.DataFrame, taxonomy: pd.DataFrame | None = None,
                       lang: str = "zh") -> pd.DataFrame:
    """Sentences in which two themes occur together, for every ordered pair of themes seen."""
    labels = theme_labels(taxonomy if taxonomy is not None else default_taxonomy(), lang)
    marks = _sentence_themes(themes)
    # Sentence × theme incidence; its Gram matrix counts the sentences each pair of themes shares.
    incidence = np.zeros((len(marks.sentence_keys), len(marks.theme_ids)))  # float: BLAS multiplies it
    incidence[marks.sentence, marks.theme] = 1.0
    order = sorted(range(len(marks.theme_ids)), key=lambda i: (_rank_of(marks.theme_ids[i], labels),
                                                                 marks.theme_ids[i]))
    counts = np.rint(incidence.T @ incidence).astype("int64")[np.ix_(order, order)]
    seen = [marks.theme_ids[i] for i in order]
    names = [_label_of(t, labels) for t in seen]
    return pd.DataFrame({
        "theme_id_a": _strings(np.repeat(seen, len(seen)).tolist()),
        "theme_id_b": _strings(seen * len(seen)),
        "n_sentences": pd.array(counts.ravel(), dtype="Int64"),
        "theme_a": _strings(np.repeat(names, len(seen)).tolist()),
        "theme_b": _strings(names * len(seen)),
    })


def _count_sentences(sentences: pd.DataFrame) -> int:
    """Distinct (document, sentence) pairs of a table."""
    doc, _ = pd.factorize(sentences[C.doc_id], use_na_sentinel=False)
    sent = sentences[C.sent_id].to_numpy(dtype="float64", na_value=-1.0)
    return len(pd.unique(doc * (np.nanmax(sent, initial=0.0) + 2.0) + sent)) if len(sent) else 0


@dataclass(frozen=True)
class _Marks:
    """The distinct (document, sentence, theme) triples of a themes table, as integer codes."""

    doc: np.ndarray  # index into doc_ids
    sentence: np.ndarray  # index into sentence_keys
    theme: np.ndarray  # index into theme_ids
    doc_ids: list[str]
    sentence_keys: np.ndarray
    theme_ids: list[str]


def _sentence_themes(themes: pd.DataFrame) -> _Marks:
    """:class:`_Marks` of ``themes``: a sentence matched twice by one theme counts once."""
    doc, doc_ids = pd.factorize(themes[C.doc_id])
    theme, theme_ids = pd.factorize(themes[C.theme_id])
    sent = themes[C.sent_id].to_numpy(dtype="float64", na_value=np.nan)
    keep = (doc >= 0) & (theme >= 0) & ~np.isnan(sent)
    doc, theme, sent = doc[keep].astype("int64"), theme[keep].astype("int64"), sent[keep].astype("int64")
    # Integer keys: np.unique on them is far cheaper than drop_duplicates on string columns.
    width = int(sent.max()) + 1 if len(sent) else 1
    sentence_key = doc * width + sent
    triples = pd.unique(sentence_key * max(len(theme_ids), 1) + theme)  # hashing: np.unique sorts
    sentence_key, theme = np.divmod(triples, max(len(theme_ids), 1))
    sentence, sentence_keys = pd.factorize(sentence_key)
    return _Marks(doc=sentence_key // width, sentence=sentence, theme=theme,
                  doc_ids=[str(d) for d in doc_ids], sentence_keys=sentence_keys,
                  theme_ids=[str(t) for t in theme_ids])


# -- claims -----------------------------------------------------------------------------------------------

_METRIC_RANK = {m: i for i, m in enumerate(METRICS)}


def claims_view(claims: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh",
                taxonomy: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim with display text, first theme and a per-(metric, unit) scaled value for facets."""
    labels = theme_labels(taxonomy if taxonomy is not None else default_taxonomy(), lang)
    columns = {c: claims[c].array for c in claims.columns}
    columns.update({**_claim_columns(claims, documents, lang, labels), **_scale_columns(claims, lang)})
    return _ordered_frame(claims, columns)


def _claim_columns(claims: pd.DataFrame, documents: pd.DataFrame, lang: str,
                   labels: dict[str, str]) -> dict[str, Column]:
    """Document title, date and label, and display texts of figure, metric, theme and year, per claim."""
    ids, titles, names = _doc_names(documents, lang)
    dates = documents[C.date].tolist()
    # Should a doc_id be listed twice, its first row names it.
    docs = {d: (t, dt, n) for d, t, dt, n in reversed(list(zip(ids, titles, dates, names, strict=True)))}
    found = [docs.get(str(d), (None, None, None)) for d in claims[C.doc_id].tolist()]
    no_year = _NO_YEAR.get(lang, _NO_YEAR["en"])
    theme = _each(claims[C.themes], first_theme)
    return {
        "doc_title": _strings([f[0] for f in found]),
        "doc_date": _strings([f[1] for f in found]),
        "doc_label": _strings([f[2] for f in found]),
        "metric_label": _strings(_each(claims[C.metric], lambda m: label("metric", str(m), lang))),
        "display": _strings(_displays(claims, lang)),
        "theme": _strings(theme),
        "theme_label": _strings(_each(theme, lambda t: _label_of(t, labels))),
        "theme_rank": np.array(_each(theme, lambda t: _rank_of(t, labels)), dtype="int64"),
        "year_label": _strings(_each(claims[C.year], lambda y: fmt.format_year(y, lang) or no_year)),
    }


def _each(values: Iterable[object], fn: Callable[[object], T]) -> list[T]:
    """``fn`` of every value, computed once per distinct value (claims repeat metrics, themes and years)."""
    memo: dict[object, T] = {}
    out = []
    # tolist() converts a column at once; iterating an arrow-backed column yields one value at a time.
    for value in values.tolist() if isinstance(values, pd.Series) else values:
        if value not in memo:
            memo[value] = fn(value)
        out.append(memo[value])
    return out


def _strings(values: list[str | None]) -> pd.api.extensions.ExtensionArray:
    """Texts as a nullable string column (the dtype of every text column of a view)."""
    return pd.array(values, dtype="string")


def _displays(claims: pd.DataFrame, lang: str) -> list[str]:
    """Each claim as its readable phrase (``超过1亿人``), formatted once per distinct figure."""
    cols = (C.value, C.unit, C.value_high, C.qualifier)
    # Missing texts become None, as in a record of the row; a NaN key would never hit the memo.
    rows = zip(*(claims[c].tolist() for c in cols), strict=True)
    keys = ((v, _or_none(u), _or_none(h), _or_none(q)) for v, u, h, q in rows)
    return _each(keys, lambda key: _display(key, lang))


@lru_cache(maxsize=1 << 17)
def _display(key: tuple[object, ...], lang: str) -> str:
    """One figure's phrase, remembered across reruns: a filter change re-labels claims seen before."""
    return fmt.format_claim(dict(zip((C.value, C.unit, C.value_high, C.qualifier), key, strict=True)), lang)


def _scale_columns(claims: pd.DataFrame, lang: str) -> dict[str, Column]:
    """panel (metric + unit), axis_unit, plot_value and plot_high: one readable scale per panel."""
    value = claims[C.value].to_numpy(dtype="float64", na_value=np.nan)
    high = claims[C.value_high].to_numpy(dtype="float64", na_value=np.nan)
    codes, firsts = _pair_codes(claims[C.metric], claims[C.unit])
    # The largest magnitude in each panel picks its unit (亿, 万...); fmax skips NaN.
    peaks = np.full(len(firsts), np.nan)
    valid = codes >= 0
    np.fmax.at(peaks, codes[valid], np.fmax(np.abs(value), np.abs(high))[valid])
    # One scale per (metric, unit); the extra last slot serves rows without a metric or unit (code -1).
    divisors, axes, panels = [1.0] * (len(firsts) + 1), [None] * (len(firsts) + 1), [None] * (len(firsts) + 1)
    metrics, units = claims[C.metric].to_numpy(), claims[C.unit].to_numpy()
    for i, (row, peak) in enumerate(zip(firsts, peaks, strict=True)):
        metric, unit = str(metrics[row]), str(units[row])
        divisors[i], suffix = fmt.magnitude(float(peak), unit, lang)
        axes[i] = fmt.axis_unit(divisors[i], suffix, unit, lang)
        name = label("metric", metric, lang)
        panels[i] = f"{name}（{axes[i]}）" if lang == "zh" else f"{name} ({axes[i]})"
    divisor = np.asarray(divisors)[codes]
    return {"panel": _strings([panels[c] for c in codes]), "axis_unit": _strings([axes[c] for c in codes]),
            "plot_value": value / divisor, "plot_high": high / divisor}


def _pair_codes(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's (first, second) group code by first appearance (-1 if either is missing); first rows."""
    a, _ = pd.factorize(first)
    b, b_uniques = pd.factorize(second)
    pair = np.where((a < 0) | (b < 0), -1, a.astype("int64") * max(len(b_uniques), 1) + b)
    codes = np.full(len(pair), -1, dtype="int64")
    codes[pair >= 0] = pd.factorize(pair[pair >= 0])[0]
    seen, firsts = np.unique(codes, return_index=True)
    return codes, firsts[seen >= 0]


def _claim_order(claims: pd.DataFrame) -> np.ndarray:
    """Row order of the claims view: metric (schema order), then unit, year, document and claim."""
    rank = np.array(_each(claims[C.metric], lambda m: _METRIC_RANK.get(m, len(_METRIC_RANK))), dtype="int64")
    keys = [_sort_codes(claims[c]) for c in (C.claim_id, C.doc_id, C.year, C.unit)]
    return np.lexsort([*keys, rank])  # the last key sorts first; lexsort is stable


def _sort_codes(values: pd.Series, *, descending: bool = False) -> np.ndarray:
    """Integer codes in the order of ``values``, missing values last: cheap keys for ``np.lexsort``."""
    codes, uniques = pd.factorize(values, sort=True)
    if descending:
        codes = np.where(codes < 0, codes, len(uniques) - 1 - codes)
    return np.where(codes < 0, len(uniques), codes)


def _ordered_frame(claims: pd.DataFrame, columns: dict[str, Column]) -> pd.DataFrame:
    """``columns`` (one value per claim each) as one new frame, rows in claims-view order."""
    order = _claim_order(claims)
    # One constructor call: adding columns one by one to a frame costs more than building the views.
    return pd.DataFrame({c: values.take(order) for c, values in columns.items()})


def facts_table(claims: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The claims as a readable table: localised headers, the sentence with its figure in 【】, the link."""
    # doc_id and claim_id stay for linking back; SENTENCE_HEADER and URL_HEADER name the two new columns.
    labels = theme_labels(default_taxonomy(), lang)
    urls = dict(zip(documents[C.doc_id], documents[C.source_url], strict=True))
    added = _claim_columns(claims, documents, lang, labels)
    qualifiers = _each(claims[C.qualifier], lambda q: label("qualifier", str(q), lang))
    marked = [mark_figure(s, f) for s, f in zip(claims[C.sentence].tolist(), claims[C.surface].tolist(),
                                                strict=True)]
    # Period, entity and cited source are blank, not "None", where the text gives none.
    for column in (C.period, C.entity, C.cited_source):
        added[column] = _strings(["" if pd.isna(v) else str(v) for v in claims[column].tolist()])
    added.update({"qualifier_label": _strings(qualifiers), C.sentence: _strings(marked),
                  "doc_url": _strings(_each(claims[C.doc_id], lambda d: safe_url(urls.get(d))))})
    headers = dict(FACT_HEADERS["zh" if lang == "zh" else "en"])
    if "review" in claims.columns:  # a reviewed corpus: each figure's review and what was extracted
        states = _REVIEW_LABELS["zh" if lang == "zh" else "en"]
        added["review_label"] = _strings(_each(claims["review"], lambda r: states.get(str(r), str(r))))
        added["original"] = _strings(_originals(claims))
        headers = {**headers, **REVIEW_HEADERS["zh" if lang == "zh" else "en"]}
    columns = {name: added[c] if c in added else claims[c].array for c, name in headers.items()}
    return _ordered_frame(claims, columns)


REVIEW_HEADERS = {"zh": {"review_label": "审核", "original": "原抽取值"},
                  "en": {"review_label": "Review", "original": "As extracted"}}
_REVIEW_LABELS = {"zh": {"unreviewed": "", "confirmed": "已确认", "corrected": "已更正"},
                  "en": {"unreviewed": "", "confirmed": "confirmed", "corrected": "corrected"}}


def _originals(claims: pd.DataFrame) -> list[str]:
    """Per claim, the extracted values a correction replaced ("value=504.4亿元 → …"), else ""."""
    out = [""] * len(claims)
    listed = claims["corrected"].fillna("").astype(str)
    at = np.flatnonzero(listed.ne("").to_numpy(dtype=bool))  # the few corrected claims, not every row
    rows = claims.iloc[at][[f"orig_{f}" for f in _CORRECTED]].to_dict("records")
    for i, corrected, row in zip(at.tolist(), listed.iloc[at].tolist(), rows, strict=True):
        fields = [f for f in corrected.split("|") if f in _CORRECTED]
        out[i] = "；".join(f"{f}={'' if _missing(row[f'orig_{f}']) else row[f'orig_{f}']}" for f in fields)
    return out


_CORRECTED = ("value", "value_high", "unit", "metric", "qualifier", "year", "period", "period_kind", "entity")


FACT_HEADERS: dict[str, dict[str, str]] = {
    "zh": {"metric_label": "指标", "display": "数值", C.surface: "原文数字", "year_label": "年份",
           C.period: "期间", "qualifier_label": "限定", C.entity: "主体", C.cited_source: "数据来源",
           C.subject: "对象", "theme_label": "主题", C.sentence: "原句", C.page: "页码",
           "doc_title": "文章", "doc_date": "日期", "doc_url": "链接", C.value: "数值（基本单位）",
           C.unit: "单位", C.doc_id: "doc_id", C.claim_id: "claim_id"},
    "en": {"metric_label": "Metric", "display": "Figure", C.surface: "As written", "year_label": "Year",
           C.period: "Period", "qualifier_label": "Qualifier", C.entity: "Entity",
           C.cited_source: "Cited source", C.subject: "Subject", "theme_label": "Theme",
           C.sentence: "Sentence", C.page: "Page", "doc_title": "Article", "doc_date": "Date",
           "doc_url": "Link",
           C.value: "Value (base unit)", C.unit: "Unit", C.doc_id: "doc_id", C.claim_id: "claim_id"},
}
# The same words as "overview.source" and "facts.url" in dashboard/i18n.toml: the app's facts grid writes
# its own marked sentence and link under those names, and equal names make it replace these columns.
SENTENCE_HEADER: dict[str, str] = {lang: cols[C.sentence] for lang, cols in FACT_HEADERS.items()}
URL_HEADER: dict[str, str] = {lang: cols["doc_url"] for lang, cols in FACT_HEADERS.items()}
_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def mark_figure(sentence: object, surface: object) -> str:
    """The sentence with its figure in 【】: ``mark_figure("达5亿元", "5亿元") == "达【5亿元】"``."""
    text, figure = _text(sentence), _text(surface)
    pos = text.find(figure) if figure else -1
    return text if pos < 0 else f"{text[:pos]}【{figure}】{text[pos + len(figure):]}"


def safe_url(url: object) -> str | None:
    """``url`` when it is a plain http(s) address, else None: no ``javascript:`` links in a table."""
    text = _text(url).strip()
    return text if _SAFE_URL.match(text) else None


# -- keywords, mentions, events ---------------------------------------------------------------------------


def keyword_view(keywords: pd.DataFrame, method: str, doc_ids: Iterable[str] | None = None,
                 top_n: int = 20, *, topic: bool = False) -> pd.DataFrame:
    """Top keywords of one method: corpus-wide ('*') rows, or summed weights over the chosen documents.

    The corpus's own topic words (微短剧, 短剧; extract/lexicon/topic_words.txt) top every list and say
    nothing about a selection, so they are left out unless ``topic`` is true.
    """
    rows = keywords[keywords[C.method] == method]
    if not topic:
        rows = rows[~rows[C.keyword].isin(segment.topic_words()).to_numpy(dtype=bool)]
    if doc_ids is None and (rows[C.doc_id] == "*").any():
        rows = rows[rows[C.doc_id] == "*"]
    else:
        chosen = set(doc_ids) if doc_ids is not None else set(rows[C.doc_id].unique()) - {"*"}
        rows = rows[rows[C.doc_id].isin(chosen)]
    out = (rows.groupby(C.keyword, as_index=False)
           .agg(weight=(C.weight, "sum"), n_docs=(C.doc_id, "nunique"))
           .sort_values([C.weight, C.keyword], ascending=[False, True]).head(top_n).reset_index(drop=True))
    out.insert(0, C.rank, pd.array(range(1, len(out) + 1), dtype="Int64"))
    out.insert(1, C.method, pd.array([method] * len(out), dtype="string"))
    return out.astype({C.keyword: "string", C.weight: "float64", "n_docs": "Int64"})


def mention_counts(mentions: pd.DataFrame, lang: str = "zh", top_n: int = 10) -> pd.DataFrame:
    """Mentions per (category, name) with the number of documents, top ``top_n`` names per category."""
    counts = (mentions.groupby([C.category, C.name], as_index=False)
              .agg(n_mentions=(C.surface, "size"), n_docs=(C.doc_id, "nunique")))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    counts = counts.assign(_c=counts[C.category].map(lambda c: order.get(c, len(order))))
    counts = counts.sort_values(["_c", "n_mentions", C.name], ascending=[True, False, True])
    counts = counts.groupby(C.category, sort=False).head(top_n).drop(columns="_c").reset_index(drop=True)
    names = _CATEGORY_LABELS.get(lang, _CATEGORY_LABELS["en"])
    counts.insert(1, "category_label", counts[C.category].map(lambda c: names.get(c, c)))
    return counts.astype({C.category: "string", "category_label": "string", C.name: "string",
                          "n_mentions": "Int64", "n_docs": "Int64"})


def timeline_view(events: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Dated events in date order, with a plottable timestamp (start of the period) and its precision."""
    docs = doc_labels(documents).rename(columns={C.title: "doc_title"})[[C.doc_id, "doc_title", "doc_label"]]
    out = events.merge(docs, on=C.doc_id, how="left")
    out["when"] = pd.to_datetime(out[C.date].map(_period_start), errors="coerce")
    out["precision"] = out[C.date].map(lambda d: {4: "year", 7: "month"}.get(len(_text(d)), "day"))
    out = out[out["when"].notna()].sort_values(["when", C.doc_id, C.sent_id]).reset_index(drop=True)
    return out.astype({"doc_title": "string", "doc_label": "string", "precision": "string"})


CHRONOLOGY_ROWS = 12  # events a deck's chronology slide lists
CHRONOLOGY_CHARS = 50  # characters of the sentence shown for one event


def chronology(timeline: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame,
               today: str | None = None, limit: int = CHRONOLOGY_ROWS) -> pd.DataFrame:
    """The latest ``limit`` events of ``timeline_view`` that had happened when their article was
    published (and by ``today``, ISO), oldest first, each once (the same date and sentence from two
    articles is one row), with the sentence around the event as ``excerpt`` and the article's short
    ``article`` name: a deck's 大事记 table. A date after its article is a plan or target, not news."""
    cols = [*timeline.columns, "excerpt", "article"]
    if timeline.empty:
        return pd.DataFrame(columns=cols)
    today = today or pd.Timestamp.today().date().isoformat()
    published = {str(d): _text(p) for d, p in zip(documents[C.doc_id], documents[C.date], strict=True)}
    said = sentences.set_index([C.doc_id, C.sent_id])
    rows = []
    for row in timeline.to_dict("records"):
        date = _text(row[C.date])
        until = min(p for p in (published.get(str(row[C.doc_id]), ""), today) if p)
        if date[: len(until)] > until[: len(date)]:  # 2027 in an article of 2025-08: a plan
            continue
        try:
            sent = said.loc[(row[C.doc_id], row[C.sent_id])]
        except KeyError:
            continue
        text = _text(sent[C.text])
        at = max(0, int(row[C.start]) - int(sent[C.start]))
        rows.append({**row, "excerpt": _excerpt(text, at, CHRONOLOGY_CHARS),
                     "article": fmt.shorten(_text(row.get("doc_title")) or _text(row.get("doc_label")), 14)})
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows, columns=cols).drop_duplicates(subset=[C.date, "excerpt"], keep="first")
    return out.tail(limit).reset_index(drop=True)


def _excerpt(text: str, at: int, limit: int) -> str:
    """At most ``limit`` characters of ``text`` around position ``at``, a cut marked with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    begin = max(0, min(at - limit // 4, len(text) - (limit - 1)))
    piece = text[begin: begin + limit - 2]
    return ("…" if begin else "") + piece + ("…" if begin + len(piece) < len(text) else "")


def _period_start(date: object) -> str | None:
    """ISO date of the start of a YYYY / YYYY-MM / YYYY-MM-DD period."""
    text = _text(date)
    return {4: f"{text}-01-01", 7: f"{text}-01", 10: text}.get(len(text))
