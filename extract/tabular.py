"""Writing tables for people: CSV that Excel opens correctly and safely, and Parquet."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

# OWASP ASVS 1.2.10: a text cell starting with one of these could run as a spreadsheet formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\x00")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells that Excel would run as formulas get a leading quote; numbers stay numbers."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].map(_safe_cell)
    return out


def _safe_cell(cell: object) -> object:
    """Prefix a formula-like string with ``'``; leave other values alone."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def frame_to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with BOM (so Excel reads Chinese), formula-safe."""
    return neutralise_formulas(df).to_csv(index=False).encode("utf-8-sig")


def write_tables(tables: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (Excel-safe) and ``<name>.parquet`` (exact) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in tables.items():
        csv_path, parquet_path = out / f"{name}.csv", out / f"{name}.parquet"
        csv_path.write_bytes(frame_to_csv_bytes(frame))
        frame.to_parquet(parquet_path, index=False)
        written += [csv_path, parquet_path]
    return written
