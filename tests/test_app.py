"""The Streamlit app under AppTest on small temporary corpora, plus its data and text-safety helpers.

Every AppTest points ``MICRODRAMA_CORPUS``, ``MICRODRAMA_USER_CORPUS`` and ``MICRODRAMA_CACHE`` at
``tmp_path``, so no test reads the user's corpus or writes into the repository.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data, deck, figures, indicator_views, state, views
from dashboard import page as page_mod
from dashboard.i18n import LANGS, strings, t
from dashboard.sections import overview
from dashboard.state import Filters
from extract.schema import C

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
TIMEOUT = 90

DOCS: dict[str, str] = {
    "a.md": (
        '---\ntitle: "2024年微短剧行业报告"\ndate: "2025-01-15"\nsource: "https://example.com/a"\n---\n\n'
        "2024年，中国微短剧市场规模达到504.4亿元，首次超过电影票房。\n\n"
        "微短剧行业带动就业岗位64.7万个。监管部门加强内容审核，推动精品化发展。\n\n"
        "2025年2月，《家里家外》在抖音上线，播放量突破2.2亿次。\n"
    ),
    "b.md": (
        '---\ntitle: "出海短剧与AI制作"\ndate: "2025-03-01"\n---\n\n'
        "据统计，2024年微短剧市场规模为504.4亿元。AI技术进入短剧制作，出海短剧在海外市场收入达到6.5亿美元。\n\n"
        "红果短剧用户超过1亿人，付费短剧占比约52.4%。\n"
    ),
    "evil.md": (
        '---\ntitle: "<script>alert(1)</script>短剧<img src=x onerror=alert(1)>"\ndate: "2024-11-05"\n---\n\n'
        "<script>alert('xss')</script>某剧播放量突破3亿次，"
        "<img src=x onerror=alert(1)>观众年龄集中在18到35岁。\n\n"
        "**粗体** [链接](javascript:alert(1)) $x$ <script>x</script>2023年微短剧市场规模为373.9亿元。\n"
    ),
}
HOSTILE = re.compile(r"<\s*(script|img)\b", re.IGNORECASE)


def write_corpus(folder: Path, docs: dict[str, str]) -> Path:
    """Write ``docs`` (file name -> text) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def app_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A three-document corpus, an empty user folder and a private cache under ``tmp_path``, for the app."""
    paths = {"corpus": write_corpus(tmp_path / "corpus", DOCS), "user": tmp_path / "user",
             "cache": tmp_path / "cache", "data": tmp_path / "data"}
    monkeypatch.setenv(data.ENV_DATA, str(paths["data"]))
    monkeypatch.setenv(data.ENV_CORPUS, str(paths["corpus"]))
    monkeypatch.setenv(data.ENV_USER_CORPUS, str(paths["user"]))
    monkeypatch.setenv("MICRODRAMA_CACHE", str(paths["cache"]))
    return paths


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The app's folders for one test (see :func:`app_folders`)."""
    return app_folders(tmp_path, monkeypatch)


def run(params: dict | None = None) -> AppTest:
    """A fresh app run, opened on a URL with ``params``; fails on any exception in the page."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def counts(at: AppTest) -> tuple[int, int]:
    """(documents, figures) from the caption under the title."""
    numbers = re.findall(r"\d+", at.caption[0].value)
    return int(numbers[0]), int(numbers[1])


def facts_rows(at: AppTest) -> pd.DataFrame:
    """The facts grid of the current run (the app must be on the facts section)."""
    return at.dataframe[0].value


def all_text(at: AppTest) -> list[str]:
    """The text of every markdown, caption, alert and raw-HTML element on the page."""
    out = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.error, *at.success)]
    return out + [e.proto.body for e in at.get("html")]


def corpus_claims(folder: Path) -> pd.DataFrame:
    """The claims table of ``folder``, extracted directly (the expected side of filter tests)."""
    from extract import extract_corpus

    return extract_corpus([folder]).claims


# -- every section renders ------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", state.TABS)
def test_every_section_renders(env: dict[str, Path], tab: str) -> None:
    at = run({"tab": tab})
    assert at.segmented_control(key=state.WIDGET_KEYS["tab"]).value == tab
    assert at.title[0].value == t("app.title")
    if tab in ("overview", "keywords", "themes", "mentions", "timeline"):
        assert at.get("plotly_chart"), f"{tab} draws no chart"
        assert len(at.download_button) >= 4 + 2  # PNG, SVG, HTML, CSV per chart + XLSX, PPTX
    if tab in ("facts", "corroboration"):
        assert not facts_rows(at).empty


def test_overview_shows_headline_cards_with_sentences(env: dict[str, Path]) -> None:
    at = run()
    metrics = at.get("metric")
    assert metrics, "no KPI cards"
    bodies = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<blockquote")]
    assert len(bodies) >= len(metrics)  # each card's popover quotes every sentence behind it
    assert all("<mark>" in b for b in bodies)
    assert metrics[0].label == "市场规模"
    assert all(m.help for m in metrics)  # the rule behind the card is one hover away


def test_theme_and_document_heatmap_follow_filters(env: dict[str, Path]) -> None:
    before = run({"tab": "themes"})
    after = run({"tab": "themes", "theme": "overseas"})
    assert before.get("plotly_chart")[0].proto.spec != after.get("plotly_chart")[0].proto.spec


# -- filters ----------------------------------------------------------------------------------------------


def _expected_rows(claims: pd.DataFrame, name: str, value: object) -> pd.DataFrame:
    """The claims a filter should leave, computed from the claims table alone."""
    if name == "themes":
        return claims[claims[C.themes].fillna("").str.split("|").map(lambda ids: value[0] in ids)]
    if name == "docs":
        return claims[claims[C.doc_id].isin(value)]
    if name == "metrics":
        return claims[claims[C.metric].isin(value)]
    if name == "years":  # figures without a year stay unless the user leaves them out
        return claims[(claims[C.year].between(*value).fillna(False) | claims[C.year].isna()).astype(bool)]
    if name == "undated":
        return claims[claims[C.year].notna().to_numpy(dtype=bool)]
    return claims[claims[C.sentence].str.contains(str(value), regex=False)]


@pytest.mark.parametrize(
    ("name", "value"),
    [("themes", ["overseas"]), ("metrics", ["market_size"]), ("years", (2024, 2024)), ("query", "出海"),
     ("docs", None), ("undated", False)],
)
def test_each_filter_changes_what_is_shown(env: dict[str, Path], name: str, value: object) -> None:
    claims = corpus_claims(env["corpus"])
    if name == "docs":
        value = [str(claims[C.doc_id].iloc[0])]
    at = run({"tab": "facts"})
    everything = facts_rows(at)
    widget = (at.sidebar.get("multiselect") + at.sidebar.get("slider") + at.sidebar.get("text_input")
              + at.sidebar.get("checkbox"))
    [control] = [w for w in widget if w.key == state.WIDGET_KEYS[name]]
    control.set_value(value).run()
    assert not at.exception
    shown = facts_rows(at)
    expected = _expected_rows(claims, name, value)
    assert 0 < len(shown) < len(everything)
    pairs = sorted(zip(shown[C.doc_id], shown[C.claim_id], strict=True))
    assert pairs == sorted(zip(expected[C.doc_id], expected[C.claim_id], strict=True))
    assert at.query_params.get(state.URL_KEYS[name]), "the URL does not show the filter"


def test_url_opens_the_same_view(env: dict[str, Path]) -> None:
    params = {"theme": ["ai", "overseas"], "metric": "revenue", "q": "出海", "lang": "en", "tab": "facts",
              "kw": "textrank", "present": "1"}
    at = run(params)
    assert sorted(at.multiselect(key=state.WIDGET_KEYS["themes"]).value) == ["ai", "overseas"]
    assert at.multiselect(key=state.WIDGET_KEYS["metrics"]).value == ["revenue"]
    assert at.text_input(key=state.WIDGET_KEYS["query"]).value == "出海"
    assert at.toggle(key=state.WIDGET_KEYS["presentation"]).value is True
    assert at.title[0].value == t("app.title", "en")
    options = data.options_for(_tables(env), views.default_taxonomy())
    expected = state.to_query(state.from_query(params, options))
    assert {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()} == expected
    assert len(facts_rows(at)) == 1  # the one revenue figure, in a sentence about 出海


def test_widget_changes_reach_the_url_and_a_rerun_keeps_them(env: dict[str, Path]) -> None:
    at = run()
    at.multiselect(key=state.WIDGET_KEYS["themes"]).set_value(["ai"]).run()
    at.segmented_control(key=state.WIDGET_KEYS["tab"]).set_value("facts").run()
    assert at.query_params == {"theme": "ai", "tab": "facts"}
    reopened = run(dict(at.query_params))
    assert facts_rows(reopened).equals(facts_rows(at))


def test_unknown_url_values_are_ignored(env: dict[str, Path]) -> None:
    at = run({"theme": ["<script>", "ai"], "doc": "../../etc", "years": "x", "tab": "admin", "lang": "xx"})
    assert at.multiselect(key=state.WIDGET_KEYS["themes"]).value == ["ai"]
    assert at.multiselect(key=state.WIDGET_KEYS["docs"]).value == []
    assert at.query_params == {"theme": "ai"}


def test_keyword_method_survives_leaving_its_section(env: dict[str, Path]) -> None:
    at = run({"tab": "keywords", "kw": "textrank"})
    assert at.segmented_control(key=state.WIDGET_KEYS["method"]).value == "textrank"
    at.segmented_control(key=state.WIDGET_KEYS["tab"]).set_value("facts").run()
    assert at.query_params.get("kw") == "textrank"


def test_reset_clears_filters_but_keeps_language(env: dict[str, Path]) -> None:
    at = run({"theme": "ai", "q": "AI", "lang": "en", "years": "2024-2024", "undated": "0"})
    assert at.checkbox(key=state.WIDGET_KEYS["undated"]).value is False
    at.sidebar.button[0].click().run()
    assert at.multiselect(key=state.WIDGET_KEYS["themes"]).value == []
    assert at.text_input(key=state.WIDGET_KEYS["query"]).value == ""
    slider = at.slider(key=state.WIDGET_KEYS["years"])
    assert tuple(slider.value) == (slider.min, slider.max)  # the year range too
    assert at.checkbox(key=state.WIDGET_KEYS["undated"]).value is True
    assert at.query_params == {"lang": "en"}


def test_indicator_selector_changes_the_chart(env: dict[str, Path]) -> None:
    at = run()
    picker = at.selectbox(key="indicator_pick")
    assert len(picker.options) >= 2
    before = at.get("plotly_chart")[0].proto.spec
    picker.select_index(1).run()
    assert not at.exception
    assert at.get("plotly_chart")[0].proto.spec != before


@pytest.mark.parametrize("tab", ["overview", "keywords", "themes", "facts"])
def test_empty_filter_result_says_so(env: dict[str, Path], tab: str) -> None:
    at = run({"q": "这句话不在任何文档里", "tab": tab})
    assert [i.value for i in at.info] == [t("app.empty_filters")]
    assert not at.get("plotly_chart") and not at.dataframe


def test_metric_filter_without_figures_keeps_other_sections(env: dict[str, Path]) -> None:
    at = run({"years": "2023", "theme": "overseas"})  # overseas figures are all from 2024
    assert t("facts.empty") in [i.value for i in at.info]
    themes = run({"years": "2023", "theme": "overseas", "tab": "themes"})
    assert themes.get("plotly_chart")


# -- language and presentation ----------------------------------------------------------------------------


def test_language_switch_relabels_and_keeps_the_selection(env: dict[str, Path]) -> None:
    at = run({"theme": "ai"})
    assert at.title[0].value == "微短剧事实看板"
    at.segmented_control(key=state.WIDGET_KEYS["lang"]).set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Micro-drama Facts"
    assert at.multiselect(key=state.WIDGET_KEYS["themes"]).value == ["ai"]
    assert at.multiselect(key=state.WIDGET_KEYS["themes"]).label == t("sidebar.themes", "en")
    assert at.query_params == {"theme": "ai", "lang": "en"}


def test_presentation_mode_enlarges_type(env: dict[str, Path]) -> None:
    def root_size(at: AppTest) -> int:
        css = " ".join(h.proto.body for h in at.get("html"))
        return int(re.search(r"html \{ font-size: (\d+)px", css).group(1))

    normal = run()
    big = run({"present": "1"})
    assert root_size(big) > root_size(normal)
    assert big.query_params == {"present": "1"}


# -- corroboration and errors -------------------------------------------------------------------------------


def test_corroboration_with_one_document_asks_for_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       env: dict[str, Path]) -> None:
    one = write_corpus(tmp_path / "one", {"a.md": DOCS["a.md"]})
    monkeypatch.setenv(data.ENV_CORPUS, str(one))
    at = run({"tab": "corroboration"})
    assert [i.value for i in at.info] == [t("corroboration.needs_more")]


def test_corroboration_lists_agreeing_sources(env: dict[str, Path]) -> None:
    at = run({"tab": "corroboration"})
    grid = at.dataframe[0].value
    headers = indicator_views.TABLE_HEADERS["zh"]
    assert (grid[headers["n_sources"]] >= 1).all()
    assert set(grid[headers["label"]]) >= {"市场规模"}


def test_errors_panel_lists_failed_files(env: dict[str, Path]) -> None:
    (env["corpus"] / "broken.md").write_bytes(bytes(range(256)) * 8)
    at = run({"tab": "documents"})
    assert at.warning, "no notice about the failed file"
    failed = at.dataframe[-1].value
    assert any("broken.md" in str(f) for f in failed.iloc[:, 0])
    assert counts(at)[0] == 3  # the other documents are still there


def test_documents_table_shows_a_missing_date_or_source_as_blank(env: dict[str, Path]) -> None:
    (env["corpus"] / "bare.txt").write_text("某平台短剧用户达到3亿人。\n", encoding="utf-8")
    at = run({"tab": "documents"})
    grid = at.dataframe[0].value
    bare = grid[grid[t("documents.col_file_name")] == "bare.txt"]
    assert len(bare) == 1
    for col in ("date", "source_name"):
        assert bare[t(f"documents.col_{col}")].tolist() == [""]  # not the text "None" or <NA>
    dated = grid[grid[t("documents.col_file_name")] == "a.md"]
    assert dated[t("documents.col_date")].tolist() == ["2025-01-15"]


def test_settings_read_tables_folders(tmp_path: Path) -> None:
    settings = data.settings_from(["--tables", str(tmp_path / "out")], {data.ENV_USER_CORPUS: "/u"})
    assert settings.tables == (tmp_path / "out",)
    assert settings.corpus == (Path("/u"),)  # no seeds/ unless named
    env = {data.ENV_TABLES: f"{tmp_path}/a:{tmp_path}/b", data.ENV_USER_CORPUS: "/u"}
    from_env = data.settings_from([], env)
    assert from_env.tables == (tmp_path / "a", tmp_path / "b")


def test_the_app_opens_a_tables_folder_beside_its_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            env: dict[str, Path]) -> None:
    from extract.pipeline import extract_corpus
    from extract.tabular import write_tables

    out = tmp_path / "out"
    write_tables(extract_corpus([env["corpus"]], cache_dir=tmp_path / "run-cache").tables(), out)
    empty = tmp_path / "nothing"
    empty.mkdir()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "claims.parquet").write_bytes(b"not parquet")
    monkeypatch.setenv(data.ENV_CORPUS, str(empty))
    monkeypatch.setenv(data.ENV_TABLES, f"{out}:{broken}")
    write_corpus(env["user"], {"new.md": "2026年，预计微短剧市场规模将突破1000亿元。"})
    at = run({"tab": "documents"})
    assert counts(at)[0] == 4  # the three documents of the tables folder and the upload
    failed = at.dataframe[-1].value
    assert any("broken" in str(f) for f in failed.iloc[:, 0])  # the unreadable folder is reported
    at = run({"tab": "corroboration"})
    assert set(at.dataframe[0].value[indicator_views.TABLE_HEADERS["zh"]["label"]]) >= {"市场规模"}


# -- uploads ----------------------------------------------------------------------------------------------


def test_upload_adds_a_document_and_remove_takes_it_away(env: dict[str, Path]) -> None:
    at = run({"tab": "documents"})
    n_docs, n_claims = counts(at)
    text = "2026年，预计微短剧市场规模将突破1000亿元。".encode()
    at.file_uploader[0].upload("../../新文档.md", text, "text/markdown").run()
    assert not at.exception
    assert [s.value for s in at.success] == [page_mod.plain(t("documents.added", name="新文档.md"))]
    assert (env["user"] / "新文档.md").read_bytes() == text
    assert counts(at)[0] == n_docs + 1 and counts(at)[1] > n_claims
    again = run({"tab": "documents"})  # a restart (new session) still has it
    assert counts(again)[0] == n_docs + 1
    [remove] = [b for b in again.button if b.key and b.key.startswith("rm-")]
    remove.click().run()
    assert not again.exception
    assert not (env["user"] / "新文档.md").exists()
    assert counts(again)[0] == n_docs


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.md", bytes(range(256)) * 16, "looks binary"),
        ("empty.txt", b"   ", "empty"),
        ("huge.md", b"x" * (6 * 1024 * 1024), "limit"),
    ],
)
def test_bad_upload_shows_its_error_and_loses_nothing(env: dict[str, Path], name: str, content: bytes,
                                                      reason: str) -> None:
    at = run({"tab": "documents"})
    before = counts(at)
    at.file_uploader[0].upload("good.md", "微短剧用户规模达6.62亿人。".encode(), "text/markdown")
    at.file_uploader[0].upload(name, content, "text/markdown").run()
    assert not at.exception
    assert len(at.error) == 1 and name in at.error[0].value.replace("\\", "")
    assert reason in at.error[0].value.replace("\\", "")
    assert len(at.success) == 1
    assert sorted(p.name for p in env["user"].iterdir()) == ["good.md"]
    assert counts(at)[0] == before[0] + 1


# -- XSS: document text stays text --------------------------------------------------------------------------


@pytest.mark.parametrize("tab", state.TABS)
def test_hostile_document_is_shown_as_text(env: dict[str, Path], tab: str) -> None:
    at = run({"tab": tab, "doc": _evil_id(env)} if tab != "documents" else {"tab": tab})
    for text in all_text(at):
        assert not HOSTILE.search(text.replace("\\<", "")), text
    for fig in at.get("plotly_chart"):
        assert not HOSTILE.search(fig.proto.spec), "raw HTML reached a chart"
    for html_el in at.get("html"):
        assert not re.search(r"<a\b", html_el.proto.body), "a document link became an anchor"


def test_hostile_sentence_is_escaped_in_the_headline_popover(env: dict[str, Path]) -> None:
    at = run({"doc": _evil_id(env)})
    quotes = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<blockquote")]
    assert any("&lt;script&gt;" in q for q in quotes)
    assert not any(HOSTILE.search(q) for q in quotes)


def _evil_id(env: dict[str, Path]) -> str:
    """doc_id of the hostile document."""
    claims = corpus_claims(env["corpus"])
    return str(claims.loc[claims[C.sentence].str.contains("script"), C.doc_id].iloc[0])


def _tables(env: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """The corpus tables of the test corpus."""
    from extract import extract_corpus

    return extract_corpus([env["corpus"]]).tables()


# -- pure helpers: settings, filtering, text safety ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "env_corpus", "expected_first"),
    [
        ([], "", [data.SEEDS]),
        (["--corpus", "/x/a", "/x/b"], "/y", [Path("/x/a"), Path("/x/b")]),
        (["--other", "1", "--corpus", "/x/a"], "", [Path("/x/a")]),
        ([], "/y/one:/y/two", [Path("/y/one"), Path("/y/two")]),
        ([], " ", [data.SEEDS]),
    ],
)
def test_settings_from(argv: list[str], env_corpus: str, expected_first: list[Path]) -> None:
    settings = data.settings_from(argv, {data.ENV_CORPUS: env_corpus, data.ENV_USER_CORPUS: "/u"})
    assert list(settings.corpus) == [*expected_first, Path("/u")]
    assert settings.user_corpus == Path("/u")


def test_settings_default_user_folder_is_in_the_repository() -> None:
    settings = data.settings_from([], {})
    assert settings.user_corpus == data.DEFAULT_USER_CORPUS == data.REPO / "user_corpus"
    assert settings.corpus == (data.SEEDS, data.DEFAULT_USER_CORPUS)


def test_relative_corpus_paths_fall_back_to_the_repository(tmp_path: Path) -> None:
    settings = data.settings_from(["--corpus", "seeds"], {}, cwd=tmp_path)
    assert settings.corpus[0] == data.SEEDS


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (Filters(themes=("overseas",)), lambda v: set(v["themes"][C.doc_id]) == {"c3c3c3c3c3c3c3c3"}),
        (Filters(docs=("a1a1a1a1a1a1a1a1",)), lambda v: set(v["claims"][C.doc_id]) == {"a1a1a1a1a1a1a1a1"}),
        (Filters(metrics=("market_size",)), lambda v: set(v["claims"][C.metric]) == {"market_size"}),
        (Filters(years=(2027, 2027)),
         lambda v: set(v["claims"][C.year].dropna()) == {2027} and v["claims"][C.year].isna().any()),
        (Filters(years=(2027, 2027), undated=False), lambda v: v["claims"][C.year].tolist() == [2027]),
        (Filters(query="红果"), lambda v: v["sentences"][C.text].str.contains("红果").all()),
        (Filters(query="ＡＩ"), lambda v: not v["sentences"].empty),
    ],
)
def test_filter_tables(tiny_corpus: dict[str, pd.DataFrame], filters: Filters, check) -> None:
    before = copy.deepcopy(tiny_corpus)
    view = data.filter_tables(tiny_corpus, filters)
    assert check(view)
    assert len(view["claims"]) < len(tiny_corpus["claims"])
    for name, frame in tiny_corpus.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_filter_tables_default_is_everything(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    view = data.filter_tables(tiny_corpus, Filters())
    assert all(view[n] is tiny_corpus[n] for n in tiny_corpus)


def test_filter_tables_theme_keeps_claims_of_themed_sentences(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    view = data.filter_tables(tiny_corpus, Filters(themes=("audiences",)))
    sentences = set(zip(view["themes"][C.doc_id], view["themes"][C.sent_id], strict=True))
    assert set(zip(view["claims"][C.doc_id], view["claims"][C.sent_id], strict=True)) <= sentences
    assert set(view["documents"][C.doc_id]) == {d for d, _ in sentences}


@pytest.mark.parametrize(
    "filters",
    [Filters(themes=("audiences",)), Filters(query="市场"), Filters(themes=("ai", "audiences"), query="短剧"),
     Filters(docs=("a1a1a1a1a1a1a1a1",), query="微短剧"), Filters(query="不存在的词")],
)
def test_filter_tables_matches_a_plain_reference(tiny_corpus: dict[str, pd.DataFrame],
                                                 filters: Filters) -> None:
    """The indexed gather keeps exactly the rows a row-by-row reading of the filters keeps."""
    view = data.filter_tables(tiny_corpus, filters, data.build_index(tiny_corpus))
    themes, sentences = tiny_corpus["themes"], tiny_corpus["sentences"]
    themed = {(d, s) for d, s, t in zip(themes[C.doc_id], themes[C.sent_id], themes[C.theme_id], strict=True)
              if t in filters.themes}
    kept = {
        (d, s) for d, s, text in zip(sentences[C.doc_id], sentences[C.sent_id], sentences[C.text],
                                     strict=True)
        if (not filters.docs or d in filters.docs) and (not filters.themes or (d, s) in themed)
        and filters.query.lower() in text.lower()
    }
    for name in ("sentences", "claims", "themes", "mentions", "events"):
        rows = list(zip(tiny_corpus[name][C.doc_id], tiny_corpus[name][C.sent_id], strict=True))
        got = list(zip(view[name][C.doc_id], view[name][C.sent_id], strict=True))
        assert got == [row for row in rows if row in kept], name


def test_filter_tables_drops_rows_of_unknown_sentences(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    """A row pointing at a sentence the sentences table lacks never slips through a sentence filter."""
    tables = dict(tiny_corpus)
    orphan = tables["claims"].iloc[[0]].copy()
    orphan[C.sent_id] = 999
    tables["claims"] = pd.concat([tables["claims"], orphan], ignore_index=True)
    view = data.filter_tables(tables, Filters(query="微短剧"), data.build_index(tables))
    assert 999 not in set(view["claims"][C.sent_id])
    assert not view["claims"].empty


def test_the_server_runs_no_full_garbage_collection_after_each_run(env: dict[str, Path]) -> None:
    """Streamlit's gc.collect() after every script run walks the whole heap holding the GIL, so readers
    wait for each other's: the app turns it off (Python's own collector still runs)."""
    from streamlit import config

    run()
    assert config.get_option("runner.postScriptGC") is False


def test_single_chunk_combines_each_arrow_column_and_keeps_the_values(
        tiny_corpus: dict[str, pd.DataFrame]) -> None:
    """Tables joined from per-document frames come back with each string column in one chunk, equal."""
    from extract.pipeline import Corpus

    claims = tiny_corpus["claims"]
    joined = pd.concat([claims.iloc[[i]] for i in range(len(claims))], ignore_index=True)
    tables = {**{name: tiny_corpus.get(name, claims.iloc[0:0]) for name in Corpus.__dataclass_fields__},
              "claims": joined}
    assert joined[C.surface].array.__arrow_array__().num_chunks == len(claims) > 1
    out = data.single_chunk(Corpus(**tables)).claims
    for name in joined.columns:
        if isinstance(joined[name].array, pd.arrays.ArrowStringArray):
            assert out[name].array.__arrow_array__().num_chunks == 1, name
    pd.testing.assert_frame_equal(out, joined)
    assert joined[C.surface].array.__arrow_array__().num_chunks == len(claims)  # the input is untouched


def test_options_for(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    options = data.options_for(tiny_corpus, None)
    assert options.years == (2024, 2027)
    assert options.docs[0] == "a1a1a1a1a1a1a1a1"  # newest first; the undated document last
    assert options.docs[-1] == "c3c3c3c3c3c3c3c3"
    assert set(options.metrics) == set(tiny_corpus["claims"][C.metric])


def test_selection_texts_joins_selected_sentences(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    view = data.filter_tables(tiny_corpus, Filters(query="市场规模"))
    texts = data.selection_texts(view)
    assert set(texts) == {"a1a1a1a1a1a1a1a1", "c3c3c3c3c3c3c3c3"}
    assert all("市场规模" in text for text in texts.values())


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [("ok.md", "微短剧市场规模达504.4亿元。".encode(), None), ("x.exe", b"MZ", "only"),
     ("x.pdf", b"%PDF", "PDF"), ("b.md", bytes(range(256)) * 8, "looks binary"), ("e.md", b"", "empty")],
)
def test_check_upload(name: str, content: bytes, problem: str | None) -> None:
    result = data.check_upload(name, content)
    assert (result is None) == (problem is None)
    if problem:
        assert problem in result


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "**粗体** [链接](javascript:alert(1))", "$x$ & :red[y]",
     "![img](http://x/a.png)", "a\nb", "# 标题\n- 列表 > 引用"],
)
def test_plain_escapes_markdown(text: str) -> None:
    escaped = page_mod.plain(text)
    assert not re.search(r"(?<!\\)[<>*\[\]()$!&]", escaped)
    assert re.sub(r"\\(.)", r"\1", escaped.replace("  \n", "\n")) == text


@pytest.mark.parametrize("words", ["选择文件", 'a"}</style><script>x</script>', "x\\\"; } body { color: red"])
def test_uploader_css_keeps_its_words_inside_the_rule(words: str) -> None:
    css = page_mod.uploader_css("uploader-", words, words)
    body = css.removeprefix("<style>").removesuffix("</style>")
    assert "<" not in body and ">" not in body and "\"" + words not in body
    assert body.count("{") == body.count("}") == 3  # the three rules, none opened or closed by the words
    strings = re.findall(r'content: "((?:[^"\\]|\\.)*)"', body)
    decoded = [re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m.group(1), 16)), s) for s in strings]
    assert decoded == [words, words]


@pytest.mark.parametrize(
    ("sentence", "surface", "expected"),
    [
        ("规模达504.4亿元。", "504.4亿元", "规模达<mark>504.4亿元</mark>。"),
        ("<b>1亿</b>", "1亿", "&lt;b&gt;<mark>1亿</mark>&lt;/b&gt;"),
        ("<i>没有</i>", "", "&lt;i&gt;没有&lt;/i&gt;"),
    ],
)
def test_marked_sentence(sentence: str, surface: str, expected: str) -> None:
    assert page_mod.marked_sentence(sentence, surface) == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (3, "甲平台<mark>2亿</mark>，乙平台2亿。"),
        (9, "甲平台2亿，乙平台<mark>2亿</mark>。"),  # the second of two equal figures
        (5, "甲平台<mark>2亿</mark>，乙平台2亿。"),  # an offset that does not hold the figure: the first
    ],
)
def test_marked_sentence_marks_the_figure_at_its_offset(at: int, expected: str) -> None:
    assert page_mod.marked_sentence("甲平台2亿，乙平台2亿。", "2亿", at) == expected


def test_sentences_behind_a_card_mark_each_figure_where_it_is(env: dict[str, Path], tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "twins", {
        "a.md": '---\ntitle: "甲"\ndate: "2025-04-01"\n---\n\n'
                "2025年3月，红果短剧月活为2亿，河马剧场月活也为2亿。\n",
    })
    from extract import extract_corpus

    corpus = extract_corpus([folder], use_cache=False)
    page = page_mod.Page(view=corpus.tables(), full=corpus.tables(), filters=Filters(), taxonomy=None)
    second = corpus.claims.iloc[1].to_dict()
    at = figures.offset_in_sentence(page, second)
    assert page_mod.marked_sentence(second[C.sentence], second[C.surface], at).count("<mark>") == 1
    assert page_mod.marked_sentence(second[C.sentence], second[C.surface], at).endswith("<mark>2亿</mark>。")


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://example.com/a?b=1", "https://example.com/a?b=1"), ("http://x.cn", "http://x.cn"),
     ("javascript:alert(1)", None), ("JaVaScRiPt:alert(1)", None), ("data:text/html,<script>", None),
     (" https://x.cn ", "https://x.cn"), ("https://x.cn/<script>", None), (None, None), (float("nan"), None)],
)
def test_safe_url(url: object, expected: str | None) -> None:
    assert views.safe_url(url) == expected


def test_selected_claims_maps_points_back_to_rows(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    claims = tiny_corpus["claims"]
    points = [{"customdata": ["b2b2b2b2b2b2b2b2", 1, "x"]}, {"customdata": []}, {}]
    picked = overview._selected_claims(claims, points)
    assert picked[C.surface].tolist() == ["1亿人"]


def test_every_ui_string_has_both_languages_and_the_same_placeholders() -> None:
    for key, texts in strings().items():
        assert set(texts) == set(LANGS), key
        fields = [set(re.findall(r"\{(\w+)\}", texts[lang])) for lang in LANGS]
        assert all(f == fields[0] for f in fields), key


def test_streamlit_config_keeps_the_server_offline_and_bounded() -> None:
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"]  # an explicit address: no external-IP lookup at start-up
    from dashboard import store

    assert config["server"]["maxUploadSize"] * 1024 * 1024 == store.MAX_REPORT_BYTES  # the browser's cap
    assert config["theme"]["primaryColor"]


def test_one_metric_chart_is_titled_by_its_metric(env: dict[str, Path]) -> None:
    at = run({"metric": "jobs"})
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t_.startswith("微短剧数据：就业岗位") for t_ in titles), titles
    assert not any("按指标分面" in t_ for t_ in titles)


def test_the_all_figures_chart_waits_for_the_user(env: dict[str, Path]) -> None:
    at = run()
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert len(titles) == 1 and "各来源报告值与共识" in titles[0]  # the indicator chart alone
    at.toggle(key="show_all_figures").set_value(True).run()
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert len(titles) == 2 and "按指标分面" in titles[1]


def test_a_card_period_is_chosen_in_its_popover_and_kept_in_the_url(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = Path(__file__).resolve().parent / "fixtures" / "indicators"
    monkeypatch.setenv(data.ENV_CORPUS, str(folder))
    monkeypatch.setenv(data.ENV_USER_CORPUS, str(tmp_path / "user"))
    monkeypatch.setenv("MICRODRAMA_CACHE", str(tmp_path / "cache"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert at.get("metric")[0].value == "504.4亿元"
    picker = at.selectbox(key="card_period_0")
    assert picker.value == "2024" and "2025年" in list(picker.options)  # options show period labels
    picker.set_value("2025").run()
    assert not at.exception
    assert at.get("metric")[0].value == "620亿元"
    assert at.query_params.get("cp") in ("market_size||||CNY|year@2025", ["market_size||||CNY|year@2025"])
    again = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    again.query_params["cp"] = "market_size||||CNY|year@2025"
    again.run()
    assert again.get("metric")[0].value == "620亿元"  # the link opens the same card


def _with_a_note(corpus: dict[str, pd.DataFrame], doc_id: str) -> dict[str, pd.DataFrame]:
    """The corpus with one document marked as a starter note citing 中国网络视听协会."""
    out = dict(corpus)
    docs = corpus["documents"].copy()
    docs.loc[docs[C.doc_id] == doc_id, [C.kind, C.cited_source]] = ["note", "中国网络视听协会"]
    out["documents"] = docs
    return out


@pytest.mark.parametrize("narrowed", [Filters(notes=False), Filters(notes=False, query="短剧"),
                                      Filters(notes=False, docs=("a1a1a1a1a1a1a1a1", "c3c3c3c3c3c3c3c3"))])
def test_the_notes_switch_leaves_the_starter_notes_out(tiny_corpus: dict[str, pd.DataFrame],
                                                        narrowed: Filters) -> None:
    corpus = _with_a_note(tiny_corpus, "a1a1a1a1a1a1a1a1")
    assert data.options_for(corpus, None).notes == ("a1a1a1a1a1a1a1a1",)
    view = data.filter_tables(corpus, narrowed)
    for name in ("documents", "sentences", "claims", "themes", "indicators"):
        if C.doc_id in view[name].columns:
            assert "a1a1a1a1a1a1a1a1" not in set(view[name][C.doc_id]), name
    assert not view["sentences"].empty
    kept = data.filter_tables(corpus, Filters())
    assert "a1a1a1a1a1a1a1a1" in set(kept["claims"][C.doc_id])


def test_notes_are_marked_wherever_a_document_is_named(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    docs = _with_a_note(tiny_corpus, "a1a1a1a1a1a1a1a1")["documents"]
    labels = views.doc_labels(docs).set_index(C.doc_id)
    assert labels.loc["a1a1a1a1a1a1a1a1", C.title].startswith("整理 · 据中国网络视听协会｜")
    assert labels.loc["a1a1a1a1a1a1a1a1", "doc_label"].startswith("〔整理〕")
    assert not labels.loc["b2b2b2b2b2b2b2b2", "doc_label"].startswith("〔整理〕")
    line = views.source_line(docs, ["a1a1a1a1a1a1a1a1"])
    assert line.startswith("来源：整理 · 据中国网络视听协会（")
    english = views.source_line(docs, ["a1a1a1a1a1a1a1a1"], lang="en")
    assert english.startswith("Source: Note · per 中国网络视听协会 (")


def test_a_view_is_computed_once_and_shared(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    """view_for keys its cache by corpus version and the row-deciding filters, not language or tab."""
    corpus = type("C", (), {"tables": lambda self: tiny_corpus})()
    snap = data.Snapshot(corpus=corpus, index=data.build_index(tiny_corpus), version="v-test")  # type: ignore[arg-type]
    data.clear_views()
    first = data.view_for(snap, Filters(metrics=("market_size",)))
    again = data.view_for(snap, Filters(metrics=("market_size",), lang="en", tab="facts"))
    other = data.view_for(snap, Filters(metrics=("jobs",)))
    assert again is first and other is not first
    assert set(first["claims"][C.metric]) == {"market_size"}
    assert data.view_for(snap, Filters()) is tiny_corpus


@pytest.mark.parametrize("name", [n for n in figures.CHARTS if n != "indicator"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_registered_chart_builds_with_its_title(tiny_corpus: dict[str, pd.DataFrame], name: str,
                                                       lang: str) -> None:
    """The registry is what the sections and the deck draw: each chart builds and carries its title."""
    page = page_mod.Page(view=tiny_corpus, full=tiny_corpus, filters=Filters(lang=lang), taxonomy=None)
    made = figures.built(page, name)
    fig, frame = made[0] if isinstance(made, list) else made
    assert not frame.empty
    title = t(figures.CHARTS[name].title_key, lang, panel="", method="")
    assert title and title.split("{")[0][:4] in str(fig.layout.title.text)


def test_the_deck_offers_exactly_the_registered_deck_charts(tiny_corpus: dict[str, pd.DataFrame]) -> None:
    page = page_mod.Page(view=tiny_corpus, full=tiny_corpus, filters=Filters(), taxonomy=None)
    offered = deck.deck_options(page)
    charts_offered = {k for k in offered if k != "kpi" and not k.startswith("indicator:")}
    assert charts_offered == {n for n, spec in figures.CHARTS.items() if spec.deck}


@pytest.mark.parametrize("name", list(figures.CHARTS))
def test_every_chart_frame_has_its_declared_columns(tiny_corpus: dict[str, pd.DataFrame], name: str) -> None:
    """dashboard/frames.py declares each chart-ready frame's columns; the views build exactly those."""
    from dashboard import frames

    page = page_mod.Page(view=tiny_corpus, full=tiny_corpus, filters=Filters(), taxonomy=None)
    args = (next(iter(figures.built(page, "choices"))),) if name == "indicator" else ()
    made = figures.built(page, name, *args)
    _, frame = made[0] if isinstance(made, list) else made
    assert tuple(frame.columns) == frames.CHART_FRAMES[name]
