"""Throughput of extract.numbers on the bundled seed article repeated to about 10 MB.

Run from the repository root: ``python tests/bench/bench_numbers.py``. Prints MB/s for the bare regex scan
(what the claims module pays) and for find_numbers (scan, parse and frame).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extract.normalize import to_match_form
from extract.numbers import NUMBER_PATTERN, find_numbers

SEED = next((Path(__file__).resolve().parents[2] / "seeds").glob("*.md"))


def main(target_mb: float = 10.0) -> None:
    """Time one scan of the seed text repeated to ``target_mb`` megabytes of UTF-8."""
    seed = SEED.read_text("utf-8")
    text = seed * max(1, int(target_mb * 1e6 / len(seed.encode("utf-8"))))
    size_mb = len(text.encode("utf-8")) / 1e6
    match_text = to_match_form(text)
    pattern = re.compile(NUMBER_PATTERN)
    t0 = time.perf_counter()
    n_matches = sum(1 for _ in pattern.finditer(match_text))
    t1 = time.perf_counter()
    frame = find_numbers(text)
    t2 = time.perf_counter()
    print(f"text: {size_mb:.1f} MB, {len(text):,} characters, {n_matches:,} matches, {len(frame):,} numbers")
    print(f"regex scan:   {t1 - t0:6.2f} s  {size_mb / (t1 - t0):7.1f} MB/s")
    print(f"find_numbers: {t2 - t1:6.2f} s  {size_mb / (t2 - t1):7.1f} MB/s")


if __name__ == "__main__":
    main()
