"""Extraction throughput on a corpus built from the seeds, each figure next to jieba.lcut's in the same run.

Run from the repository root: ``python tests/bench/bench_extract.py [--mb 2.5]``. Prints MB/s for the
segmenter's cut (``segment.tokens``, rjieba's, and its jieba fallback's), ``extract_claims`` alone, the
whole pipeline on one and on two workers (cold, no cache) with rjieba and, as before rjieba, with the
jieba fallback, and the warm cache re-run as a share of the cold run; every line carries the same-run
baseline (jieba.lcut over the same text). The measurements run interleaved for --rounds rounds and each
keeps its fastest round (the cold cache run, by its nature, runs once).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402

from extract import extract_claims, segment  # noqa: E402
from extract.corpus import load_document  # noqa: E402
from extract.pipeline import _warm_up, extract_corpus_with_stats  # noqa: E402


def build_corpus(folder: Path, target_mb: float) -> tuple[int, float]:
    """Write copies of the seed articles, each made unique by a first line, until ``target_mb`` is reached."""
    seeds = sorted((ROOT / "seeds").glob("*.md"))
    written, size, i = 0, 0, 0
    while size < target_mb * 1e6:
        seed = seeds[i % len(seeds)].read_bytes()
        body = seed.replace(b"---\n\n", f"---\n\n第{i}份副本。\n".encode(), 1)
        (folder / f"doc_{i:04d}.md").write_bytes(body)
        size += len(body)
        written += 1
        i += 1
    return written, size / 1e6


T = TypeVar("T")


def jieba_fallback(fn: Callable[[], T]) -> Callable[[], T]:
    """``fn`` run as on a machine without rjieba: every cut by segment.jieba_tokens (the code before it)."""

    def run() -> T:
        rjieba_segmenter = segment._rjieba
        segment._rjieba = lambda: None  # forked workers inherit this too
        try:
            return fn()
        finally:
            segment._rjieba = rjieba_segmenter

    return run


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    """Build the corpus, run every measurement once, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=2.5, help="corpus size in MB (default 2.5)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; the fastest counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "corpus", Path(tmp) / "cache"
        folder.mkdir()
        n_docs, size_mb = build_corpus(folder, args.mb)
        texts = [load_document(p).text for p in sorted(folder.glob("*.md"))]
        text_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        jieba.lcut("预热")  # load jieba's dictionary outside the timings
        segment.jieba_tokens("预热")  # and the fallback's: the warm-up builds only rjieba's
        _warm_up()

        def cut() -> object:
            return [segment.tokens(t) for t in texts]

        def pipeline(workers: int) -> Callable[[], object]:
            return lambda: extract_corpus_with_stats([folder], workers=workers, use_cache=False)

        # Interleave the measurements and keep each one's fastest round: this VM's speed drifts for tens
        # of seconds at a time, and a slow spell should not land on one measurement only.
        steps: dict[str, Callable[[], object]] = {
            "jieba": lambda: [jieba.lcut(t) for t in texts],
            "cut": cut,
            "cut_fallback": jieba_fallback(cut),
            "claims": lambda: [extract_claims(t) for t in texts],
            "one": pipeline(1),
            "one_fallback": jieba_fallback(pipeline(1)),
            "two": pipeline(2),
            "two_fallback": jieba_fallback(pipeline(2)),
        }
        rounds: dict[str, list[float]] = {name: [] for name in steps}
        for _ in range(args.rounds):
            for name, step in steps.items():
                rounds[name].append(timed(step))
        best = {name: min(seconds) for name, seconds in rounds.items()}
        t_cold = timed(lambda: extract_corpus_with_stats([folder], cache_dir=cache))
        t_warm = min(timed(lambda: extract_corpus_with_stats([folder], cache_dir=cache)) for _ in range(3))
    jieba_rate = text_mb / best["jieba"]
    print(f"corpus: {n_docs} documents, {size_mb:.2f} MB of files, {text_mb:.2f} MB of body text")
    print(f"baseline jieba.lcut:                  {jieba_rate:7.2f} MB/s")
    for label, name in [
        ("segment.tokens, rjieba", "cut"),
        ("segment.tokens, jieba fallback", "cut_fallback"),
        ("extract_claims alone", "claims"),
        ("pipeline, 1 worker", "one"),
        ("pipeline, 1 worker, jieba fallback", "one_fallback"),
        ("pipeline, 2 workers", "two"),
        ("pipeline, 2 workers, jieba fallback", "two_fallback"),
    ]:
        rate = text_mb / best[name]
        print(f"{label + ':':37s} {rate:7.2f} MB/s  ({rate / jieba_rate:5.2f}x jieba.lcut)")
    print(f"rjieba vs jieba fallback, cut:        {best['cut_fallback'] / best['cut']:7.2f}x")
    print(f"rjieba vs jieba fallback, 1 worker:   {best['one_fallback'] / best['one']:7.2f}x")
    print(f"2 workers vs 1:                       {best['one'] / best['two']:7.2f}x")
    print(f"cache cold run:                       {t_cold:7.2f} s")
    print(f"cache warm re-run:                    {t_warm:7.2f} s  ({100 * t_warm / t_cold:.1f}% of cold)")


if __name__ == "__main__":
    main()
