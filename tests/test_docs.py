"""The examples in the docs are real: the package docstring's doctest and the README's library example."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pandas as pd

import extract
from extract import extract_claims

README = Path(__file__).resolve().parents[1] / "README.md"


def test_package_docstring_example_runs() -> None:
    result = doctest.testmod(extract, verbose=False)
    assert result.attempted >= 2 and result.failed == 0


def test_readme_library_example_matches_real_output() -> None:
    block = re.search(r"```python\n(.*?)```", README.read_text("utf-8"), re.S)
    assert block is not None
    shown = [line for line in block.group(1).splitlines() if line and not line.startswith((">>>", "..."))]
    columns = ["surface", "value", "unit", "metric", "qualifier", "year", "subject"]
    with pd.option_context("display.width", 120, "display.max_columns", 12):
        real = str(extract_claims("2024年微短剧市场规模达504.4亿元，并带动64.7万个就业岗位。")[columns])
    assert real.splitlines() == shown
