"""Re-check every starter note's figures against the text of the source it summarises (seeds/notes/).

    python tests/bench/check_notes.py            # one line per note, every figure not found in its source
    python tests/bench/check_notes.py --verbose  # also the figures that were found

The sources are third-party pages: their texts are not in git. tests/notes/sources.json names each one's
URL, the query that finds it in the search tool's stored web pages, and the sha256 of the text; saved as
tests/notes/texts/<id>.txt (see tests/devset/README.md for how), they are checked here. A figure holds when
its source states the same value in the same unit, either as a figure the extractor reads from the source
text or, for a figure written in words the extractor reads differently, as one the manifest records for
that source. Notes whose source text is absent or differs are listed and skipped; with no texts at all
this says so and exits 0. Exit 1 when any present source fails a note figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extract.claims import extract_claims  # noqa: E402
from extract.corpus import parse_document  # noqa: E402

NOTES = ROOT / "tests" / "notes"


def _same(a: object, b: object) -> bool:
    """Values equal within 0.1%."""
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-3)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def source_figures(text: str) -> set[tuple[str, float]]:
    """(unit, value) of every figure the extractor reads in a source text, the high end of ranges too."""
    doc = parse_document("source.txt", text.encode("utf-8"))
    claims = extract_claims(doc.text, published=doc.date)
    out = {(str(u), float(v)) for u, v in zip(claims["unit"], claims["value"], strict=True)}
    out |= {(str(u), float(v)) for u, v in zip(claims["unit"], claims["value_high"], strict=True) if v == v}
    return out


def holds(want: dict, figures: set[tuple[str, float]], manifest: list[dict]) -> bool:
    """Whether the source states the note's figure: same unit and value, read or recorded."""
    if any(unit == want["unit"] and _same(value, want["value"]) for unit, value in figures):
        return True
    return any(f.get("unit") == want["unit"] and _same(f.get("value"), want["value"]) for f in manifest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="also list the figures that hold")
    args = parser.parse_args(argv)
    sources = {s["id"]: s for s in json.loads((NOTES / "sources.json").read_text("utf-8"))["sources"]}
    notes = json.loads((NOTES / "expected.json").read_text("utf-8"))["notes"]
    checked = failed = 0
    skipped: list[str] = []
    for note in notes:
        source = sources[note["source_id"]]
        path = NOTES / "texts" / f"{note['source_id']}.txt"
        if not path.exists():
            skipped.append(f"{note['file']}: no source text ({path.relative_to(ROOT)})")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != source["sha256"]:
            skipped.append(f"{note['file']}: source text differs from the manifest's (sha256)")
            continue
        figures = source_figures(data.decode("utf-8"))
        bad = [w for w in note["claims"] if not holds(w, figures, source.get("figures", []))]
        checked += 1
        failed += bool(bad)
        found = len(note["claims"]) - len(bad)
        print(f"{'FAIL' if bad else 'ok  '} {note['file']}: {found}/{len(note['claims'])} figures found in"
              f" {source['url']}")
        for w in bad:
            print(f"       not in the source: {w['surface']} ({w['value']} {w['unit']}, {w.get('period')})")
        if args.verbose:
            for w in note["claims"]:
                if w not in bad:
                    print(f"       found: {w['surface']}")
    for line in skipped:
        print(f"skip {line}")
    if not checked:
        print("no source texts present: nothing checked (tests/notes/sources.json says how to get them)")
        return 0
    print(f"{checked} notes checked against their sources, {failed} with a figure their source does not"
          " state")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
