"""The starter notes in seeds/notes/: front matter, manifest, and the figures the extractor must read."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from extract.corpus import load_document
from extract.pipeline import extract_document
from extract.schema import C

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "seeds" / "notes"
EXPECTED = json.loads((ROOT / "tests" / "notes" / "expected.json").read_text("utf-8"))["notes"]
_MANIFEST = json.loads((ROOT / "tests" / "notes" / "sources.json").read_text("utf-8"))
SOURCES = {s["id"]: s for s in _MANIFEST["sources"]}
NOTE_FILES = sorted(NOTES.glob("*.md"))
FIELDS = (C.value, C.unit, C.metric, C.qualifier, C.period, C.period_kind, C.entity)


def _cases() -> list[tuple[str, int, dict]]:
    """(note file, occurrence of the surface, expected claim) for every figure the notes state."""
    out = []
    for note in EXPECTED:
        seen: dict[str, int] = {}
        for claim in note["claims"]:
            seen[claim["surface"]] = seen.get(claim["surface"], 0) + 1
            out.append((note["file"], seen[claim["surface"]], claim))
    return out


def test_there_are_starter_notes_and_each_has_expected_figures() -> None:
    assert len(NOTE_FILES) >= 19
    assert sorted(n["file"] for n in EXPECTED) == sorted(p.name for p in NOTE_FILES)
    assert all(note["claims"] for note in EXPECTED)


@pytest.mark.parametrize("path", NOTE_FILES, ids=[p.name for p in NOTE_FILES])
def test_note_front_matter(path: Path) -> None:
    doc = load_document(path)
    assert doc.kind == "note"
    assert doc.title and doc.source_name
    assert doc.date is not None and dt.date.fromisoformat(doc.date) <= dt.date(2026, 12, 31)
    assert doc.source_url is not None and doc.source_url.startswith(("http://", "https://"))
    assert not doc.warnings
    note = next(n for n in EXPECTED if n["file"] == path.name)
    source = SOURCES[note["source_id"]]
    assert source["url"] == doc.source_url  # the manifest re-finds the very page the note cites
    assert len(source["sha256"]) == 64 and source["query"]


@pytest.fixture(scope="module")
def note_claims() -> dict[str, pd.DataFrame]:
    """Each note's claims, extracted once."""
    return {p.name: extract_document(load_document(p))["claims"] for p in NOTE_FILES}


@pytest.mark.parametrize(("file", "n", "want"), _cases(),
                         ids=[f"{f}:{w['surface']}#{n}" for f, n, w in _cases()])
def test_the_extractor_reads_each_note_figure(note_claims: dict[str, pd.DataFrame], file: str, n: int,
                                              want: dict) -> None:
    claims = note_claims[file]
    hits = claims[claims[C.surface] == want["surface"]]
    assert len(hits) >= n, f"{want['surface']} not found in {file}"
    row = hits.iloc[n - 1]
    got = {f: (None if pd.isna(row[f]) else row[f]) for f in FIELDS}
    assert math.isclose(float(got[C.value]), float(want["value"]), rel_tol=1e-3)
    assert {f: got[f] for f in FIELDS[1:]} == {f: want.get(f) for f in FIELDS[1:]}


def test_check_notes_tells_a_stated_figure_from_one_the_source_lacks() -> None:
    """tests/bench/check_notes.py's rule, on a source text written here: same unit and value, or recorded."""
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    import check_notes

    figures = check_notes.source_figures("据协会测算，2024年市场规模为504.4亿元，用户规模达6.62亿人。")
    assert check_notes.holds({"unit": "CNY", "value": 50440000000}, figures, [])
    assert not check_notes.holds({"unit": "CNY", "value": 50540000000}, figures, [])
    assert not check_notes.holds({"unit": "USD", "value": 50440000000}, figures, [])
    recorded = [{"unit": "percent", "value": 33.3}]
    assert check_notes.holds({"unit": "percent", "value": 33.3}, figures, recorded)


@pytest.fixture(scope="module")
def seed_indicators() -> pd.DataFrame:
    """The indicators of the whole seeds/ corpus (the interview and the notes), on a fixed date."""
    from extract.indicators import indicators
    from extract.pipeline import extract_corpus

    tables = extract_corpus([ROOT / "seeds"], use_cache=False).tables()
    return indicators(tables["claims"], tables["documents"], today=dt.date(2026, 12, 1))


@pytest.mark.parametrize(
    ("indicator", "period", "value", "status", "min_sources"),
    [
        ("market_size||||CNY|year", "2025", 677.9e8, "agreed", 2),  # 艾媒's 677.9亿 with 突破634亿
        ("users||||person|year", "2025", 6.96e8, "agreed", 2),
        ("jobs||||job|year", "2024", 64.7e4, "single_source", 1),  # the interview's 64.7万个
    ],
)
def test_the_seed_cards(seed_indicators: pd.DataFrame, indicator: str, period: str, value: float, status: str,
                        min_sources: int) -> None:
    """The headline cards the app opens on: a change in extraction that moves one fails here."""
    from extract.indicators import cards

    card = cards(seed_indicators, 8).set_index(C.indicator).loc[indicator]
    assert (card[C.period], bool(card[C.forecast]), card[C.status]) == (period, False, status)
    assert math.isclose(float(card[C.value]), value, rel_tol=1e-6)
    assert int(card[C.n_sources]) >= min_sources


def test_the_seed_market_size_by_year(seed_indicators: pd.DataFrame) -> None:
    """2024's market size: three sources agree on about 505亿 (504.4亿 reported, 505亿 rounded)."""
    rows = seed_indicators[(seed_indicators[C.indicator] == "market_size||||CNY|year")
                           & ~seed_indicators[C.forecast].astype(bool)].set_index(C.period)
    assert {"2019", "2023", "2024", "2025"} <= set(rows.index)
    assert rows.loc["2024", C.status] == "agreed" and int(rows.loc["2024", C.n_sources]) >= 3
    assert 504e8 <= float(rows.loc["2024", C.value]) <= 505e8
