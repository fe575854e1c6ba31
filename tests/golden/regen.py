"""Regenerate the golden tables of the bundled seeds: ``python tests/golden/regen.py``.

Run it after a deliberate change to the extractor, then read ``git diff tests/golden`` before committing:
the diff is exactly what the change did to the seeds' facts.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extract.pipeline import extract_corpus  # noqa: E402

GOLDEN = Path(__file__).resolve().parent
# The tables worth pinning; documents and sentences follow from the files themselves.
TABLES = ("claims", "themes", "mentions", "events", "keywords")


def golden_tables() -> dict[str, object]:
    """The seed corpus's tables as the extractor produces them now (no cache)."""
    corpus = extract_corpus([ROOT / "seeds"], use_cache=False)
    return {name: corpus.tables()[name] for name in TABLES}


def main() -> None:
    """Write one CSV per pinned table next to this script."""
    for name, frame in golden_tables().items():
        path = GOLDEN / f"seeds_{name}.csv"
        frame.to_csv(path, index=False)  # type: ignore[attr-defined]
        print(f"wrote {path.relative_to(ROOT)} ({len(frame)} rows)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
