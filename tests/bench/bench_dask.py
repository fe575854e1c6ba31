"""Extraction on a Dask cluster: a LocalCluster of 2 worker processes beside the built-in pool and jieba.lcut.

Run from the repository root: ``python tests/bench/bench_dask.py [--docs 1000] [--rounds 3]``. Writes the
generated corpus (``gen_corpus.write_corpus``), then times, each step in a fresh Python process and cold
(no cache): jieba.lcut over the same body text (the baseline), ``extract_corpus`` on the built-in pool with
1 and with 2 workers, and on a ``dask.distributed`` LocalCluster of 2 worker processes on loopback through
its executor (the CLI's ``--scheduler`` path), whose tables the client then writes as Parquet partitions
(``tabular.write_partitioned``). A last step has the cluster's workers write each batch's partitions into
the shared output folder themselves and send back only their error rows, to measure what shipping the
tables to the client costs. The cluster starts and its workers load the extractors before the clock
starts, as on a cluster that is already running (the built-in pool forks a warmed process likewise). The
steps run interleaved for --rounds rounds and each keeps its fastest round.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from _bench import corpus_options, run_child  # noqa: E402
from gen_corpus import write_corpus  # noqa: E402

# One measured step in a fresh interpreter; prints seconds, the client's peak memory and what it wrote.
_CHILD = """
import json, resource, shutil, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
import jieba
from extract.corpus import iter_paths, load_document
from extract.pipeline import _warm_up, extract_corpus
from extract.tabular import write_partitioned
step, folder, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])


def write_batch(job):
    # On a worker: extract one batch and write its per-document tables as partitions of the shared folder.
    from extract.atomic import write_atomic
    from extract.pipeline import _extract_batch
    from extract.tabular import frame_to_parquet, part_name
    index, paths, target = job
    tables, problems, _ = _extract_batch(paths)
    for name, frame in (tables or {{}}).items():
        (Path(target) / name).mkdir(parents=True, exist_ok=True)
        write_atomic(Path(target) / name / part_name(index), frame_to_parquet(frame), prefix=".part-")
    return problems


jieba.lcut("预热")
_warm_up()
written = 0.0
if step == "jieba":
    texts = [load_document(p).text for p in iter_paths([folder])]
    start = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    seconds = time.perf_counter() - start
elif step in ("pool1", "pool2"):
    start = time.perf_counter()
    extract_corpus([folder], workers=2 if step == "pool2" else 1, use_cache=False)
    seconds = time.perf_counter() - start
else:
    from distributed import Client, LocalCluster
    from extract.pipeline import _batches
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(_warm_up)
        start = time.perf_counter()
        if step == "dask":
            corpus = extract_corpus([folder], use_cache=False, executor=client.get_executor(pure=False))
            seconds = time.perf_counter() - start
            begun = time.perf_counter()
            write_partitioned(corpus.tables(), out)
            written = time.perf_counter() - begun
        else:  # the workers write their own partitions; only error rows come back
            jobs = [(i, b, str(out)) for i, b in enumerate(_batches(iter_paths([folder]), 2))]
            problems = [p for rows in client.get_executor(pure=False).map(write_batch, jobs) for p in rows]
            seconds = time.perf_counter() - start
        shutil.rmtree(out, ignore_errors=True)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "write": written, "own_mb": own}}))
"""

STEPS = ("jieba", "pool1", "pool2", "dask", "dask_workers_write")


def run_step(step: str, folder: Path, out: Path) -> dict[str, float]:
    """Run one step in a fresh interpreter and return what it measured."""
    return run_child(_CHILD.format(root=str(ROOT)), step, str(folder), str(out))


def main() -> None:
    """Generate the corpus, run every step interleaved, print throughputs and ratios to the baselines."""
    args = corpus_options(__doc__.splitlines()[0])
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "corpus", Path(tmp) / "out"
        write_corpus(folder, args.docs, seed=args.seed)
        files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        from extract.corpus import load_document

        text_mb = sum(len(load_document(p).text.encode("utf-8")) for p in files) / 1e6
        print(f"corpus: {len(files)} documents, {text_mb:.2f} MB of body text; cold runs, no cache")
        rounds: dict[str, list[dict[str, float]]] = {step: [] for step in STEPS}
        for _ in range(args.rounds):
            for step, samples in rounds.items():
                samples.append(run_step(step, folder, out))
    best = {step: min(samples, key=lambda s: s["seconds"]) for step, samples in rounds.items()}
    base, one, two = (best[s]["seconds"] for s in ("jieba", "pool1", "pool2"))
    labels = {
        "jieba": "baseline jieba.lcut",
        "pool1": "built-in pool, 1 worker",
        "pool2": "built-in pool, 2 workers",
        "dask": "LocalCluster, 2 workers",
        "dask_workers_write": "LocalCluster, workers write",
    }
    for step, label in labels.items():
        m = best[step]
        rate, docs = text_mb / m["seconds"], len(files) / m["seconds"]
        line = (f"{label + ':':29s} {rate:5.2f} MB/s {docs:6.1f} docs/s "
                f"({m['seconds']:6.2f} s, client peak {m['own_mb']:4.0f} MB)")
        if step != "jieba":
            line += f"  {base / m['seconds']:.2f}x jieba.lcut, {one / m['seconds']:.2f}x 1 worker"
        if step.startswith("dask"):
            line += f", {two / m['seconds']:.2f}x the 2-worker pool"
        print(line)
    dask, own = best["dask"], best["dask_workers_write"]
    print(f"client writes the partitions after the cluster run: {dask['write']:.2f} s "
          f"({dask['write'] / dask['seconds']:.1%} of the extraction); the workers writing their own "
          f"per-document partitions instead: {own['seconds'] / (dask['seconds'] + dask['write']):.2f}x "
          f"the time of extract + write, client peak {own['own_mb'] / dask['own_mb']:.2f}x")
    print("rounds (s): " + "; ".join(f"{k} " + ", ".join(f"{s['seconds']:.2f}" for s in v)
                                     for k, v in rounds.items()))


if __name__ == "__main__":
    main()
