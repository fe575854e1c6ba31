"""Same-length text normalisation for matching: full-width to ASCII, Traditional to Simplified.

Every function here returns a string exactly as long as its input, so that an offset found in the
normalised text is the same offset in the original and ``surface == text[start:end]`` still holds.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

# Full-width letters, digits and number signs sit at a fixed distance from ASCII; U+3000 is the
# ideographic space. Chinese punctuation (，。：) is left alone: the sentence splitter relies on it.
_FULLWIDTH_CHARS = "０-９Ａ-Ｚａ-ｚ．％＋－～／＄"
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULLWIDTH_RUN = re.compile(f"[{_FULLWIDTH_CHARS}\u3000]+")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    """One OpenCC t2s converter per process: building it loads its dictionaries."""
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    """Map each Traditional CJK character that OpenCC changes to its one-character Simplified form."""
    chars = [chr(cp) for cp in range(0x4E00, 0xA000)]
    converted = _converter().convert("\n".join(chars)).split("\n")
    return {ord(t): s for t, s in zip(chars, converted, strict=False) if len(s) == 1 and s != t}


@lru_cache(maxsize=1)
def _traditional_re() -> re.Pattern[str]:
    """A character class of every Traditional-only character: a cheap test before converting."""
    return re.compile("[" + "".join(chr(cp) for cp in _char_table()) + "]")


def has_traditional(text: str) -> bool:
    """True when ``text`` holds at least one Traditional-only character, e.g. ``has_traditional("億")``."""
    return _traditional_re().search(text) is not None


# Runs, not single characters: findall would make one string object per character of the text.
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def detect_script(text: str) -> str:
    """``"traditional"`` when Traditional-only characters make up over 5% of the CJK text, else simplified."""
    found = len(_traditional_re().findall(text))
    cjk = sum(map(len, _CJK_RUN.findall(text)))
    return "traditional" if cjk and found / cjk > 0.05 else "simplified"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate as U+FFFD: same length, and encodable as UTF-8 (OpenCC, Arrow)."""
    # Only a str built in code can hold one; decoded files never do.
    return _LONE_SURROGATE.sub("\ufffd", text)


def to_simplified(text: str) -> str:
    """Traditional to Simplified with the same length: ``to_simplified("504.4億") == "504.4亿"``."""
    if not has_traditional(text):
        return text
    # OpenCC takes UTF-8; U+FFFD keeps the length and matches nothing.
    converted = _converter().convert(without_lone_surrogates(text))
    if len(converted) == len(text):
        return converted
    # OpenCC phrase rules changed the length somewhere: fall back to character by character.
    return text.translate(_char_table())


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters, signs and spaces to ASCII: ``to_halfwidth("５０４．４") == "504.4"``."""
    # re.sub over the rare runs is far faster than str.translate over a whole non-ASCII text.
    return _FULLWIDTH_RUN.sub(lambda m: m.group().translate(_FULLWIDTH), text)


def to_match_form(text: str) -> str:
    """The text that lexicons and number patterns match against; same length as ``text``."""
    return to_simplified(to_halfwidth(text))
