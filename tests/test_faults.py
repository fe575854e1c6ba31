"""Fault injection: a killed upload, a corrupt cache, no chromium or CJK font, an extractor that raises.

Each test breaks one thing for real (SIGKILL, bytes written over a cache file, a missing browser, an
extractor that raises) and checks that the user keeps everything else and is told what happened.
"""

from __future__ import annotations

import io
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard import charts, export, indicator_views, state, store, views
from extract import pipeline
from extract.cache import TableCache
from extract.pipeline import extract_corpus, extract_corpus_with_stats
from extract.schema import C
from tests.test_app import APP, DOCS, TIMEOUT, app_folders, write_corpus

REPO = Path(__file__).resolve().parents[1]
OLD = "2023年微短剧市场规模为373.9亿元。".encode()
# About 240 KB of text: many 16 KB chunks, so a kill after the second one lands mid-write.
PAYLOAD = ("2024年，微短剧市场规模达到504.4亿元，带动就业岗位64.7万个。\n" * 3000).encode()
CHUNK = 16 * 1024

# The child saves PAYLOAD with store.save_upload; at ``stage`` it tells the parent through the pipe
# and then blocks, so the parent's SIGKILL lands exactly there and never races the write.
CHILD = r"""
import os, sys, time
from dashboard import store

signal_fd, stage, folder, chunk = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
payload = sys.stdin.buffer.read()
real_fdopen, real_replace = os.fdopen, os.replace

def stop_here():
    os.write(signal_fd, b"ready\n")
    time.sleep(600)

class ChunkedFile:
    def __init__(self, handle):
        self.handle = handle
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.handle.close()
    def write(self, data):
        view = memoryview(data)
        for n, i in enumerate(range(0, len(view), chunk)):
            self.handle.write(view[i:i + chunk])
            self.handle.flush()
            if stage == "write" and n == 1:
                os.fsync(self.handle.fileno())
                stop_here()
    def flush(self):
        self.handle.flush()
    def fileno(self):
        return self.handle.fileno()

def slow_replace(src, dst):
    stop_here()

os.fdopen = lambda fd, *a, **k: ChunkedFile(real_fdopen(fd, *a, **k))
if stage == "rename":
    os.replace = slow_replace
store.save_upload(folder, "new.md", payload)
if stage == "done":
    stop_here()
"""


def kill_upload_at(stage: str, folder: Path) -> list[Path]:
    """Run save_upload(folder, "new.md", PAYLOAD) in a child, SIGKILL it at ``stage``; the temp files then."""
    read_fd, write_fd = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(write_fd), stage, str(folder), str(CHUNK)],
        cwd=REPO, stdin=subprocess.PIPE, pass_fds=(write_fd,),
    )
    os.close(write_fd)
    try:
        child.stdin.write(PAYLOAD)
        child.stdin.close()
        # A generous bound only so a broken child fails the test instead of hanging it.
        ready, _, _ = select.select([read_fd], [], [], 120)
        assert ready, f"the child never reached {stage!r} (exit code {child.poll()})"
        assert os.read(read_fd, 64) == b"ready\n"
        temps = sorted(folder.glob(".upload-*.tmp"))  # what the kill interrupts, seen before it lands
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        os.close(read_fd)
        if child.poll() is None:
            child.kill()
            child.wait()
    return temps


# -- interrupted upload ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "kept"),
    [("write", False), ("rename", False), ("done", True)],
)
def test_upload_killed_mid_write_leaves_the_document_whole_or_absent(tmp_path: Path, stage: str,
                                                                      kept: bool) -> None:
    folder = tmp_path / "user"
    old = store.save_upload(folder, "old.md", OLD)
    temps = kill_upload_at(stage, folder)
    if stage == "write":  # proof that the kill landed mid-write: a partial temporary file
        assert len(temps) == 1 and 0 < temps[0].stat().st_size < len(PAYLOAD)
    if stage == "rename":
        assert len(temps) == 1 and temps[0].stat().st_size == len(PAYLOAD)
    if stage == "done":
        assert temps == []
    listed = {f.name: f.path.read_bytes() for f in store.list_uploads(folder)}
    assert listed == ({"old.md": OLD, "new.md": PAYLOAD} if kept else {"old.md": OLD})
    assert old.read_bytes() == OLD
    corpus = extract_corpus([folder], use_cache=False)
    assert corpus.errors.empty, corpus.errors.to_dict("records")
    assert sorted(corpus.documents[C.file_name]) == sorted(listed)
    again = store.save_upload(folder, "new.md", PAYLOAD)
    assert again == folder / "new.md" and again.read_bytes() == PAYLOAD


def test_temp_files_of_a_killed_upload_are_swept_once_stale(tmp_path: Path) -> None:
    folder = tmp_path / "user"
    store.save_upload(folder, "old.md", OLD)
    [left] = kill_upload_at("write", folder)
    store.save_upload(folder, "a.md", "微短剧用户规模达6.62亿人。".encode())
    assert left.exists(), "a fresh temporary file may belong to a live upload: it must stay"
    stale = time.time() - store.STALE_TEMP_SECONDS - 60
    os.utime(left, (stale, stale))  # as if the server restarted long after the kill
    store.save_upload(folder, "b.md", "付费短剧占比约52.4%。".encode())
    assert not left.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["a.md", "b.md", "old.md"]


def test_sweep_removes_only_stale_regular_temp_files(tmp_path: Path) -> None:
    folder = tmp_path / "user"
    folder.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    names = {
        ".upload-old.tmp": "file", ".upload-new.tmp": "fresh", ".upload-dir.tmp": "dir",
        ".upload-link.tmp": "link", "upload-old.tmp": "file", ".upload-old.md": "file", "doc.md": "file",
    }
    for name, kind in names.items():
        path = folder / name
        if kind == "dir":
            path.mkdir()
        elif kind == "link":
            path.symlink_to(outside)
        else:
            path.write_bytes(b"x")
    stale = time.time() - store.STALE_TEMP_SECONDS - 60
    for name, kind in names.items():
        if kind != "fresh":
            os.utime(folder / name, (stale, stale), follow_symlinks=False)
    removed = store.remove_stale_temps(folder)
    assert [p.name for p in removed] == [".upload-old.tmp"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(set(names) - {".upload-old.tmp"})
    assert outside.read_bytes() == b"keep"
    assert store.remove_stale_temps(tmp_path / "missing") == []


# -- corrupt cache -----------------------------------------------------------------------------------------


def _generation(cache_dir: Path) -> Path:
    """The live generation folder of the cache in ``cache_dir``."""
    root = TableCache(cache_dir).root
    return root / (root / "CURRENT").read_text().strip()


def _wrong_columns(path: Path) -> None:
    """Overwrite a table with a valid Parquet file that has none of its columns."""
    pd.DataFrame({"unexpected": [1, 2]}).to_parquet(path, index=False)


def _wrong_dtype(path: Path) -> None:
    """Overwrite a table with its own columns but text where numbers belong."""
    frame = pd.read_parquet(path)
    frame[C.value] = "not a number"
    frame.to_parquet(path, index=False)


CORRUPTIONS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "truncated documents": ("documents", lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])),
    "garbage sentences": ("sentences", lambda p: p.write_bytes(b"\x00\xffnot parquet" * 64)),
    "parquet magic around garbage": ("themes", lambda p: p.write_bytes(b"PAR1" + b"\x07" * 200 + b"PAR1")),
    "empty keywords": ("keywords", lambda p: p.write_bytes(b"")),
    "missing events": ("events", lambda p: p.unlink()),
    "wrong columns mentions": ("mentions", _wrong_columns),
    "wrong dtype claims": ("claims", _wrong_dtype),
}


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Two articles that agree on a figure, and one empty file that fails to load."""
    folder = write_corpus(tmp_path / "docs", {"a.md": DOCS["a.md"], "b.md": DOCS["b.md"]})
    (folder / "empty.txt").write_bytes(b"")
    return folder


def assert_same_tables(got: pipeline.Corpus, expected: pipeline.Corpus) -> None:
    """Every table equal, errors compared without the cache's own rows."""
    for name, frame in expected.tables().items():
        other = got.tables()[name]
        if name == "errors":
            other = other[other[C.stage] != "cache"].reset_index(drop=True)
        pd.testing.assert_frame_equal(other, frame, obj=name)


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_corrupt_cache_file_is_reported_rebuilt_and_never_used(small_corpus: Path, tmp_path: Path,
                                                               case: str) -> None:
    table, corrupt = CORRUPTIONS[case]
    cache_dir = tmp_path / "cache"
    expected = extract_corpus([small_corpus], use_cache=False)
    extract_corpus([small_corpus], cache_dir=cache_dir)
    corrupt(_generation(cache_dir) / f"{table}.parquet")
    got, stats = extract_corpus_with_stats([small_corpus], cache_dir=cache_dir)
    reports = got.errors[got.errors[C.stage] == "cache"]
    assert len(reports) == 1 and f"{table}.parquet" in reports[C.reason].item()
    assert "extracted again" in reports[C.reason].item()
    assert stats.extracted == 2
    assert_same_tables(got, expected)
    again, again_stats = extract_corpus_with_stats([small_corpus], cache_dir=cache_dir)
    assert (again.errors[C.stage] == "cache").sum() == 0
    assert (again_stats.extracted, again_stats.cached) == (0, 2)
    assert_same_tables(again, expected)


@pytest.mark.parametrize(
    "pointer",
    [
        pytest.param("gen-0000deleted", id="missing generation"),
        pytest.param("not a generation\x00", id="garbage"),
        pytest.param("../../elsewhere", id="outside the cache"),
        pytest.param("", id="empty"),
    ],
)
def test_current_pointing_nowhere_is_reported_and_rebuilt(small_corpus: Path, tmp_path: Path,
                                                          pointer: str) -> None:
    cache_dir = tmp_path / "cache"
    expected = extract_corpus([small_corpus], use_cache=False)
    extract_corpus([small_corpus], cache_dir=cache_dir)
    (TableCache(cache_dir).root / "CURRENT").write_text(pointer)
    got, stats = extract_corpus_with_stats([small_corpus], cache_dir=cache_dir)
    assert stats.extracted == 2
    assert_same_tables(got, expected)
    assert (got.errors[C.stage] == "cache").sum() == 1
    assert "names no cached generation" in got.errors[C.reason].str.cat()
    again, again_stats = extract_corpus_with_stats([small_corpus], cache_dir=cache_dir)
    assert again_stats.extracted == 0
    assert (again.errors[C.stage] == "cache").sum() == 0


# -- no chromium or no CJK font ----------------------------------------------------------------------------

HINT = export.INSTALL_HINT
CHART_TABS = ("overview", "keywords", "themes", "mentions", "timeline")


def _no_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point the export at a chromium that does not exist."""
    monkeypatch.setenv(export.BROWSER_ENV, str(tmp_path / "no-chromium-here"))


def _no_cjk_font(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Pretend fontconfig knows no Chinese font."""
    monkeypatch.setattr(export, "cjk_fonts", lambda: ("DejaVu Sans",))


@pytest.fixture
def fresh_resources() -> Iterator[None]:
    """Forget st.cache_resource before and after: app.py checks the export once per process."""
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()  # or later AppTests in this worker would inherit "export unavailable"


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The AppTest corpus of test_app (three documents) in private folders."""
    return app_folders(tmp_path, monkeypatch)


def unescaped(markdown: str) -> str:
    """Markdown written through panels.plain, back to the text it shows."""
    return re.sub(r"\\(.)", r"\1", markdown)


def buttons(at: AppTest) -> dict[str, bool]:
    """Download button key -> enabled, for every download button on the page."""
    return {b.key: not b.proto.disabled for b in at.get("download_button")}


@pytest.mark.parametrize("breakage", [_no_browser, _no_cjk_font], ids=["no chromium", "no CJK font"])
def test_app_without_server_side_export_says_what_to_install_and_works(
    app_env: dict[str, Path], fresh_resources: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    breakage: Callable[[pytest.MonkeyPatch, Path], None],
) -> None:
    breakage(monkeypatch, tmp_path)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    for tab in state.TABS:
        at.segmented_control(key=state.WIDGET_KEYS["tab"]).set_value(tab).run()
        assert not at.exception, (tab, [e.message for e in at.exception])
        notices = [unescaped(i.value) for i in at.sidebar.info]
        assert len(notices) == 1 and HINT in notices[0], notices
        offered = buttons(at)
        assert offered["dl-xlsx"] and offered["dl-pptx"], offered
        server_side = {k: v for k, v in offered.items() if k.endswith(("-png", "-svg"))}
        assert not any(server_side.values()), server_side
        assert all(v for k, v in offered.items() if k not in server_side), offered
        if tab in CHART_TABS:
            figures = at.get("plotly_chart")
            assert figures, f"{tab} lost its charts"
            for fig in figures:
                camera = json.loads(fig.proto.config)["toImageButtonOptions"]
                assert camera["format"] == "png" and camera["filename"]
            assert len(server_side) == 2 * len(figures)
            assert {k.rsplit("-", 1)[1] for k in offered} >= {"html", "csv"}
        if tab == "facts":
            assert not at.dataframe[0].value.empty
            assert offered["dl-facts-csv"] and offered["dl-facts-xlsx"], offered


def test_deck_needs_no_browser(tiny_corpus: dict[str, pd.DataFrame], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    _no_browser(monkeypatch, tmp_path)
    assert HINT in (export.export_status() or "")
    docs = tiny_corpus["documents"]
    headline = indicator_views.cards_view(tiny_corpus["indicators"], docs)
    deck = export.deck_to_pptx(title="微短剧事实看板", headline=headline, charts=[])
    slides = Presentation(io.BytesIO(deck)).slides
    assert len(slides) == 2
    figure = charts.claims_chart(views.claims_view(tiny_corpus["claims"], docs), title="微短剧数字")
    with pytest.raises(export.ExportUnavailable, match=re.escape(HINT)):
        export.figure_to_svg(figure)


# -- a document whose extraction raises --------------------------------------------------------------------

MARKER = "触发提取错误"


def break_extraction_on_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make claim extraction raise for any document containing MARKER, as a bug in the extractor would."""
    real = pipeline.claim_columns

    def claims_or_crash(doc_id: str, text: str, *args: object, **kwargs: object) -> dict[str, list[object]]:
        if MARKER in text:
            raise ZeroDivisionError("simulated extractor bug")
        return real(doc_id, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "claim_columns", claims_or_crash)


@pytest.mark.parametrize("workers", [1, 2])
def test_document_that_raises_is_reported_and_the_rest_kept(small_corpus: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            workers: int) -> None:
    expected = extract_corpus([small_corpus], use_cache=False)
    (small_corpus / "broken.md").write_text(f"# 坏文档\n\n{MARKER}：2024年播放量突破2.2亿次。\n",
                                            encoding="utf-8")
    break_extraction_on_marker(monkeypatch)
    got = extract_corpus([small_corpus], workers=workers, cache_dir=tmp_path / "cache")
    failed = got.errors[got.errors[C.file].str.endswith("broken.md")]
    assert failed[C.stage].tolist() == ["extract"]
    assert "ZeroDivisionError" in failed[C.reason].item()
    others = got.errors[~got.errors[C.file].str.endswith("broken.md")].reset_index(drop=True)
    pd.testing.assert_frame_equal(others, expected.errors)
    for name in ("documents", "claims", "sentences", "themes", "mentions", "events", "corroboration"):
        pd.testing.assert_frame_equal(got.tables()[name], expected.tables()[name], obj=name)
    monkeypatch.undo()  # the extractor is fixed: the failed document was not cached as empty
    fixed, stats = extract_corpus_with_stats([small_corpus], cache_dir=tmp_path / "cache")
    assert (stats.extracted, stats.cached) == (1, 2)
    assert "broken.md" in set(fixed.documents[C.file_name]) and fixed.errors.equals(expected.errors)


def test_app_lists_the_document_that_raised_and_keeps_the_others(app_env: dict[str, Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    expected = extract_corpus([app_env["corpus"]], use_cache=False).claims
    (app_env["corpus"] / "broken.md").write_text(f"{MARKER}：2024年播放量突破2.2亿次。", encoding="utf-8")
    break_extraction_on_marker(monkeypatch)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"tab": "documents"})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.warning, "no notice that a file failed"
    failed = at.dataframe[-1].value
    rows = failed[failed.iloc[:, 0].str.endswith("broken.md")]
    assert len(rows) == 1 and "ZeroDivisionError" in rows.iloc[0, 2]
    at.segmented_control(key=state.WIDGET_KEYS["tab"]).set_value("facts").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert sorted(zip(shown[C.doc_id], shown[C.claim_id], strict=True)) == sorted(
        zip(expected[C.doc_id], expected[C.claim_id], strict=True)
    )
