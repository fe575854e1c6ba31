"""Chart-ready frames: filtered corpus tables in, the exact data behind each chart out (also its CSV).

Every function is pure: it returns a new frame and leaves its inputs alone. Strings stay raw here;
``dashboard.charts`` escapes them at the point where they enter a figure.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard import fmt
from extract.labels import label
from extract.schema import METRICS, C
from extract.themes import taxonomy

NO_THEME = "none"
_NO_THEME_LABEL = {"zh": "未分类", "en": "No theme"}
_NO_YEAR = {"zh": "未注明年份", "en": "Year not given"}
_CATEGORIES = ("platform", "genre", "business_model", "audience")
_CATEGORY_LABELS = {
    "zh": {"platform": "平台", "genre": "题材", "business_model": "商业模式", "audience": "受众"},
    "en": {"platform": "Platforms", "genre": "Genres", "business_model": "Business models",
           "audience": "Audiences"},
}
_STATUS_LABELS = {
    "zh": {"corroborated": "多方印证", "conflict": "来源不一"},
    "en": {"corroborated": "Corroborated", "conflict": "Sources disagree"},
}
_SOURCE_PREFIX = {"zh": "来源：", "en": "Source: "}
_TITLE_LIMIT = 24
_DOC_LABEL_LIMIT = 14


# -- documents --------------------------------------------------------------------------------------------


def doc_labels(documents: pd.DataFrame) -> pd.DataFrame:
    """doc_id -> short unique label "标题…（2025-02-10）" and raw title/date/source, for axes and hovers."""
    docs = documents.loc[:, [C.doc_id, C.title, C.date, C.source_name, C.categories]].copy()
    docs[C.title] = docs[C.title].fillna(docs[C.doc_id]).astype("string")
    short = docs[C.title].map(lambda t: fmt.shorten(str(t), _DOC_LABEL_LIMIT))
    dates = docs[C.date].map(_text)
    dated = [f"{s}（{d}）" if d else s for s, d in zip(short, dates, strict=True)]
    docs["doc_label"] = _unique(dated, docs[C.doc_id])
    return docs.reset_index(drop=True)


def _unique(labels: list[str], ids: Iterable[str]) -> list[str]:
    """Labels made unique by appending the id's first characters where two documents would collide."""
    counts = pd.Series(labels).value_counts()
    pairs = zip(labels, ids, strict=True)
    return [f"{lab} #{doc_id[:6]}" if counts[lab] > 1 else lab for lab, doc_id in pairs]


def source_line(documents: pd.DataFrame, doc_ids: Iterable[str] | None = None, lang: str = "zh",
                limit: int = 3) -> str:
    """"来源：澎湃新闻《专访｜丁亚平…》，2025-02-10；…等5篇": the documents behind a chart, newest first."""
    docs = documents if doc_ids is None else documents[documents[C.doc_id].isin(list(doc_ids))]
    if docs.empty:
        return ""
    docs = docs.sort_values(C.date, ascending=False, na_position="last")
    parts = [_cite(row, lang) for row in docs.head(limit).to_dict("records")]
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
    missing = value is None or value is pd.NA or (isinstance(value, float) and value != value)
    return "" if missing else str(value)


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
    total = len(sentences.drop_duplicates([C.doc_id, C.sent_id]))
    counts = themes.drop_duplicates([C.doc_id, C.sent_id, C.theme_id]).groupby(C.theme_id).size()
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
    counts = themes.drop_duplicates([C.doc_id, C.sent_id, C.theme_id]).groupby([C.theme_id, C.doc_id]).size()
    ids = [t for t in labels if t != NO_THEME] + sorted(set(themes[C.theme_id].dropna()) - set(labels))
    docs = doc_labels(documents).sort_values(C.date, na_position="last")
    grid = pd.MultiIndex.from_product([ids, list(docs[C.doc_id])], names=[C.theme_id, C.doc_id])
    out = counts.reindex(grid, fill_value=0).rename("n_sentences").reset_index()
    out = out.merge(docs[[C.doc_id, "doc_label"]], on=C.doc_id, how="left")
    out = out.iloc[0:0] if counts.empty else out
    out["theme"] = out[C.theme_id].map(lambda t: _label_of(t, labels))
    out["theme_rank"] = out[C.theme_id].map(lambda t: _rank_of(t, labels))
    return out.astype({C.theme_id: "string", C.doc_id: "string", "doc_label": "string", "theme": "string",
                       "n_sentences": "Int64", "theme_rank": "Int64"})


def theme_cooccurrence(themes: pd.DataFrame, taxonomy: pd.DataFrame | None = None,
                       lang: str = "zh") -> pd.DataFrame:
    """Sentences in which two themes occur together, for every ordered pair of themes seen."""
    labels = theme_labels(taxonomy if taxonomy is not None else default_taxonomy(), lang)
    keys = [C.doc_id, C.sent_id, C.theme_id]
    pairs = themes.drop_duplicates(keys).loc[:, keys]
    joined = pairs.merge(pairs, on=[C.doc_id, C.sent_id], suffixes=("_a", "_b"))
    counts = joined.groupby(["theme_id_a", "theme_id_b"]).size()
    seen = sorted(set(pairs[C.theme_id]), key=lambda t: _rank_of(t, labels))
    grid = pd.MultiIndex.from_product([seen, seen], names=["theme_id_a", "theme_id_b"])
    out = counts.reindex(grid, fill_value=0).rename("n_sentences").reset_index()
    out["theme_a"] = out["theme_id_a"].map(lambda t: _label_of(t, labels))
    out["theme_b"] = out["theme_id_b"].map(lambda t: _label_of(t, labels))
    return out.astype({"theme_id_a": "string", "theme_id_b": "string", "theme_a": "string",
                       "theme_b": "string", "n_sentences": "Int64"})


# -- claims -----------------------------------------------------------------------------------------------


def claims_view(claims: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh",
                taxonomy: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim with display text, first theme and a per-(metric, unit) scaled value for facets."""
    labels = theme_labels(taxonomy if taxonomy is not None else default_taxonomy(), lang)
    docs = doc_labels(documents)
    docs = docs.rename(columns={C.title: "doc_title", C.date: "doc_date"})
    out = claims.merge(docs[[C.doc_id, "doc_title", "doc_date", "doc_label"]], on=C.doc_id, how="left")
    out["metric_label"] = out[C.metric].map(lambda m: label("metric", str(m), lang))
    out["display"] = [fmt.format_claim(r, lang) for r in out.to_dict("records")]
    out["theme"] = out[C.themes].map(first_theme)
    out["theme_label"] = out["theme"].map(lambda t: _label_of(t, labels))
    out["theme_rank"] = out["theme"].map(lambda t: _rank_of(t, labels))
    no_year = _NO_YEAR.get(lang, _NO_YEAR["en"])
    out["year_label"] = out[C.year].map(lambda y: fmt.format_year(y, lang) or no_year)
    out = _scale_panels(out, lang)
    return _sort_claims(out).astype({c: "string" for c in _CLAIM_TEXT_COLS})


_CLAIM_TEXT_COLS = ("doc_title", "doc_date", "doc_label", "metric_label", "display", "theme", "theme_label",
                    "year_label", "panel", "axis_unit")


def _scale_panels(claims: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Add panel (metric + unit), axis_unit, plot_value and plot_high: one readable scale per panel."""
    out = claims.copy()
    out["panel"] = pd.Series(dtype="string")
    out["axis_unit"] = pd.Series(dtype="string")
    out["plot_value"] = out[C.value].astype("float64")
    out["plot_high"] = out[C.value_high].astype("float64")
    for (metric, unit), idx in out.groupby([C.metric, C.unit], sort=False).groups.items():
        peak = out.loc[idx, [C.value, C.value_high]].abs().max().max()
        divisor, suffix = fmt.magnitude(float(peak), str(unit), lang)
        axis = fmt.axis_unit(divisor, suffix, str(unit), lang)
        out.loc[idx, "axis_unit"] = axis
        out.loc[idx, "panel"] = f"{label('metric', str(metric), lang)}（{axis}）" if lang == "zh" else \
            f"{label('metric', str(metric), lang)} ({axis})"
        out.loc[idx, "plot_value"] = out.loc[idx, C.value].astype("float64") / divisor
        out.loc[idx, "plot_high"] = out.loc[idx, C.value_high].astype("float64") / divisor
    return out


def _sort_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims in metric order (schema order), then year, then document and claim."""
    rank = {m: i for i, m in enumerate(METRICS)}
    key = claims[C.metric].map(lambda m: rank.get(m, len(rank)))
    order = ["_m", C.unit, C.year, C.doc_id, C.claim_id]
    ordered = claims.assign(_m=key).sort_values(order, na_position="last")
    return ordered.drop(columns="_m").reset_index(drop=True)


def headline_figures(claims: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh",
                     top_n: int = 6) -> pd.DataFrame:
    """The KPI boxes: per metric, the latest non-forecast figure (largest on ties), in metric order."""
    view = claims_view(claims, documents, lang)
    view = view[view[C.metric] != "other"]
    if view.empty:
        return _headline_frame(view)
    view = view.assign(_forecast=view[C.qualifier] == "forecast",
                       _year=view[C.year].astype("float64").fillna(-1))
    view = view.sort_values(["_forecast", "_year", C.value], ascending=[True, False, False])
    best = view.drop_duplicates(C.metric).copy()
    rank = {m: i for i, m in enumerate(METRICS)}
    best = best.assign(_m=best[C.metric].map(lambda m: rank.get(m, len(rank)))).sort_values("_m").head(top_n)
    best["qualifier_label"] = best[C.qualifier].map(lambda q: label("qualifier", str(q), lang))
    best["value_text"] = [fmt.format_value(float(v), str(u), lang, high=fmt._float_or_none(h))
                          for v, u, h in zip(best[C.value], best[C.unit], best[C.value_high], strict=True)]
    best["year_text"] = best[C.year].map(lambda y: fmt.format_year(y, lang))
    best["source"] = [source_line(documents, [d], lang, limit=1) for d in best[C.doc_id]]
    return _headline_frame(best)


_HEADLINE_COLS = ("metric", "metric_label", "value_text", "qualifier_label", "year_text", "display", "source",
                  "doc_id", "claim_id", "value", "unit", "year", "sentence")


def _headline_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The headline columns in order (an empty frame keeps them too)."""
    out = frame.reindex(columns=list(_HEADLINE_COLS)).reset_index(drop=True)
    return out.astype({c: "string" for c in _HEADLINE_COLS if c not in ("claim_id", "value", "year")})


def facts_table(claims: pd.DataFrame, documents: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The claims as a readable table with localised headers (doc_id and claim_id kept for linking back)."""
    view = claims_view(claims, documents, lang)
    view["qualifier_label"] = view[C.qualifier].map(lambda q: label("qualifier", str(q), lang))
    cols = _FACT_HEADERS["zh" if lang == "zh" else "en"]
    return view.loc[:, list(cols)].rename(columns=cols).reset_index(drop=True)


_FACT_HEADERS = {
    "zh": {"metric_label": "指标", "display": "数值", C.surface: "原文数字", "year_label": "年份",
           "qualifier_label": "限定", C.subject: "对象", "theme_label": "主题", C.sentence: "原句",
           "doc_title": "文章", "doc_date": "日期", C.value: "数值（基本单位）", C.unit: "单位",
           C.doc_id: "doc_id", C.claim_id: "claim_id"},
    "en": {"metric_label": "Metric", "display": "Figure", C.surface: "As written", "year_label": "Year",
           "qualifier_label": "Qualifier", C.subject: "Subject", "theme_label": "Theme",
           C.sentence: "Sentence",
           "doc_title": "Article", "doc_date": "Date", C.value: "Value (base unit)", C.unit: "Unit",
           C.doc_id: "doc_id", C.claim_id: "claim_id"},
}


def corroboration_view(corroboration: pd.DataFrame, claims: pd.DataFrame, documents: pd.DataFrame,
                       lang: str = "zh") -> pd.DataFrame:
    """Groups of matching figures: readable value, status, the figures the sources gave, and the sources."""
    docs = doc_labels(documents).set_index(C.doc_id)
    rows = []
    for group in corroboration.to_dict("records"):
        ids = [d for d in _text(group[C.doc_ids]).split("|") if d]
        rows.append({
            C.group_id: group[C.group_id], C.metric: group[C.metric],
            "metric_label": label("metric", str(group[C.metric]), lang),
            "year_text": fmt.format_year(group[C.year], lang), "display": fmt.format_value(
                float(group[C.value]), str(group[C.unit]), lang), C.n_sources: group[C.n_sources],
            C.status: group[C.status], "status_label": _STATUS_LABELS.get(lang, _STATUS_LABELS["en"]).get(
                str(group[C.status]), str(group[C.status])),
            "figures": _group_figures(group, ids, claims, lang),
            "sources": "；".join(str(docs.loc[d, "doc_label"]) for d in ids if d in docs.index),
            C.doc_ids: group[C.doc_ids],
        })
    cols = [C.group_id, C.metric, "metric_label", "year_text", "display", C.n_sources, C.status,
            "status_label", "figures", "sources", C.doc_ids]
    return pd.DataFrame(rows, columns=cols).reset_index(drop=True)


def _group_figures(group: dict, ids: list[str], claims: pd.DataFrame, lang: str) -> str:
    """The distinct figures the group's documents give for its metric and year, e.g. "504.4亿元 / 505亿元"."""
    same = claims[C.doc_id].isin(ids) & (claims[C.metric] == group[C.metric])
    same &= claims[C.unit] == group[C.unit]
    if fmt.format_year(group[C.year]):
        same &= claims[C.year] == group[C.year]
    values = sorted(set(claims.loc[same.fillna(False), C.value].astype("float64")))
    return " / ".join(fmt.format_value(v, str(group[C.unit]), lang) for v in values)


# -- keywords, mentions, events ---------------------------------------------------------------------------


def keyword_view(keywords: pd.DataFrame, method: str, doc_ids: Iterable[str] | None = None,
                 top_n: int = 20) -> pd.DataFrame:
    """Top keywords of one method: corpus-wide ('*') rows, or summed weights over the chosen documents."""
    rows = keywords[keywords[C.method] == method]
    if doc_ids is None and (rows[C.doc_id] == "*").any():
        rows = rows[rows[C.doc_id] == "*"]
    else:
        chosen = set(doc_ids) if doc_ids is not None else set(rows[C.doc_id]) - {"*"}
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
    order = {c: i for i, c in enumerate(_CATEGORIES)}
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


def _period_start(date: object) -> str | None:
    """ISO date of the start of a YYYY / YYYY-MM / YYYY-MM-DD period."""
    text = _text(date)
    return {4: f"{text}-01-01", 7: f"{text}-01", 10: text}.get(len(text))
