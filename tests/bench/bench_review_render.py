"""What reviews add to a render at corpus scale: the app's review step against a filter change, same run.

Run from the repository root: ``python tests/bench/bench_review_render.py [--docs 1000] [--reviews 1000]``.
It writes a generated corpus (``gen_corpus.write_corpus``), extracts it, stores ``--reviews`` reviews of
its claims (corrections, confirmations, rejections and pins, plus orphans) in a temporary SQLite database,
and times what the app does once after the reviews change: read them and apply them to every table
(``data.apply_store``: reviewed claims, excluded documents, corroboration, indicators and the lookups).
Cold is the first application to a corpus (nothing before it); then one more review at a time, each kind
of change (an exclusion of a document or an outlet among them), applied to the reviewed tables of the step
before (what the app does after a review). The baseline, measured in the same rounds on the same corpus, is
the app's slowest kind of filter change (``data.filter_tables`` with a search, which recomputes indicators
over the filtered claims).
"""

from __future__ import annotations

import argparse
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
from extract.reviews import ReviewStore  # noqa: E402
from extract.schema import C  # noqa: E402
from tests.bench import gen_corpus  # noqa: E402
from tests.bench._bench import store_reviews  # noqa: E402

TARGET_MS = 50.0  # issue 10: applying 1,000 reviews adds at most this to a render


def timed_ms(fn: Callable[..., object], *args: object, **kwargs: object) -> float:
    """One run of ``fn(*args, **kwargs)``, in milliseconds."""
    t = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        gen_corpus.write_corpus(folder, args.docs)
        # Loaded as the app loads it (data.single_chunk): freshly extracted columns come one chunk a batch.
        corpus = data.single_chunk(extract_corpus([folder], use_cache=False))
        tables = corpus.tables()
        snap = data.Snapshot(corpus=corpus, index=data.build_index(tables), version="bench")
        claims, docs = tables["claims"], tables["documents"]
        store = ReviewStore(Path(tmp) / "reviews.db")
        keys, values = store_reviews(store, claims, docs, args.reviews, spare=8)
        reviews, exclusions = store.reviews(), store.exclusions()
        first, orphans = data.apply_store(snap, reviews, exclusions, "v0")
        print(f"{args.docs} documents, {len(claims)} claims, {len(reviews)} reviews "
              f"({len(orphans)} orphans), {len(first.corpus.tables()['claims'])} claims after review")

        # One more review at a time, on claims not reviewed yet and on reviewed ones (keys[i] with i % 4
        # == 2 was rejected, == 3 pinned), each applied to the reviewed tables of the step before.
        fresh = keys[args.reviews:]
        outlet = str(docs[C.source_name].value_counts().index[-1])  # the outlet with the fewest documents
        changes: list[tuple[str, Callable[[], None]]] = [
            ("confirm a figure", lambda: store.confirm(fresh[0])),
            ("correct a value", lambda: store.correct(fresh[1], {"value": values[args.reviews + 1] * 2})),
            ("correct a metric and unit", lambda: store.correct(fresh[2], {"metric": "market_size",
                                                                           "unit": "CNY"})),
            ("reject a figure", lambda: store.reject(fresh[3])),
            ("pin a figure", lambda: store.pin(fresh[4])),
            ("unpin a figure", lambda: store.unpin(keys[3])),
            ("undo a rejection (clear)", lambda: store.clear(keys[2])),
            ("exclude a document", lambda: store.exclude_document(str(docs[C.content_hash].iloc[0]))),
            ("bring the document back", lambda: store.include_document(str(docs[C.content_hash].iloc[0]))),
            ("exclude an outlet", lambda: store.exclude_outlet(outlet)),
            ("bring the outlet back", lambda: store.include_outlet(outlet)),
        ]
        steps = []
        previous = first
        for n, (name, write) in enumerate(changes, start=1):
            write()
            after = (store.reviews(), store.exclusions())
            steps.append((name, previous, after))
            previous, _ = data.apply_store(snap, *after, f"v{n}", previous=previous)

        search = Filters(query="市场")
        timings: dict[str, list[float]] = {}

        def record(name: str, ms: float) -> None:
            timings.setdefault(name, []).append(ms)

        for _ in range(args.repeat):  # rounds, so that every figure and the baseline share the machine's mood
            record("baseline", timed_ms(data.filter_tables, tables, search, snap.index))
            record("version", timed_ms(store.version))
            record("read", timed_ms(lambda: (store.reviews(), store.exclusions())))
            record("cold", timed_ms(data.apply_store, snap, reviews, exclusions, "cold"))
            for name, before, after in steps:
                record(name, timed_ms(data.apply_store, snap, *after, "x", previous=before))
        ms = {name: statistics.median(times) for name, times in timings.items()}
        baseline, read = ms["baseline"], ms["read"]
        slowest = max((name for name, _, _ in steps), key=ms.__getitem__)
        rows = [("baseline: a search filter change (filter_tables)", baseline),
                ("every render: has a review changed? (store.version)", ms["version"]),
                ("after a change: read the reviews from SQLite", read),
                ("cold: apply them all, nothing before (apply_store)", ms["cold"]),
                *((f"one more review: {name} (apply_store)", ms[name]) for name, _, _ in steps),
                ("cold render: read + apply", read + ms["cold"]),
                (f"one-change render: read + apply, slowest ({slowest})", read + ms[slowest])]
        for name, value in rows:
            print(f"  {name:<66} {value:8.1f} ms   {value / baseline:.2f}×")
        for name, value in (("cold", read + ms["cold"]), ("one change", read + ms[slowest])):
            print(f"  target {name}: read + apply <= {TARGET_MS:.0f} ms: "
                  f"{'met' if value <= TARGET_MS else 'not met'} ({value:.1f} ms)")


if __name__ == "__main__":
    main()
