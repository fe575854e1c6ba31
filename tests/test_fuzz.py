"""Property tests with a large budget: find_numbers, extract_claims and document loading on random input.

The strategies build text the way articles are built (Chinese words, Arabic, full-width and Chinese
numerals, units, years, ranges, punctuation) and mix in ASCII, arbitrary characters and binary noise.
Every test checks invariants of the result, not only that nothing raised. The whole file stays well
under a minute on two cores; FUZZ_SCALE multiplies every budget: ``FUZZ_SCALE=10 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import re
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extract import schema
from extract.claims import extract_claims
from extract.corpus import Document, parse_document
from extract.errors import DocumentError
from extract.numbers import NUMBER_COLUMNS, find_numbers, parse_number
from extract.pipeline import extract_document
from extract.schema import C

SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def budget(n: int) -> settings:
    """Hypothesis settings for ``n`` examples (times FUZZ_SCALE), without a per-example deadline."""
    return settings(max_examples=max(1, int(n * SCALE)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- strategies --------------------------------------------------------------------------------------------

WORDS = st.sampled_from([
    "微短剧", "市场规模", "用户", "播放量", "达到", "达", "超过", "突破", "约", "近", "逾", "同比增长",
    "下降", "占比", "收入", "就业岗位", "出海", "平台", "红果", "抖音", "预计", "其中", "分别为", "较", "仅",
    "共", "第", "截至", "年底", "全年", "上半年", "《家里家外》", "AI", "付费", "免费", "观众", "年龄",
    "集中在",
])
CHINESE_NUMERALS = st.sampled_from([
    "三千五百万", "两成", "百分之三十", "十几", "数十", "几百", "一百零八", "〇", "二〇二四", "半", "三成半",
    "五十千", "一二三", "壹佰", "两万五", "十万八千", "千分之五", "亿", "万", "零点五", "七成以上",
])
UNITS = st.sampled_from([
    "亿元", "万元", "元", "亿", "万", "千", "%", "％", "个", "人", "万人", "部", "集", "美元", "亿美元", "岁",
    "倍", "成", "分钟", "次", "亿次", "家", "小时", "天", "余", "多", "来", "以上", "左右",
])
YEARS = st.sampled_from([
    "2024年", "二〇二四年", "今年", "去年", "明年", "2025年2月", "2023-2024年", "2022-24年", "1999年",
    "9999年", "2024-01-15", "24年",
])
CONNECTORS = st.sampled_from(["到", "至", "-", "~", "～", "—", "–", "、", "或"])
PUNCTUATION = st.sampled_from(list("，。；、：“”《》（）！？ \n\t.,;:()[]*#>-|"))


def _arabic(n: int, places: int, style: int) -> str:
    """``n`` with ``places`` decimals, plain, with thousands separators, or in full-width digits."""
    text = f"{n / 10 ** places:,.{places}f}" if style == 1 else f"{n / 10 ** places:.{places}f}"
    return text.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，")) if style == 2 else text


ARABIC = st.builds(_arabic, st.integers(0, 10**13), st.integers(0, 3), st.integers(0, 2))
NUMBER = st.one_of(ARABIC, CHINESE_NUMERALS, st.integers(-10**30, 10**30).map(str))
FIGURE = st.builds(lambda *parts: "".join(parts), NUMBER, st.one_of(st.just(""), CONNECTORS), st.one_of(
    st.just(""), NUMBER), UNITS)
NOISE = st.one_of(
    st.text(alphabet=string.printable, max_size=6),
    st.text(max_size=4),  # any character hypothesis likes, control characters included
    st.binary(max_size=12).map(lambda b: b.decode("latin-1")),
    st.binary(max_size=12).map(lambda b: b.decode("utf-8", "replace")),
)
TOKEN = st.one_of(WORDS, WORDS, FIGURE, FIGURE, NUMBER, UNITS, YEARS, CONNECTORS, PUNCTUATION, NOISE)
TEXT = st.lists(TOKEN, max_size=40).map("".join)
# What a Document's date can be: None or a real YYYY-MM-DD (to_iso_date guarantees it), plus a few strays.
PUBLISHED = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)).map(str),
                      st.sampled_from(["", "yesterday", "2024"]))


# -- find_numbers ------------------------------------------------------------------------------------------


@budget(1500)
@given(text=TEXT)
@example(text="三千五百万-1万一二三")  # a negated approximate range once came out high end first
def test_find_numbers_invariants(text: str) -> None:
    frame = find_numbers(text)
    assert {c: str(t) for c, t in frame.dtypes.items()} == NUMBER_COLUMNS
    columns = [frame[c].tolist() for c in (C.start, C.end, C.surface, C.value, C.value_high)]
    previous_end = 0
    for start, end, surface, value, high in zip(*columns, strict=True):
        assert previous_end <= start < end <= len(text)  # in order, never overlapping
        assert text[start:end] == surface
        assert math.isfinite(value)
        assert math.isnan(high) or (math.isfinite(high) and high >= value)
        previous_end = end
    assert find_numbers(text).equals(frame)  # the caches inside never change an answer


@budget(1000)
@given(surface=st.one_of(FIGURE, NUMBER, TEXT))
def test_parse_number_is_finite_or_none(surface: str) -> None:
    number = parse_number(surface)
    if number is not None:
        assert math.isfinite(number.value) and number.surface == surface
        assert number.value_high is None or number.value_high >= number.value


# -- extract_claims ----------------------------------------------------------------------------------------

_STANDALONE = [c for c in schema.columns("claims") if c not in (C.doc_id, C.claim_id, C.sent_id, C.themes)]
@pytest.mark.parametrize(("text", "low", "high"), [("同比下降10%到20%", -20.0, -10.0),
                                                  ("收入同比下降3到5成", -50.0, -30.0)])
def test_declining_growth_range_keeps_low_below_high(text: str, low: float, high: float) -> None:
    [row] = extract_claims(text).to_dict("records")
    assert (row[C.value], row[C.value_high]) == (low, high)


@budget(1000)
@given(text=TEXT, published=PUBLISHED)
def test_extract_claims_invariants(text: str, published: str | None) -> None:
    claims = extract_claims(text, published=published)
    assert claims.columns.tolist() == _STANDALONE
    previous_end = 0
    for row in claims.to_dict("records"):
        start, end = row[C.start], row[C.end]
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == row[C.surface] and row[C.surface] in row[C.sentence]
        assert row[C.sentence] in text
        assert math.isfinite(row[C.value])
        high = row[C.value_high]
        assert pd.isna(high) or math.isfinite(high)
        assert pd.isna(high) or high >= row[C.value]
        assert pd.isna(row[C.unit]) or row[C.unit] in schema.UNITS
        assert row[C.metric] in schema.METRICS and row[C.qualifier] in schema.QUALIFIERS
        assert pd.isna(row[C.year]) or 1000 <= row[C.year] <= 9999
        previous_end = end


# -- document loading and per-document extraction ----------------------------------------------------------

_YAML_VALUES = st.one_of(
    TEXT.map(lambda s: s.replace("\n", " ")), YEARS, st.dates().map(str),
    st.sampled_from([
        "[a, b]", "{a: 1}", "!!python/object/apply:os.system [x]", "&a [*a]", "*nowhere", '"\\ud800"',
        "|\n  多行\n  文本", "'未闭合", "2025-02-30", "~", "null", "yes", "0x1F", ".inf", "!!binary AAA=",
    ]),
)
_YAML_KEYS = st.sampled_from(["title", "date", "source", "url", "categories", "summary", "Title", "published",
                              "link", "source_name", "x"])
FRONT = st.lists(st.tuples(_YAML_KEYS, _YAML_VALUES), max_size=6).map(
    lambda items: "---\n" + "".join(f"{k}: {v}\n" for k, v in items) + "---\n")
_TAGS = st.sampled_from([
    "<p>", "</p>", "<br>", "<h1>", "</h1>", "<script>", "</script>", "<a href='javascript:x'>", "</a>",
    "<article>", "</article>", "<nav>", "</nav>", "<embed src=x>", "<!--", "-->", "<meta charset='gbk'>",
    "<title>", "</title>", "&lt;", "&amp;", "&#12345;", "&#xd800;",
])
HTML = st.lists(st.one_of(TOKEN, _TAGS, _TAGS), max_size=40).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-32"])


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes): Markdown/text with or without front matter, HTML, or raw binary."""
    kind = draw(st.sampled_from(["md", "txt", "html", "binary"]))
    if kind == "binary":
        return draw(st.sampled_from(["a.md", "a.txt", "a.html"])), draw(st.binary(max_size=600))
    body = draw(HTML if kind == "html" else TEXT)
    if kind != "html" and draw(st.booleans()):
        body = draw(FRONT) + body
    return f"doc.{kind}", body.encode(draw(ENCODINGS), errors="ignore")


def _check_document(name: str, data: bytes, doc: Document) -> None:
    """What every loaded document promises, whatever its bytes."""
    assert doc.text.strip() and "\r" not in doc.text and "\x00" not in doc.text
    assert doc.doc_id == hashlib.sha256(data).hexdigest()[:16] and doc.content_hash.startswith(doc.doc_id)
    assert doc.title and len(doc.title) <= 80 and "\n" not in doc.title
    assert doc.date is None or dt.date.fromisoformat(doc.date).isoformat() == doc.date
    assert doc.source_url is None or re.match(r"https?://", doc.source_url)
    assert all(c.strip() for c in doc.categories)
    assert all(w.startswith(f"{name}: ") for w in doc.warnings)


@budget(1000)
@given(document=documents())
def test_parse_document_invariants(document: tuple[str, bytes]) -> None:
    name, data = document
    try:
        doc = parse_document(name, data)
    except DocumentError as exc:
        assert str(exc).startswith(f"{name}: ") and len(str(exc)) > len(name) + 20  # says what to do
        return
    _check_document(name, data, doc)


@budget(500)
@given(text=TEXT)
def test_plain_text_loads_verbatim(text: str) -> None:
    data = text.encode("utf-8")
    try:
        doc = parse_document("a.txt", data)
    except DocumentError:
        return
    # NULs make ASCII read as BOM-less UTF-16 (b".\x00" is "."), which is right for such bytes.
    if not text.startswith("---") and not set(text) & {"\r", "\ufeff", "\x00"}:
        assert doc.text.strip() == text.strip() and doc.text in text  # offsets into it are honest


_SPAN_TABLES = ("claims", "themes", "mentions", "events", "sentences")


@budget(150)
@given(document=documents())
def test_extract_document_tables_conform_and_point_into_the_text(document: tuple[str, bytes]) -> None:
    name, data = document
    try:
        doc = parse_document(name, data)
    except DocumentError:
        return
    tables = extract_document(doc)
    for table, frame in tables.items():
        pd.testing.assert_frame_equal(schema.conform(frame, table), frame, obj=table)
        assert set(frame[C.doc_id]) <= {doc.doc_id}
    for table in _SPAN_TABLES:
        for start, end in zip(tables[table][C.start], tables[table][C.end], strict=True):
            assert 0 <= start < end <= len(doc.text), table
    for row in tables["claims"].itertuples(index=False):
        assert doc.text[row.start : row.end] == row.surface
    n_sentences = len(tables["sentences"])
    for table in ("claims", "themes", "mentions", "events"):
        assert tables[table][C.sent_id].between(0, n_sentences - 1).all(), table
