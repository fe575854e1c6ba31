"""Reading order from positioned words: rows, columns, then paragraphs, for text laid out on a page.

A PDF stores where each character is drawn, not which line or paragraph it belongs to, and often not in
reading order. This module rebuilds that from the geometry alone, so it knows nothing of PDF files:

* words are grouped into **rows** by their vertical middles;
* a **gutter** is a vertical strip that no row crosses within a stretch of rows that has text on both
  sides of it; such stretches are read column by column (left column first), each column in turn
  split again if it holds columns of its own; rows that cross the gutter (a title, a full-width
  paragraph) are read where they stand;
* lines of one column are **joined into paragraphs** when a line was wrapped rather than ended: the
  next line's first character (or Latin word) would not have fitted on it, and the next line is not
  indented, not in another font size and not further away than a normal line gap. Chinese wraps between
  any two characters, so a figure such as 504.4亿元 split over two lines becomes whole again.

Coordinates are PDF points with ``top`` measured down from the top of the page, as pdfplumber gives them.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

# Han ideographs (with extensions and compatibility forms), kana, bopomofo, radicals, CJK punctuation and
# full-width forms: the characters that Chinese text runs together without spaces.
_CJK_RANGES = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
)
CJK_CLASS = f"[{_CJK_RANGES}]"
_CJK = re.compile(CJK_CLASS)
_LATIN_TOKEN = re.compile(f"[^\\s{_CJK_RANGES}]+")

ROW_TOLERANCE = 0.45  # of the font size: words whose middles are closer than this share a row
MIN_GUTTER = 1.0  # of the font size: the narrowest gap between two columns (one Chinese character)
MIN_COLUMN = 4.0  # of the font size: the narrowest column of prose; narrower ones are table-like
FILL_SLACK = 0.5  # of the font size: room left at a line's end that still counts as a wrapped line
INDENT = 0.8  # of the font size: a line starting further right than this begins a paragraph
LINE_GAP = 0.9  # of the font size: more white space than this between two lines begins a paragraph
MAX_DEPTH = 3  # columns within columns: enough for three- and four-column pages


@dataclass(frozen=True)
class Word:
    """A run of characters drawn without a gap, with its box and font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class Line(Word):
    """One visual line of one column: a word's fields for the whole line, and the width of its first unit."""

    lead: float  # width of the first character (Chinese) or first word (Latin): what a wrap moved down


def is_cjk(char: str) -> bool:
    """True for a character Chinese runs together without spaces: ``is_cjk("亿")``, not ``is_cjk("A")``."""
    return bool(_CJK.match(char))


def group_rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words clustered into visual rows, top to bottom, each row left to right."""
    if not words:
        return []
    tolerance = ROW_TOLERANCE * statistics.median(w.size for w in words)
    ordered = sorted(words, key=_middle)
    rows: list[list[Word]] = [[ordered[0]]]
    for word in ordered[1:]:
        # Chained like pdfplumber's cluster_list: a word joins the row whose last middle it is near.
        if _middle(word) - _middle(rows[-1][-1]) <= tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def flows(rows: Sequence[Sequence[Word]]) -> list[list[Line]]:
    """The rows as runs of lines in reading order: one run per column stretch or full-width stretch."""
    return [[line_of(row) for row in flow] for flow in _flows([list(r) for r in rows if r], 0)]


def line_of(words: Sequence[Word]) -> Line:
    """One row's words as a line; e.g. words "Top", "10", "App占比" become "Top 10 App占比"."""
    first = words[0]
    per_char = (first.x1 - first.x0) / max(len(first.text), 1)
    token = _LATIN_TOKEN.match(first.text)
    lead = per_char * (len(token.group()) if token else 1)
    return Line(
        text=join_words(words),
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in words),
        size=statistics.median(w.size for w in words),
        lead=lead,
    )


def join_words(words: Sequence[Word]) -> str:
    """One row's words as text: Chinese runs together, anything else takes a space between words."""
    parts = [words[0].text]
    for a, b in pairwise(words):
        close = b.x0 - a.x1 < 1.5 * min(a.size, b.size)
        # Justified Chinese spreads its characters apart; only a wide gap (table-like) keeps a space.
        tight = is_cjk(a.text[-1]) and is_cjk(b.text[0]) and close
        parts.append(b.text if tight else " " + b.text)
    return "".join(parts)


def paragraphs(lines: Sequence[Line]) -> list[str]:
    """The lines of one column or full-width stretch joined into paragraphs, top to bottom."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    out = [lines[0].text]
    for a, b in pairwise(lines):
        if _continues(a, b, left, _right_edge(lines, a.size)):
            out[-1] += glue(a.text, b.text) + b.text
        else:
            out.append(b.text)
    return out


def glue(before: str, after: str) -> str:
    """What goes between a wrapped line and the next: nothing in Chinese, a space between Latin words."""
    a, b = before[-1], after[0]
    if is_cjk(a) or is_cjk(b) or a == "-":
        return ""
    if sum(1 for c in before if is_cjk(c)) >= 0.3 * len(before):
        # A Chinese line wraps anywhere, even inside 504.4: only two Latin words need a space between them.
        latin = a.isascii() and a.isalnum() and b.isascii() and b.isalnum() and (a.isalpha() or b.isalpha())
        return " " if latin else ""
    return " "


# --- columns -------------------------------------------------------------------------------------------


def _middle(word: Word) -> float:
    """The vertical middle of a word's box."""
    return (word.top + word.bottom) / 2


def _flows(rows: list[list[Word]], depth: int) -> list[list[list[Word]]]:
    """Split rows into column stretches (recursively) and full-width stretches, in reading order."""
    x = _gutter(rows) if depth < MAX_DEPTH else None
    if x is None:
        return [rows] if rows else []
    out: list[list[list[Word]]] = []
    pending: list[list[Word]] = []
    for columned, stretch in _stretches(rows, x):
        if not columned:
            pending.extend(stretch)
            continue
        if pending:
            out.append(pending)
            pending = []
        left = [[w for w in row if (w.x0 + w.x1) / 2 < x] for row in stretch]
        right = [[w for w in row if (w.x0 + w.x1) / 2 >= x] for row in stretch]
        out += _flows([r for r in left if r], depth + 1)
        out += _flows([r for r in right if r], depth + 1)
    if pending:
        out.append(pending)
    return out


def _gutter(rows: list[list[Word]]) -> float | None:
    """The x of the strongest column gutter among ``rows``, or None when they are one column."""
    words = [w for row in rows for w in row]
    if len(rows) < 4:
        return None
    size = statistics.median(w.size for w in words)
    lo, hi = min(w.x0 for w in words), max(w.x1 for w in words)
    width = hi - lo
    if width < 2 * MIN_COLUMN * size + MIN_GUTTER * size:
        return None
    xs = np.arange(lo + 0.15 * width, hi - 0.15 * width, 1.0)
    if not len(xs):
        return None
    covered = _covered(rows, xs, MIN_GUTTER * size / 2)
    score = _columned_rows(rows, xs, covered)
    best = score.max()
    if best < 4:
        return None
    x = float(xs[_middle_of_widest_run(score == best)])
    return x if _prose_on_both_sides(rows, x, covered[:, round(x - xs[0])], size) else None


def _covered(rows: list[list[Word]], xs: np.ndarray, half_gap: float) -> np.ndarray:
    """A rows x positions table: True where a row's words (widened by ``half_gap``) cover the position."""
    covered = np.zeros((len(rows), len(xs)), dtype=bool)
    for i, row in enumerate(rows):
        for w in row:
            covered[i, (xs > w.x0 - half_gap) & (xs < w.x1 + half_gap)] = True
    return covered


def _columned_rows(rows: list[list[Word]], xs: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """For each position, how many rows lie in stretches that it splits into two columns.

    A stretch is a run of consecutive rows none of which covers the position; it is split into columns
    when at least two of its rows have text to the left and two have text to the right.
    """
    n, m = covered.shape
    row_lo = np.array([row[0].x0 for row in rows])[:, None]
    row_hi = np.array([max(w.x1 for w in row) for row in rows])[:, None]
    free = ~covered
    # Rows of one stretch share a run id: the count of covering rows above them, unique per position.
    run = np.cumsum(covered, axis=0) + np.arange(m)[None, :] * (n + 1)
    ids = run[free]
    bins = m * (n + 1)
    length = np.bincount(ids, minlength=bins)
    n_left = np.bincount(ids, weights=np.broadcast_to(row_lo < xs, (n, m))[free], minlength=bins)
    n_right = np.bincount(ids, weights=np.broadcast_to(row_hi > xs, (n, m))[free], minlength=bins)
    split = (n_left >= 2) & (n_right >= 2)
    return np.where(split, length, 0).reshape(m, n + 1).sum(axis=1)


def _middle_of_widest_run(mask: np.ndarray) -> int:
    """The index in the middle of the longest run of True in ``mask``."""
    best_start, best_len, start = 0, 0, None
    for i, flag in enumerate([*mask.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start > best_len:
                best_start, best_len = start, i - start
            start = None
    return best_start + best_len // 2


def _prose_on_both_sides(rows: list[list[Word]], x: float, covering: np.ndarray, size: float) -> bool:
    """True when the text either side of ``x`` is wide enough to be prose, not the cells of a table."""
    lefts, rights = [], []
    for row, crosses in zip(rows, covering.tolist(), strict=True):
        if crosses:
            continue
        left = [w for w in row if w.x1 <= x]
        right = [w for w in row if w.x0 >= x]
        if left:
            lefts.append(max(w.x1 for w in left) - left[0].x0)
        if right:
            rights.append(max(w.x1 for w in right) - right[0].x0)
    if len(lefts) < 2 or len(rights) < 2:
        return False
    return min(statistics.median(lefts), statistics.median(rights)) >= MIN_COLUMN * size


def _stretches(rows: list[list[Word]], x: float) -> list[tuple[bool, list[list[Word]]]]:
    """Consecutive rows cut at the rows crossing ``x``: (is split into columns, rows) in order."""
    size = statistics.median(w.size for row in rows for w in row)
    half_gap = MIN_GUTTER * size / 2
    out: list[tuple[bool, list[list[Word]]]] = []
    run: list[list[Word]] = []

    def close_run() -> None:
        left = sum(1 for row in run if row[0].x0 < x)
        right = sum(1 for row in run if max(w.x1 for w in row) > x)
        out.append((left >= 2 and right >= 2, list(run)))
        run.clear()

    for row in rows:
        if any(w.x0 - half_gap < x < w.x1 + half_gap for w in row):
            if run:
                close_run()
            out.append((False, [row]))
        else:
            run.append(row)
    if run:
        close_run()
    return out


# --- paragraphs ----------------------------------------------------------------------------------------


def _right_edge(lines: Sequence[Line], size: float) -> float:
    """Where the lines of this font size end at most: the column's right edge for them."""
    return max(line.x1 for line in lines if abs(line.size - size) <= 0.15 * size)


def _continues(a: Line, b: Line, left: float, right: float) -> bool:
    """True when ``b`` carries on the paragraph of ``a`` rather than starting a new one."""
    same_size = abs(a.size - b.size) <= 0.15 * max(a.size, b.size)
    near = -0.5 * a.size <= b.top - a.bottom <= LINE_GAP * a.size  # tight leading overlaps a little
    flush_left = b.x0 - left <= INDENT * b.size
    # A wrapped line is one on which the next line's first unit would not have fitted.
    wrapped = right - a.x1 < b.lead + FILL_SLACK * a.size
    return same_size and near and flush_left and wrapped
