"""Corpus pipeline: tables, errors, cache behaviour, corroboration and the CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract import pipeline, schema
from extract.cache import TableCache
from extract.cli import main
from extract.corroborate import TOLERANCE, _clusters, corroborate
from extract.pipeline import extract_corpus, extract_corpus_with_stats
from extract.schema import C

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_346428899b60929e.md"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A folder with the seed, a second article, and three broken files."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.md")
    (folder / "other.txt").write_text(
        "2024年微短剧市场规模达504.4亿元，带动64.7万个就业岗位。抖音、快手加大投入。", encoding="utf-8"
    )
    (folder / "conflict.txt").write_text("2024年微短剧市场规模为380亿元。", encoding="gb18030")
    (folder / "empty.md").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    return folder


def test_every_table_matches_its_schema(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = extract_corpus([corpus_dir], cache_dir=tmp_path / "cache")
    for name, frame in corpus.tables().items():
        assert frame.columns.tolist() == schema.columns(name), name
    assert len(corpus.documents) == 3
    assert set(corpus.errors[C.file].map(lambda p: Path(p).name)) == {"empty.md", "binary.txt"}
    assert corpus.errors[C.reason].str.len().min() > 20


def test_claims_carry_doc_ids_and_themes(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = extract_corpus([corpus_dir], cache_dir=tmp_path / "cache")
    assert set(corpus.claims[C.doc_id]) <= set(corpus.documents[C.doc_id])
    seed_id = corpus.documents.loc[corpus.documents[C.file_name] == "seed.md", C.doc_id].item()
    seed_claims = corpus.claims[corpus.claims[C.doc_id] == seed_id]
    assert len(seed_claims) == 5
    assert seed_claims[C.themes].str.len().gt(0).any()
    texts = dict(zip(corpus.documents[C.doc_id], corpus.documents[C.text], strict=True))
    for row in corpus.claims.itertuples(index=False):
        assert texts[row.doc_id][row.start : row.end] == row.surface


def test_combined_corpora_hold_each_document_once(corpus_dir: Path, tmp_path: Path) -> None:
    whole = extract_corpus([corpus_dir], cache_dir=tmp_path / "cache")
    seed_only = extract_corpus([corpus_dir / "seed.md"], cache_dir=tmp_path / "cache")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "new.txt").write_text("2025年微短剧市场规模达677.9亿元。", encoding="utf-8")
    new = extract_corpus([fresh], cache_dir=tmp_path / "cache")
    combined = pipeline.combine([whole, seed_only, new])  # the seed twice: counted once
    assert combined.documents[C.doc_id].is_unique
    assert len(combined.documents) == len(whole.documents) + 1
    assert len(combined.claims) == len(whole.claims) + len(new.claims)
    for name, frame in combined.tables().items():
        assert frame.columns.tolist() == schema.columns(name), name
    # corpus-wide keywords, corroboration and indicators are computed over all of them again
    assert (combined.keywords[C.doc_id] == "*").sum() == (whole.keywords[C.doc_id] == "*").sum()
    sizes = combined.indicators[combined.indicators[C.metric] == "market_size"]
    assert set(sizes[C.period].astype(str)) >= {"2024", "2025"}
    assert set(combined.errors[C.file].map(lambda p: Path(p).name)) == {"empty.md", "binary.txt"}


def test_corroboration_and_conflict(corpus_dir: Path, tmp_path: Path) -> None:
    corp = extract_corpus([corpus_dir], cache_dir=tmp_path / "cache").corroboration
    jobs = corp[corp[C.metric] == "jobs"]
    assert jobs[C.n_sources].tolist() == [2] and jobs[C.status].tolist() == ["corroborated"]
    market = corp[corp[C.metric] == "market_size"]
    assert set(market[C.status]) == {"conflict"}
    assert sorted(market[C.value]) == pytest.approx([38_000_000_000, 50_440_000_000])


def test_corroborate_groups_within_one_percent() -> None:
    claims = schema.conform(
        pd.DataFrame(
            {
                **{c: [None] * 3 for c in schema.columns("claims")},
                C.doc_id: ["a", "b", "c"],
                C.claim_id: [0, 0, 0],
                C.value: [100.0, 100.5, 300.0],
                C.unit: ["CNY"] * 3,
                C.metric: ["revenue"] * 3,
                C.qualifier: ["exact", "exact", "lower_bound"],
                C.year: [2024] * 3,
            }
        ),
        "claims",
    )
    before = claims.copy()
    out = corroborate(claims)
    pd.testing.assert_frame_equal(claims, before)
    assert out[C.n_sources].tolist() == [2]
    assert out[C.status].tolist() == ["corroborated"]


def _reference_clusters(values: list[float]) -> list[tuple[int, int]]:
    """The clustering rule as stated: a run ends where a value is more than 1% away from the run's first."""
    clusters, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or abs(values[i] - values[start]) > TOLERANCE * abs(values[start]):
            clusters.append((start, i))
            start = i
    return clusters


@given(st.lists(st.one_of(st.floats(-1e12, 1e12, allow_nan=False),
                          st.sampled_from([0.0, 99.0, 100.0, 101.0])), max_size=40))
def test_clusters_follow_the_rule_exactly(values: list[float]) -> None:
    ordered = sorted(values)
    assert _clusters(ordered) == _reference_clusters(ordered)


def test_warm_run_extracts_nothing(corpus_dir: Path, tmp_path: Path) -> None:
    cold, cold_stats = extract_corpus_with_stats([corpus_dir], cache_dir=tmp_path / "cache")
    warm, warm_stats = extract_corpus_with_stats([corpus_dir], cache_dir=tmp_path / "cache")
    assert (cold_stats.extracted, warm_stats.extracted, warm_stats.cached) == (3, 0, 3)
    for name in cold.tables():
        pd.testing.assert_frame_equal(cold.tables()[name], warm.tables()[name], check_dtype=True)


def test_corrupt_cache_is_reported_and_rebuilt(corpus_dir: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    extract_corpus([corpus_dir], cache_dir=cache_dir)
    current = TableCache(cache_dir).root
    claims_file = next(current.glob("gen-*/claims.parquet"))
    claims_file.write_bytes(claims_file.read_bytes()[:50])
    corpus, stats = extract_corpus_with_stats([corpus_dir], cache_dir=cache_dir)
    assert stats.extracted == 3
    assert (corpus.errors[C.stage] == "cache").sum() == 1
    assert "corrupt" in corpus.errors.loc[corpus.errors[C.stage] == "cache", C.reason].item()
    assert len(corpus.claims[corpus.claims[C.value] == 50_440_000_000]) == 2
    _, again = extract_corpus_with_stats([corpus_dir], cache_dir=cache_dir)
    assert again.extracted == 0


def test_two_workers_give_the_same_tables(corpus_dir: Path, tmp_path: Path) -> None:
    one = extract_corpus([corpus_dir], use_cache=False)
    two = extract_corpus([corpus_dir], workers=2, use_cache=False)
    for name in one.tables():
        pd.testing.assert_frame_equal(one.tables()[name], two.tables()[name])


def test_a_worker_that_dies_costs_no_document(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-run (as by the OOM killer) leaves its files to the parent, which finishes them."""
    for i in range(12):
        text = f"2024年第{i}家公司融资{i + 1}亿元。"
        (corpus_dir / f"extra_{i:02d}.txt").write_text(text, encoding="utf-8")
    parent = os.getpid()
    real = pipeline._load_and_extract

    def dies_in_a_worker(path: Path) -> tuple:
        if os.getpid() != parent and path.name == "extra_05.txt":
            (tmp_path / "worker-died").touch()
            os._exit(9)
        return real(path)

    expected = extract_corpus([corpus_dir], use_cache=False)
    monkeypatch.setattr(pipeline, "_load_and_extract", dies_in_a_worker)
    seen: list[tuple[int, int]] = []
    corpus, stats = extract_corpus_with_stats(
        [corpus_dir], workers=2, use_cache=False, progress=lambda done, total: seen.append((done, total))
    )
    assert set(corpus.documents[C.doc_id]) == set(expected.documents[C.doc_id])
    assert stats.extracted == len(expected.documents)
    pd.testing.assert_frame_equal(
        corpus.claims.sort_values([C.doc_id, C.claim_id]).reset_index(drop=True),
        expected.claims.sort_values([C.doc_id, C.claim_id]).reset_index(drop=True),
    )
    assert (tmp_path / "worker-died").exists()  # the fault really happened
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1][0] == seen[-1][1]


@pytest.mark.parametrize(("files", "workers"), [(1, 2), (7, 2), (100, 2), (1000, 2), (1000, 4)])
def test_batches_cover_every_file_once_in_order(files: int, workers: int) -> None:
    todo = [Path(f"f{i}") for i in range(files)]
    batches = pipeline._batches(todo, workers)
    assert [p for b in batches for p in b] == todo
    assert max(len(b) for b in batches) <= pipeline.BATCH_FILES
    assert len(batches) >= min(files, workers * 8)


def test_duplicate_content_counts_once(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        shutil.copy(SEED, tmp_path / name)
    corpus = extract_corpus([tmp_path], use_cache=False)
    assert len(corpus.documents) == 1
    assert "same content" in corpus.errors[C.reason].item()


def test_cli_writes_tables(corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main([str(corpus_dir), "--out", str(out), "--cache-dir", str(tmp_path / "c"), "--quiet"])
    assert code == 0
    assert (out / "claims.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    claims = pd.read_parquet(out / "claims.parquet")
    assert claims[C.surface].str.contains("504.4亿元").sum() == 2
    printed = capsys.readouterr()
    assert "3 documents" in printed.out and "binary.txt" in printed.err


def test_cli_without_input_fails_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "no input" in capsys.readouterr().err


def test_corpus_keywords_rank_words_shared_by_documents(corpus_dir: Path, tmp_path: Path) -> None:
    keywords = extract_corpus([corpus_dir], cache_dir=tmp_path / "cache").keywords
    corpus_level = keywords[keywords[C.doc_id] == "*"]
    for _, ranked in corpus_level.groupby(C.method):
        assert ranked[C.rank].tolist() == list(range(1, len(ranked) + 1))
        assert ranked[C.weight].is_monotonic_decreasing
    tfidf = corpus_level[corpus_level[C.method] == "tfidf"]
    assert "微短剧" in tfidf[C.keyword].head(5).tolist()


def test_bad_input_corpus_is_reported_or_extracted(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    seed_text = SEED.read_text("utf-8")
    body = seed_text.split("---\n", 2)[2]
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50)
    (folder / "gbk.txt").write_bytes("2024年微短剧市场规模达504.4亿元。".encode("gbk"))
    (folder / "bom.md").write_bytes("\ufeff带动64.7万个就业岗位。".encode())
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\n播放量突破2.2亿。", encoding="utf-8")
    (folder / "big.md").write_text(body * (5_000_000 // len(body.encode()) + 1), encoding="utf-8")
    corpus = extract_corpus([folder], use_cache=False)
    names = set(corpus.documents[C.file_name])
    failed = set(corpus.errors[C.file].map(lambda p: Path(p).name))
    assert names | failed == {"empty.txt", "binary.md", "gbk.txt", "bom.md", "broken.md", "big.md"}
    assert {"gbk.txt", "bom.md", "broken.md", "big.md"} <= names
    assert {"empty.txt", "binary.md", "broken.md"} <= failed  # broken front matter: kept, and reported
    assert (folder / "big.md").stat().st_size > 5_000_000
    values = set(corpus.claims[C.value])
    assert {50_440_000_000, 647_000, 220_000_000} <= values


def test_warnings_survive_a_warm_run(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\n播放量突破2.2亿。", encoding="utf-8")
    cold, cold_stats = extract_corpus_with_stats([folder], cache_dir=tmp_path / "cache")
    warm, warm_stats = extract_corpus_with_stats([folder], cache_dir=tmp_path / "cache")
    assert (cold_stats.failed, warm_stats.failed) == (0, 0)
    assert len(cold.errors) == 1 and "broken.md" in cold.errors[C.file].item()
    pd.testing.assert_frame_equal(cold.errors, warm.errors)


def test_changed_file_is_extracted_again(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    doc = folder / "a.txt"
    doc.write_text("2024年市场规模达100亿元。", encoding="utf-8")
    first = extract_corpus([folder], cache_dir=tmp_path / "cache")
    doc.write_text("2024年市场规模达200亿元。", encoding="utf-8")
    second, stats = extract_corpus_with_stats([folder], cache_dir=tmp_path / "cache")
    assert stats.extracted == 1
    assert first.claims[C.value].tolist() == [1e10] and second.claims[C.value].tolist() == [2e10]
    assert len(second.documents) == 1


def _claims_frame(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """A claims table from (doc_id, metric, value, unit) rows, year 2024, exact."""
    return schema.conform(
        pd.DataFrame(
            {
                **{c: [None] * len(rows) for c in schema.columns("claims")},
                C.doc_id: [r[0] for r in rows],
                C.claim_id: [0] * len(rows),
                C.metric: [r[1] for r in rows],
                C.value: [r[2] for r in rows],
                C.unit: [r[3] for r in rows],
                C.qualifier: ["exact"] * len(rows),
                C.year: [2024] * len(rows),
            }
        ),
        "claims",
    )


@pytest.mark.parametrize(
    ("rows", "statuses"),
    [
        ([("a", "market_size", 5.0e10, "CNY"), ("b", "market_size", 3.8e10, "CNY")], ["conflict"] * 2),
        ([("a", "users", 1.58e8, "person"), ("b", "users", 6.62e8, "person")], []),
        ([("a", "growth", 220.0, "percent"), ("b", "growth", 34.9, "percent")], []),
        ([("a", "jobs", 647_000.0, "job"), ("b", "jobs", 647_000.0, "job")], ["corroborated"]),
    ],
)
def test_conflicts_only_for_industry_wide_metrics(
    rows: list[tuple[str, str, float, str]], statuses: list[str]
) -> None:
    assert corroborate(_claims_frame(rows))[C.status].tolist() == statuses


@pytest.mark.parametrize("kind", ["threads", "spawned processes"])
def test_any_executor_gives_the_tables_of_a_local_run(tmp_path: Path, kind: str) -> None:
    """extract_corpus(executor=...) runs on any concurrent.futures engine, with the same tables."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    from extract.pipeline import extract_corpus

    for i in range(6):
        text = f"{2020 + i}年微短剧市场规模为{100 + i}亿元，用户达{i + 3}亿人。\n"
        (tmp_path / f"{i}.md").write_text(text, "utf-8")
    local = extract_corpus([tmp_path], use_cache=False)
    pool = (ThreadPoolExecutor(2) if kind == "threads"
            else ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")))
    with pool:
        remote = extract_corpus([tmp_path], use_cache=False, executor=pool)
    for name, frame in local.tables().items():
        pd.testing.assert_frame_equal(remote.tables()[name], frame, check_exact=True)
    assert len(remote.claims) == 12


def test_a_dask_cluster_gives_the_tables_of_a_local_run(tmp_path: Path) -> None:
    """A real dask.distributed LocalCluster, two worker processes on loopback, through its executor."""
    from distributed import Client, LocalCluster

    from extract.pipeline import extract_corpus

    for i in range(6):
        text = f"{2020 + i}年，红果短剧月活跃用户达到{i + 1}.5亿，同比增长{10 + i}%。\n"
        (tmp_path / f"{i}.md").write_text(text, "utf-8")
    local = extract_corpus([tmp_path], use_cache=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        remote = extract_corpus([tmp_path], use_cache=False, executor=client.get_executor())
        assert len(client.scheduler_info()["workers"]) == 2
    for name, frame in local.tables().items():
        pd.testing.assert_frame_equal(remote.tables()[name], frame, check_exact=True)


def test_the_cli_extracts_on_a_dask_scheduler(tmp_path: Path) -> None:
    """microdrama-facts --scheduler ADDRESS: the claims written by the CLI, as a folder of partitions."""
    from distributed import LocalCluster

    (tmp_path / "in").mkdir()
    for i in range(3):
        (tmp_path / "in" / f"{i}.md").write_text(f"2024年微短剧市场规模为{500 + i}亿元。\n", "utf-8")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        code = main([str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-cache", "--quiet",
                     "--scheduler", cluster.scheduler_address])
    assert code == 0
    claims = pd.read_parquet(tmp_path / "out" / "claims")
    assert sorted(claims[C.value].tolist()) == [5.00e10, 5.01e10, 5.02e10]
