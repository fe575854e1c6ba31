"""Numbers in Chinese text: find every number expression and normalise it to a float.

``NUMBER_PATTERN`` is one regex (source only) for one number expression in match form (see
extract/normalize.py): Arabic digits with separators, Chinese and financial numerals, mixed forms
(1.2万亿, 25万6千), approximate forms (一千多万, 十余万, 两三万), ranges (18到35, 3~5万) and percentages
(52.4%, 百分之五十二点四, 三成, 5个百分点, 三分之一). It holds no unit words (元, 个, 岁): extract/claims.py
appends those. ``parse_number`` turns one surface into a value; ``find_numbers`` scans a whole text.

We parse numerals ourselves instead of with cn2an: cn2an rejects 多/余/几 (一千多万), 1.2万亿 and 两三万, and
is 3 to 8 times slower (measured: 五百零四亿 15 µs vs 6 µs, 25万6千 93 µs vs 12 µs) on a path that runs for
every figure of a corpus.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from extract.normalize import to_match_form
from extract.schema import C


@dataclass(frozen=True)
class Number:
    """One recognised number expression: offsets, surface and value (the lower end of a range)."""

    start: int
    end: int
    surface: str
    value: float
    value_high: float | None
    is_percent: bool


# find_numbers' columns; is_percent is this module's own (no table of extract/schema.py holds it).
IS_PERCENT = "is_percent"
NUMBER_COLUMNS: dict[str, str] = {
    C.start: "Int64",
    C.end: "Int64",
    C.surface: "string",
    C.value: "float64",
    C.value_high: "float64",
    IS_PERCENT: "bool",
}


@dataclass(frozen=True)
class _Numerals:
    """The parsed numerals.toml."""

    digits: dict[str, int]
    small: dict[str, float]
    big: dict[str, float]
    latin: dict[str, float]
    ambiguous: str
    vague_before: str
    lone_unit_after: str
    unit_not_multiplier: dict[str, str]
    cheng_word_after: str
    loose_pairs: frozenset[tuple[int, int]]
    not_a_number: dict[str, str]


@lru_cache(maxsize=1)
def numerals() -> _Numerals:
    """The numeral lexicon from extract/lexicon/numerals.toml, loaded once per process."""
    raw = tomllib.loads(resources.files("extract").joinpath("lexicon/numerals.toml").read_text("utf-8"))
    digits = {k: int(v) for k, v in raw["digits"].items()}
    rules = raw["rules"]
    return _Numerals(
        digits=digits,
        small={k: float(v) for k, v in raw["small_units"].items()},
        big={k: float(v) for k, v in raw["big_units"].items()},
        latin={k: float(v) for k, v in raw["latin_units"].items()},
        ambiguous=rules["ambiguous_digits"],
        vague_before=rules["vague_before"],
        lone_unit_after=rules["lone_unit_after"],
        unit_not_multiplier=dict(rules["unit_not_multiplier"]),
        cheng_word_after=rules["cheng_word_after"],
        loose_pairs=frozenset((digits[p[0]], digits[p[1]]) for p in rules["loose_pairs"]),
        not_a_number=dict(raw["not_a_number"]),
    )


def _cls(chars: str) -> str:
    """A regex character class of ``chars``."""
    return "[" + "".join(re.escape(c) for c in chars) + "]"


def _unit_re(unit: str, lex: _Numerals) -> str:
    """One multiplier character, unless it starts a unit of measure (千米) or a percent (百分之)."""
    guards = []
    if unit in lex.unit_not_multiplier:
        guards.append(f"(?!{_cls(lex.unit_not_multiplier[unit])})")
    if unit in "百佰":
        guards.append("(?! {0,2}分 {0,2}[之点])")
    return re.escape(unit) + "".join(guards)


def _not_a_number_re(lex: _Numerals) -> str:
    """A negative lookahead refusing a match that starts inside a word like 一切, 统一 or 十分."""
    numeral_chars = set(lex.digits) | set(lex.small) | set(lex.big)
    alts = []
    for word, unless in sorted(lex.not_a_number.items()):
        tail = f"(?!{_cls(unless)})" if unless else ""
        for j, ch in enumerate(word):
            if ch in numeral_chars:
                behind = f"(?<={re.escape(word[:j])})" if j else ""
                alts.append(behind + re.escape(word[j:]) + tail)
    return "(?!" + "|".join(alts) + ")"


def _build_patterns(lex: _Numerals) -> dict[str, str]:
    """The regex sources: one number (``single``), a range connector, and the whole expression."""
    s = " {0,2}"  # stray spaces inside a number: 7 万5 千4 百, 十 余 万, 1000  万
    all_digits = "".join(lex.digits)
    plain_digits = "".join(d for d in lex.digits if d not in lex.ambiguous)
    dec_digits = "".join(d for d in lex.digits if d not in "两俩")  # 两 is never a decimal digit: 一点两小时
    small_chars = "".join(lex.small)
    big_chars = "".join(lex.big)
    units = "|".join(_unit_re(u, lex) for u in [*lex.small, *lex.big])
    numeral = _cls(all_digits + small_chars + big_chars)
    latin = _cls("".join(lex.latin)) + "(?![A-Za-z])"
    arabic = (
        r"(?:(?<![0-9%])(?:[0-9]{1,3}(?:[,，][0-9]{3})+(?![0-9])(?:\.[0-9]+)?"  # 1,100 and 4，565
        r"|[0-9]+\. [0-9]+(?= {0,2}(?:[万亿千百%]|个 {0,4}百))"  # 6. 62亿: a stray space after the point
        # 1.2.3 (a version, an IP address) is three numbers, none of them with a decimal part.
        r"|(?<![0-9]\.)[0-9]+(?:\.[0-9]+(?![0-9]|\.[0-9]))?|[0-9]+)"
        r"|(?<![0-9.])\.[0-9]+)"
        rf"(?: ?{latin})?"  # 40k, 10w, 52.5 k
    )
    head = (
        f"(?:{arabic}"
        f"|{_cls(plain_digits)}"
        f"|{_cls(lex.ambiguous)}(?={s}(?:{numeral}|点|[0-9]))"
        f"|十"
        f"|(?=[百佰千仟])(?:{units})(?={s}(?:{numeral}|[0-9]))"
        f"|(?<={_cls(lex.lone_unit_after)})(?=[百千万亿])(?:{units})"
        f"|半(?=百|成))"
    )
    unit_chars = _cls(small_chars + big_chars + "零〇")
    tail_token = (
        f"(?:{s}(?:{units})"  # a multiplier after anything: 3千万, 一百五
        f"|(?<={unit_chars}){s}(?:{arabic})"  # Arabic digits after a multiplier: 3万4000, 1千零1
        f"|(?<={numeral}){s}{_cls(all_digits)}"  # Chinese digits after Chinese numerals
        f"|(?<={_cls(small_chars + big_chars + '零')}){s}几"  # 二十几万, 一百零几万, 十几
        f"|(?<=[0-9{small_chars}{big_chars}]){s}[多余](?={s}[{big_chars}])"  # 一千多万, 500余万
        f"|(?<={numeral}){s}点{s}{_cls(dec_digits)}+)"  # 三点五, 两千万点五五四四
    )
    approx_end = f"(?:(?<=[0-9{small_chars}{big_chars}])[多余]|(?<=[0{small_chars}{big_chars}])来)"
    # The longest real numeral (四千五百六十九万八千三百一十一亿...) has 31 tokens; the bound keeps a run of
    # thousands of numeral characters from being matched, rejected and re-matched at quadratic cost. No
    # possessive quantifier: Python 3.11.0-3.11.2 (Debian 12's) mis-match them and found no 5.76亿 at all.
    core = f"(?:{head}(?:{tail_token}){{0,40}}{approx_end}?)"
    # 三成, 三成半, 七成六 (76%); 成为/成本 are words. A digit after 成 is a tenth unless a unit follows.
    cheng = f"{s}成(?!{_cls(lex.cheng_word_after)})(?:半|{_cls(plain_digits)}(?![{small_chars}{big_chars}]))?"
    # 30%25 in a URL is an escaped character, not a percentage.
    percent_suffix = f"(?: ?%(?![0-9A-Fa-f]{{2}})| {{0,4}}(?:个{s})?百{s}分{s}点|{cheng})"
    # 三分之一, 百分之五; a denominator may end in a 百 that core leaves out for 百分之: 一百分之五.
    per = f"{s}分{s}之{s}(?:{core}|百)"
    fraction = f"(?:{s}[百佰])?{per}"
    sign = r"(?:负|(?<![0-9A-Za-z.\-%])[-−](?=\.?[0-9]))"
    single = f"(?:{sign}?(?:{core}(?:{fraction}|{percent_suffix})?|[十百千万]{per}))"
    connector = "(?:到|至|~|〜|-|—|–)"
    # 数百万 and 几十万 are vague amounts, but 用户数4亿 is 4亿: the guard holds only before a numeral word.
    start_guard = _not_a_number_re(lex) + f"(?<!{_cls(lex.vague_before)}(?![0-9]))"
    # Python's re has no first-character skip for a pattern that opens with lookarounds; this cheap class
    # test, tried first at every position, is what keeps the scan fast (about 5x).
    first = _cls("0123456789.-−负半" + all_digits + small_chars + big_chars)
    whole = f"(?={first}){start_guard}{single}(?:{s}{connector}{s}{single.replace(sign + '?', '', 1)})?"
    return {"single": single, "connector": connector, "whole": whole, "core": core}


_PATTERNS = _build_patterns(numerals())

NUMBER_PATTERN: str = _PATTERNS["whole"]
_NUMBER_RE = re.compile(NUMBER_PATTERN)
_CONNECTOR = re.compile(_PATTERNS["connector"])
_SIMPLE = re.compile(r"([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)([百千]?[万亿]{0,2})(%?)")
_SIMPLE_UNITS = {"百": 100.0, "千": 1000.0, "万": 1e4, "亿": 1e8}
_MAX_TRIM = 8


def _kinds(lex: _Numerals) -> dict[str, tuple[str, float]]:
    """Each numeral character's kind (num, zero, small, big, approx) and value, for _evaluate."""
    kinds = {ch: ("zero", 0.0) if v == 0 else ("num", float(v)) for ch, v in lex.digits.items()}
    kinds |= {ch: ("small", v) for ch, v in lex.small.items()}
    kinds |= {ch: ("big", v) for ch, v in lex.big.items()}
    kinds |= {ch: ("small" if v < 1e4 else "big", v) for ch, v in lex.latin.items()}
    return kinds | {"几": ("num", 0.0), "多": ("approx", 0.0), "余": ("approx", 0.0), "来": ("approx", 0.0)}


_KINDS = _kinds(numerals())
_ARABIC = ("num", -1.0)
_DECIMAL = ("dec", 0.0)
_DECIMALS = "".join(d for d in numerals().digits if d not in "两俩")
_TOKEN = re.compile(rf"[0-9][0-9,，]*(?:\.[0-9]+)?|\.[0-9]+|点[{_DECIMALS}]+|.")
_SINGLE_CHAR = {ch: (v, None, 1.0, False) for ch, (kind, v) in _KINDS.items() if kind == "num" and v} | {
    "十": (10.0, None, 10.0, True),
    "拾": (10.0, None, 10.0, True),
    "半": (0.5, None, 1.0, False),
}
_NONZERO = "".join(ch for ch, v in numerals().digits.items() if v)
_DIGIT_STRING = re.compile(f"[{''.join(numerals().digits)}]{{2,}}")
_PAIR = re.compile(f"[{_NONZERO}]{{2}}")
_SPACED_DIGITS = re.compile(f"[{''.join(numerals().digits)}] +[{''.join(numerals().digits)}]")
_SINGLE_PARTS = re.compile(r"(负|[-−])?(?:(.+?)分之(.+)|(.+?)(%|个?百分点|成.?)?)")


@dataclass(frozen=True)
class _Side:
    """One side of a range, parsed: value (and high end of 两三万), percent kind and trailing multiplier."""

    value: float
    high: float | None
    percent: str  # "", "%", "成" or "/" (a fraction)
    multiplier: float  # product of the multipliers after the last digit: 5千万 -> 1e7, 18 -> 1
    has_units: bool


def parse_number(surface: str) -> Number | None:
    """Normalise one number expression: ``parse_number("64.7万").value == 647000.0``; None if not one."""
    match_form = to_match_form(surface)
    # Checked as if written after 过, so that the lone 亿 of 破亿 (found by NUMBER_PATTERN there) parses.
    if _NUMBER_RE.fullmatch("过" + match_form, 1) is None:
        return None
    parsed = _parse(match_form)
    if parsed is None:
        return None
    value, high, is_percent = parsed
    return Number(0, len(surface), surface, value, high, is_percent)


def find_numbers(text: str) -> pd.DataFrame:
    """Every number expression in ``text`` with offsets into ``text`` itself, e.g. 2.2亿 -> 220000000.0."""
    match_text = to_match_form(text)
    starts: list[int] = []
    ends: list[int] = []
    values: list[float] = []
    highs: list[float] = []
    percents: list[bool] = []
    pos: int | None = 0
    while pos is not None:
        matches, pos = _NUMBER_RE.finditer(match_text, pos), None
        for m in matches:
            start, end = m.span()
            parsed = _parse(m.group())
            if parsed is None:
                # 五十千, 2024-01, 二十成: keep the longest prefix that is a number of its own and scan on
                # from its end; junk with no such prefix (a 400-digit id) is skipped whole.
                end, parsed = _longest_prefix(match_text, start, end)
                if parsed is None:
                    continue
                pos = end
            starts.append(start)
            ends.append(end)
            values.append(parsed[0])
            highs.append(math.nan if parsed[1] is None else parsed[1])
            percents.append(parsed[2])
            if pos is not None:
                break
    return pd.DataFrame(
        {
            C.start: pd.array(starts, dtype=NUMBER_COLUMNS[C.start]),
            C.end: pd.array(ends, dtype=NUMBER_COLUMNS[C.end]),
            C.surface: pd.array([text[s:e] for s, e in zip(starts, ends, strict=True)], dtype="string"),
            C.value: pd.array(values, dtype=NUMBER_COLUMNS[C.value]),
            C.value_high: pd.array(highs, dtype=NUMBER_COLUMNS[C.value_high]),
            IS_PERCENT: pd.array(percents, dtype=NUMBER_COLUMNS[IS_PERCENT]),
        }
    )


def _longest_prefix(text: str, start: int, end: int) -> tuple[int, tuple[float, float | None, bool] | None]:
    """The end and value of the longest number starting at ``start`` and ending a little before ``end``."""
    # A few characters back is enough for every malformed tail seen; more makes junk quadratic.
    for cut in range(end - 1, max(start, end - _MAX_TRIM - 1), -1):
        if _NUMBER_RE.fullmatch(text, start, cut) is not None:
            parsed = _parse(text[start:cut])
            if parsed is not None:
                return cut, parsed
    return start, None


@lru_cache(maxsize=65536)
def _parse(surface: str) -> tuple[float, float | None, bool] | None:
    """(value, value_high, is_percent) of one match-form expression that NUMBER_PATTERN matched, or None."""
    single = _SINGLE_CHAR.get(surface)
    if single is not None:
        return single[0], None, False
    simple = _SIMPLE.fullmatch(surface)
    if simple is not None:  # most figures (504.4亿, 64.7万, 52.4%) skip the general parser: 10x faster
        number, multipliers, percent = simple.groups()
        value = float(number.replace(",", ""))
        for ch in multipliers:
            value *= _SIMPLE_UNITS[ch]
        return _finite(_tidy(value), None, bool(percent))
    if " " in surface and _SPACED_DIGITS.search(surface):
        return None  # 一 二 三 is three numbers, not 123
    compact = surface.replace(" ", "")
    # Only a leading sign shares a character with the connectors, so the first one after it splits a range.
    connector = _CONNECTOR.search(compact, 1)
    if connector is None:
        side = _side(compact)
        if side is None:
            return None
        return _finite(side.value, side.high, bool(side.percent))
    left, right = _side(compact[: connector.start()]), _side(compact[connector.end() :])
    if left is None or right is None or (left.percent and not right.percent):
        return None  # 增长34.9%至504.4亿 is a rate, then a new figure: never one range
    low, high = left.value, right.high if right.high is not None else right.value
    if right.percent and not left.percent:
        low *= 10 if right.percent == "成" else 1  # 两到三成 is 20-30%
    elif right.multiplier > 1 and not left.has_units and low * right.multiplier <= high:
        low *= right.multiplier  # 3~5万 is 30000-50000, but 1000到2万 stays 1000-20000
    if low > high:
        return None
    return _finite(low, high, bool(left.percent or right.percent))


def _finite(value: float, high: float | None, is_percent: bool) -> tuple[float, float | None, bool] | None:
    """The triple, or None when a value overflowed (a 400-digit id is not a figure)."""
    if not math.isfinite(value) or (high is not None and not math.isfinite(high)):
        return None
    return value, high, is_percent


def _side(text: str) -> _Side | None:
    """One number (no range connector, no spaces) with its sign, percent form and multiplier."""
    parts = _SINGLE_PARTS.fullmatch(text)
    if parts is None:
        return None
    negative, denominator, numerator, core, suffix = parts.groups()
    sign = -1.0 if negative else 1.0
    if denominator is not None:
        den, num = _core(denominator), _core(numerator)
        if den is None or num is None or den[0] == 0:
            return None
        low = _tidy(sign * num[0] * 100 / den[0])
        high = None if num[1] is None else _tidy(sign * num[1] * 100 / den[0])
        return _Side(*_ordered(low, high), "/", 1.0, True)
    parsed = _core(core)
    if parsed is None:
        return None
    value, high, multiplier, has_units = parsed
    percent = ""
    if suffix:
        percent = "成" if suffix.startswith("成") else "%"
        if percent == "成":
            if value > 10 or (high is not None and high > 10):
                return None  # 成 counts tenths: 二十成 is not 200%
            value, high = _tidy(value * 10), None if high is None else _tidy(high * 10)
            tenth = suffix[1:]
            value += 5 if tenth == "半" else numerals().digits.get(tenth, 0)
    low, high = _ordered(sign * value, None if high is None else sign * high)
    return _Side(low, high, percent, multiplier, has_units)


def _ordered(low: float, high: float | None) -> tuple[float, float | None]:
    """A range low end first: negating 1万一二 (11,000 to 12,000) gives -12,000 to -11,000."""
    return (high, low) if high is not None and high < low else (low, high)


def _core(text: str) -> tuple[float, float | None, float, bool] | None:
    """(value, high, trailing multiplier, has_units) of a number without sign or percent sign."""
    single = _SINGLE_CHAR.get(text)
    if single is not None:  # 一, 三, 十: the commonest Chinese numerals of all
        return single
    if text == "半百":
        return 50.0, None, 100.0, True
    if _DIGIT_STRING.fullmatch(text):
        return _digit_string(text)
    pair = _PAIR.search(text.split("点", 1)[0])  # 十点二三 is 10.23, not a range
    if pair is not None:
        i, j = pair.span()
        a, b = _KINDS[text[i]][1], _KINDS[text[i + 1]][1]
        if b != a + 1 and (a, b) not in numerals().loose_pairs:
            return None  # 五五万, 九九: not a number
        low = _evaluate(text[:i] + text[i] + text[j:])
        high = _evaluate(text[:i] + text[i + 1] + text[j:])
        if low is None or high is None:
            return None
        return low[0], high[0], low[1], low[2]
    evaluated = _evaluate(text)
    if evaluated is None:
        return None
    return evaluated[0], None, evaluated[1], evaluated[2]


def _digit_string(text: str) -> tuple[float, float | None, float, bool] | None:
    """Digits written one by one (二〇二四 = 2024), or an approximate pair (两三 = 2 to 3)."""
    digits = [numerals().digits[ch] for ch in text]
    if len(text) == 2 and digits[0] and digits[1]:
        if digits[1] == digits[0] + 1 or (digits[0], digits[1]) in numerals().loose_pairs:
            return float(digits[0]), float(digits[1]), 1.0, False
        return None  # 九九, 五五: not a number
    return float("".join(map(str, digits))), None, 1.0, False


def _evaluate(text: str) -> tuple[float, float, bool] | None:
    """(value, trailing multiplier, has_units) of one numeral string, or None when it is malformed.

    Sections end at 万/亿/兆; a bigger multiplier scales all before it (一万五千亿 = 1.5e12), a smaller
    one adds (5亿1万 = 500010000). A lone digit after 百 or a bigger unit is abbreviated (一万三 = 13000).
    """
    total = section = 0.0
    number: float | None = None
    number_is_digit = False  # a single digit, which 一万三 and 两千四百五 abbreviate
    last_unit = 0.0  # the multiplier right before the pending number; 0 after 零
    last_small = math.inf  # small units must fall within a section: 一百千 is malformed
    last_big = 0.0
    prev = ""  # kind of the previous token: "", "num", "small", "big", "zero", "dec", "approx"
    trailing = 1.0
    has_units = False
    for token in _TOKEN.findall(text):
        known = _KINDS.get(token)
        if known is None:
            if token[0] not in "点0123456789.":
                return None  # 半 anywhere but 半百 and 半成
            known = _DECIMAL if token[0] == "点" else _ARABIC
        kind, unit = known
        if kind == "num":
            if prev == "num" or prev == "dec":
                return None
            if unit < 0:  # Arabic digits, not in the table
                number, number_is_digit = float(token.replace(",", "").replace("，", "")), len(token) == 1
            else:
                number, number_is_digit = unit, token != "几"
            prev, trailing = "num", 1.0
        elif kind == "zero":
            prev, last_unit = "zero", 0.0
        elif kind == "small":
            if number is None and prev not in ("", "zero", "big"):
                return None  # 五十千
            if unit >= last_small and prev != "dec":
                return None
            section += (1.0 if number is None else number) * unit
            number, last_unit, last_small, prev = None, unit, unit, "small"
            trailing, has_units = trailing * unit, True
        elif kind == "big":
            section += number or 0.0
            if section == 0 and total == 0:
                section = 1.0  # 破亿: a lone 亿 is one 亿
            if section == 0:
                total *= unit  # 四万万, 二十万亿
            elif unit > last_big:
                total = (total + section) * unit
            else:
                total += section * unit
            last_big = max(last_big, unit) if section else last_big * unit
            number, section, last_unit, last_small, prev = None, 0.0, unit, math.inf, "big"
            trailing, has_units = trailing * unit, True
        elif kind == "approx":  # 多 余 来: the value is the lower end
            prev = "approx"
        else:  # 点 and its decimal digits: 三点五, 一千六点五 (1600.5), 两千万点五五四四
            fraction = float("0." + "".join(str(int(_KINDS[d][1])) for d in token[1:]))
            whole = (number or 0.0) * (last_unit / 10 if number_is_digit and last_unit >= 100 else 1.0)
            number, number_is_digit = section + whole + fraction, False
            section, prev, trailing = 0.0, "dec", 1.0
    if number is not None:
        if number_is_digit and last_unit >= 100 and prev == "num":
            number *= last_unit / 10
        section += number
    return _tidy(total + section), trailing, has_units


def _tidy(x: float) -> float:
    """Drop binary noise from a decimal result: 1.2 * 1e12 is 1200000000000.0, not ...99.9998."""
    return x if x.is_integer() or not math.isfinite(x) else float(f"{x:.15g}")
