"""The seeds' tables against golden files; regenerate with ``python tests/golden/regen.py``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extract import schema
from tests.golden.regen import GOLDEN, TABLES, golden_tables


@pytest.fixture(scope="module")
def current() -> dict[str, pd.DataFrame]:
    """The seeds' tables as extracted now."""
    return golden_tables()  # type: ignore[return-value]


@pytest.mark.parametrize("name", TABLES)
def test_seed_table_matches_golden(name: str, current: dict[str, pd.DataFrame]) -> None:
    path: Path = GOLDEN / f"seeds_{name}.csv"
    expected = schema.conform(pd.read_csv(path, keep_default_na=False, na_values=[""]), name)
    got = schema.conform(pd.read_csv(_roundtrip(current[name]), keep_default_na=False, na_values=[""]), name)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-6)


def _roundtrip(frame: pd.DataFrame) -> object:
    """The frame through CSV text, so both sides are parsed the same way."""
    from io import StringIO

    return StringIO(frame.to_csv(index=False))
