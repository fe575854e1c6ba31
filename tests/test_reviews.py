"""Reviews: keys, validation, the SQLite store (migration, set-aside files, export and import) and
apply_reviews on a tiny literal corpus of three documents written for these tests."""

from __future__ import annotations

import doctest
import hashlib
import json
import math
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from extract import reviews as rv
from extract import schema
from extract.reviewed import apply_reviews
from extract.reviews import ClaimKey, ReviewError, ReviewStore, key_of
from extract.schema import C

# -- a tiny corpus -------------------------------------------------------------------------------------

TEXTS = {
    "d1": "2023年，微短剧用户规模达到5.76亿人。全年市场规模约为373.9亿元。",
    "d2": "据行业报告，2024年上半年海外短剧应用收入为4.7亿美元，同比增长超过两倍。",
    "d3": "截至2025年3月，红果短剧月活跃用户突破1.5亿。另有调查称2023年用户规模为5.8亿人。",
}
OUTLETS = {"d1": "示例日报", "d2": "样例财经", "d3": "示例日报"}

# (doc_id, surface, value, unit, metric, qualifier, year, period, period_kind, entity, region, part)
CLAIMS = [
    ("d1", "5.76亿人", 576e6, "person", "users", "exact", 2023, "2023", "year", None, "", ""),
    ("d1", "373.9亿元", 373.9e8, "CNY", "market_size", "approximate", 2023, "2023", "year", None, "", ""),
    ("d2", "4.7亿美元", 4.7e8, "USD", "revenue", "exact", 2024, "2024-H1", "half", None, "overseas", ""),
    ("d3", "1.5亿", 1.5e8, "person", "users", "lower_bound", 2025, "2025-03", "as_of", "红果短剧", "", "mau"),
    ("d3", "5.8亿人", 5.8e8, "person", "users", "exact", 2023, "2023", "year", None, "", ""),
]


# The figures by name, so that the tables below stay readable.
USERS, SIZE, OVERSEAS, MAU, USERS_D3 = "5.76亿人", "373.9亿元", "4.7亿美元", "1.5亿", "5.8亿人"


def content_hash(doc_id: str) -> str:
    """The content hash of a test document."""
    return hashlib.sha256(TEXTS[doc_id].encode()).hexdigest()


def documents() -> pd.DataFrame:
    """The documents table of the tiny corpus."""
    rows = [{c: None for c in schema.columns("documents")} | {
        C.doc_id: d, C.path: f"{d}.md", C.file_name: f"{d}.md", C.format: "md", C.text: text,
        C.content_hash: content_hash(d), C.source_name: OUTLETS[d], C.n_chars: len(text), C.kind: "article",
    } for d, text in TEXTS.items()]
    return schema.conform(pd.DataFrame(rows), "documents")


def claims() -> pd.DataFrame:
    """The claims table of the tiny corpus, spans found in the texts."""
    rows, counters = [], {}
    for doc, surface, value, unit, metric, qual, year, period, kind, entity, region, part in CLAIMS:
        start = TEXTS[doc].index(surface)
        counters[doc] = counters.get(doc, -1) + 1
        rows.append({
            C.doc_id: doc, C.claim_id: counters[doc], C.sent_id: 0, C.surface: surface, C.start: start,
            C.end: start + len(surface), C.page: None, C.value: value, C.value_high: None, C.unit: unit,
            C.metric: metric,
            C.qualifier: qual, C.year: year, C.period: period, C.period_kind: kind, C.entity: entity,
            C.region: region, C.part: part, C.cited_source: None, C.subject: "用户规模",
            C.sentence: TEXTS[doc], C.themes: "",
        })
    return schema.conform(pd.DataFrame(rows), "claims")


def key(surface: str) -> ClaimKey:
    """The review key of the claim with this surface."""
    table = claims()
    return key_of(table[table[C.surface] == surface].iloc[0], documents())


@pytest.fixture
def store(tmp_path: Path) -> ReviewStore:
    """A fresh store in a temporary folder."""
    return ReviewStore(tmp_path / "reviews.db")


def applied(store: ReviewStore, claims_table: pd.DataFrame | None = None,
            docs: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """apply_reviews over the tiny corpus (or the given tables) with the store's reviews."""
    return apply_reviews(claims() if claims_table is None else claims_table,
                         documents() if docs is None else docs, store.reviews(), store.exclusions())


def row_of(table: pd.DataFrame, surface: str) -> pd.Series | None:
    """The one row with this surface, or None."""
    rows = table[table[C.surface] == surface]
    assert len(rows) <= 1
    return None if rows.empty else rows.iloc[0]


# -- keys ------------------------------------------------------------------------------------------------


def test_key_of_reads_the_content_hash_and_span() -> None:
    assert key(OVERSEAS) == ClaimKey(content_hash("d2"), 23, 29, OVERSEAS)
    assert TEXTS["d2"][23:29] == OVERSEAS


def test_key_of_a_claim_without_its_document_says_what_to_pass() -> None:
    with pytest.raises(ReviewError, match="not in the documents table"):
        key_of(claims().iloc[0], documents().iloc[1:])


@pytest.mark.parametrize(
    ("parts", "match"),
    [
        (("abc", 0, 3, "x"), "64 hex digits"),
        (("g" * 64, 0, 3, "x"), "64 hex digits"),
        (("a" * 64, 5, 5, "x"), "start < end"),
        (("a" * 64, -1, 3, "x"), "start < end"),
        (("a" * 64, "x", 3, "x"), "whole number"),
        (("a" * 64, True, 3, "x"), "whole number"),
        (("a" * 64, 0, 3, ""), "surface cannot be empty"),
        (("a" * 64, 0, 3, None), "surface cannot be empty"),
        (("a" * 64, 0, 3, "x" * 501), "at most 500"),
    ],
)
def test_bad_keys_are_refused(parts: tuple, match: str) -> None:
    with pytest.raises(ReviewError, match=match):
        ClaimKey(*parts)


def test_keys_normalise_numpy_ints_and_hash_case() -> None:
    table = claims()
    start, end = table[C.start].to_numpy()[0], table[C.end].to_numpy()[0]
    k = ClaimKey(content_hash("d1").upper(), start, end, USERS)
    assert k == key(USERS) and type(k.start) is int and hash(k) == hash(key(USERS))


# -- validation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"value": 5}, {"value": 5.0}),
        ({"value": "-3.5"}, {"value": -3.5}),
        ({"value_high": None}, {"value_high": None}),
        ({"year": "2024"}, {"year": 2024}),
        ({"year": 2024.0}, {"year": 2024}),
        ({"year": None}, {"year": None}),
        ({"unit": "USD", "metric": "revenue", "qualifier": "forecast"},
         {"unit": "USD", "metric": "revenue", "qualifier": "forecast"}),
        ({"period": "2024-01/2024-09", "period_kind": "span"},
         {"period": "2024-01/2024-09", "period_kind": "span"}),
        ({"period": "2022/2024"}, {"period": "2022/2024"}),
        ({"period": "2025-Q1", "period_kind": "cumulative"},
         {"period": "2025-Q1", "period_kind": "cumulative"}),
        ({"period": "2024-06", "period_kind": "as_of"}, {"period": "2024-06", "period_kind": "as_of"}),
        ({"entity": "  红果短剧 "}, {"entity": "  红果短剧 "}),
        ({"entity": ""}, {"entity": None}),
        ({"entity": "<script>alert(1)</script>"}, {"entity": "<script>alert(1)</script>"}),
    ],
)
def test_clean_corrections(fields: dict, expected: dict) -> None:
    assert rv.clean_corrections(fields) == expected


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({}, "at least one field"),
        ({"subject": "x"}, "cannot correct 'subject'"),
        ({"unit": "RMB"}, "unit must be one of CNY"),
        ({"unit": None}, "unit must be one of"),
        ({"metric": "gmv"}, "metric must be one of"),
        ({"qualifier": "maybe"}, "qualifier must be one of"),
        ({"period_kind": "decade"}, "period_kind must be one of"),
        ({"year": 1800}, "between 1900 and 2100"),
        ({"year": 2024.5}, "whole number"),
        ({"year": True}, "whole number"),
        ({"year": "二〇二四"}, "whole number"),
        ({"period": "2024H1"}, "period must look like"),
        ({"period": "2024-13"}, "period must look like"),
        ({"period": "2024-Q5"}, "period must look like"),
        ({"period": "2025/2024"}, "period must look like"),
        ({"period": "1850"}, "period must look like"),
        ({"period": 2024}, "period must look like"),
        ({"period": "2024-Q1", "period_kind": "month"}, "cannot be of kind 'month'"),
        ({"value": math.nan}, "finite number"),
        ({"value": math.inf}, "finite number"),
        ({"value": "504.4亿"}, "finite number"),
        ({"value": None}, "value cannot be empty"),
        ({"value": True}, "finite number"),
        ({"value_high": "nan"}, "finite number"),
        ({"value": 5.0, "value_high": 3.0}, "below value"),
        ({"entity": "名" * 501}, "at most 500"),
        ({"entity": "a\ud800"}, "lone surrogate"),
    ],
)
def test_bad_corrections_are_refused_and_nothing_is_stored(store: ReviewStore, fields: dict,
                                                           match: str) -> None:
    before = store.version()
    with pytest.raises(ReviewError, match=match):
        store.correct(key(USERS), fields)
    assert store.reviews().empty and store.version() == before


def test_review_error_is_a_value_error() -> None:
    assert issubclass(ReviewError, ValueError)


def test_notes_are_length_limited(store: ReviewStore) -> None:
    with pytest.raises(ReviewError, match="note is 501 characters"):
        store.confirm(key(USERS), note="注" * 501)
    store.confirm(key(USERS), note="注" * 500)
    assert store.reviews()[rv.R.note].tolist() == ["注" * 500]


# -- apply_reviews ---------------------------------------------------------------------------------------

Action = Callable[[ReviewStore], None]


def _correct(surface: str, **fields: object) -> Action:
    return lambda s: s.correct(key(surface), fields)


@pytest.mark.parametrize(
    ("action", "surface", "expected"),
    [
        (lambda s: s.confirm(key(USERS)), USERS,
         {"review": "confirmed", "corrected": "", "value": 576e6, "pinned": False}),
        (lambda s: s.confirm(key(USERS), note="核对过原文"), USERS,
         {"review": "confirmed", "review_note": "核对过原文"}),
        (lambda s: s.reject(key(USERS)), USERS, None),
        (_correct(USERS, value=5.8e8), USERS,
         {"value": 5.8e8, "orig_value": 576e6, "corrected": "value", "review": "corrected"}),
        (_correct(SIZE, value_high=380e8), SIZE,
         {"value_high": 380e8, "orig_value_high": None, "value": 373.9e8, "corrected": "value_high"}),
        (_correct(OVERSEAS, unit="HKD"), OVERSEAS, {"unit": "HKD", "orig_unit": "USD"}),
        (_correct(SIZE, metric="revenue"), SIZE, {"metric": "revenue", "orig_metric": "market_size"}),
        (_correct(MAU, qualifier="exact"), MAU, {"qualifier": "exact", "orig_qualifier": "lower_bound"}),
        (_correct(OVERSEAS, year=2023), OVERSEAS, {"year": 2023, "orig_year": 2024, "period": "2024-H1"}),
        (_correct(OVERSEAS, year=None), OVERSEAS, {"year": None, "orig_year": 2024, "corrected": "year"}),
        (_correct(OVERSEAS, period="2024-Q2"), OVERSEAS, {"period": "2024-Q2", "orig_period": "2024-H1"}),
        (_correct(MAU, period_kind="cumulative"), MAU,
         {"period_kind": "cumulative", "orig_period_kind": "as_of"}),
        (_correct(USERS, entity="红果短剧"), USERS, {"entity": "红果短剧", "orig_entity": None}),
        (_correct(MAU, entity=None), MAU, {"entity": None, "orig_entity": "红果短剧", "corrected": "entity"}),
        (lambda s: (s.correct(key(OVERSEAS), {"unit": "HKD"}), s.correct(key(OVERSEAS), {"year": 2023})),
         OVERSEAS, {"unit": "HKD", "year": 2023, "corrected": "unit|year"}),
        (lambda s: (s.correct(key(OVERSEAS), {"unit": "HKD"}), s.confirm(key(OVERSEAS))),
         OVERSEAS, {"unit": "USD", "review": "confirmed", "corrected": ""}),
        (lambda s: s.pin(key(MAU)), MAU, {"pinned": True, "review": "unreviewed"}),
        (lambda s: (s.pin(key(MAU)), s.unpin(key(MAU))), MAU, {"pinned": False, "review": "unreviewed"}),
        (lambda s: (s.pin(key(MAU)), s.reject(key(MAU))), MAU, None),
        (lambda s: (s.reject(key(MAU)), s.clear(key(MAU))), MAU, {"review": "unreviewed"}),
        (lambda s: s.exclude_document(content_hash("d2")), OVERSEAS, None),
        (lambda s: (s.exclude_document(content_hash("d2")), s.include_document(content_hash("d2"))), OVERSEAS,
         {"review": "unreviewed"}),
        (lambda s: s.exclude_outlet("示例日报"), USERS_D3, None),
        (lambda s: (s.exclude_outlet("示例日报"), s.include_outlet("示例日报")), USERS_D3,
         {"review": "unreviewed"}),
    ],
)
def test_apply_reviews(store: ReviewStore, action: Action, surface: str, expected: dict | None) -> None:
    action(store)
    out, orphans = applied(store)
    assert orphans.empty
    row = row_of(out, surface)
    if expected is None:
        assert row is None
        return
    assert row is not None
    for column, value in expected.items():
        assert (pd.isna(row[column]) if value is None else row[column] == value), (column, row[column])
    others = out[out[C.surface] != surface]
    assert (others["review"] == "unreviewed").all() and not others["pinned"].any()


def test_excluding_an_outlet_drops_all_its_documents_and_nothing_else(store: ReviewStore) -> None:
    store.exclude_outlet("示例日报")
    out, _ = applied(store)
    assert out[C.doc_id].tolist() == ["d2"]
    assert store.exclusions()[["kind", "name"]].values.tolist() == [["outlet", "示例日报"]]


def test_a_claim_whose_id_changed_keeps_its_review(store: ReviewStore) -> None:
    store.correct(key(USERS_D3), {"value": 5.9e8})
    renumbered = claims().iloc[::-1].reset_index(drop=True)
    renumbered[C.claim_id] = pd.array(range(100, 105), dtype="Int64")
    out, orphans = applied(store, renumbered)
    assert orphans.empty
    assert row_of(out, USERS_D3)[C.value] == 5.9e8


@pytest.mark.parametrize(
    ("change", "reason", "detail"),
    [
        (lambda t, d: (t[t[C.doc_id] != "d1"], d[d[C.doc_id] != "d1"]), "document_gone", "restore the file"),
        (lambda t, d: (t.assign(surface=t[C.surface].replace(USERS, "5.76亿"),
                                end=t[C.end].where(t[C.surface] != USERS, t[C.end] - 1)), d),
         "claim_changed", "it is now '5.76亿' at 15–20"),
        (lambda t, d: (t[t[C.surface] != USERS], d), "claim_gone", "no figure of the document lies at 15–21"),
        (lambda t, d: (t.assign(surface=t[C.surface].replace(USERS, "5.77亿人")), d), "claim_changed",
         "it is now '5.77亿人' at 15–21"),
    ],
)
def test_a_review_whose_figure_is_gone_is_an_orphan_and_touches_nothing(
    store: ReviewStore, change: Callable, reason: str, detail: str
) -> None:
    store.correct(key(USERS), {"value": 1.0, "unit": "count"}, note="原文有误")
    table, docs = change(claims(), documents())
    out, orphans = applied(store, table, docs)
    assert orphans[rv.R.reason].tolist() == [reason]
    assert detail in orphans[rv.R.detail].iloc[0]
    assert orphans[rv.R.note].tolist() == ["原文有误"]
    assert list(orphans.columns) == rv.empty("orphans").columns.tolist()
    assert (out[C.value] != 1.0).all() and (out["review"] == "unreviewed").all()


def test_a_review_of_an_excluded_document_is_not_an_orphan(store: ReviewStore) -> None:
    store.confirm(key(OVERSEAS))
    store.exclude_document(content_hash("d2"))
    out, orphans = applied(store)
    assert orphans.empty and "d2" not in set(out[C.doc_id])


def test_the_latest_pin_of_an_indicator_and_period_wins(store: ReviewStore) -> None:
    store.pin(key(USERS_D3))
    store.pin(key(USERS))  # same indicator (users||||person|year), same period 2023
    store.pin(key(OVERSEAS))  # another indicator: keeps its pin
    out, _ = applied(store)
    assert sorted(out.loc[out["pinned"], C.surface]) == [OVERSEAS, USERS]
    store.pin(key(USERS_D3))  # pinned again: now the latest
    out, _ = applied(store)
    assert sorted(out.loc[out["pinned"], C.surface]) == [OVERSEAS, USERS_D3]


def test_a_pin_follows_the_corrected_indicator(store: ReviewStore) -> None:
    store.pin(key(USERS_D3))
    store.pin(key(USERS))
    store.correct(key(USERS), {"period": "2023-H1", "period_kind": "half"})  # no longer the same period
    out, _ = applied(store)
    assert sorted(out.loc[out["pinned"], C.surface]) == [USERS, USERS_D3]


def test_a_rejected_claim_cannot_be_pinned(store: ReviewStore) -> None:
    store.reject(key(MAU))
    with pytest.raises(ReviewError, match="rejected claim cannot be pinned"):
        store.pin(key(MAU))
    assert store.reviews()[rv.R.status].tolist() == ["rejected"]


def test_apply_reviews_keeps_dtypes_adds_declared_columns_and_leaves_inputs_alone(store: ReviewStore) -> None:
    store.correct(key(OVERSEAS), {"year": 2023, "value": 4.8e8, "entity": "某应用"})
    store.pin(key(MAU))
    store.exclude_document(content_hash("d1"))
    table, docs, reviews, exclusions = claims(), documents(), store.reviews(), store.exclusions()
    copies = [f.copy(deep=True) for f in (table, docs, reviews, exclusions)]
    out, _ = apply_reviews(table, docs, reviews, exclusions)
    for before, after in zip(copies, (table, docs, reviews, exclusions), strict=True):
        pd.testing.assert_frame_equal(before, after)
    added = [c.name for c in rv.REVIEW_TABLES["reviewed"]]
    assert list(out.columns) == schema.columns("claims") + added
    expected = {c.name: c.dtype for c in (*schema.TABLES["claims"], *rv.REVIEW_TABLES["reviewed"])}
    assert {c: str(t) for c, t in out.dtypes.items()} == expected
    assert out.index.tolist() == list(range(len(out)))


def test_of_two_reviews_of_one_key_in_a_hand_built_frame_the_last_wins(store: ReviewStore) -> None:
    store.correct(key(USERS), {"value": 1.0})
    first = store.reviews()
    store.correct(key(USERS), {"value": 2.0})
    both = pd.concat([first, store.reviews()], ignore_index=True)
    out, orphans = apply_reviews(claims(), documents(), both, store.exclusions())
    assert row_of(out, USERS)[C.value] == 2.0 and orphans.empty


def test_apply_reviews_with_nothing_reviewed_adds_defaults() -> None:
    out, orphans = apply_reviews(claims(), documents(), rv.empty("reviews"), rv.empty("exclusions"))
    assert len(out) == len(CLAIMS) and orphans.empty
    assert (out["review"] == "unreviewed").all() and (out["corrected"] == "").all()
    assert not out["pinned"].any()
    pd.testing.assert_series_equal(out["orig_value"], out[C.value], check_names=False)


def test_apply_reviews_names_a_missing_column() -> None:
    with pytest.raises(ReviewError, match=r"reviews frame lacks columns \['pinned'\]"):
        apply_reviews(claims(), documents(), rv.empty("reviews").drop(columns="pinned"),
                      rv.empty("exclusions"))


# -- the store -------------------------------------------------------------------------------------------


def test_reviews_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    first = ReviewStore(path)
    first.correct(key(OVERSEAS), {"unit": "HKD"}, note="港元")
    first.pin(key(MAU))
    again = ReviewStore(path)
    assert again.problem is None
    pd.testing.assert_frame_equal(again.reviews(), first.reviews())
    assert again.version() == first.version()


def test_version_changes_with_every_write_and_only_then(store: ReviewStore) -> None:
    seen = [store.version()]
    for write in (lambda: store.confirm(key(MAU)), lambda: store.pin(key(MAU)),
                  lambda: store.exclude_outlet("样例财经"), lambda: store.include_outlet("样例财经"),
                  lambda: store.clear(key(MAU))):
        write()
        store.reviews()
        seen.append(store.version())
    assert len(set(seen)) == len(seen)
    assert store.version() == seen[-1]


def test_a_note_of_none_keeps_the_note_and_empty_clears_it(store: ReviewStore) -> None:
    store.confirm(key(MAU), note="第一次")
    store.pin(key(MAU))
    store.confirm(key(MAU))
    assert store.reviews()[rv.R.note].tolist() == ["第一次"]
    store.confirm(key(MAU), note="")
    assert store.reviews()[rv.R.note].isna().all()


def test_unpinning_a_pin_only_review_removes_it(store: ReviewStore) -> None:
    store.pin(key(MAU))
    store.unpin(key(MAU))
    assert store.reviews().empty


def test_writes_need_a_claim_key(store: ReviewStore) -> None:
    with pytest.raises(ReviewError, match="expected a ClaimKey"):
        store.confirm(("a" * 64, 0, 3, "x"))  # type: ignore[arg-type]


def test_module_docstring_example_runs() -> None:
    result = doctest.testmod(rv, verbose=False)
    assert result.attempted >= 4 and result.failed == 0


# -- export and import -----------------------------------------------------------------------------------

HOSTILE_NOTE = '=HYPERLINK("http://evil.example","点我")\n第二行, 带逗号 "引号"'


def _fill(store: ReviewStore) -> None:
    """Every kind of review, with notes a spreadsheet or a CSV parser could trip on."""
    store.confirm(key(USERS), note=HOSTILE_NOTE)
    store.reject(key(SIZE), note="'已核对")
    store.correct(key(OVERSEAS), {"value": 4.75e8, "value_high": 4.9e8, "unit": "HKD", "year": None,
                                    "period": "2024-Q2", "period_kind": "quarter", "qualifier": "range"})
    store.correct(key(MAU), {"entity": "-红果+", "metric": "users"}, note="@负责人")
    store.pin(key(USERS_D3))
    store.pin(key(MAU))
    store.correct(ClaimKey("c" * 64, 3, 7, "-3.5%"), {"value": -3.5})  # a surface Excel would run
    store.exclude_document(content_hash("d2"))
    store.exclude_outlet("=样例财经")


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """A reviews frame without the store-local revision numbers (pins compared by their order)."""
    frame = frame.sort_values([rv.R.content_hash, rv.R.start]).reset_index(drop=True)
    return frame.assign(pin_rev=frame[rv.R.pin_rev].rank()).drop(columns=rv.R.rev)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_export_import_round_trip(tmp_path: Path, store: ReviewStore, suffix: str) -> None:
    _fill(store)
    path = tmp_path / f"reviews{suffix}"
    (store.export_csv if suffix == ".csv" else store.export_jsonl)(path)
    fresh = ReviewStore(tmp_path / "fresh.db")
    assert fresh.import_file(path) == 8  # six claims, a document and an outlet
    pd.testing.assert_frame_equal(_comparable(fresh.reviews()), _comparable(store.reviews()))
    pd.testing.assert_frame_equal(fresh.exclusions(), store.exclusions())
    ours, theirs = applied(store), applied(fresh)
    pd.testing.assert_frame_equal(ours[0], theirs[0])


def test_csv_export_is_excel_safe(tmp_path: Path, store: ReviewStore) -> None:
    _fill(store)
    data = store.export_csv(tmp_path / "r.csv").read_bytes()
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'-3.5%" in text and "''已核对" in text and "'@负责人" in text
    assert ",-3.5," in text  # numbers stay numbers


def test_jsonl_export_is_one_object_a_line(tmp_path: Path, store: ReviewStore) -> None:
    _fill(store)
    lines = store.export_jsonl(tmp_path / "r.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["kind"] for r in records] == ["claim"] * 6 + ["document", "outlet"]
    assert records[0]["note"] == HOSTILE_NOTE


def test_a_bad_row_imports_nothing(tmp_path: Path, store: ReviewStore) -> None:
    _fill(store)
    path = store.export_jsonl(tmp_path / "r.jsonl")
    lines = path.read_text("utf-8").splitlines()
    bad = json.loads(lines[2]) | {"unit": "RMB"}
    path.write_text("\n".join([*lines[:2], json.dumps(bad, ensure_ascii=False), *lines[3:]]) + "\n", "utf-8")
    fresh = ReviewStore(tmp_path / "fresh.db")
    before = fresh.version()
    with pytest.raises(ReviewError, match=r"(?s)nothing changed.*line 3: unit must be one of"):
        fresh.import_file(path)
    assert fresh.reviews().empty and fresh.exclusions().empty and fresh.version() == before


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("r.txt", "", "name it .csv or .jsonl"),
        ("missing/r.csv", None, "cannot read"),
        ("r.csv", b"kind\r\n" + "claim,备注".encode("gb18030"), "not UTF-8"),
        ("r.csv", "kind,colour\r\nclaim,red\r\n", r"unknown columns \['colour'\]"),
        ("r.csv", "kind,content_hash\r\ndocument,abc\r\n", "row 2: content_hash must be the 64 hex digits"),
        ("r.csv", f"kind,content_hash\r\ndocument,{'a' * 64},extra\r\n", "more cells than the header"),
        ("r.jsonl", "{not json}\n", "line 1 is not JSON"),
        ("r.jsonl", "[1, 2]\n", "line 1 is not a JSON object"),
        ("r.jsonl", json.dumps({"kind": "video"}) + "\n", "kind must be one of claim, document, outlet"),
        ("r.jsonl", json.dumps({"kind": "claim", "content_hash": "a" * 64, "start": 0, "end": 2,
                                "surface": "5亿"}) + "\n", "neither reviews nor pins"),
        ("r.jsonl", json.dumps({"kind": "claim", "content_hash": "a" * 64, "start": 0, "end": 2,
                                "surface": "5亿", "status": "corrected"}) + "\n", "lists its fields"),
        ("r.jsonl", json.dumps({"kind": "claim", "content_hash": "a" * 64, "start": 0, "end": 2,
                                "surface": "5亿", "status": "confirmed", "unit": "CNY"}) + "\n",
         "unit given but not listed"),
        ("r.jsonl", json.dumps({"kind": "claim", "content_hash": "a" * 64, "start": 0, "end": 2,
                                "surface": "5亿", "status": "rejected", "pinned": True}) + "\n",
         "rejected claim cannot be pinned"),
        ("r.jsonl", json.dumps({"kind": "outlet", "source_name": "x", "updated_at": "yesterday"}) + "\n",
         "ISO 8601"),
    ],
)
def test_bad_import_files_are_refused(tmp_path: Path, store: ReviewStore, name: str,
                                      content: str | bytes | None, match: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(ReviewError, match=match):
        store.import_file(path)
    assert store.reviews().empty and store.exclusions().empty


def test_an_upload_imports_from_bytes_and_an_oversized_one_is_refused(
    store: ReviewStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = ReviewStore(store.path.with_name("source.db"))
    _fill(source)
    assert store.import_bytes(source.to_csv(), "审核记录.csv") == 8
    pd.testing.assert_frame_equal(_comparable(store.reviews()), _comparable(source.reviews()))
    monkeypatch.setattr(rv, "MAX_IMPORT_BYTES", 100)
    with pytest.raises(ReviewError, match="split it into parts"):
        store.import_bytes(source.to_jsonl(), "r.jsonl")


def test_import_replaces_the_review_of_the_same_key(tmp_path: Path, store: ReviewStore) -> None:
    store.reject(key(MAU), note="旧")
    k = key(MAU)
    record = {"kind": "claim", "content_hash": k.content_hash, "start": k.start, "end": k.end,
              "surface": k.surface, "status": "corrected", "corrected": "entity", "entity": None,
              "note": "新"}
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    store.import_file(path)
    out, _ = applied(store)
    got = row_of(out, MAU)[["review", "corrected", "review_note"]].tolist()
    assert got == ["corrected", "entity", "新"]
    assert pd.isna(row_of(out, MAU)[C.entity])


# -- schema versions and unusable files ------------------------------------------------------------------

# The version-1 schema as that release wrote it: a fixed historical artefact, so spelled out here.
V1_SCHEMA = """
CREATE TABLE reviews (
    content_hash TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, surface TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected', 'corrected')),
    value REAL, unit TEXT, metric TEXT, year INTEGER, note TEXT, updated_at TEXT NOT NULL,
    CHECK (status <> 'corrected' OR coalesce(value, unit, metric, year) IS NOT NULL),
    PRIMARY KEY (content_hash, start, "end", surface));
CREATE TABLE exclusions (
    kind TEXT NOT NULL CHECK (kind IN ('document', 'outlet')), name TEXT NOT NULL,
    updated_at TEXT NOT NULL, PRIMARY KEY (kind, name));
PRAGMA user_version = 1;
"""


def _write_v1(path: Path) -> None:
    """A version-1 database with a confirmed, a corrected and a rejected review and an excluded outlet."""
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    rows = [
        (*_parts(key(USERS)), "confirmed", None, None, None, None, "核对过", "2025-01-02T03:04:05+00:00"),
        (*_parts(key(OVERSEAS)), "corrected", 4.8e8, "HKD", None, 2023, None, "2025-01-03T00:00:00+00:00"),
        (*_parts(key(SIZE)), "rejected", None, None, None, None, "不是", "2025-01-04T00:00:00+00:00"),
    ]
    conn.executemany("INSERT INTO reviews VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("INSERT INTO exclusions VALUES ('outlet', '示例日报', '2025-01-05T00:00:00+00:00')")
    conn.commit()
    conn.close()


def _parts(k: ClaimKey) -> tuple:
    return k.content_hash, k.start, k.end, k.surface


def _schema_of(path: Path) -> tuple[int, dict[str, list[tuple]]]:
    """(user_version, {table: its columns as PRAGMA table_info gives them}) of a database file."""
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        query = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        names = [r[0] for r in conn.execute(query)]
        return version, {name: conn.execute(f"PRAGMA table_info({name})").fetchall() for name in names}
    finally:
        conn.close()


def test_a_version_1_database_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    _write_v1(path)
    store = ReviewStore(path)
    assert store.problem is None
    version, tables = _schema_of(path)
    assert version == rv.SCHEMA_VERSION == 2
    assert (version, tables) == _schema_of(ReviewStore(tmp_path / "new.db").path)  # same as a new file's
    got = store.reviews().set_index(rv.R.surface)
    assert got.loc[USERS, [rv.R.status, rv.R.corrected, rv.R.note]].tolist() == ["confirmed", "", "核对过"]
    assert got.loc[OVERSEAS, [rv.R.status, rv.R.corrected, C.value, C.unit, C.year]].tolist() == [
        "corrected", "value|unit|year", 4.8e8, "HKD", 2023]
    assert pd.isna(got.loc[OVERSEAS, C.metric])
    assert got.loc[SIZE, rv.R.updated_at] == "2025-01-04T00:00:00+00:00"
    assert not got[rv.R.pinned].any()
    assert store.exclusions()[rv.R.name].tolist() == ["示例日报"]
    out, orphans = applied(store)
    assert orphans.empty and SIZE not in set(out[C.surface]) and set(out[C.doc_id]) == {"d2"}
    assert row_of(out, OVERSEAS)[[C.value, C.unit, C.year]].tolist() == [4.8e8, "HKD", 2023]
    store.pin(key(OVERSEAS))  # what version 2 added works on migrated data
    assert store.reviews()[rv.R.pinned].sum() == 1


def test_a_version_1_database_the_upgrade_refuses_is_set_aside_whole(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    _write_v1(path)
    conn = sqlite3.connect(path)  # version 1 never checked spans; version 2 refuses an empty one
    conn.execute("INSERT INTO reviews VALUES (?, 5, 5, '亿', 'confirmed', NULL, NULL, NULL, NULL, NULL, "
                 "'2025-01-01T00:00:00+00:00')", (content_hash("d1"),))
    conn.commit()
    conn.close()
    original = path.read_bytes()
    store = ReviewStore(path)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("reviews.db.unmigrated-")]
    assert len(aside) == 1 and aside[0].read_bytes() == original  # untouched: the upgrade rolled back
    assert _schema_of(aside[0])[0] == 1
    assert store.problem is not None and "upgrading it to review schema 2 failed" in store.problem
    assert store.reviews().empty and _schema_of(path)[0] == 2


def _our_db_truncated(path: Path) -> None:
    store = ReviewStore(path)
    for i in range(300):
        store.confirm(ClaimKey("e" * 64, i, i + 1, "亿"), note="长" * 200)
    data = path.read_bytes()
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    path.write_bytes(data[: len(data) // 2])


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT)")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    ReviewStore(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 3")
    conn.close()


def _lacking_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE reviews (x)")
    conn.execute("PRAGMA user_version = 2")
    conn.close()


@pytest.mark.parametrize(
    ("make", "suffix", "why"),
    [
        (lambda p: p.write_bytes(bytes(range(256)) * 40), "corrupt", "not an SQLite database"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000), "corrupt", "SQLite"),
        (_our_db_truncated, "corrupt", "SQLite"),
        (_foreign, "foreign", "tables: photos"),
        (_lacking_tables, "foreign", "another program's"),
        (_newer, "newer", "review schema 3"),
    ],
)
def test_an_unusable_file_is_set_aside_never_deleted(tmp_path: Path, make: Callable[[Path], None],
                                                     suffix: str, why: str) -> None:
    path = tmp_path / "reviews.db"
    make(path)
    original = path.read_bytes()
    store = ReviewStore(path)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(f"reviews.db.{suffix}-")
             and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == original
    assert store.problem is not None and why in store.problem and aside[0].name in store.problem
    store.confirm(key(MAU))
    assert store.reviews()[rv.R.status].tolist() == ["confirmed"]
    assert ReviewStore(path).problem is None  # the fresh file is ours


def test_an_empty_file_is_simply_used(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    path.touch()
    store = ReviewStore(path)
    assert store.problem is None and store.reviews().empty
    assert sorted(p.name for p in tmp_path.iterdir() if ".db." in p.name) == ["reviews.db.lock"]


def test_a_store_that_cannot_be_created_says_why(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(rv.ReviewStoreError, match="cannot open the review database"):
        ReviewStore(tmp_path / "file" / "reviews.db")


def test_a_file_damaged_while_open_fails_writes_clearly_and_is_set_aside_on_reopening(
    store: ReviewStore,
) -> None:
    store.confirm(key(MAU))
    store.path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(rv.ReviewStoreError, match="reopen the store"):
        store.confirm(key(USERS))
    again = ReviewStore(store.path)
    assert again.problem is not None and "not an SQLite database" in again.problem
    again.confirm(key(USERS))
    assert again.reviews()[C.surface].tolist() == [USERS]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MICRODRAMA_REVIEWS": "/data/r.db", "XDG_DATA_HOME": "/x"}, "/data/r.db"),
        ({"XDG_DATA_HOME": "/x"}, "/x/microdrama-facts/reviews.db"),
        ({"HOME": "/home/a"}, "/home/a/.local/share/microdrama-facts/reviews.db"),
    ],
)
def test_default_review_path(monkeypatch: pytest.MonkeyPatch, env: dict, expected: str) -> None:
    for name in ("MICRODRAMA_REVIEWS", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert rv.default_review_path() == Path(expected)


def test_the_database_uses_wal(store: ReviewStore) -> None:
    conn = sqlite3.connect(store.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
