"""What reviews add to a render at corpus scale: the app's review step against a filter change, same run.

Run from the repository root: ``python tests/bench/bench_review_render.py [--docs 1000] [--reviews 1000]``.
It writes a generated corpus (``gen_corpus.write_corpus``), extracts it, stores ``--reviews`` reviews of
its claims (corrections, confirmations, rejections and pins, plus orphans) in a temporary SQLite database,
and times what the app does once after a review changes: read the reviews and apply them to every table
(``data.apply_store``: reviewed claims, excluded documents, corroboration, indicators and the lookups).
The baseline, in the same run on the same corpus, is the app's slowest kind of filter change
(``data.filter_tables`` with a search, which recomputes indicators over the filtered claims).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dashboard import data  # noqa: E402
from dashboard.state import Filters  # noqa: E402
from extract.pipeline import extract_corpus  # noqa: E402
from extract.reviews import ClaimKey, ReviewStore, key_of  # noqa: E402
from tests.bench import gen_corpus  # noqa: E402


def best_ms(fn: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` runs of ``fn``, in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        gen_corpus.write_corpus(folder, args.docs)
        corpus = extract_corpus([folder], use_cache=False)
        tables = corpus.tables()
        snap = data.Snapshot(corpus=corpus, index=data.build_index(tables), version="bench")
        claims, docs = tables["claims"], tables["documents"]
        store = ReviewStore(Path(tmp) / "reviews.db")
        rng = random.Random(0)
        picked = claims.sample(min(args.reviews, len(claims)), random_state=0)
        for i, (_, claim) in enumerate(picked.iterrows()):
            key = key_of(claim, docs)
            if i % 50 == 0:
                key = ClaimKey(key.content_hash, key.start, key.end + 1, key.surface + "x")  # an orphan
            kind = i % 4
            if kind == 0:
                store.confirm(key)
            elif kind == 1:
                store.correct(key, {"value": float(claim["value"]) * rng.uniform(0.9, 1.1)})
            elif kind == 2:
                store.reject(key)
            else:
                store.pin(key)
        reviews, exclusions = store.reviews(), store.exclusions()
        search = Filters(query="市场")
        baseline = best_ms(lambda: data.filter_tables(tables, search, snap.index), args.repeat)
        read = best_ms(lambda: (store.reviews(), store.exclusions()), args.repeat)
        apply = best_ms(lambda: data.apply_store(snap, reviews, exclusions, "v"), args.repeat)
        reviewed, orphans = data.apply_store(snap, reviews, exclusions, "v")
        print(f"{args.docs} documents, {len(claims)} claims, {len(reviews)} reviews "
              f"({len(orphans)} orphans), {len(reviewed.corpus.tables()['claims'])} claims after review")
        check = best_ms(store.version, args.repeat)
        rows = [("baseline: a search filter change (filter_tables)", baseline),
                ("every render: has a review changed? (store.version)", check),
                ("after a change: read the reviews from SQLite", read),
                ("after a change: apply them to every table (apply_store)", apply)]
        for name, ms in rows:
            print(f"  {name:<58} {ms:8.1f} ms   {ms / baseline:.2f}×")


if __name__ == "__main__":
    main()
