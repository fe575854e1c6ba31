"""Tests for extract.corpus: encodings, front matter, HTML main text, bad input and folder walking."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import schema
from extract.corpus import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    Document,
    documents_frame,
    iter_paths,
    load_document,
    parse_document,
    to_iso_date,
)
from extract.errors import DocumentError
from extract.pipeline import extract_document
from extract.schema import C

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "docs"
SHARED_SEEDS = REPO / ".." / "shared" / "seeds"
REPO_SEED = REPO / "seeds" / "000_346428899b60929e.md"

SEED_TITLE = "专访｜丁亚平：短期爆款与审美疲劳背后的微短剧行业隐忧"
SEED_DATE = "2025-02-10"
SEED_URL = "https://new.qq.com/rain/a/20250210A01A8700"

SIMPLIFIED = (
    "微短剧行业观察\n2024年，中国微短剧市场规模达到504.4亿元，首次超过电影票房。\n用户规模达5.76亿人。"
)
TRADITIONAL = (
    "微短劇行業觀察\n2024年，中國微短劇市場規模達到504.4億元，首次超過電影票房。\n用戶規模達5.76億人。"
)
SHORT = "微短剧市场规模达到504.4亿元"  # 16 characters: too short for charset-normalizer alone


def _crlf(text: str) -> str:
    """Windows line endings."""
    return text.replace("\n", "\r\n")


# --- encodings -----------------------------------------------------------------------------------------

ENCODINGS = [
    # (label, file bytes, expected text, expected encoding)
    ("utf-8", SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
    ("utf-8 with BOM", SIMPLIFIED.encode("utf-8-sig"), SIMPLIFIED, "utf-8-sig"),
    ("gb18030", SIMPLIFIED.encode("gb18030"), SIMPLIFIED, "gb18030"),
    ("gbk", SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030"),
    ("gbk, short", SHORT.encode("gbk"), SHORT, "gb18030"),
    ("gbk, CRLF", _crlf(SIMPLIFIED).encode("gbk"), SIMPLIFIED, "gb18030"),
    ("utf-16 with BOM", SIMPLIFIED.encode("utf-16"), SIMPLIFIED, "utf-16"),
    ("utf-16-be with BOM", b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16"),
    ("utf-16-le without BOM", SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED, "utf-16-le"),
    ("utf-16-be without BOM", SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED, "utf-16-be"),
    ("utf-32 with BOM", SIMPLIFIED.encode("utf-32"), SIMPLIFIED, "utf-32"),
    ("CRLF", _crlf(SIMPLIFIED).encode("utf-8"), SIMPLIFIED, "utf-8"),
    ("lone CR", SIMPLIFIED.replace("\n", "\r").encode("utf-8"), SIMPLIFIED, "utf-8"),
    ("utf-16 CRLF", _crlf(SIMPLIFIED).encode("utf-16"), SIMPLIFIED, "utf-16"),
    ("Traditional utf-8", TRADITIONAL.encode("utf-8"), TRADITIONAL, "utf-8"),
    ("Traditional big5", TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
    ("Traditional big5, short", TRADITIONAL[:12].encode("big5"), TRADITIONAL[:12], "big5"),
]


@pytest.mark.parametrize(("label", "data", "expected", "encoding"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_encodings_load_to_the_same_text(label: str, data: bytes, expected: str, encoding: str) -> None:
    doc = parse_document("article.txt", data)
    assert doc.text == expected
    assert doc.encoding == encoding
    assert "\r" not in doc.text


@pytest.mark.parametrize(
    ("text", "script"),
    [(SIMPLIFIED, "simplified"), (TRADITIONAL, "traditional"), ("Plain English text.", "simplified")],
)
def test_script_is_recorded_and_traditional_text_kept(text: str, script: str) -> None:
    doc = parse_document("a.txt", text.encode("utf-8"))
    assert doc.script == script
    assert doc.text == text


@pytest.mark.parametrize(
    ("file_name", "encoding", "script", "needle"),
    [
        ("gbk_article.txt", "gb18030", "simplified", "市场规模达到504.4亿元"),
        ("big5_article.txt", "big5", "traditional", "市場規模達到504.4億元"),
        ("page_gbk.html", "gb18030", "simplified", "市场规模达到504.4亿元"),
    ],
)
def test_legacy_encoded_fixtures_are_detected(
    file_name: str, encoding: str, script: str, needle: str
) -> None:
    doc = load_document(FIXTURES / file_name)
    assert (doc.encoding, doc.script) == (encoding, script)
    assert needle in doc.text


@pytest.mark.parametrize(
    ("declared", "encoding"),
    [("gb2312", "gb18030"), ("iso-8859-1", "gb18030"), ("utf-8", "gb18030"), ("no-such-charset", "gb18030")],
)
def test_html_with_gbk_bytes_whatever_it_declares(declared: str, encoding: str) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in SIMPLIFIED.split("\n"))
    page = f'<meta charset="{declared}">{paragraphs}'
    doc = parse_document("page.html", page.encode("gbk"))
    assert doc.encoding == encoding
    assert doc.text == SIMPLIFIED


def test_html_declared_charset_is_used_when_the_bytes_are_not_chinese() -> None:
    page = '<meta charset="windows-1251"><p>Привет, мир! Это тест.</p>'
    doc = parse_document("page.html", page.encode("cp1251"))
    assert doc.encoding == "cp1251"
    assert doc.text == "Привет, мир! Это тест."


# --- front matter --------------------------------------------------------------------------------------


def _seed_paths() -> list[Path]:
    """The repo's seed plus the shared seeds, when the shared folder is present."""
    return [REPO_SEED, *sorted(SHARED_SEEDS.glob("*.txt"))]


@pytest.mark.parametrize("path", _seed_paths(), ids=lambda p: p.name)
def test_seed_front_matter(path: Path) -> None:
    doc = load_document(path)
    assert doc.title == SEED_TITLE
    assert doc.date == SEED_DATE
    assert doc.source_url == SEED_URL
    assert doc.source_name == "qq"
    assert doc.categories == ("qq",)
    assert doc.summary is not None and doc.summary.startswith("2024年，微短剧行业")
    assert doc.warnings == ()


def test_shared_seed_is_a_txt_with_front_matter() -> None:
    seeds = sorted(SHARED_SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"shared seeds not found at {SHARED_SEEDS.resolve()}; run inside the project checkout")
    doc = load_document(seeds[0])
    assert doc.format == "txt"
    assert not doc.text.startswith("---")
    assert "title:" not in doc.text


def test_seed_text_is_the_body_with_the_source_link_kept() -> None:
    raw = REPO_SEED.read_text(encoding="utf-8")
    doc = load_document(REPO_SEED)
    assert doc.text in raw  # the body verbatim: offsets into it are honest
    assert doc.text.startswith("2024年，微短剧行业")
    assert doc.text.rsplit("\n", 1)[-1] == f"[qq]({SEED_URL})"
    assert doc.doc_id == hashlib.sha256(REPO_SEED.read_bytes()).hexdigest()[:16]


FIELDS = [
    # (front matter lines, Document attribute, expected value)
    ("date: 2025-02-10", "date", "2025-02-10"),
    ('date: "2025-02-10 08:10:30"', "date", "2025-02-10"),
    ("date: 2025-02-10 08:10:30", "date", "2025-02-10"),
    ("date: 2025-02-10T23:10:30+08:00", "date", "2025-02-10"),
    ('date: "2025年2月10日"', "date", "2025-02-10"),
    ('date: "2025/2/9"', "date", "2025-02-09"),
    ("date: 20250210", "date", "2025-02-10"),
    ('date: "yesterday"', "date", None),
    ("categories: [qq, 短剧]", "categories", ("qq", "短剧")),
    ("categories: qq, 短剧", "categories", ("qq", "短剧")),
    ("categories:\n  - qq\n  - qq", "categories", ("qq",)),
    ("category: 行业", "categories", ("行业",)),
    ("url: https://a.example/1", "source_url", "https://a.example/1"),
    ("source: https://a.example/2", "source_url", "https://a.example/2"),
    ("source_url: https://a.example/3", "source_url", "https://a.example/3"),
    ("link: https://a.example/4", "source_url", "https://a.example/4"),
    ("original: https://a.example/5", "source_url", "https://a.example/5"),
    ("url: https://www.thepaper.cn/6", "source_name", "thepaper.cn"),
    ("source: 澎湃新闻\nurl: https://www.thepaper.cn/6", "source_name", "澎湃新闻"),
    ("source: 澎湃新闻", "source_url", None),
    ("summary: 一句话摘要", "summary", "一句话摘要"),
    ("title: 标题", "title", "标题"),
    ("title: 2025", "title", "2025"),
    ("Title: 大写键", "title", "大写键"),
    ("kind: note", "kind", "note"),
    ("kind: Note", "kind", "note"),
    ("title: 标题", "kind", "article"),
    ("cited_source: 中国网络视听协会", "cited_source", "中国网络视听协会"),
    ("title: 标题", "cited_source", None),
]


@pytest.mark.parametrize(("front", "attr", "expected"), FIELDS)
def test_front_matter_fields(front: str, attr: str, expected: object) -> None:
    doc = parse_document("a.md", f"---\n{front}\n---\n\n正文第一段。\n".encode())
    assert getattr(doc, attr) == expected
    assert doc.text == "正文第一段。"


@pytest.mark.parametrize(
    ("front", "warning"),
    [
        ('date: "yesterday"', "not a date"),
        ("date: 2025-02-30", "could not be read"),  # PyYAML itself raises on an impossible date
        ("title: [a, b]", "'title' should be a single text value"),
        ("categories: {a: 1}", "'categories' should be a list"),
        ("kind: blog", "kind 'blog' is not one of article, note"),
    ],
)
def test_front_matter_field_problems_become_warnings(front: str, warning: str) -> None:
    doc = parse_document("a.md", f"---\n{front}\n---\n正文。\n".encode())
    assert doc.text == "正文。"
    assert len(doc.warnings) == 1
    assert warning in doc.warnings[0]
    assert doc.warnings[0].startswith("a.md: ")


def test_broken_front_matter_keeps_the_body_and_names_the_line() -> None:
    doc = load_document(FIXTURES / "broken_front_matter.md")
    assert doc.text.startswith("# 微短剧行业观察")
    assert "title:" not in doc.text
    assert doc.title == "微短剧行业观察"
    assert doc.date is None
    assert len(doc.warnings) == 1
    assert "not valid YAML" in doc.warnings[0]
    assert "line 2" in doc.warnings[0]  # the unclosed quote opens on line 2 of the file


def test_unclosed_front_matter_reads_everything_with_a_warning() -> None:
    data = "---\ntitle: 标题\n\n正文。\n".encode()
    doc = parse_document("a.md", data)
    assert doc.text == data.decode().rstrip()
    assert "never closed" in doc.warnings[0]


def test_rule_lines_that_are_not_front_matter_stay_in_the_text() -> None:
    text = "---\n只是一行字\n---\n正文。"
    doc = parse_document("a.txt", text.encode())
    assert doc.text == text
    assert doc.warnings == ()


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/apply:subprocess.check_output",
        "!!python/object/new:os.system",
        "!python/object/apply:os.system",
    ],
)
def test_python_yaml_tags_are_never_executed(
    tag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "pwned"
    called: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a) or 0)
    data = f'---\ntitle: 标题\nrun: {tag} [["touch", "{marker}"]]\n---\n正文。\n'.encode()
    doc = parse_document("evil.md", data)
    assert not marker.exists()
    assert called == []
    assert doc.text == "正文。"
    assert len(doc.warnings) == 1
    assert "front matter" in doc.warnings[0]


# --- source link and title fallbacks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "name", "url"),
    [
        ("正文。\n\n[qq](https://new.qq.com/a/1)", "qq", "https://new.qq.com/a/1"),
        ("正文。\n[澎湃新闻](http://thepaper.cn/x)  \n\n", "澎湃新闻", "http://thepaper.cn/x"),
        ("[qq](https://new.qq.com/a/1)\n正文在链接之后。", None, None),
        ("正文，见[qq](https://new.qq.com/a/1)", None, None),
        ("正文。\n[本地](/relative/link)", None, None),
    ],
)
def test_source_from_a_last_line_link(body: str, name: str | None, url: str | None) -> None:
    doc = parse_document("a.md", body.encode())
    assert (doc.source_name, doc.source_url) == (name, url)
    assert doc.text == body.strip()


def test_front_matter_url_wins_over_the_last_line_link() -> None:
    doc = parse_document("a.md", b"---\nurl: https://a.example/1\n---\nx\n[qq](https://new.qq.com/a/1)")
    assert doc.source_url == "https://a.example/1"


LONG_LINE = "很" * 100


@pytest.mark.parametrize(
    ("name", "body", "title"),
    [
        ("a.md", "导语一句。\n\n## 真正的标题\n正文。", "真正的标题"),
        ("a.md", "\n\n  **第一行** 文字  \n第二行", "第一行 文字"),
        ("a.md", "![图片](https://x.example/a.png)\n说明文字", "说明文字"),
        ("a.txt", "# 不是标题的井号\n正文", "不是标题的井号"),
        ("a.txt", "第一行\n## 第二行", "第一行"),
        ("a.txt", LONG_LINE, LONG_LINE[:79] + "…"),
        ("dir/my-article.md", "![图片](https://x.example/a.png)", "my-article"),
        ("a.txt", "- +1\n0\n|\n短剧出海观察\n正文。", "短剧出海观察"),  # toolbar lines are no title
        ("a.txt", "12 34\nAI 短剧\n正文。", "AI 短剧"),
    ],
)
def test_title_fallbacks(name: str, body: str, title: str) -> None:
    doc = parse_document(name, body.encode())
    assert doc.title == title
    assert len(doc.title) <= 80


# --- HTML ----------------------------------------------------------------------------------------------


def test_html_main_text_without_scripts_handlers_or_chrome() -> None:
    doc = load_document(FIXTURES / "page.html")
    assert doc.format == "html"
    lines = doc.text.split("\n")
    assert lines[0] == "微短剧市场规模突破500亿"
    # The source line wrap between Chinese characters is not a space.
    assert "2024年，中国微短剧市场规模达到504.4亿元，首次超过电影票房。" in lines
    assert "微短剧带动就业岗位64.7万个。" in lines and "用户规模达5.76亿人。" in lines  # <br> breaks
    assert "第一点：精品化" in lines and "第二点：规范化" in lines
    assert "代码示例：<script>alert(1)</script>" in lines  # escaped text stays text
    for gone in ("injected", "xss", "点击领取红包", "请启用", "模板内容", "编辑备注", "首页", "版权所有",
                 "color: red", "onerror", "track()", "<p", "<b>"):
        assert gone not in doc.text, gone
    assert "阅读原文" in doc.text


def test_html_metadata() -> None:
    doc = load_document(FIXTURES / "page.html")
    assert doc.title == "微短剧市场规模突破500亿"  # og:title, without the site suffix of <title>
    assert doc.date == "2025-02-10"
    assert doc.source_url == "https://news.example.com/2025/02/10/microdrama.html"
    assert doc.source_name == "示例新闻网"
    assert doc.summary == "2024年微短剧市场规模达504.4亿元。"


@pytest.mark.parametrize(
    ("html", "attr", "expected"),
    [
        ("<title> 只有标题 </title><p>正文</p>", "title", "只有标题"),
        ("<h1>一级标题</h1><p>正文</p>", "title", "一级标题"),
        ("<p>第一段</p><p>第二段</p>", "title", "第一段"),
        ('<meta name="pubdate" content="2024-12-31 10:00"><p>正文</p>', "date", "2024-12-31"),
        ('<p>正文<time datetime="2025-01-05T10:00">1月5日</time></p>', "date", "2025-01-05"),
        ('<meta property="og:url" content="https://www.a.example/x"><p>正文</p>', "source_url",
         "https://www.a.example/x"),
        ('<meta property="og:url" content="https://www.a.example/x"><p>正文</p>', "source_name", "a.example"),
        ('<link rel="canonical" href="/relative"><p>正文</p>', "source_url", None),
        ("<main><p>主体</p></main><aside>侧栏</aside>", "text", "主体"),
        ("<body><div>甲<div>乙</div>丙</div></body>", "text", "甲\n乙\n丙"),
        ("<span><p>段落</p></span>尾巴", "text", "段落\n尾巴"),
        ("<div>" * 3000 + "很深的正文", "text", "很深的正文"),  # no recursion limit
        ("<article><p>正文</p></article><article><p>另一篇</p></article>", "text", "正文"),
        ("<template><article>模板</article></template><p>外面</p>", "text", "外面"),
        ("<p>a&nbsp;&nbsp; b\n  c</p>", "text", "a b c"),
        ("<pre>第一行\n第二行</pre>", "text", "第一行\n第二行"),
        ('<p onclick="steal()">点我<a href=" JavaScript:void(0)">坏链接</a></p>', "text", "点我"),
        ("<p><script>var a='<p>x</p>';</script>正文<style>p{}</style></p>", "text", "正文"),
    ],
)
def test_html_cases(html: str, attr: str, expected: object) -> None:
    doc = parse_document("page.htm", html.encode())
    assert getattr(doc, attr) == expected


# --- bad input -----------------------------------------------------------------------------------------

BAD = [
    # (label, file name, bytes, words the message must contain)
    ("empty", "a.md", b"", "empty"),
    ("white space", "a.txt", b" \n\t\r\n ", "empty"),
    ("utf-16 white space", "a.txt", " \n ".encode("utf-16"), "empty"),
    ("front matter only", "a.md", b"---\ntitle: x\n---\n\n", "empty"),
    ("html with only script", "a.html", b"<script>alert(1)</script><style>p{}</style>", "empty"),
    ("png", "a.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    ("zip", "a.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "binary"),
    ("control characters", "a.txt", bytes(range(1, 9)) * 20, "binary"),
    ("broken utf-16 after BOM", "a.txt", b"\xff\xfe\x00\xd8", "byte-order mark"),
    ("unsupported type", "a.odt", b"PK\x03\x04", "unsupported"),
    ("broken PDF", "a.pdf", b"%PDF-1.4", "damaged"),
    ("no suffix", "README", b"text", "unsupported"),
]


@pytest.mark.parametrize(("label", "name", "data", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_raises_a_clear_document_error(label: str, name: str, data: bytes, words: str) -> None:
    with pytest.raises(DocumentError, match=words) as info:
        parse_document(name, data)
    assert str(info.value).startswith(name)


def test_over_the_size_limit_names_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no need to write 20 MB
    with pytest.raises(DocumentError, match="20 MB limit"):
        load_document(big)
    with pytest.raises(DocumentError, match="20 MB limit"):
        parse_document("big.txt", b"a" * (MAX_FILE_BYTES + 1))


def test_a_5_mb_file_loads(tmp_path: Path) -> None:
    seed = REPO_SEED.read_bytes()
    body = seed.split(b"\n---\n", 1)[1]
    copies = 5 * 1024 * 1024 // len(body) + 1
    path = tmp_path / "big.md"
    path.write_bytes(seed + body * copies)
    doc = load_document(path)
    assert path.stat().st_size > 5 * 1024 * 1024
    assert doc.title == SEED_TITLE
    phrase = "微短剧行业"
    assert doc.text.count(phrase) == (copies + 1) * body.decode().count(phrase)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp / "missing.md", "not found"),
        (lambda tmp: tmp / "folder.md", "not a file"),
    ],
)
def test_unreadable_paths(tmp_path: Path, make, words: str) -> None:
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(DocumentError, match=words):
        load_document(make(tmp_path))


# --- identity, paths and the documents table -----------------------------------------------------------


def test_doc_id_is_stable_and_content_based() -> None:
    data = SIMPLIFIED.encode()
    a, b = parse_document("x/a.txt", data), parse_document("y/b.md", data)
    assert a.doc_id == b.doc_id == hashlib.sha256(data).hexdigest()[:16]
    assert a.content_hash == hashlib.sha256(data).hexdigest()
    assert parse_document("a.txt", data + b"!").doc_id != a.doc_id
    assert (a.path, a.file_name, b.format) == ("x/a.txt", "a.txt", "md")


def test_iter_paths_walks_folders(tmp_path: Path) -> None:
    files = ["b.md", "a.TXT", "sub/c.html", "sub/deep/d.markdown", "sub/e.htm",
             "sub/.hidden.md", ".git/f.md", "sub/notes.odt", "sub/paper.epub", "sub/r.pdf", "sub/w.docx"]
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("x", encoding="utf-8")
    explicit = tmp_path / "sub" / "paper.epub"
    got = iter_paths([tmp_path, tmp_path / "b.md", str(tmp_path / "sub"), explicit, tmp_path / "nope.md"])
    expected = sorted(
        [tmp_path / f for f in ("b.md", "a.TXT", "sub/c.html", "sub/deep/d.markdown", "sub/e.htm",
                                "sub/r.pdf", "sub/w.docx")]
        + [explicit, tmp_path / "nope.md"]
    )
    assert got == expected


def test_iter_paths_of_nothing() -> None:
    assert iter_paths([]) == []


def test_supported_suffixes_all_load() -> None:
    for suffix in (s for s in SUPPORTED_SUFFIXES if s not in (".pdf", ".docx")):  # tests/test_reports.py
        assert parse_document(f"a{suffix}", "<p>正文</p>".encode()).text
    assert parse_document("A.MD", b"text").format == "md"


def test_documents_frame() -> None:
    docs = [
        parse_document("a.md", b"---\ncategories: [x, y]\n---\nabc"),
        parse_document("b.txt", "正文".encode()),
    ]
    before = list(docs)
    frame = documents_frame(docs)
    assert list(frame.columns) == schema.columns("documents")
    assert frame[C.categories].tolist() == ["x|y", ""]
    assert frame[C.n_chars].tolist() == [3, 2]
    assert frame[C.doc_id].tolist() == [d.doc_id for d in docs]
    assert frame[C.date].isna().all()
    assert docs == before


def test_documents_frame_of_nothing_is_empty_with_schema() -> None:
    frame = documents_frame([])
    assert frame.empty
    assert list(frame.columns) == schema.columns("documents")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-02-10 08:10:30", "2025-02-10"), ("2025年12月1日", "2025-12-01"), ("2025-13-01", None),
     ("", None), (None, None), (True, None), (20250210, "2025-02-10")],
)
def test_to_iso_date(value: object, expected: str | None) -> None:
    assert to_iso_date(value) == expected


# --- properties ----------------------------------------------------------------------------------------

NAMES = st.sampled_from(["a.md", "a.txt", "a.html"])


def _check(name: str, data: bytes) -> None:
    """parse_document either returns a sane Document or raises DocumentError, nothing else."""
    try:
        doc = parse_document(name, data)
    except DocumentError as exc:
        assert str(exc)
        return
    assert isinstance(doc, Document)
    assert doc.text.strip() and "\r" not in doc.text and "\x00" not in doc.text
    assert doc.doc_id == hashlib.sha256(data).hexdigest()[:16]
    assert doc.title and len(doc.title) <= 80


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, data=st.binary(max_size=2000))
def test_parse_document_on_arbitrary_bytes(name: str, data: bytes) -> None:
    _check(name, data)


FRONT_MATTER_TEXT = st.builds(
    lambda front, body: f"---\n{front}\n---\n{body}", st.text(max_size=200), st.text(max_size=200)
)
HTML_TEXT = st.lists(
    st.sampled_from([
        "<p>", "</p>", "<br>", "<script>", "</script>", "<pre>", "\n", "&lt;", "<a href='javascript:x'>",
        "<!--", "-->", "<div>", "<article>", "<nav>", "正文", "504.4亿元", " ",
    ]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, text=st.one_of(st.text(max_size=500), FRONT_MATTER_TEXT, HTML_TEXT))
def test_parse_document_on_arbitrary_utf8_text(name: str, text: str) -> None:
    _check(name, text.encode("utf-8"))


def test_front_matter_cited_source_stands_for_figures_that_name_none() -> None:
    """A note's cited_source reaches each figure citing no one, in the lexicon's spelling; its own wins."""
    text = (
        "---\ncited_source: 中国互联网络信息中心\nkind: note\n---\n\n"
        "截至2024年12月，用户规模为6亿人。据QuestMobile数据，月活为2亿。\n"
    )
    tables = extract_document(parse_document("n.md", text.encode()))
    claims = tables["claims"].set_index(C.surface)
    assert claims.loc["6亿人", C.cited_source] == "CNNIC"
    assert claims.loc["2亿", C.cited_source] == "QuestMobile"
    docs = tables["documents"]
    assert (docs[C.kind].iloc[0], docs[C.cited_source].iloc[0]) == ("note", "中国互联网络信息中心")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("date 2025-09-19 短剧出海的三个信号\n\n正文。\n", "短剧出海的三个信号"),
        ("微短劇市(shì)場(chǎng)的新變(biàn)化\n\n正文。\n", "微短劇市場的新變化"),
        ("---\ntitle: 網(wǎng)絡(luò)微短劇觀察\n---\n\n正文。\n", "網絡微短劇觀察"),
    ],
)
def test_titles_lose_page_noise_and_a_run_on_date(text: str, title: str) -> None:
    """A title names a document on every chart and slide: no pinyin glosses, no leading date line."""
    assert parse_document("a.md", text.encode()).title == title
