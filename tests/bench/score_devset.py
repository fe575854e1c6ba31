"""Score claim extraction against the hand-labelled development set of real articles (tests/devset/).

    python tests/bench/score_devset.py              # precision, recall, F1 and per-field accuracy
    python tests/bench/score_devset.py --errors     # also every missed, spurious and mislabelled figure
    python tests/bench/score_devset.py --json out.json

The article texts are third-party and not in git: tests/devset/README.md says how to get them back. Only
texts whose sha256 matches their document file are scored; with none present this says so and exits 0.
Each document is read as a plain-text file through the same loader as the CLI and the dashboard, so the
header lines of a pasted page (date, source) count as they would for a user.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extract.corpus import parse_document  # noqa: E402
from extract.pipeline import extract_document  # noqa: E402

DEVSET = ROOT / "tests" / "devset"
FIELDS = ("value", "unit", "metric", "qualifier", "year", "period", "period_kind", "entity", "cited_source")


@dataclass
class Tally:
    """Counts over the scored documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    lines: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_docs(folder: Path = DEVSET) -> tuple[list[tuple[dict, str]], list[str]]:
    """The (document file, text) pairs whose text is present and matches its sha256, and what was skipped."""
    found: list[tuple[dict, str]] = []
    skipped: list[str] = []
    for path in sorted((folder / "docs").glob("*.json")):
        doc = json.loads(path.read_text("utf-8"))
        text_path = folder / "texts" / f"{doc['id']}.txt"
        if not text_path.exists():
            skipped.append(f"{doc['id']}: no text (see tests/devset/README.md)")
            continue
        data = text_path.read_bytes()
        if hashlib.sha256(data).hexdigest() != doc["sha256"]:
            skipped.append(f"{doc['id']}: text differs from the one labelled (sha256)")
            continue
        found.append((doc, data.decode("utf-8")))
    return found, skipped


def label_spans(text: str, claims: list[dict]) -> list[tuple[int, int, dict]]:
    """Each label's span: the n-th occurrence of its surface in the text."""
    out = []
    for claim in claims:
        pos = -1
        for _ in range(int(claim.get("n", 1))):
            pos = text.find(claim["surface"], pos + 1)
            if pos < 0:
                break
        if pos < 0:
            raise ValueError(f"label {claim['surface']!r} (n={claim.get('n', 1)}) is not in the text")
        out.append((pos, pos + len(claim["surface"]), claim))
    return out


def same(field_name: str, want: object, got: object) -> bool:
    """Whether an extracted field equals the label (values within 0.1%, nulls equal)."""
    if _null(want) and _null(got):
        return True
    if _null(want) or _null(got):
        return False
    if field_name == "value":
        return math.isclose(float(want), float(got), rel_tol=1e-3, abs_tol=1e-9)
    if field_name == "year":
        return int(want) == int(got)
    return str(want) == str(got)


def _null(x: object) -> bool:
    """None, NaN and pandas' NA are all null."""
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN and NA
    except TypeError:
        return True


def score(pairs: list[tuple[dict, str]]) -> tuple[Tally, dict[str, Tally]]:
    """Match every document's extracted claims to its labels and count."""
    total = Tally()
    per_doc: dict[str, Tally] = {}
    for doc, text in pairs:
        parsed = parse_document(f"{doc['id']}.txt", text.encode("utf-8"))
        claims = extract_document(parsed)["claims"]
        labels = label_spans(parsed.text, doc["claims"])
        tally = Tally()
        got = [row for _, row in claims.iterrows()]
        used: set[int] = set()
        for lo, hi, want in labels:
            best, overlap = None, 0
            for i, row in enumerate(got):
                if i in used:
                    continue
                ov = min(hi, int(row["end"])) - max(lo, int(row["start"]))
                if ov > overlap:
                    best, overlap = i, ov
            if best is None:
                tally.fn += 1
                context = _around(parsed.text, lo, hi)
                tally.lines.append(f"  MISSED   {want['surface']}  ({want['metric']})  …{context}…")
                continue
            used.add(best)
            tally.tp += 1
            row = got[best]
            wrong = []
            for f in FIELDS:
                if f not in want:
                    continue
                if same(f, want[f], row.get(f)):
                    tally.right[f] += 1
                else:
                    wrong.append(f"{f}: want {want[f]!r} got {row.get(f)!r}")
            if wrong:
                tally.lines.append(f"  FIELD    {row['surface']}  " + "; ".join(wrong))
        for i, row in enumerate(got):
            if i not in used:
                tally.fp += 1
                lo, hi = int(row["start"]), int(row["end"])
                context = _around(parsed.text, lo, hi)
                what = f"{row['metric']}, {row['unit']}"
                tally.lines.append(f"  SPURIOUS {row['surface']}  ({what})  …{context}…")
        per_doc[doc["id"]] = tally
        total.tp, total.fp, total.fn = total.tp + tally.tp, total.fp + tally.fp, total.fn + tally.fn
        for f in FIELDS:
            total.right[f] += tally.right[f]
    return total, per_doc


def _around(text: str, lo: int, hi: int) -> str:
    """The figure in a little context, on one line."""
    return (text[max(0, lo - 14) : lo] + "【" + text[lo:hi] + "】" + text[hi : hi + 8]).replace("\n", "⏎")


def main(argv: list[str] | None = None) -> int:
    """Print the scores; exit 0 (also when there is nothing to score)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list every error, document by document")
    ap.add_argument("--json", type=Path, help="write the figures to this file as JSON")
    ap.add_argument("--only", nargs="*", help="score only these document ids")
    args = ap.parse_args(argv)
    pairs, skipped = load_docs()
    if args.only:
        pairs = [(d, t) for d, t in pairs if d["id"] in args.only]
    for line in skipped:
        print("skipped", line)
    if not pairs:
        print("no development texts present: nothing scored (tests/devset/README.md says how to get them)")
        return 0
    total, per_doc = score(pairs)
    p, r, f1 = total.prf()
    n_labels = total.tp + total.fn
    print(f"{len(pairs)} documents, {n_labels} labelled figures, {total.tp + total.fp} extracted")
    print(f"precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    accuracy = {f: (total.right[f] / total.tp if total.tp else 0.0) for f in FIELDS}
    print("field accuracy over matched figures: " + "  ".join(f"{f} {a:.3f}" for f, a in accuracy.items()))
    if args.errors:
        for doc_id, tally in per_doc.items():
            dp, dr, df1 = tally.prf()
            print(f"\n{doc_id}: P {dp:.2f} R {dr:.2f} F1 {df1:.2f}")
            print("\n".join(tally.lines))
    if args.json:
        args.json.write_text(json.dumps({"precision": p, "recall": r, "f1": f1, "accuracy": accuracy,
                                         "documents": len(pairs), "labels": n_labels}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
