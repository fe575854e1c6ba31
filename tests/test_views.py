"""Chart-ready frames: shapes, scaling, ordering, labels, and inputs left alone."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from dashboard import indicator_views, views
from extract.mentions import CATEGORIES
from extract.schema import METRICS, C
from tests.conftest import DOC_A, DOC_B, DOC_C, HOSTILE_TITLE

TAXONOMY = pd.DataFrame({
    "theme_id": ["regulation", "quality", "platform_competition", "business_models", "overseas", "ai",
                 "audiences", "industry_structure"],
    "label_zh": ["监管", "品质", "平台", "商业模式", "出海", "人工智能", "受众", "产业"],
    "label_en": ["Regulation", "Quality", "Platforms", "Business", "Overseas", "AI", "Audiences", "Industry"],
    "triggers": [""] * 8,
})

Tables = dict[str, pd.DataFrame]

CALLS: dict[str, Callable[[Tables], pd.DataFrame | str]] = {
    "claims_view": lambda t: views.claims_view(t["claims"], t["documents"], "zh", TAXONOMY),
    "cards_view": lambda t: indicator_views.cards_view(t["indicators"], t["documents"], "zh"),
    "indicator_table": lambda t: indicator_views.indicator_table(t["indicators"], t["documents"], "zh"),
    "keyword_view": lambda t: views.keyword_view(t["keywords"], "tfidf", [DOC_A, DOC_B], 3),
    "theme_share": lambda t: views.theme_share(t["themes"], t["sentences"], TAXONOMY, "zh"),
    "theme_by_document": lambda t: views.theme_by_document(t["themes"], t["documents"], TAXONOMY, "zh"),
    "theme_cooccurrence": lambda t: views.theme_cooccurrence(t["themes"], TAXONOMY, "zh"),
    "mention_counts": lambda t: views.mention_counts(t["mentions"], "zh"),
    "timeline_view": lambda t: views.timeline_view(t["events"], t["documents"]),
    "facts_table": lambda t: views.facts_table(t["claims"], t["documents"], "zh"),
    "source_line": lambda t: views.source_line(t["documents"], None, "zh"),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_views_leave_inputs_alone(name: str, tiny_corpus: Tables) -> None:
    before = {k: v.copy(deep=True) for k, v in tiny_corpus.items()}
    CALLS[name](tiny_corpus)
    for table, frame in tiny_corpus.items():
        pd.testing.assert_frame_equal(frame, before[table])


@pytest.mark.parametrize("name", [n for n in CALLS if n != "source_line"])
def test_views_accept_empty_tables(name: str, tiny_corpus: Tables) -> None:
    empty = {k: v.iloc[0:0] for k, v in tiny_corpus.items()}
    out = CALLS[name](empty)
    assert isinstance(out, pd.DataFrame) and out.empty
    assert len(out.columns) > 0  # the CSV download still has headers


def test_claims_view_scales_each_metric_and_unit(tiny_corpus: Tables) -> None:
    view = views.claims_view(tiny_corpus["claims"], tiny_corpus["documents"], "zh", TAXONOMY)
    assert len(view) == len(tiny_corpus["claims"])
    market = view[view[C.metric] == "market_size"]
    assert set(market["panel"]) == {"市场规模（亿元）"}
    assert list(market["plot_value"]) == pytest.approx(list(market[C.value] / 1e8))
    jobs = view[view[C.metric] == "jobs"].iloc[0]
    assert (jobs["panel"], jobs["plot_value"]) == ("就业岗位（万个）", pytest.approx(64.7))
    age = view[view[C.metric] == "age"].iloc[0]
    assert (age["plot_value"], age["plot_high"], age["display"]) == (18.0, 35.0, "18–35岁")
    assert view.groupby("panel")[[C.metric, C.unit]].nunique().max().max() == 1


def test_claims_view_uses_first_theme_and_labels(tiny_corpus: Tables) -> None:
    view = views.claims_view(tiny_corpus["claims"], tiny_corpus["documents"], "zh", TAXONOMY)
    both = view[view[C.themes] == "platform_competition|audiences"].iloc[0]
    assert (both["theme"], both["theme_label"]) == ("platform_competition", "平台")
    none = view[view[C.themes] == ""].iloc[0]
    assert (none["theme"], none["theme_label"]) == ("none", "未分类")
    assert set(view.loc[view[C.year].isna(), "year_label"]) == {"未注明年份"}


def test_claims_view_links_back_to_the_sentence(tiny_corpus: Tables) -> None:
    view = views.claims_view(tiny_corpus["claims"], tiny_corpus["documents"])
    sentences = tiny_corpus["sentences"].set_index([C.doc_id, C.sent_id])[C.text]
    for row in view.to_dict("records"):
        assert sentences[(row[C.doc_id], row[C.sent_id])] == row[C.sentence]
        assert row[C.surface] in row[C.sentence]


def test_claims_view_orders_by_metric_unit_year_document_claim(tiny_corpus: Tables) -> None:
    claims = pd.concat([tiny_corpus["claims"]] * 2, ignore_index=True)
    claims[C.claim_id] = pd.array(range(len(claims), 0, -1), dtype="Int64")
    view = views.claims_view(claims, tiny_corpus["documents"], "zh", TAXONOMY)
    rank = {m: i for i, m in enumerate(METRICS)}
    keys = [(rank[m], u, y if pd.notna(y) else 10**6, d, c) for m, u, y, d, c in
            zip(view[C.metric], view[C.unit], view[C.year], view[C.doc_id], view[C.claim_id], strict=True)]
    assert keys == sorted(keys) and len(view) == len(claims)


def test_claims_view_one_scale_per_panel_from_its_largest_figure(tiny_corpus: Tables) -> None:
    claims = tiny_corpus["claims"].copy()
    claims.loc[claims[C.metric] == "jobs", C.value] = 2e8  # 64.7万 -> 2亿: the jobs panel switches to 亿
    claims = pd.concat([claims, claims[claims[C.metric] == "jobs"].assign(**{C.value: 5e4})],
                       ignore_index=True)
    view = views.claims_view(claims, tiny_corpus["documents"], "zh", TAXONOMY)
    jobs = view[view[C.metric] == "jobs"]
    assert set(jobs["panel"]) == {"就业岗位（亿个）"}
    assert sorted(jobs["plot_value"]) == pytest.approx([0.0005, 2.0])


def test_claims_view_keeps_claims_of_unknown_documents(tiny_corpus: Tables) -> None:
    claims = tiny_corpus["claims"].copy()
    claims[C.doc_id] = claims[C.doc_id].where(claims[C.doc_id] != DOC_C, "missing")
    view = views.claims_view(claims, tiny_corpus["documents"], "zh", TAXONOMY)
    assert len(view) == len(claims)
    assert view.loc[view[C.doc_id] == "missing", "doc_label"].isna().all()


def test_cards_of_the_tiny_corpus(tiny_corpus: Tables) -> None:
    cards = indicator_views.cards_view(tiny_corpus["indicators"], tiny_corpus["documents"], "zh")
    market = cards[cards["label"] == "市场规模"].iloc[0]
    assert (market["value_text"], market["period_text"]) == ("504.4亿元", "2024年")  # not the 2027 forecast
    assert market["sources_text"] == "澎湃新闻"
    assert not cards["forecast"].any()


def test_theme_share_counts_sentences(tiny_corpus: Tables) -> None:
    themes, sentences = tiny_corpus["themes"], tiny_corpus["sentences"]
    share = views.theme_share(themes, sentences, TAXONOMY, "zh").set_index(C.theme_id)
    for theme_id, group in themes.groupby(C.theme_id):
        n = len(set(zip(group[C.doc_id], group[C.sent_id], strict=True)))
        assert share.loc[theme_id, "n_sentences"] == n
        assert share.loc[theme_id, "share_pct"] == pytest.approx(100 * n / len(sentences))
    assert share.loc["regulation", "theme"] == "监管"
    assert list(share["n_sentences"]) == sorted(share["n_sentences"], reverse=True)


def test_theme_by_document_is_a_full_grid(tiny_corpus: Tables) -> None:
    no_themes = tiny_corpus["themes"].iloc[0:0]
    assert views.theme_by_document(no_themes, tiny_corpus["documents"], TAXONOMY).empty
    grid = views.theme_by_document(tiny_corpus["themes"], tiny_corpus["documents"], TAXONOMY)
    assert len(grid) == len(TAXONOMY) * len(tiny_corpus["documents"])
    distinct = tiny_corpus["themes"].drop_duplicates([C.doc_id, C.sent_id, C.theme_id])
    assert grid["n_sentences"].sum() == len(distinct)
    row = grid[(grid[C.doc_id] == DOC_B) & (grid[C.theme_id] == "audiences")].iloc[0]
    assert row["n_sentences"] == 2


def test_theme_cooccurrence_is_symmetric(tiny_corpus: Tables) -> None:
    co = views.theme_cooccurrence(tiny_corpus["themes"], TAXONOMY)
    table = co.pivot(index="theme_id_a", columns="theme_id_b", values="n_sentences")
    assert (table.to_numpy() == table.T.to_numpy()).all()
    assert table.loc["platform_competition", "audiences"] == 1  # 红果…用户 share one sentence
    assert table.loc["audiences", "audiences"] == 2
    assert table.loc["ai", "regulation"] == 0


def test_keyword_view_whole_corpus_and_subset(tiny_corpus: Tables) -> None:
    kws = tiny_corpus["keywords"]
    whole = views.keyword_view(kws, "tfidf", None, 3, topic=True)
    expected = kws[(kws[C.doc_id] == "*") & (kws[C.method] == "tfidf")].nlargest(3, C.weight)[C.keyword]
    assert list(whole[C.keyword]) == list(expected)
    assert list(whole[C.rank]) == [1, 2, 3]
    subset = views.keyword_view(kws, "tfidf", [DOC_A], 10, topic=True)
    assert set(subset[C.keyword]) == set(kws.loc[kws[C.doc_id] == DOC_A, C.keyword])


def test_keyword_view_leaves_out_the_corpus_topic_words(tiny_corpus: Tables) -> None:
    kws = tiny_corpus["keywords"]
    assert "微短剧" in set(views.keyword_view(kws, "tfidf", None, 20, topic=True)[C.keyword])
    shown = views.keyword_view(kws, "tfidf", None, 20)
    assert "微短剧" not in set(shown[C.keyword]) and "短剧" not in set(shown[C.keyword])
    assert list(shown[C.rank]) == list(range(1, len(shown) + 1)) and len(shown) > 0
    assert views.keyword_view(kws, "textrank", [DOC_C], 10).empty  # no per-document TextRank rows


def test_mention_counts_in_category_order(tiny_corpus: Tables) -> None:
    counts = views.mention_counts(tiny_corpus["mentions"], "zh")
    assert list(dict.fromkeys(counts[C.category])) == ["platform", "genre", "business_model", "audience"]
    assert set(counts["category_label"]) == {"平台", "题材", "商业模式", "受众"}
    assert counts["n_mentions"].sum() == len(tiny_corpus["mentions"])


def test_timeline_in_date_order_with_precision(tiny_corpus: Tables) -> None:
    tl = views.timeline_view(tiny_corpus["events"], tiny_corpus["documents"])
    assert tl["when"].is_monotonic_increasing
    assert dict(zip(tl[C.date], tl["precision"], strict=True)) == {
        "2024": "year", "2024-11-05": "day", "2025-02": "month"}


@pytest.mark.parametrize(("lang", "header"), [("zh", "原句"), ("en", "Sentence")])
def test_facts_table_headers(lang: str, header: str, tiny_corpus: Tables) -> None:
    table = views.facts_table(tiny_corpus["claims"], tiny_corpus["documents"], lang)
    assert header in table.columns and "doc_id" in table.columns
    assert len(table) == len(tiny_corpus["claims"])
    assert views.SENTENCE_HEADER[lang] == header and views.URL_HEADER[lang] in table.columns


@pytest.mark.parametrize(
    ("lang", "column", "header"),
    [("zh", C.period, "期间"), ("zh", C.entity, "主体"), ("zh", C.cited_source, "数据来源"),
     ("en", C.period, "Period"), ("en", C.entity, "Entity"), ("en", C.cited_source, "Cited source")],
)
def test_facts_table_shows_period_entity_and_cited_source(
    lang: str, column: str, header: str, tiny_corpus: Tables
) -> None:
    table = views.facts_table(tiny_corpus["claims"], tiny_corpus["documents"], lang)
    claims = tiny_corpus["claims"]
    want = {(d, c): v for d, c, v in zip(claims[C.doc_id], claims[C.claim_id], claims[column], strict=True)}
    got = {(d, c): v for d, c, v in zip(table["doc_id"], table["claim_id"], table[header], strict=True)}
    assert got == {k: "" if pd.isna(v) else v for k, v in want.items()}  # blank, not "None", when unknown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_facts_table_marks_the_figure_and_links_the_article(lang: str, tiny_corpus: Tables) -> None:
    claims, docs = tiny_corpus["claims"], tiny_corpus["documents"]
    table = views.facts_table(claims, docs, lang)
    by_key = claims.set_index([C.doc_id, C.claim_id])
    urls = docs.set_index(C.doc_id)[C.source_url]
    for row in table.to_dict("records"):
        claim = by_key.loc[(row[C.doc_id], row[C.claim_id])]
        before, figure, after = claim[C.sentence].partition(claim[C.surface])
        assert row[views.SENTENCE_HEADER[lang]] == f"{before}【{figure}】{after}"
        assert row[views.URL_HEADER[lang]] == urls[row[C.doc_id]]


def test_facts_table_drops_unsafe_links(tiny_corpus: Tables) -> None:
    docs = tiny_corpus["documents"].copy()
    docs[C.source_url] = ["javascript:alert(1)", None, "https://example.com/ok"]
    table = views.facts_table(tiny_corpus["claims"], docs, "zh")
    links = dict(zip(table[C.doc_id], table[views.URL_HEADER["zh"]], strict=True))
    assert links[DOC_C] == "https://example.com/ok"
    assert links[DOC_A] is pd.NA and links[DOC_B] is pd.NA


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_facts_headers_match_the_app_strings(lang: str) -> None:
    # The app writes its marked sentence and link under these UI strings: equal names keep one column each.
    from dashboard.i18n import t

    assert views.SENTENCE_HEADER[lang] == t("overview.source", lang)
    assert views.URL_HEADER[lang] == t("facts.url", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_app_facts_grid_has_each_column_once(lang: str, tiny_corpus: Tables) -> None:
    from dataclasses import replace

    from dashboard import figures, state
    from dashboard import page as page_mod

    page = page_mod.Page(view=tiny_corpus, full=tiny_corpus, filters=replace(state.DEFAULT, lang=lang),
                       taxonomy=TAXONOMY)
    grid = figures.facts_frame(page)
    table = views.facts_table(tiny_corpus["claims"], tiny_corpus["documents"], lang)
    assert list(grid.columns) == list(table.columns)
    pd.testing.assert_frame_equal(grid.astype("string"), table.astype("string"))


@pytest.mark.parametrize(
    ("sentence", "surface", "expected"),
    [("规模达到504.4亿元。", "504.4亿元", "规模达到【504.4亿元】。"),
     ("5亿元和5亿元", "5亿元", "【5亿元】和5亿元"),  # the first occurrence, as the app marks it
     ("没有这个数字", "5亿元", "没有这个数字"), ("句子", "", "句子"), (None, "5亿元", "")],
)
def test_mark_figure(sentence: str | None, surface: str, expected: str) -> None:
    assert views.mark_figure(sentence, surface) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://example.com/a?b=1", "https://example.com/a?b=1"), (" http://x.cn ", "http://x.cn"),
     ("javascript:alert(1)", None), ("https://x.cn/<script>", None), (None, None), ("", None)],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert views.safe_url(url) == expected


def test_source_line_names_documents_newest_first(tiny_corpus: Tables) -> None:
    line = views.source_line(tiny_corpus["documents"], None, "zh")
    assert line.startswith("来源：澎湃新闻《专访｜丁亚平：微短剧行业隐忧》，2025-02-10")
    assert line.index("2025-02-10") < line.index("2024-11-05")
    assert "2025微短剧出海报告" in line


def _docs(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    """A documents table of (doc_id, title, date) rows."""
    return pd.DataFrame({C.doc_id: [r[0] for r in rows], C.title: [r[1] for r in rows],
                         C.date: [r[2] for r in rows], C.source_name: [pd.NA] * len(rows),
                         C.categories: [""] * len(rows), C.kind: ["article"] * len(rows),
                         C.cited_source: [pd.NA] * len(rows)})


def test_source_line_names_dated_documents_with_most_figures_first() -> None:
    docs = _docs([("a", "甲文", "2025-05-01"), ("b", "乙文", "2025-03-01"), ("c", "丙文", None),
                  ("d", "丁文", "2025-06-01")])
    line = views.source_line(docs, ["a", "b", "b", "b", "c", "c", "c", "c", "d"], "zh", limit=4)
    order = [line.index(t) for t in ("乙文", "丁文", "甲文", "丙文")]
    assert order == sorted(order)  # b gives 3 figures; d and a one each, newest first; c has no date


def test_a_spam_shell_never_heads_a_source_line() -> None:
    docs = _docs([("s", "PG电子官网- 试玩-千亿规模的短剧市场", "2026-02-18"),
                  ("r", "微短剧市场报告", "2025-01-02")])
    line = views.source_line(docs, ["s", "s", "s", "r"], "zh", limit=1)
    assert line.startswith("来源：《微短剧市场报告》") and line.endswith("等2篇")


@pytest.mark.parametrize(("lang", "tail"), [("zh", "等3篇"), ("en", "and 2 more")])
def test_source_line_shortens_long_lists(lang: str, tail: str, tiny_corpus: Tables) -> None:
    assert views.source_line(tiny_corpus["documents"], None, lang, limit=1).endswith(tail)


def test_source_line_of_no_documents_is_blank(tiny_corpus: Tables) -> None:
    assert views.source_line(tiny_corpus["documents"], [], "zh") == ""


def test_source_line_keeps_hostile_text_raw(tiny_corpus: Tables) -> None:
    # Views keep text raw; escaping happens where text enters a figure (dashboard.charts.esc).
    line = views.source_line(tiny_corpus["documents"], [DOC_B], "zh")
    assert HOSTILE_TITLE[:10] in line


def test_doc_labels_are_unique(tiny_corpus: Tables) -> None:
    docs = tiny_corpus["documents"].copy()
    docs[C.title] = "同一个标题"
    docs[C.date] = "2025-01-01"
    labels = views.doc_labels(docs)["doc_label"]
    assert labels.is_unique


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_mention_category_has_a_label(lang: str) -> None:
    n = len(CATEGORIES)
    mentions = pd.DataFrame({C.doc_id: ["d"] * n, C.category: list(CATEGORIES),
                             C.name: [f"n{i}" for i in range(n)], C.surface: ["x"] * n})
    counts = views.mention_counts(mentions, lang)
    assert list(counts[C.category]) == list(CATEGORIES)  # the extractor's order, companies included
    assert not set(counts["category_label"]) & set(CATEGORIES)  # no raw code such as "company"


def test_facts_show_what_was_extracted_only_beside_corrected_figures(tiny_corpus: dict) -> None:
    claims = tiny_corpus["claims"].copy()
    n = len(claims)
    claims["review"] = ["corrected" if i == 1 else "unreviewed" for i in range(n)]
    claims["corrected"] = ["value|unit" if i == 1 else "" for i in range(n)]
    for field in views._CORRECTED:
        claims[f"orig_{field}"] = claims[field]
    claims.loc[1, "orig_value"] = 123.0
    table = views.facts_table(claims, tiny_corpus["documents"], "zh")
    keys = zip(table[C.doc_id].tolist(), table[C.claim_id].tolist(), strict=True)
    originals = dict(zip(keys, table["原抽取值"].tolist(),
                         strict=True))
    corrected_id = (claims.loc[1, C.doc_id], claims.loc[1, C.claim_id])
    unit = claims.loc[1, C.unit]
    assert originals.pop(corrected_id) == f"value=123.0；unit={'' if pd.isna(unit) else unit}"
    assert set(originals.values()) == {""}
    assert "已更正" in set(table["审核"])
