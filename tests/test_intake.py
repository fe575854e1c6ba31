"""Getting articles in: .zip archives, several files at once, pasted text, and editing what was added."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data, store
from extract.archive import read_zip
from extract.corpus import load_document
from extract.errors import DocumentError

SUFFIXES = store.ALLOWED_SUFFIXES
ARTICLE = "2024年微短剧市场规模为504.4亿元，同比增长34.9%。\n".encode()


def _zip(members: list[tuple[str, bytes]], *, link: str | None = None) -> bytes:
    """A zip archive of ``members`` (and a symbolic link named ``link``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members:
            zf.writestr(name, body)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("members", "link", "read", "problems"),
    [
        ([("a.md", ARTICLE), ("sub/b.txt", ARTICLE)], None, ["a.md", "sub/b.txt"], []),
        ([("../../evil.md", ARTICLE)], None, ["../../evil.md"], []),  # the name is sanitised on saving
        ([("a.md", ARTICLE), ("photo.jpg", b"\xff\xd8")], None, ["a.md"], ["photo.jpg"]),
        ([("a.md", ARTICLE), (".hidden.md", ARTICLE)], None, ["a.md"], [".hidden.md"]),
        ([("a.md", ARTICLE)], "link.md", ["a.md"], ["link.md"]),
    ],
)
def test_read_zip_members(members: list, link: str | None, read: list[str], problems: list[str]) -> None:
    out = read_zip("x.zip", _zip(members, link=link), SUFFIXES)
    assert [m for m, _ in out.members] == read
    assert [m for m, _ in out.problems] == problems
    assert all(body == ARTICLE for _, body in out.members)


def test_a_zip_bomb_stops_at_the_cap_whatever_the_header_says() -> None:
    bomb = _zip([("big.txt", b"0" * (3 * 1024 * 1024)), ("small.md", ARTICLE)])
    assert len(bomb) < 100_000  # it compresses to almost nothing
    out = read_zip("bomb.zip", bomb, SUFFIXES, max_member=1024 * 1024)
    assert [m for m, _ in out.members] == ["small.md"]
    assert "larger than 1 MB" in dict(out.problems)["big.txt"]
    total = read_zip("bomb.zip", bomb, SUFFIXES, max_total=2 * 1024 * 1024)
    assert [m for m, _ in total.members] == []
    assert {m for m, _ in total.problems} == {"big.txt", "small.md"}


def test_a_report_in_a_zip_may_be_as_big_as_one_uploaded_alone() -> None:
    from extract.archive import MAX_MEMBER_BYTES

    big = b"0" * (MAX_MEMBER_BYTES + 1024)  # past an article's cap, well within a report's
    out = read_zip("reports.zip", _zip([("report.pdf", big), ("notes.txt", big)]), SUFFIXES)
    assert [m for m, _ in out.members] == ["report.pdf"]
    assert "larger than 5 MB" in dict(out.problems)["notes.txt"]


@pytest.mark.parametrize(("blob", "message"), [(b"PK\x03\x04broken", "not a readable .zip"),
                                               (b"plain text", "not a readable .zip")])
def test_a_broken_archive_says_so(blob: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_zip("bad.zip", blob, SUFFIXES)


def test_too_many_members_is_refused() -> None:
    with pytest.raises(DocumentError, match="over the limit of 3"):
        read_zip("many.zip", _zip([(f"{i}.md", ARTICLE) for i in range(4)]), SUFFIXES, max_members=3)


def test_add_uploads_saves_each_member_and_reports_the_rest(tmp_path: Path) -> None:
    archive = _zip([("一.md", ARTICLE), ("../二.txt", "2025年用户规模达6.96亿人。\n".encode()),
                    ("空.md", b"   "), ("图.png", b"\x89PNG")])
    messages = data.add_uploads(tmp_path, [("报告.zip", archive), ("单篇.md", ARTICLE)])
    kinds = [(kind, key) for kind, key, _ in messages]
    assert kinds.count(("ok", "documents.added")) == 3
    saved = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert saved == ["一.md", "二.txt", "单篇.md"]
    rejected = {values["name"] for kind, _, values in messages if kind == "error"}
    assert rejected == {"报告.zip › 空.md", "报告.zip › 图.png"}
    again = data.add_uploads(tmp_path, [("单篇.md", ARTICLE)])
    assert again == [("same", "documents.already", {"name": "单篇.md"})]  # one clear message, not two


def test_add_uploads_tells_how_far_it_has_got(tmp_path: Path) -> None:
    second = "2025年用户规模达6.96亿人。\n".encode()
    archive = _zip([("一.md", ARTICLE), ("二.txt", second), ("图.png", b"\x89PNG")])
    calls: list[tuple[int, int, str]] = []
    uploads = [("坏.zip", b"not a zip"), ("报告.zip", archive), ("单篇.md", ARTICLE)]
    messages = data.add_uploads(tmp_path, uploads,
                                progress=lambda done, total, name: calls.append((done, total, name)))
    # the broken zip and the picture are refused while unpacking: three documents are read, one by one
    assert calls == [(0, 3, "报告.zip › 一.md"), (1, 3, "报告.zip › 二.txt"), (2, 3, "单篇.md"), (3, 3, "")]
    names = [values["name"] for _, _, values in messages]
    assert names == ["坏.zip", "报告.zip › 图.png", "一.md", "二.txt", "单篇.md"]  # still in upload order


def test_a_pasted_article_keeps_its_fields_and_text(tmp_path: Path) -> None:
    pasted = "微短剧的新变化\n发布时间：2025-03-02 来源：长风晚报\n\n2024年微短剧市场规模为504.4亿元。"
    fields = data.paste_fields(pasted)
    assert fields == {"title": "微短剧的新变化", "date": "2025-03-02", "source": "长风晚报", "url": ""}
    name, body = store.pasted_document(pasted, **{**fields, "title": "标题: 带冒号 --- 也行"})
    path = store.save_upload(tmp_path, name, body)
    doc = load_document(path)
    assert (doc.title, doc.date, doc.source_name) == ("标题: 带冒号 --- 也行", "2025-03-02", "长风晚报")
    assert "504.4亿元" in doc.text
    with pytest.raises(store.UploadError, match="empty"):
        store.pasted_document("  \n ")


def test_edit_metadata_rewrites_front_matter_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: 旧标题\ncategories: [行业]\n---\n\n正文：市场规模为504.4亿元。\n", "utf-8")
    store.edit_metadata(tmp_path, "a.md", {"title": "新标题", "date": "2025-01-02", "source": "", "url": ""})
    doc = load_document(path)
    assert (doc.title, doc.date, doc.categories) == ("新标题", "2025-01-02", ("行业",))
    assert doc.text == "正文：市场规模为504.4亿元。"
    (tmp_path / "p.html").write_text("<title>网页</title><p>正文</p>", "utf-8")
    with pytest.raises(store.UploadError, match="web page"):
        store.edit_metadata(tmp_path, "p.html", {"title": "x"})
    with pytest.raises(store.UploadError, match="not a document you added"):
        store.edit_metadata(tmp_path, "../a.md", {"title": "x"})


APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app on an empty corpus folder plus a user folder, on the documents section."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seed.md").write_bytes(ARTICLE)
    monkeypatch.setenv("MICRODRAMA_CORPUS", str(corpus))
    monkeypatch.setenv("MICRODRAMA_USER_CORPUS", str(tmp_path / "mine"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["tab"] = "documents"
    return at.run()


def test_paste_then_edit_in_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(tmp_path, monkeypatch)
    at.text_area(key="paste_text").input(
        "红果短剧月活创新高\n鉅亨網 2026-02-11 15:30\n\n2025年10月，红果短剧月活跃用户达到2.45亿。").run()
    at.button(key="paste_prefill").click().run()
    assert at.text_input(key="paste_title").value == "红果短剧月活创新高"
    assert at.text_input(key="paste_date").value == "2026-02-11"
    at.button(key="paste_save").click().run()
    saved = list((tmp_path / "mine").glob("*.md"))
    assert [p.name for p in saved] == ["红果短剧月活创新高.md"]
    assert not at.exception
    assert "2.45亿" in load_document(saved[0]).text
    assert any("红果短剧月活创新高" in s.value for s in at.success)
    assert str(tmp_path) not in " ".join(c.value for c in at.caption)  # no server paths shown to readers
    at.text_input(key="edit-0-title").input("红果短剧月活创新高（更正）")
    at.text_input(key="edit-0-source").input("鉅亨網")
    at.button(key="edit-save-0").click().run()
    assert not at.exception
    edited = load_document(saved[0])
    wanted = ("红果短剧月活创新高（更正）", "2026-02-11", "鉅亨網")
    assert (edited.title, edited.date, edited.source_name) == wanted
    titles = [t for d in at.dataframe if "标题" in d.value.columns for t in d.value["标题"].tolist()]
    assert "红果短剧月活创新高（更正）" in titles  # every citation reads the new title


def test_a_zip_through_the_uploader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(tmp_path, monkeypatch)
    second = "2025年用户规模达6.96亿人。\n".encode()
    archive = _zip([("甲.md", ARTICLE), ("../乙.txt", second), ("丙.exe", b"MZ")])
    at.file_uploader[0].upload("包.zip", archive, "application/zip").run()
    assert not at.exception
    added = sorted(p.name for p in (tmp_path / "mine").iterdir() if not p.name.startswith("."))
    assert added == ["乙.txt", "甲.md"]
    assert len(at.success) == 2 and len(at.error) == 1 and "丙\\.exe" in at.error[0].value


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_member_compressed_past_any_cap_is_refused_unread(method: int) -> None:
    """bzip2 and LZMA inflate a whole chunk at once, so a few KB could become gigabytes before a cap."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr("bomb.md", b"0" * (8 * 1024 * 1024))
    out = read_zip("b.zip", buf.getvalue(), SUFFIXES)
    assert out.members == [] and "unsupported compression" in dict(out.problems)["bomb.md"]


@pytest.mark.parametrize(("content", "problem"), [
    ("---\n一段文字\n---\n正文。\n", None),  # not a mapping: the loader reads it as text, and so it stays
    ("---\ntitle: x: y\n---\n正文。\n", "not valid YAML"),
])
def test_edit_metadata_keeps_text_and_refuses_what_it_cannot_read(tmp_path: Path, content: str,
                                                                  problem: str | None) -> None:
    (tmp_path / "a.md").write_text(content, "utf-8")
    if problem:
        with pytest.raises(store.UploadError, match=problem):
            store.edit_metadata(tmp_path, "a.md", {"title": "新"})
        assert (tmp_path / "a.md").read_text("utf-8") == content  # untouched
        return
    store.edit_metadata(tmp_path, "a.md", {"title": "新"})
    doc = load_document(tmp_path / "a.md")
    assert doc.title == "新" and "一段文字" in doc.text and "正文。" in doc.text
    (tmp_path / "g.txt").write_bytes("标题\n正文。".encode("gb18030"))
    with pytest.raises(store.UploadError, match="UTF-8"):
        store.edit_metadata(tmp_path, "g.txt", {"title": "新"})


def test_editing_one_field_in_the_app_leaves_the_others_as_the_file_has_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The form shows a clipped title and a header-derived source; saving a date writes the date only."""
    long_title = "微短剧" * 30  # over the 80 characters a title is clipped to for display
    mine = tmp_path / "mine"
    mine.mkdir()
    body = "来源：长风晚报 2025-01-02\n\n市场规模为504.4亿元。\n"
    (mine / "a.md").write_text(f"---\ntitle: {long_title}\n---\n\n{body}", "utf-8")
    at = _app(tmp_path, monkeypatch)
    at.text_input(key="edit-0-date").input("2025-03-04")
    at.button(key="edit-save-0").click().run()
    assert not at.exception
    text = (mine / "a.md").read_text("utf-8")
    assert long_title in text and "2025-03-04" in text and "source:" not in text
