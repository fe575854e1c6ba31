"""An archive on a cluster: the CLI on a real Dask LocalCluster writes Parquet partitions, read back whole;
the CLI's allocator for reading a large cache."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from extract import schema, tabular
from extract.atomic import replace_folder
from extract.cli import main
from extract.keywords import CORPUS_ID
from extract.pipeline import Corpus, extract_corpus
from extract.schema import C
from extract.tabular import part_name, read_tables, write_partitioned


def test_partitions_from_a_dask_cluster_read_back_as_a_local_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--scheduler on two worker processes (loopback): every table's partitions equal the local tables,
    with paths given relative to a folder the workers do not stand in."""
    from distributed import LocalCluster

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        text = f"{2020 + i}年微短剧市场规模为{300 + i}亿元，红果短剧月活跃用户达到{i + 1}.5亿。\n"
        (folder / f"{i}.md").write_text(text, "utf-8")
    (folder / "empty.md").write_bytes(b"")  # an error row: the errors table is written as well
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\n播放量突破2.2亿。", "utf-8")  # a warning
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        monkeypatch.chdir(tmp_path)  # the workers started elsewhere: "in" means nothing to them
        local = extract_corpus(["in"], use_cache=False)
        code = main(["in", "--out", "out", "--no-cache", "--quiet",
                     "--scheduler", cluster.scheduler_address, "--docs-per-part", "2"])
    assert code == 0
    out = tmp_path / "out"
    assert sorted(p.name for p in (out / "claims").iterdir()) == [part_name(i) for i in range(3)]
    assert not list(out.glob("*.parquet")) and not list(out.glob(".*"))  # no single files, no leftovers
    back = Corpus(**read_tables(out))  # the run's corpus again, as a library user or the dashboard opens it
    for name, frame in local.tables().items():
        pd.testing.assert_frame_equal(back.tables()[name], frame, check_exact=True)
    assert len(back.claims) == 11
    assert sorted(back.errors[C.file]) == [str(Path("in") / name) for name in ("broken.md", "empty.md")]
    rows = zip(back.errors[C.file], back.errors[C.reason], strict=True)
    assert all(reason.startswith(f"{file}: ") for file, reason in rows)  # messages name the paths as given
    # Plain pandas reads a table's folder as one table with the schema's dtypes.
    claims = pd.read_parquet(out / "claims")
    assert [str(claims[c].dtype) for c in claims.columns] == [str(t) for t in schema.empty("claims").dtypes]
    pd.testing.assert_frame_equal(claims, local.claims, check_exact=True)


def _documents(ids: list[str]) -> pd.DataFrame:
    """A documents table with only doc_ids and paths filled in."""
    frame = schema.empty("documents").reindex(range(len(ids)))
    frame[C.doc_id] = ids
    frame[C.path] = [f"{i}.md" for i in ids]
    return schema.conform(frame, "documents")


def _keywords(ids: list[str]) -> pd.DataFrame:
    """One keyword row per doc_id, in the order given."""
    return schema.conform(pd.DataFrame({C.doc_id: ids, C.method: "tfidf", C.rank: 1, C.keyword: "短剧",
                                        C.weight: 1.0}), "keywords")


@pytest.mark.parametrize(
    ("docs", "per_part", "expected"),
    [
        (["a", "b", "c", "d", "e"], 2, [["a", "b"], ["c", "d"], ["e"]]),
        (["a", "b", "c"], 3, [["a", "b", "c"]]),
        (["a", "b"], 1000, [["a", "b"]]),
        ([], 2, [[]]),  # an empty table still gets a partition, so it reads back with its columns
    ],
)
def test_partition_k_holds_documents_k_times_n_on(
    tmp_path: Path, docs: list[str], per_part: int, expected: list[list[str]]
) -> None:
    """The same documents in the same-numbered partition of every table; corpus keywords in the last."""
    keywords = _keywords([*reversed(docs), CORPUS_ID])
    tables = {"documents": _documents(docs), "keywords": keywords, "errors": schema.empty("errors")}
    before = keywords.copy()
    write_partitioned(tables, tmp_path, docs_per_part=per_part)
    pd.testing.assert_frame_equal(keywords, before)  # the input is left alone
    for name in ("documents", "keywords"):
        parts = sorted((tmp_path / name).iterdir())
        assert [p.name for p in parts] == [part_name(i) for i in range(len(expected))]
        got = [pd.read_parquet(p)[C.doc_id].tolist() for p in parts]
        if name == "keywords":
            want = [sorted(ids, reverse=True) for ids in expected]
            want[-1].append(CORPUS_ID)
        else:
            want = expected
        assert got == want
    assert [p.name for p in (tmp_path / "errors").iterdir()] == [part_name(0)]
    assert read_tables(tmp_path, ["documents"])["documents"][C.doc_id].tolist() == docs


def _old_and_new(tmp_path: Path) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Tables written once into tmp_path (the old ones), and larger new ones to write over them."""
    old = {"documents": _documents(["a", "b"]), "keywords": _keywords(["a", "b"])}
    write_partitioned(old, tmp_path, docs_per_part=1)
    ids = ["c", "d", "e", "f"]
    return old, {"documents": _documents(ids), "keywords": _keywords(ids)}


def test_an_interrupted_partition_write_leaves_the_old_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted after two of four partitions: readers still get the whole old table, and nothing else."""
    old, new = _old_and_new(tmp_path)
    real = tabular.frame_to_parquet
    calls = 0

    def interrupted(df: pd.DataFrame) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(df)

    monkeypatch.setattr(tabular, "frame_to_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_partitioned(new, tmp_path, docs_per_part=1)
    assert calls == 3
    back = read_tables(tmp_path, ["documents", "keywords"])
    for name, frame in old.items():
        pd.testing.assert_frame_equal(back[name], frame, check_exact=True)
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / name), frame, check_exact=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents", "keywords"]  # staging removed


def _killed_mid_write(folder: Path) -> None:
    """Child body: write one partition of a new table, then die at once, as a killed process does."""

    def fill(staging: Path) -> None:
        (staging / part_name(0)).write_bytes(tabular.frame_to_parquet(_keywords(["x"])))
        (staging / part_name(1)).write_bytes(b"PAR1 half a file")
        os.kill(os.getpid(), signal.SIGKILL)

    replace_folder(folder / "keywords", fill, prefix=".keywords.")


def test_a_writer_killed_mid_partition_leaves_no_partial_table(tmp_path: Path) -> None:
    """SIGKILL mid-write runs no cleanup: the half-written folder stays hidden, readers see the old table."""
    old, _ = _old_and_new(tmp_path)
    child = multiprocessing.get_context("fork").Process(target=_killed_mid_write, args=(tmp_path,))
    child.start()
    child.join(30)
    assert child.exitcode == -signal.SIGKILL
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".keywords.")]
    assert len(leftovers) == 1 and (leftovers[0] / part_name(1)).exists()  # the half-written staging
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "keywords"), old["keywords"], check_exact=True)
    back = read_tables(tmp_path, ["documents", "keywords"])
    pd.testing.assert_frame_equal(back["keywords"], old["keywords"], check_exact=True)


def _pool_in_a_fresh_process(code: str, pool: str | None) -> str:
    """The backend name a fresh interpreter prints after ``code``, with $ARROW_DEFAULT_MEMORY_POOL = pool."""
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if pool is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = pool
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    return done.stdout.strip()


@pytest.mark.parametrize("pool", [None, "system"])
def test_the_cli_allocates_with_jemalloc_unless_a_pool_is_named(pool: str | None) -> None:
    """tabular.use_jemalloc: jemalloc where pyarrow has it; a pool the environment names is kept."""
    chosen = _pool_in_a_fresh_process("from extract.tabular import use_jemalloc; print(use_jemalloc())", pool)
    probe = ("import pyarrow as pa\ntry:\n    print(pa.jemalloc_memory_pool().backend_name)\n"
             "except NotImplementedError:\n    print(pa.default_memory_pool().backend_name)")
    assert chosen == (pool or _pool_in_a_fresh_process(probe, None))


@pytest.mark.parametrize("last", ["partitions", "files"])
def test_one_layout_per_table_after_a_switch(tmp_path: Path, last: str) -> None:
    """A local run after a cluster run into the same folder (or the reverse) leaves only its own layout."""
    from extract.tabular import write_tables

    old, new = _old_and_new(tmp_path)  # old written as partitions
    if last == "partitions":
        write_tables(old, tmp_path)
        write_partitioned(new, tmp_path, docs_per_part=3)
    else:
        write_tables(new, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    if last == "partitions":
        assert names == ["documents", "keywords"]
    else:
        assert names == ["documents.csv", "documents.parquet", "keywords.csv", "keywords.parquet"]
    back = read_tables(tmp_path, ["documents", "keywords"])
    for name, frame in new.items():
        pd.testing.assert_frame_equal(back[name], frame, check_exact=True)


def test_a_missing_table_says_how_to_write_it(tmp_path: Path) -> None:
    """read_tables on a folder without the table names it and the command that writes it."""
    from extract.errors import ExtractError

    with pytest.raises(ExtractError, match=r"holds no claims table .*microdrama-facts PATH\.\.\. --out"):
        read_tables(tmp_path, ["claims"])
