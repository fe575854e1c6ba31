"""The user-corpus folder: safe names, size limits, atomic writes and removal never escape the folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard import store
from dashboard.store import UploadError

TEXT = "2024年微短剧市场规模达504.4亿元。".encode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("报告.md", "报告.md"),
        ("Report.MD", "Report.md"),
        ("../../etc/evil.md", "evil.md"),
        ("..\\..\\windows\\evil.txt", "evil.txt"),
        ("/etc/cron.d/x.html", "x.html"),
        ("C:\\Users\\a\\文章.htm", "文章.htm"),
        ("a\x00b.md", "ab.md"),
        ("evil.md\x00.txt", "evil.md.txt"),
        ("CON.md", "_CON.md"),
        ("nul.txt", "_nul.txt"),
        ("com1.backup.md", "_com1.backup.md"),
        ("lpt9.md", "_lpt9.md"),
        (".hidden.md", "hidden.md"),
        ("..md", "document.md"),
        ("  .md", "document.md"),
        ('a<b>c:d"e|f?g*h.md', "a_b_c_d_e_f_g_h.md"),
        ("tab\there\nnew.md", "tab_here_new.md"),
        ("多  个   空格.txt", "多 个 空格.txt"),
        ("trailing dots... .md", "trailing dots.md"),
        ("bidi\u202eevil.md", "bidievil.md"),
    ],
)
def test_sanitize_name(name: str, expected: str) -> None:
    assert store.sanitize_name(name) == expected


@pytest.mark.parametrize("name", ["..", ".", "", "/", "../../etc/passwd", "x.exe", "x.md.exe", "CON", "a.py"])
def test_sanitize_name_refuses_other_types(name: str) -> None:
    with pytest.raises(UploadError, match="only"):
        store.sanitize_name(name)


def test_sanitize_name_caps_long_names_in_bytes() -> None:
    name = "微短剧" * 200 + ".md"
    safe = store.sanitize_name(name)
    assert len(safe.encode()) <= store.MAX_NAME_BYTES
    assert safe.endswith(".md") and safe.startswith("微短剧")
    safe.encode().decode("utf-8")  # cut at a character boundary


@pytest.mark.parametrize(
    "name",
    ["../escape.md", "../../escape.md", "/tmp/abs.md", "sub/../../escape.md", "..\\escape.md", "CON.md",
     "a\x00.md", ".." + "/" * 5 + "x.md", "x" * 1000 + ".md"],
)
def test_save_upload_stays_inside_the_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "user"
    path = store.save_upload(folder, name, TEXT)
    assert path.parent == folder
    assert path.read_bytes() == TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["user"]
    assert [f.path for f in store.list_uploads(folder)] == [path]


def test_save_upload_refuses_oversized(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match=r"over the .* limit"):
        store.save_upload(tmp_path, "big.md", b"x" * 101, max_bytes=100)
    assert list(tmp_path.iterdir()) == []


def test_save_upload_accepts_exactly_the_limit(tmp_path: Path) -> None:
    assert store.save_upload(tmp_path, "ok.md", b"x" * 100, max_bytes=100).stat().st_size == 100


@pytest.mark.parametrize("data", [b"", b"  \n\t "])
def test_save_upload_refuses_empty(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(UploadError, match="empty"):
        store.save_upload(tmp_path, "empty.md", data)


def test_same_name_different_content_gets_a_new_name(tmp_path: Path) -> None:
    first = store.save_upload(tmp_path, "a.md", TEXT)
    again = store.save_upload(tmp_path, "a.md", TEXT)
    other = store.save_upload(tmp_path, "a.md", b"other text")
    assert again == first
    assert other.name == "a-2.md"
    assert first.read_bytes() == TEXT and other.read_bytes() == b"other text"


def test_save_upload_leaves_no_temporary_files(tmp_path: Path) -> None:
    store.save_upload(tmp_path, "a.md", TEXT)
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_failed_write_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        store.save_upload(tmp_path, "a.md", TEXT)
    assert list(tmp_path.iterdir()) == []


def test_list_uploads_skips_hidden_folders_and_other_types(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", ".upload-123.tmp", ".hidden.md", "notes.odt"):
        (tmp_path / name).write_bytes(TEXT)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_bytes(TEXT)
    assert [f.name for f in store.list_uploads(tmp_path)] == ["a.txt", "b.md"]
    assert store.list_uploads(tmp_path / "missing") == []


def test_remove_upload(tmp_path: Path) -> None:
    path = store.save_upload(tmp_path, "a.md", TEXT)
    store.save_upload(tmp_path, "b.md", TEXT + b"!")
    store.remove_upload(tmp_path, path.name)
    assert [f.name for f in store.list_uploads(tmp_path)] == ["b.md"]


@pytest.mark.parametrize("name", ["../outside.md", "/etc/passwd", "missing.md", ".", "..", "", "sub/c.md"])
def test_remove_upload_only_removes_listed_files(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "user"
    folder.mkdir()
    (folder / "sub").mkdir()
    (folder / "sub" / "c.md").write_bytes(TEXT)
    outside = tmp_path / "outside.md"
    outside.write_bytes(TEXT)
    with pytest.raises(UploadError, match="not a document"):
        store.remove_upload(folder, name)
    assert outside.exists() and (folder / "sub" / "c.md").exists()
