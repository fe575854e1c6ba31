"""apply_reviews at corpus scale: ~11,600 synthetic claims and 1,000 reviews, against an in-run baseline.

Run from the repository root: ``python tests/bench/bench_reviews.py [--docs 400] [--reviews 1000]``.
Two baselines, measured in the same run so that the ratios hold across machines: a deep copy of the claims
frame (the least a function that returns a new frame pays) and one left join of the claims with the
documents' content hashes (the least a function that matches reviews to claims pays). Also times the
store's read of its reviews (the cache boundary) and the one-transaction import that loads them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from extract import schema  # noqa: E402  (needs the repo on sys.path when run as a script)
from extract.reviewed import apply_reviews  # noqa: E402
from extract.reviews import ReviewStore  # noqa: E402
from extract.schema import C  # noqa: E402

SENTENCE = "2024年，第{d}家平台的微短剧{n}号作品播放量突破{v}亿次。"
CLAIMS_PER_DOC = 29


def corpus(n_docs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(claims, documents) of ``n_docs`` synthetic documents with CLAIMS_PER_DOC claims each."""
    docs, claims = [], []
    for d in range(n_docs):
        parts, spans = [], []
        for n in range(CLAIMS_PER_DOC):
            sentence = SENTENCE.format(d=d, n=n, v=n % 9 + 1)
            at = sum(map(len, parts)) + sentence.index("突破") + 2
            spans.append((at, f"{n % 9 + 1}亿次"))
            parts.append(sentence)
        text = "".join(parts)
        doc_id = f"{d:016x}"
        digest = hashlib.sha256(text.encode()).hexdigest()
        docs.append({C.doc_id: doc_id, C.text: text, C.content_hash: digest, C.source_name: f"媒体{d % 40}",
                     C.n_chars: len(text)})
        for n, (start, surface) in enumerate(spans):
            assert text[start:start + len(surface)] == surface
            claims.append({
                C.doc_id: doc_id, C.claim_id: n, C.sent_id: n, C.surface: surface, C.start: start,
                C.end: start + len(surface), C.page: None, C.value: (n % 9 + 1) * 1e8, C.value_high: None,
                C.unit: "play",
                C.metric: "plays", C.qualifier: "lower_bound", C.year: 2018 + n % 8,
                C.period: str(2018 + n % 8), C.period_kind: "year", C.entity: None, C.region: None,
                C.part: None, C.cited_source: None,
                C.subject: "播放量", C.sentence: parts[n], C.themes: "",
            })
    documents = schema.conform(pd.DataFrame(docs).reindex(columns=schema.columns("documents")), "documents")
    return schema.conform(pd.DataFrame(claims), "claims"), documents


def review_records(claims: pd.DataFrame, documents: pd.DataFrame, n: int) -> list[dict[str, object]]:
    """``n`` export records over random claims: confirms, rejects, corrections, pins and a few orphans."""
    rng = random.Random(7)
    hashes = dict(zip(documents[C.doc_id], documents[C.content_hash], strict=True))
    picked = claims.iloc[rng.sample(range(len(claims)), n)]
    records = []
    for i, row in enumerate(picked.itertuples(index=False)):
        surface = row.surface if i % 50 else "旧的数字"  # every 50th review is an orphan
        record: dict[str, object] = {"kind": "claim", "content_hash": hashes[row.doc_id],
                                     "start": int(row.start), "end": int(row.end), "surface": surface}
        kind = i % 5
        if kind == 0:
            record |= {"status": "confirmed", "note": "核对过"}
        elif kind == 1:
            record |= {"status": "rejected"}
        elif kind == 2:
            record |= {"status": "corrected", "corrected": "value|year", "value": 3e8, "year": 2023}
        elif kind == 3:
            record |= {"status": "corrected", "corrected": "entity|unit", "entity": "某平台", "unit": "count"}
        else:
            record |= {"status": "confirmed", "pinned": True}
        records.append(record)
    records.append({"kind": "outlet", "source_name": "媒体3"})
    records.append({"kind": "document", "content_hash": documents[C.content_hash].iloc[5]})
    return records


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the timings and the ratio to the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    claims, documents = corpus(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reviews.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in review_records(claims, documents, args.reviews)), "utf-8")
        store = ReviewStore(Path(tmp) / "reviews.db")
        start = time.perf_counter()
        store.import_file(path)
        imported = time.perf_counter() - start
        reviews, exclusions = store.reviews(), store.exclusions()
        read = median_seconds(store.reviews, 10)
    out, orphans = apply_reviews(claims, documents, reviews, exclusions)
    baseline = median_seconds(lambda: claims.copy(deep=True), args.repeat)
    hashes = documents[[C.doc_id, C.content_hash]]
    join = median_seconds(lambda: claims.merge(hashes, on=C.doc_id, how="left"), args.repeat)
    applied = median_seconds(lambda: apply_reviews(claims, documents, reviews, exclusions), args.repeat)
    print(f"claims: {len(claims):,}  reviews: {len(reviews):,}  exclusions: {len(exclusions)}  "
          f"-> {len(out):,} claims, {len(orphans)} orphans, {int(out['pinned'].sum())} pinned")
    print(f"import_file ({len(reviews):,} records, one transaction): {imported * 1e3:7.1f} ms")
    print(f"ReviewStore.reviews():                         {read * 1e3:7.1f} ms")
    print(f"baseline 1, claims.copy(deep=True):            {baseline * 1e3:7.1f} ms")
    print(f"baseline 2, claims joined to content hashes:   {join * 1e3:7.1f} ms")
    print(f"apply_reviews:                                 {applied * 1e3:7.1f} ms  "
          f"({applied / baseline:.0f}x baseline 1, {applied / join:.1f}x baseline 2)")


if __name__ == "__main__":
    main()
