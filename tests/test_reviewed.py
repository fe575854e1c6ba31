"""Reviews applied to a whole corpus (extract/reviewed.py): one review's change, applied to the result before
it, gives exactly what applying every review afresh gives, for each kind of change, on a generated corpus
(tests/bench/gen_corpus.py); and it recomputes only the groups the change touches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from extract import extract_corpus, indicators
from extract import reviewed as rd
from extract.reviewed import Reviewed, review, review_tables
from extract.reviews import ClaimKey, ReviewStore, key_of
from extract.schema import C
from tests.bench.gen_corpus import write_corpus

N_DOCS = 40


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The tables of a 40-document generated corpus, extracted once for the module."""
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, N_DOCS, seed=0)
    return extract_corpus([folder], workers=1, use_cache=False).tables()


@dataclass(frozen=True)
class Picks:
    """The claims the changes act on: ``pair`` share an indicator and period, ``rows`` are in other
    indicators, ``others`` are reviewed beforehand."""

    tables: dict[str, pd.DataFrame]
    pair: tuple[int, int]
    rows: tuple[int, ...]
    others: tuple[int, ...]

    def key(self, row: int) -> ClaimKey:
        """The review key of claim ``row``."""
        return key_of(self.tables["claims"].iloc[row], self.tables["documents"])

    def value(self, row: int) -> float:
        """The extracted value of claim ``row``."""
        return float(self.tables["claims"].iloc[row][C.value])

    def doc(self, row: int) -> pd.Series:
        """The document of claim ``row``."""
        docs = self.tables["documents"]
        return docs[docs[C.doc_id] == self.tables["claims"].iloc[row][C.doc_id]].iloc[0]


@pytest.fixture(scope="module")
def picks(tables: dict[str, pd.DataFrame]) -> Picks:
    """Claims of the generated corpus's indicators: two of one actual indicator and period, and one from
    each of twelve other indicators; every fourth of the rest is reviewed beforehand."""
    claims = tables["claims"]
    ids = zip(claims[C.doc_id], claims[C.claim_id], strict=True)
    where = {(doc, int(claim)): i for i, (doc, claim) in enumerate(ids)}
    groups = indicators.indicators(claims, tables["documents"])
    groups = groups[~groups[C.forecast].astype(bool)].sort_values(C.n_claims, ascending=False, kind="stable")
    members = [[where[(k.split("#")[0], int(k.split("#")[1]))] for k in keys.split("|")]
               for keys in groups[C.claim_keys]]
    assert len(members) > 13 and len(members[0]) >= 2, "the generated corpus has too few indicators"
    firsts = [m[0] for m in members[1:]]
    outlet = dict(zip(tables["documents"][C.doc_id], tables["documents"][C.source_name], strict=True))
    # rows[10]'s document is excluded and brought back while rows[3]'s outlet is excluded: they must
    # differ, or bringing the document back would change nothing.
    apart = next(i for i in range(10, len(firsts))
                 if outlet[claims[C.doc_id].iloc[firsts[i]]] != outlet[claims[C.doc_id].iloc[firsts[3]]])
    rows = (*firsts[:10], firsts[apart], next(f for f in firsts[10:] if f != firsts[apart]))
    used = {*members[0][:2], *rows}
    others = tuple(i for i in range(0, len(claims), 4) if i not in used)
    return Picks(tables, (members[0][0], members[0][1]), rows, others)


def _review_others(store: ReviewStore, p: Picks) -> None:
    """Reviews of the ``others`` claims, as the bench makes them: confirmed, corrected, rejected, pinned,
    and every tenth an orphan."""
    for n, row in enumerate(p.others):
        key = p.key(row)
        if n % 10 == 0:
            key = ClaimKey(key.content_hash, key.start, key.end + 1, key.surface + "x")
        if n % 4 == 0:
            store.confirm(key)
        elif n % 4 == 1:
            store.correct(key, {C.value: p.value(row) * 1.05})
        elif n % 4 == 2:
            store.reject(key)
        else:
            store.pin(key)


Change = Callable[[ReviewStore, Picks], None]


def _orphan(p: Picks) -> ClaimKey:
    """A key whose span holds no figure: its review is an orphan."""
    key = p.key(p.rows[0])
    return ClaimKey(key.content_hash, key.start, key.end + 2, key.surface + "yy")


# Each change in turn, applied to the result of the one before; every one changes some table.
CHANGES: list[tuple[str, Change]] = [
    ("confirm a figure, with a note", lambda s, p: s.confirm(p.key(p.rows[0]), note="核对无误")),
    ("correct its value", lambda s, p: s.correct(p.key(p.rows[1]), {C.value: p.value(p.rows[1]) * 3})),
    ("correct its range", lambda s, p: s.correct(
        p.key(p.rows[2]), {C.value_high: p.value(p.rows[2]) * 2, C.qualifier: "range"})),
    ("correct its unit", lambda s, p: s.correct(p.key(p.rows[3]), {C.unit: "USD"})),
    ("correct its metric and unit", lambda s, p: s.correct(
        p.key(p.rows[4]), {C.metric: "market_size", C.unit: "CNY"})),
    ("correct its qualifier to a forecast", lambda s, p: s.correct(
        p.key(p.rows[5]), {C.qualifier: "forecast"})),
    ("correct its year and period", lambda s, p: s.correct(
        p.key(p.rows[6]), {C.year: 2019, C.period: "2019", C.period_kind: "year"})),
    ("correct its period to a half", lambda s, p: s.correct(
        p.key(p.rows[7]), {C.period: "2024-H1", C.period_kind: "half"})),
    ("correct its entity", lambda s, p: s.correct(p.key(p.rows[8]), {C.entity: "某平台"})),
    ("correct the entity and a year to null", lambda s, p: s.correct(p.key(p.rows[8]), {C.entity: None,
                                                                                          C.year: None})),
    ("reject a figure", lambda s, p: s.reject(p.key(p.rows[9]))),
    ("pin a figure", lambda s, p: s.pin(p.key(p.pair[0]))),
    ("pin another of its indicator and period: the later wins", lambda s, p: s.pin(p.key(p.pair[1]))),
    ("unpin it: the first pin heads again", lambda s, p: s.unpin(p.key(p.pair[1]))),
    ("reject the pinned figure", lambda s, p: s.reject(p.key(p.pair[0]))),
    ("undo a rejection", lambda s, p: s.clear(p.key(p.rows[9]))),
    ("undo a correction", lambda s, p: s.clear(p.key(p.rows[1]))),
    ("review a figure that is not there: an orphan", lambda s, p: s.confirm(_orphan(p))),
    ("clear the orphan", lambda s, p: s.clear(_orphan(p))),
    ("exclude a document", lambda s, p: s.exclude_document(str(p.doc(p.rows[10])[C.content_hash]))),
    ("correct a figure while it is excluded", lambda s, p: s.correct(p.key(p.rows[11]), {C.value: 1.0})),
    ("exclude an outlet", lambda s, p: s.exclude_outlet(str(p.doc(p.rows[3])[C.source_name]))),
    ("bring the document back", lambda s, p: s.include_document(str(p.doc(p.rows[10])[C.content_hash]))),
    ("bring the outlet back", lambda s, p: s.include_outlet(str(p.doc(p.rows[3])[C.source_name]))),
]


def assert_same(got: Reviewed, tables: dict[str, pd.DataFrame], orphans: pd.DataFrame, step: str) -> None:
    """Every table and the orphans equal, cell for cell and dtype for dtype."""
    assert list(got.tables) == list(tables), step
    for name, frame in tables.items():
        try:
            pd.testing.assert_frame_equal(got.tables[name], frame, check_exact=True)
        except AssertionError as exc:
            raise AssertionError(f"{step}: table {name!r} differs from the full computation: {exc}") from None
    pd.testing.assert_frame_equal(got.orphans, orphans, check_exact=True, obj=f"{step}: orphans")


def _same_result(a: Reviewed, b: Reviewed) -> bool:
    """Whether two results hold the same tables and orphans."""
    frames = [*((a.tables[n], b.tables[n]) for n in a.tables), (a.orphans, b.orphans)]
    return all(x.shape == y.shape and x.equals(y) for x, y in frames)


@pytest.mark.parametrize("max_splices", [rd.MAX_SPLICES, 0])
def test_each_change_applied_to_the_last_result_equals_the_full_computation(
        tables: dict[str, pd.DataFrame], picks: Picks, tmp_path: Path, max_splices: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rd, "MAX_SPLICES", max_splices)  # 0: a figure rejected or brought back rebuilds
    store = ReviewStore(tmp_path / "reviews.db")
    _review_others(store, picks)
    last = review(tables, store.reviews(), store.exclusions())
    assert_same(last, *review_tables(tables, store.reviews(), store.exclusions()), "the first review")
    assert len(last.orphans) and len(last.tables["claims"]) < len(tables["claims"])
    for step, change in CHANGES:
        change(store, picks)
        reviews, exclusions = store.reviews(), store.exclusions()
        updated = review(tables, reviews, exclusions, previous=last)
        assert_same(updated, *review_tables(tables, reviews, exclusions), step)
        assert not _same_result(updated, last), f"{step}: changed nothing, so it tests nothing"
        last = updated


def test_one_change_recomputes_only_the_groups_it_touches(
        tables: dict[str, pd.DataFrame], picks: Picks, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = ReviewStore(tmp_path / "reviews.db")
    _review_others(store, picks)
    first = review(tables, store.reviews(), store.exclusions())
    row = picks.rows[0]
    # another period of the figure's own indicator that has figures, so that it leaves its group for one
    # that exists
    own, ind = tables["claims"].iloc[row], first.tables["indicators"]
    key = f"{own[C.doc_id]}#{int(own[C.claim_id])}"
    home = ind[ind[C.claim_keys].str.split("|").map(lambda keys: key in keys)].iloc[0]
    target = ind[(ind[C.indicator] == home[C.indicator]) & (ind[C.period] != home[C.period])
                 & ~ind[C.forecast].astype(bool)].iloc[0]
    store.correct(picks.key(row), {C.year: int(target[C.year]), C.period: target[C.period]})
    seen: list[object] = []
    real = indicators.indicator_row
    monkeypatch.setattr(indicators, "indicator_row",
                        lambda group, *rest: seen.append(group) or real(group, *rest))
    review(tables, store.reviews(), store.exclusions(), previous=first)
    assert len(seen) == 2  # the group the figure left and the one it joined
    seen.clear()
    review(tables, store.reviews(), store.exclusions())
    assert len(seen) == len(first.tables["indicators"])  # afresh: every group


def test_a_result_for_other_tables_is_not_reused(tables: dict[str, pd.DataFrame], picks: Picks,
                                                tmp_path: Path) -> None:
    store = ReviewStore(tmp_path / "reviews.db")
    _review_others(store, picks)
    first = review(tables, store.reviews(), store.exclusions())
    claims = tables["claims"].copy()
    row = picks.rows[1]
    claims.loc[row, C.value] = claims.loc[row, C.value] * 7  # re-extracted: the same claim, another value
    changed = {**tables, "claims": claims}
    again = review(changed, store.reviews(), store.exclusions(), previous=first)
    assert_same(again, *review_tables(changed, store.reviews(), store.exclusions()), "other tables")
    assert not again.tables["claims"].equals(first.tables["claims"])


def test_a_new_year_regroups_every_claim(tables: dict[str, pd.DataFrame], picks: Picks, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store = ReviewStore(tmp_path / "reviews.db")
    _review_others(store, picks)
    first = review(tables, store.reviews(), store.exclusions())
    store.confirm(picks.key(picks.rows[0]))
    year = indicators.this_year()
    monkeypatch.setattr(indicators, "this_year", lambda today=None: year - 2)  # 2025's figures: forecasts
    updated = review(tables, store.reviews(), store.exclusions(), previous=first)
    assert_same(updated, *review_tables(tables, store.reviews(), store.exclusions()), "a new year")
    assert not updated.tables["indicators"].equals(first.tables["indicators"])


def test_kept_gives_each_reviewed_claims_row_in_the_unreviewed_table(
        tables: dict[str, pd.DataFrame], picks: Picks, tmp_path: Path) -> None:
    store = ReviewStore(tmp_path / "reviews.db")
    _review_others(store, picks)
    result = review(tables, store.reviews(), store.exclusions())
    got = result.tables["claims"]
    source = tables["claims"].iloc[result.kept].reset_index(drop=True)
    assert len(got) < len(tables["claims"])
    ids = [C.doc_id, C.claim_id, C.surface]
    pd.testing.assert_frame_equal(got[ids], source[ids])
