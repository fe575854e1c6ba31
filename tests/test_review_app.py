"""Reviews in the app: a correction, a rejection, a pin and an exclusion reach the cards, the tables and
the exports, and survive a restart (a new AppTest run is a new session on the same database)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from extract.pipeline import extract_corpus
from extract.reviews import ClaimKey, ReviewStore, key_of
from extract.schema import C
from tests.test_app import app_folders, run


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The test app's folders, with a reviews database path of its own."""
    return app_folders(tmp_path, monkeypatch)


def _market_claims(env: dict[str, Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The corpus's 2024 market-size claims and its documents."""
    corpus = extract_corpus([env["corpus"]], use_cache=False)
    claims = corpus.claims
    mask = (claims[C.metric] == "market_size") & (claims[C.year] == 2024)
    return claims[mask.fillna(False)], corpus.documents


def _card(at: AppTest, name: str = "市场规模") -> str:
    """The value a headline card shows."""
    return next(m.value for m in at.get("metric") if m.label == name)


def test_a_correction_moves_the_card_and_survives_a_restart(env: dict[str, Path]) -> None:
    before = _card(run())
    assert "504.4" in before
    claims, docs = _market_claims(env)
    store = ReviewStore(env["data"] / "reviews.db")
    for _, claim in claims.iterrows():  # both sources said 504.4亿元; the analyst corrects both
        store.correct(key_of(claim, docs), {"value": 5.2e10}, note="按白皮书原文更正")
    at = run()
    assert "520" in _card(at)
    facts = run({"tab": "facts"}).dataframe[0].value
    assert "已更正" in set(facts["审核"]) and any("504" in str(o) for o in facts["原抽取值"])
    assert "520" in _card(run())  # a new session, the same reviews


def test_a_rejection_and_an_exclusion_take_figures_out_everywhere(env: dict[str, Path]) -> None:
    claims, docs = _market_claims(env)
    store = ReviewStore(env["data"] / "reviews.db")
    first = claims.iloc[0]
    store.reject(key_of(first, docs))
    view = run({"tab": "facts"}).dataframe[0].value
    assert len(view[view["原文数字"] == str(first[C.surface])]) == len(claims) - 1
    evil = docs[docs[C.file_name] == "evil.md"][C.content_hash].iloc[0]
    store.exclude_document(str(evil))
    at = run({"tab": "documents"})
    listed = " ".join(str(t.value) for t in at.text)
    assert "script" in listed  # the review panel still names it, so it can be brought back
    assert "script" not in " ".join(str(t) for t in at.dataframe[0].value["标题"])
    facts = run({"tab": "facts"}).dataframe[0].value
    assert not facts["原句"].str.contains("373.9").any()  # its figures count nowhere
    store.include_document(str(evil))
    assert run({"tab": "facts"}).dataframe[0].value["原句"].str.contains("373.9").any()


def test_a_pin_heads_its_indicator(env: dict[str, Path]) -> None:
    claims, docs = _market_claims(env)
    store = ReviewStore(env["data"] / "reviews.db")
    store.correct(key_of(claims.iloc[0], docs), {"value": 5.1e10})
    assert "504.4" in _card(run())  # the other source still says 504.4亿元: the consensus
    store.pin(key_of(claims.iloc[0], docs))
    assert "510" in _card(run())


def test_an_orphaned_review_is_reported_and_applies_to_nothing(env: dict[str, Path]) -> None:
    claims, docs = _market_claims(env)
    key = key_of(claims.iloc[0], docs)
    store = ReviewStore(env["data"] / "reviews.db")
    store.reject(ClaimKey(key.content_hash, key.start, key.end + 1, key.surface + "x"))
    at = run({"tab": "documents"})
    assert any("找不到对应的数据" in w.value for w in at.warning)
    assert "504.4" in _card(run())


def test_excluding_a_document_from_the_documents_section(env: dict[str, Path]) -> None:
    at = run({"tab": "documents"})
    _, docs = _market_claims(env)
    evil = str(docs[docs[C.file_name] == "evil.md"][C.content_hash].iloc[0])
    at.selectbox(key="exclude_doc").select(evil).run()
    at.button(key="exclude_doc_go").click().run()
    assert not at.exception
    store = data.review_store_at(str(env["data"] / "reviews.db"))
    assert store is not None and set(store.exclusions()["name"]) == {evil}
    assert any(b.key == "include-0" for b in at.button)


def test_the_cli_applies_a_reviews_file(env: dict[str, Path], tmp_path: Path) -> None:
    from extract.cli import main

    claims, docs = _market_claims(env)
    store = ReviewStore(tmp_path / "made.db")
    store.reject(key_of(claims.iloc[0], docs))
    store.correct(key_of(claims.iloc[1], docs), {"value": 5.2e10})
    exported = store.export_jsonl(tmp_path / "reviews.jsonl")
    out = tmp_path / "out"
    args = [str(env["corpus"]), "--out", str(out), "--no-cache", "--quiet"]
    assert main([*args, "--reviews", str(exported)]) == 0
    written = pd.read_parquet(out / "claims.parquet")
    market = written[(written[C.metric] == "market_size") & (written[C.year] == 2024)]
    assert len(market) == len(claims) - 1 and market[C.value].tolist() == [5.2e10]
    assert market["review"].tolist() == ["corrected"] and market["orig_value"].tolist() == [5.044e10]
    assert main([*args, "--reviews", str(tmp_path / "no.csv")]) == 2


def test_a_corrupt_reviews_database_is_set_aside_and_said_so(env: dict[str, Path]) -> None:
    env["data"].mkdir(parents=True, exist_ok=True)
    (env["data"] / "reviews.db").write_bytes(b"not a database at all" * 100)
    at = run({"tab": "documents"})
    assert any("另存并新建" in w.value for w in at.warning)
    assert any(p.name.startswith("reviews.db.corrupt-") for p in env["data"].iterdir())  # kept, not deleted
    assert "504.4" in _card(run())


def test_a_card_offers_its_figures_for_review_on_request(env: dict[str, Path]) -> None:
    at = run()
    assert not [b for b in at.button if b.key and b.key.endswith("-confirm")]
    at.toggle(key="card_review_0").set_value(True).run()
    confirm = [b for b in at.button if b.key and b.key.endswith("-confirm")]
    assert confirm
    confirm[0].click().run()
    assert not at.exception
    store = data.review_store_at(str(env["data"] / "reviews.db"))
    assert store is not None and list(store.reviews()["status"]) == ["confirmed"]


def test_the_cli_reads_a_zip_of_articles(tmp_path: Path) -> None:
    import io
    import zipfile

    from extract.cli import main

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../甲.md", "2024年微短剧市场规模为504.4亿元。\n")
        zf.writestr("dir/乙.txt", "2025年用户规模达6.96亿人。\n")
        zf.writestr("丙.exe", "MZ")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "文章.zip").write_bytes(buf.getvalue())
    out = tmp_path / "out"
    assert main([str(tmp_path / "in"), "--out", str(out), "--no-cache", "--quiet"]) == 0
    claims = pd.read_parquet(out / "claims.parquet")
    assert sorted(claims[C.surface]) == ["504.4亿元", "6.96亿人"]
    assert not (tmp_path / "甲.md").exists()  # no member is written outside the unpacking folder
    # each member is named as the user knows it, not by the temporary file it was unpacked to
    docs = pd.read_parquet(out / "documents.parquet")
    archive = str(tmp_path / "in" / "文章.zip")
    assert sorted(docs[C.path]) == sorted([f"{archive} › ../甲.md", f"{archive} › dir/乙.txt"])
    assert sorted(docs[C.file_name]) == ["乙.txt", "甲.md"]


def test_a_corrected_figure_cannot_be_confirmed_over_its_correction(env: dict[str, Path]) -> None:
    claims, docs = _market_claims(env)
    store = ReviewStore(env["data"] / "reviews.db")
    store.correct(key_of(claims.iloc[0], docs), {"value": 5.1e10})
    at = run()
    at.toggle(key="card_review_0").set_value(True).run()
    confirms = {b.key: b for b in at.button if b.key and b.key.endswith("-confirm")}
    corrected = f"review-card0-{claims.iloc[0][C.doc_id]}-{claims.iloc[0][C.claim_id]}-confirm"
    assert confirms[corrected].disabled
    assert not all(b.disabled for b in confirms.values())


def test_a_review_change_updates_the_reviewed_snapshot_as_a_fresh_one_would(env: dict[str, Path]) -> None:
    corpus = extract_corpus([env["corpus"]], use_cache=False)
    snap = data.Snapshot(corpus=corpus, index=data.build_index(corpus.tables()), version="v")
    claims, docs = _market_claims(env)
    store = ReviewStore(env["data"] / "reviews.db")
    store.correct(key_of(claims.iloc[0], docs), {"value": 5.1e10})
    first, _ = data.apply_store(snap, store.reviews(), store.exclusions(), "v-1")
    store.reject(key_of(claims.iloc[1], docs))  # a figure gone: the claims' sentence lookups move
    updated, orphans = data.apply_store(snap, store.reviews(), store.exclusions(), "v-2", previous=first)
    fresh, fresh_orphans = data.apply_store(snap, store.reviews(), store.exclusions(), "v-2")
    got, want = updated.corpus.tables(), fresh.corpus.tables()
    assert list(got) == list(want) and len(got["claims"]) == len(corpus.claims) - 1
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], check_exact=True)
    pd.testing.assert_frame_equal(orphans, fresh_orphans)
    rebuilt = data.build_index(want)
    for name, positions in rebuilt.positions.items():
        assert updated.index.positions[name].tolist() == positions.tolist(), name
    pd.testing.assert_series_equal(updated.index.search_forms, rebuilt.search_forms)


@pytest.mark.parametrize("exclude", ["document", "outlet"])
def test_an_exclusion_updates_the_snapshot_and_its_lookups_as_a_fresh_one_would(
        env: dict[str, Path], exclude: str) -> None:
    corpus = extract_corpus([env["corpus"]], use_cache=False)
    snap = data.Snapshot(corpus=corpus, index=data.build_index(corpus.tables()), version="v")
    claims, docs = _market_claims(env)
    store = ReviewStore(env["data"] / "reviews.db")
    store.reject(key_of(claims.iloc[1], docs))
    first, _ = data.apply_store(snap, store.reviews(), store.exclusions(), "v-1")
    doc = docs[docs[C.doc_id] == claims.iloc[0][C.doc_id]].iloc[0]
    if exclude == "document":
        store.exclude_document(str(doc[C.content_hash]))
    else:
        store.exclude_outlet(str(doc[C.source_name]))
    steps = [first]
    for name in ("v-2", "v-3"):  # excluded, then brought back
        updated, _ = data.apply_store(snap, store.reviews(), store.exclusions(), name, previous=steps[-1])
        fresh, _ = data.apply_store(snap, store.reviews(), store.exclusions(), name)
        got, want = updated.corpus.tables(), fresh.corpus.tables()
        for table in want:
            pd.testing.assert_frame_equal(got[table], want[table], check_exact=True)
        rebuilt = data.build_index(want)
        for table, positions in rebuilt.positions.items():
            assert updated.index.positions[table].tolist() == positions.tolist(), (name, table)
        pd.testing.assert_series_equal(updated.index.search_forms, rebuilt.search_forms)
        steps.append(updated)
        if exclude == "document":
            store.include_document(str(doc[C.content_hash]))
        else:
            store.include_outlet(str(doc[C.source_name]))
    excluded = steps[1].corpus.tables()
    assert claims.iloc[0][C.doc_id] not in set(excluded["claims"][C.doc_id])
    assert len(excluded["sentences"]) < len(corpus.tables()["sentences"])
    assert len(steps[2].corpus.tables()["claims"]) == len(corpus.claims) - 1
