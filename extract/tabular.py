"""Writing tables for people: CSV that Excel opens correctly and safely, and Parquet."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

# OWASP ASVS 1.2.10: a text cell starting with one of these could run as a spreadsheet formula.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading quote: ``"=1+1"`` -> ``"'=1+1"``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df``, text cells and headers neutralised (OWASP CSV injection); numbers untouched."""
    out = df.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_datetime64_any_dtype(out[col])):
            out[col] = out[col].map(neutralise, na_action="ignore")
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def frame_to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads Chinese correctly), formula-injection safe."""
    return safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def write_tables(tables: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (Excel-safe) and ``<name>.parquet`` (exact) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in tables.items():
        csv_path, parquet_path = out / f"{name}.csv", out / f"{name}.parquet"
        csv_path.write_bytes(frame_to_csv(frame))
        frame.to_parquet(parquet_path, index=False)
        written += [csv_path, parquet_path]
    return written
