"""Page noise inside words and figures, squeezed out before claims are read, with a map back to the text.

Re-posted pages gloss characters with pinyin (市(shì)场), sprinkle glyphs between words (规模ღ◈达), split
figures with spaces (2000 萬, 2 024年) or with injected spam (2《某网站》024年). Claim matching runs on
the squeezed text; every offset is mapped back, so surfaces and spans still index the original text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_HAN = "\u4e00-\u9fff"
# Every alternative starts with a literal or a class, so the regex engine skips ahead fast; what must
# stand before a match (a digit, a character) is checked in squeeze().
_NOISE = re.compile(
    "|".join((
        # a pinyin gloss after a character: 規(guī)模, 萬(wàn)
        r"(?P<gloss>\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}\))",
        # decorative glyphs: arrows, symbols, dingbats, Georgian letters, emoji, variation selectors
        "[\u2190-\u21ff\u2460-\u24ff\u2500-\u27bf\u2b00-\u2bff\u10d0-\u10ff\ufe0f\U0001f000-\U0001faff]+",
        # a space between a figure and its multiplier or unit: 2000 萬, 16.8 亿 元, 15 分钟
        r"(?P<space> +)(?=[万亿千百萬億元人部次集家款个個分秒天岁歲%美港日欧歐韩韓英台新])",
        # a year split by a space or by an injected 《title》: 2 024年, 2《某网站》024年
        r"(?P<split> ?《[^《》\n]{1,20}》 ?| )(?=[0-9]{3} ?年)",
    ))
)
_HAN_CHAR = re.compile(f"[{_HAN}]")
_UNIT_AFTER_MULTIPLIER = frozenset("元人个個部次美港日欧歐韩韓英台新")


def _is_noise(text: str, m: re.Match[str]) -> bool:
    """Whether a match is noise where it stands, judged by the characters before it."""
    prev = text[m.start() - 1] if m.start() else ""
    if m.group("gloss"):
        return bool(_HAN_CHAR.match(prev))
    if m.group("space"):
        nxt = text[m.end() : m.end() + 1]
        return (prev.isdigit() and prev.isascii()) or (prev in "万亿萬億千" and nxt in _UNIT_AFTER_MULTIPLIER)
    if m.group("split") is not None:
        before = text[m.start() - 2 : m.start() - 1] if m.start() >= 2 else ""
        return prev in "12" and not (before.isdigit() or before == ".")
    return True


@dataclass(frozen=True)
class Squeezed:
    """The text without noise, and where each of its characters (and its end) lies in the original."""

    text: str
    where: list[int]

    def to_clean(self, pos: int) -> int:
        """The squeezed offset of original offset ``pos`` (the next kept character)."""
        return bisect.bisect_left(self.where, pos)


def squeeze(text: str) -> Squeezed | None:
    """The text with page noise removed and its offset map, or None when there is no noise."""
    pieces: list[str] = []
    where: list[int] = []
    last = 0
    for m in _NOISE.finditer(text):
        if m.start() == m.end() or not _is_noise(text, m):
            continue
        pieces.append(text[last : m.start()])
        where.extend(range(last, m.start()))
        last = m.end()
    if not pieces:
        return None
    pieces.append(text[last:])
    where.extend(range(last, len(text) + 1))  # the end sentinel maps the clean end to the original end
    return Squeezed("".join(pieces), where)
