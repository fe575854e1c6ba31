"""Review store faults, for real: two processes writing at once, and a writer SIGKILLed in a loop of writes
and in the middle of a big import's transaction. Nothing may be lost, duplicated or half-written."""

from __future__ import annotations

import json
import multiprocessing
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extract.reviews import ClaimKey, ReviewStore

REPO = Path(__file__).resolve().parents[1]
HASH = "d" * 64
N_EACH = 200


def _key(worker: int, i: int) -> ClaimKey:
    """A distinct claim key per worker and index."""
    return ClaimKey(HASH, 1000 * worker + i, 1000 * worker + i + 6, f"{i}亿元")


def _writer(path: str, worker: int, barrier: multiprocessing.synchronize.Barrier) -> None:
    """Open the (new) store and write N_EACH reviews as fast as possible, together with the other writer."""
    barrier.wait(timeout=60)
    began = time.time()
    store = ReviewStore(Path(path))  # both create and migrate the same new file at once
    assert store.problem is None, store.problem
    for i in range(N_EACH):
        if i % 2:
            store.correct(_key(worker, i), {"value": float(i), "unit": "CNY"}, note=f"进程{worker}")
        else:
            store.confirm(_key(worker, i), note=f"进程{worker}")
    Path(f"{path}.worker{worker}").write_text(json.dumps([began, time.time()]))


def _integrity(path: Path) -> str:
    """PRAGMA integrity_check of the file."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    workers = [ctx.Process(target=_writer, args=(str(path), w, barrier)) for w in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=300)
        assert w.exitcode == 0
    reviews = ReviewStore(path).reviews()
    assert len(reviews) == 2 * N_EACH
    assert reviews["note"].value_counts().to_dict() == {"进程1": N_EACH, "进程2": N_EACH}
    corrected = reviews[reviews["status"] == "corrected"]
    assert len(corrected) == N_EACH
    assert (corrected["value"] == corrected["surface"].str[:-2].astype(float)).all()
    assert reviews["rev"].is_unique  # every write got its own revision: none overwrote another's
    spans = [json.loads(Path(f"{path}.worker{w}").read_text()) for w in (1, 2)]
    assert max(s for s, _ in spans) < min(e for _, e in spans)  # both began before either ended
    assert ReviewStore(path).version().endswith(f"-{1 + 2 * N_EACH}")  # revision 1 is the new file's
    assert _integrity(path) == "ok"


# Writes review i for i = 0, 1, 2… until killed; says "ready" on fd argv[2] after argv[3] writes.
LOOP_CHILD = r"""
import os, sys
from pathlib import Path
from extract.reviews import ClaimKey, ReviewStore

store = ReviewStore(Path(sys.argv[1]))
fd, after = int(sys.argv[2]), int(sys.argv[3])
for i in range(1_000_000):
    store.correct(ClaimKey("d" * 64, i, i + 5, f"{i}万人"),
                  {"value": i * 1e4, "unit": "person", "year": 2000 + i % 100, "entity": f"平台{i}"},
                  note=f"第{i}条")
    if i + 1 == after:
        os.write(fd, b"ready\n")
"""

# Imports the file argv[4]; the progress handler blocks mid-transaction after argv[3] calls, once the
# import's transaction has written part of its rows, and says "ready" on fd argv[2].
IMPORT_CHILD = r"""
import os, sys, time
from pathlib import Path
from extract import reviews

fd, after = int(sys.argv[2]), int(sys.argv[3])
real_connect = reviews._connect
armed = False

def connect(path):
    conn = real_connect(path)
    conn.execute("PRAGMA cache_size = 5")  # a small page cache spills the transaction into the WAL early
    calls = 0
    def progress():
        nonlocal calls
        if armed and conn.in_transaction:
            calls += 1
            if calls == after:
                os.write(fd, b"ready\n")
                time.sleep(600)
        return 0
    conn.set_progress_handler(progress, 100)
    return conn

reviews._connect = connect
store = reviews.ReviewStore(Path(sys.argv[1]))
armed = True
store.import_file(Path(sys.argv[4]))
"""


def _run_and_kill(script: str, path: Path, *args: str) -> None:
    """Run ``script`` on ``path`` in a child, wait for its "ready", then SIGKILL it."""
    read_fd, write_fd = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", script, str(path), str(write_fd), *args],
                             cwd=REPO, pass_fds=(write_fd,))
    os.close(write_fd)
    try:
        # A generous bound only so a broken child fails the test instead of hanging it.
        ready, _, _ = select.select([read_fd], [], [], 120)
        assert ready, f"the child never got ready (exit code {child.poll()})"
        assert os.read(read_fd, 64) == b"ready\n"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        os.close(read_fd)
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.slow
def test_a_writer_killed_mid_loop_leaves_every_stored_review_whole(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    _run_and_kill(LOOP_CHILD, path, "50")
    store = ReviewStore(path)
    assert store.problem is None and _integrity(path) == "ok"
    reviews = store.reviews().sort_values("start").reset_index(drop=True)
    n = len(reviews)
    assert n >= 50
    assert reviews["start"].tolist() == list(range(n))  # written in order: a prefix, no holes
    assert (reviews["status"] == "corrected").all()
    assert (reviews["corrected"] == "value|unit|year|entity").all()
    assert reviews["value"].tolist() == [i * 1e4 for i in range(n)]
    assert reviews["year"].tolist() == [2000 + i % 100 for i in range(n)]
    assert reviews["entity"].tolist() == [f"平台{i}" for i in range(n)]
    assert reviews["note"].tolist() == [f"第{i}条" for i in range(n)]
    assert store.version().endswith(f"-{1 + n}")  # no revision of a lost write survives
    store.confirm(ClaimKey(HASH, 0, 5, "0万人"))  # the store takes writes again
    assert store.reviews().set_index("start").loc[0, "status"] == "confirmed"


@pytest.mark.slow
def test_an_import_killed_mid_transaction_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "reviews.db"
    store = ReviewStore(path)
    for i in range(3):
        store.confirm(ClaimKey(HASH, i, i + 2, "5亿"), note="导入前")
    before, version = store.reviews(), store.version()
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as out:
        for i in range(20_000):
            out.write(json.dumps({"kind": "claim", "content_hash": "e" * 64, "start": i, "end": i + 3,
                                  "surface": "3亿元", "status": "rejected", "note": "批量" * 50},
                                 ensure_ascii=False) + "\n")
    wal = path.with_name(path.name + "-wal")
    _run_and_kill(IMPORT_CHILD, path, "3000", str(big))
    assert wal.exists() and wal.stat().st_size > 100_000  # the kill landed with uncommitted pages on disk
    again = ReviewStore(path)
    assert again.problem is None and _integrity(path) == "ok"
    assert again.reviews().equals(before) and again.version() == version
    assert again.import_file(big) == 20_000  # and the same import then goes through whole
    assert len(again.reviews()) == 20_003
