"""Print the Recognizers-Text conformance table of extract.numbers, with the failing inputs.

Run from the repository root: ``python tests/bench/conformance_report.py [--failures]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from extract.schema import C
from tests.test_conformance import FLOORS, SPECS, evaluate, find_numbers


def main(show_failures: bool) -> None:
    """Print one row per spec file: passed, selected, rate, floor, and the excluded counts."""
    if not SPECS.is_dir():
        sys.exit(f"specs not found at {SPECS}")
    print(f"{'file':<18}{'passed':>8}{'selected':>10}{'rate':>8}{'floor':>7}  excluded")
    for name, floor in FLOORS.items():
        passed, selected, failures, excluded = evaluate(name)
        print(f"{name:<18}{passed:>8}{selected:>10}{passed / selected:>8.1%}{floor:>7.0%}  {excluded}")
        if show_failures:
            for case in failures:
                got = find_numbers(case["Input"]).drop(columns=C.surface)
                want = [(r["Start"], r["End"], r["Resolution"].get("value")) for r in case["Results"]]
                print(f"    {case['Input']!r}\n      want (End inclusive) {want}")
                print(f"      got  (end exclusive) {got.values.tolist()}")


if __name__ == "__main__":
    main("--failures" in sys.argv)
