"""Extraction at scale: 1,000 generated documents, cold on 1 and 2 workers, warm, accuracy and peak memory.

Run from the repository root: ``python tests/bench/bench_scale.py [--docs 1000] [--rounds 3]``. Writes a
corpus with ``gen_corpus.write_corpus`` (every claim in it is known), then times, each in a fresh Python
process so that peak memory is that run's own: jieba.lcut over the same body text (the baseline), the
same split over two forked processes (what this machine gives two processes), the pipeline's own
segmenter alone (rjieba: the ceiling of a pipeline that cuts each text once), the pipeline with 1 and
with 2 workers and no cache, a cold run that fills a cache, and warm re-runs with pyarrow's default
allocator and with the one the CLI chooses (``tabular.use_jemalloc``). The
measurements run interleaved for --rounds rounds and each keeps its fastest round. Extraction accuracy is
scored against the planted claims. The dashboard's figures at this size come from ``bench_app.py --docs``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from _bench import corpus_options, run_child  # noqa: E402
from gen_corpus import compare_claims, score, write_corpus  # noqa: E402

# One measured step, run in a fresh interpreter: imports and jieba's dictionary load before the clock
# starts, as in a long-lived process; prints seconds and peak resident memory (own and workers') as JSON.
_CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
import jieba
from extract.corpus import iter_paths, load_document
from extract.pipeline import _warm_up, extract_corpus_with_stats
step, folder, cache = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
if step == "warm_cli":  # the allocator the CLI chooses for its process
    from extract.tabular import use_jemalloc
    use_jemalloc()


def _lcut_batch(batch):
    return sum(len(jieba.lcut(text)) for text in batch)


jieba.lcut("预热")
_warm_up()
if step in ("jieba", "jieba2", "rjieba"):
    texts = [load_document(p).text for p in iter_paths([folder])]
    start = time.perf_counter()
    if step == "jieba":
        for text in texts:
            jieba.lcut(text)
    elif step == "rjieba":  # the segmenter the pipeline cuts with: the ceiling of a pipeline that cuts once
        from extract import segment
        for text in texts:
            segment.tokens(text)
    else:  # the same work in two forked processes, batches of 8 as the pipeline does: the VM's ceiling
        import multiprocessing
        batches = [texts[i:i + 8] for i in range(0, len(texts), 8)]
        with multiprocessing.get_context("fork").Pool(2) as pool:
            pool.map(_lcut_batch, batches, chunksize=1)
    stats = None
else:
    workers = 2 if step == "two" else 1
    start = time.perf_counter()
    cached = step in ("cold", "warm", "warm_cli")
    _, stats = extract_corpus_with_stats([folder], workers=workers, use_cache=cached, cache_dir=cache or None)
seconds = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "own_mb": own, "worker_mb": workers,
                  "extracted": stats.extracted if stats else 0}}))
"""


# Issue 12's targets, each against a baseline of the same run.
ONE_WORKER_TARGET = 3.0  # the whole pipeline on one worker, cold, against jieba.lcut
TWO_WORKER_TARGET = 1.8  # two workers against one
WARM_TARGET = 0.03  # a warm re-run against the cold run that filled the cache


def run_step(step: str, folder: Path, cache: Path | None = None) -> dict[str, float]:
    """Run one step in a fresh interpreter and return what it measured."""
    return run_child(_CHILD.format(root=str(ROOT)), step, str(folder), str(cache or ""))


def main() -> None:
    """Generate the corpus, run every measurement, print the figures with their baselines."""
    args = corpus_options(__doc__.splitlines()[0])
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "corpus", Path(tmp) / "cache"
        started = time.perf_counter()
        expected = write_corpus(folder, args.docs, seed=args.seed)
        generated = time.perf_counter() - started
        files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        from extract.corpus import load_document

        text_mb = sum(len(load_document(p).text.encode("utf-8")) for p in files) / 1e6
        print(f"corpus: {len(files)} documents, {size_mb:.2f} MB of files, {text_mb:.2f} MB of body text, "
              f"{len(expected)} planted claims (generated in {generated:.1f} s)")
        rounds: dict[str, list[dict[str, float]]] = {"jieba": [], "jieba2": [], "rjieba": [], "one": [],
                                                     "two": []}
        for _ in range(args.rounds):
            for step, samples in rounds.items():
                samples.append(run_step(step, folder))
        best = {step: min(samples, key=lambda s: s["seconds"]) for step, samples in rounds.items()}
        cold = run_step("cold", folder, cache)
        warms: dict[str, list[dict[str, float]]] = {"warm": [], "warm_cli": []}
        for _ in range(args.rounds):
            for step, samples in warms.items():
                samples.append(run_step(step, folder, cache))
        warm, warm_cli = (min(warms[step], key=lambda s: s["seconds"]) for step in ("warm", "warm_cli"))
        from extract import extract_corpus

        quality = score(compare_claims(expected, extract_corpus([folder], cache_dir=cache)))
    jieba_rate = text_mb / best["jieba"]["seconds"]
    print(f"baseline jieba.lcut:            {jieba_rate:6.2f} MB/s  ({best['jieba']['seconds']:6.2f} s, "
          f"peak {best['jieba']['own_mb']:5.0f} MB)")
    rjieba_rate = text_mb / best["rjieba"]["seconds"]
    print(f"ceiling segment.tokens (rjieba): {rjieba_rate:5.2f} MB/s  ({best['rjieba']['seconds']:6.2f} s, "
          f"{rjieba_rate / jieba_rate:5.2f}x jieba.lcut)")
    for label, step in (("pipeline, 1 worker", "one"), ("pipeline, 2 workers", "two")):
        m = best[step]
        rate = text_mb / m["seconds"]
        memory = f"peak {m['own_mb']:5.0f} MB"
        if m["worker_mb"]:
            memory += f" + largest worker {m['worker_mb']:4.0f} MB"
        print(f"{label + ':':31s} {rate:6.2f} MB/s  ({m['seconds']:6.2f} s, "
              f"{rate / jieba_rate:4.2f}x jieba.lcut, {memory})")
    ratio = best["jieba"]["seconds"] / best["one"]["seconds"]
    verdict = "ok" if ratio >= ONE_WORKER_TARGET else "MISSED"
    print(f"1 worker vs jieba.lcut:         {ratio:6.2f}x  (target >= {ONE_WORKER_TARGET}x: {verdict})")
    scaling = best["one"]["seconds"] / best["two"]["seconds"]
    ceiling = best["jieba"]["seconds"] / best["jieba2"]["seconds"]
    verdict = "ok" if scaling >= TWO_WORKER_TARGET else "MISSED"
    print(f"2 workers vs 1:                 {scaling:6.2f}x  (target >= {TWO_WORKER_TARGET}x: {verdict}); "
          f"jieba.lcut in 2 processes vs 1, the same run: {ceiling:.2f}x")
    share = warm["seconds"] / cold["seconds"]
    verdict = "ok" if share <= WARM_TARGET else "MISSED"
    print(f"cache: cold run {cold['seconds']:.2f} s, warm re-run {warm['seconds']:.2f} s = "
          f"{100 * share:.1f}% of cold (target <= {WARM_TARGET:.0%}: {verdict}; warm peak "
          f"{warm['own_mb']:.0f} MB)")
    share = warm_cli["seconds"] / cold["seconds"]
    verdict = "ok" if share <= WARM_TARGET else "MISSED"
    print(f"cache, as the CLI runs (jemalloc): warm re-run {warm_cli['seconds']:.2f} s = {100 * share:.1f}% "
          f"of cold (target <= {WARM_TARGET:.0%}: {verdict}; warm peak {warm_cli['own_mb']:.0f} MB)")
    print(f"accuracy against the planted claims: precision {quality['precision']:.4f}, "
          f"recall {quality['recall']:.4f}")
    print("rounds (s): " + "; ".join(f"{k} " + ", ".join(f"{s['seconds']:.2f}" for s in v)
                                     for k, v in rounds.items()))


if __name__ == "__main__":
    main()
