"""Tests for extract.layout on literal word boxes: rows, columns, word and line joining, paragraphs."""

from __future__ import annotations

import pytest

from extract.layout import Line, Word, flows, glue, group_rows, join_words, paragraphs

SIZE = 10.0


def word(text: str, x0: float, top: float, width: float | None = None, size: float = SIZE) -> Word:
    """A word box: Chinese characters one size wide, other characters half a size."""
    w = width if width is not None else sum(size if ord(c) > 0x2E7F else size / 2 for c in text)
    return Word(text, x0, x0 + w, top, top + size, size)


def line(text: str, x0: float, x1: float, top: float, lead: float = SIZE, size: float = SIZE) -> Line:
    """A line box."""
    return Line(text, x0, x1, top, top + size, size, lead)


# (before, after, glue): Chinese wraps anywhere, even inside a figure; Latin words wrap at a space.
GLUE = [
    ("市场规模为50", "4.4亿元", ""),
    ("同比增长34.9", "%，首次", ""),
    ("合计占据约", "75%", ""),
    ("红果短剧月活超过1.58亿，Top 10", "App合计", " "),
    ("The market grew in", "2024 to", " "),
    ("a well-", "known app", ""),
    ("用户规模达到", "6.62亿人", ""),
]


@pytest.mark.parametrize(("before", "after", "expected"), GLUE)
def test_glue(before: str, after: str, expected: str) -> None:
    assert glue(before, after) == expected


# (words, text): justified Chinese runs together; a wide gap or Latin words keep a space.
JOINS = [
    ([word("微短剧", 0, 0), word("市场", 31.5, 0)], "微短剧市场"),  # justified: 1.5 pt apart
    ([word("平台", 0, 0), word("月活跃用户", 60, 0)], "平台 月活跃用户"),  # a table-like gap of 40 pt
    ([word("Top", 0, 0), word("10", 18, 0), word("App占比", 31, 0)], "Top 10 App占比"),
    ([word("约为", 0, 0), word("120", 23, 0), word("分钟", 42, 0)], "约为 120 分钟"),
]


@pytest.mark.parametrize(("words", "expected"), JOINS)
def test_join_words(words: list[Word], expected: str) -> None:
    assert join_words(words) == expected


def test_rows_group_words_by_their_middles_and_read_left_to_right() -> None:
    a, b, c = word("乙", 40, 100.3), word("甲", 0, 100), word("丙", 0, 120)
    assert group_rows([a, b, c]) == [[b, a], [c]]


def _column_page(lines_per_column: int = 6) -> list[list[Word]]:
    """Rows of a page: a title across the top, two 200 pt columns 30 pt apart, a footer line across."""
    rows = [[word("标题" * 12, 0, 0)]]  # 240 pt wide: crosses the gutter at 200-230
    for i in range(lines_per_column):
        top = 20 + 14 * i
        rows.append([word("左" * 20, 0, top), word("右" * 20, 230, top)])
    rows.append([word("结" * 40, 0, 20 + 14 * lines_per_column)])
    return rows


def test_two_columns_are_read_left_column_first() -> None:
    out = flows(_column_page())
    assert [[x.text[0] for x in flow] for flow in out] == [["标"], ["左"] * 6, ["右"] * 6, ["结"]]


def test_columns_whose_lines_do_not_share_baselines_are_still_found() -> None:
    rows = []
    for i in range(6):
        rows.append([word("左" * 20, 0, 14 * i)])
        rows.append([word("右" * 20, 230, 14 * i + 7)])  # the right column sits half a line lower
    out = flows(group_rows([w for row in rows for w in row]))
    assert [flow[0].text[0] for flow in out] == ["左", "右"]
    assert all(len(flow) == 6 for flow in out)


def test_one_column_prose_is_not_split() -> None:
    rows = [[word("文" * 40, 0, 14 * i)] for i in range(8)]
    assert len(flows(rows)) == 1


def test_narrow_table_like_columns_are_read_row_by_row() -> None:
    # Two short cells per row with a wide gap: a table without rules, not two columns of prose.
    rows = [[word("平台", 0, 14 * i), word("1.58亿", 230, 14 * i)] for i in range(6)]
    out = flows(rows)
    assert len(out) == 1 and [x.text for x in out[0]] == ["平台 1.58亿"] * 6


PARAGRAPHS = [
    # a wrapped line and its continuation (the next character would not have fitted)
    ([line("甲" * 30, 0, 300, 0), line("乙" * 5, 0, 50, 14)], ["甲" * 30 + "乙" * 5]),
    # a line that ends short: the paragraph ended there
    ([line("甲" * 10, 0, 100, 0), line("乙" * 30, 0, 300, 14), line("丙", 0, 10, 28)],
     ["甲" * 10, "乙" * 30 + "丙"]),
    # an indented line starts a paragraph even after a full line
    ([line("甲" * 30, 0, 300, 0), line("乙" * 28, 20, 300, 14)], ["甲" * 30, "乙" * 28]),
    # a wide gap starts a paragraph
    ([line("甲" * 30, 0, 300, 0), line("乙" * 30, 0, 300, 40)], ["甲" * 30, "乙" * 30]),
    # another font size (a heading) starts a paragraph
    ([line("标" * 20, 0, 300, 0, size=15), line("乙" * 30, 0, 300, 18)], ["标" * 20, "乙" * 30]),
    # a Latin word that did not fit: the line ends further from the edge than one character would
    (
        [
            line("甲" * 30, 0, 300, 0),
            line("超过1.58亿，Top 10", 0, 280, 14),
            line("App合计", 0, 50, 28, lead=18),
        ],
        ["甲" * 30 + "超过1.58亿，Top 10 App合计"],
    ),
]


@pytest.mark.parametrize(("lines", "expected"), PARAGRAPHS)
def test_paragraphs(lines: list[Line], expected: list[str]) -> None:
    assert paragraphs(lines) == expected
