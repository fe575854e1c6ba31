"""Page noise inside words and figures, squeezed out before claims are read, with a map back to the text.

Re-posted pages gloss characters with pinyin (市(shì)场), sprinkle glyphs between words (规模ღ◈达), split
figures with spaces (2000 萬, 2 024年) or with injected spam (2《某网站》024年). Claim matching runs on
the squeezed text; every offset is mapped back, so surfaces and spans still index the original text.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extract.errors import LexiconError
from extract.normalize import to_simplified
from extract.scan import finditer_at

_HAN = "\u4e00-\u9fff"
# Decorative glyphs: arrows, symbols, dingbats, Georgian letters, emoji, variation selectors.
_GLYPHS = "\u2190-\u21ff\u2460-\u24ff\u2500-\u27bf\u2b00-\u2bff\u10d0-\u10ff\ufe0f\U0001f000-\U0001faff"
# What must stand before a match (a digit, a character) is checked in squeeze().
_NOISE = re.compile(
    "|".join((
        # a pinyin gloss after a character: 規(guī)模, 萬(wàn)
        r"(?P<gloss>\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}\))",
        f"[{_GLYPHS}]+",
        # a space between a figure and its multiplier or unit: 2000 萬, 16.8 亿 元, 15 分钟
        r"(?P<space> +)(?=[万亿千百萬億元人部次集家款个個分秒天岁歲%美港日欧歐韩韓英台新])",
        # a year split by a space or by an injected 《title》: 2 024年, 2《某网站》024年
        r"(?P<split> ?《[^《》\n]{1,20}》 ?| )(?=[0-9]{3} ?年)",
    ))
)
# Every character a _NOISE match can start with: the scan tries _NOISE only there (extract/scan.py).
_NOISE_FIRST = re.compile(f"[({_GLYPHS} 《]")
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
    """The text with page noise removed (and spun words read back, see :func:`despin`) and its offset map,
    or None when there is no noise."""
    despun = despin(text)
    source = despun.text if despun is not None else text
    pieces: list[str] = []
    where: list[int] = []
    last = 0
    for m in finditer_at(_NOISE, _NOISE_FIRST, source):
        if not _is_noise(source, m):
            continue
        pieces.append(source[last : m.start()])
        where.extend(range(last, m.start()))
        last = m.end()
    if not pieces:
        return despun
    pieces.append(source[last:])
    where.extend(range(last, len(source) + 1))  # the end sentinel maps the clean end to the original end
    if despun is not None:
        where = [despun.where[i] for i in where]
    return Squeezed("".join(pieces), where)


@dataclass(frozen=True)
class _Spin:
    """The spun-text lexicon: signatures, and one regex over the spun words with their originals."""

    signatures: tuple[str, ...]
    pattern: re.Pattern[str]
    originals: dict[str, str]


@lru_cache(maxsize=1)
def _spin() -> _Spin:
    """Read ``lexicon/spin.toml`` once."""
    try:
        data = tomllib.loads(resources.files("extract").joinpath("lexicon/spin.toml").read_text("utf-8"))
        signatures = tuple(data["signatures"])
        originals = {to_simplified(k): v for k, v in data["words"].items()}
    except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise LexiconError(
            f"extract/lexicon/spin.toml needs signatures = [...] and a [words] table ({exc})"
        ) from None
    words = sorted(originals, key=len, reverse=True)
    return _Spin(signatures, re.compile("|".join(map(re.escape, words))), originals)


def despin(text: str) -> Squeezed | None:
    """A spun text (东说念主 for 人, 市集范围 for 市场规模) with its spun words read as the originals, and the
    offset map back; None for a text that is not spun. Each original's characters map to its spun word's."""
    lex = _spin()
    if not any(sig in text for sig in lex.signatures):
        return None  # checked on the text as written: converting every Traditional text first costs time
    simplified = to_simplified(text)  # same length: offsets hold
    pieces: list[str] = []
    where: list[int] = []
    last = 0
    for m in lex.pattern.finditer(simplified):
        original = lex.originals[m.group()]
        pieces.append(text[last : m.start()])
        where.extend(range(last, m.start()))
        pieces.append(original)
        width = m.end() - m.start()
        where.extend(m.start() + min(k, width - 1) for k in range(len(original)))
        last = m.end()
    pieces.append(text[last:])
    where.extend(range(last, len(text) + 1))
    return Squeezed("".join(pieces), where)
