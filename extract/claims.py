"""Quantitative claims: every figure in a text with its value, unit, metric, qualifier, year and sentence.

One regex scan finds number-plus-unit candidates in the match form of the text (see extract/normalize.py);
rules drawn from extract/lexicon/claims.toml then drop non-claims (dates, ordinals, idioms, list counts,
URLs) and read the metric, qualifier and year from the clause around each figure.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pandas as pd

from extract import schema
from extract.attribution import Attribution, attribution, entities_between, entity_for, source_for
from extract.indicators import lexicon as indicator_lexicon
from extract.indicators import scope_in
from extract.lexmatch import match_form
from extract.noise import squeeze
from extract.numbers import NUMBER_PATTERN, parse_number
from extract.periods import RELATIVE_YEARS, bare_period_end, names_same_period, period_for
from extract.scan import finditer_at
from extract.schema import C
from extract.sentences import sentence_at, sentence_starts
from extract.themes import claim_themes

# Clause boundaries: metric keywords and qualifiers are read within the clause of the figure.
_CLAUSE_END = "，,；;。！？!?：:\n（）()"
# How far (characters) to look before a figure for its metric and qualifiers.
_WINDOW = 24
# Spans that never hold claims: URLs, markdown link targets, e-mails, dates, clock times, ratios and
# fractions (7:3, 1/3), phone numbers, long ids mixing letters and digits, and the inside of 《book titles》.
_MASK = re.compile(
    # The lookahead lets the scan skip a Chinese character with one test instead of one per branch.
    r"(?=[A-Za-z0-9._+\-\]《\[［])(?:"
    r"https?://\S+|www\.\S+|\]\([^)\s]*\)|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.]+"
    r"|(?<!\d)(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])(?:[-/.](?:[0-2]?\d|3[01]))?(?!\d)"
    r"|(?<![\d.])\d{1,4}(?:\.\d+)?(?:\s?[:：/∶×xX]\s?\d{1,4}(?:\.\d+)?)+(?![\d.])"
    r"|(?<!\d)\d{4,6}\.(?:SZ|SH|BJ|HK|sz|sh|bj|hk)(?![A-Za-z])"
    r"|(?<!\d)\d{1,4}\s?页\s?/\s?共\s?\d{1,5}"
    r"|(?<![\d.])(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)"
    r"|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)|(?<!\d)400-?\d{3}-?\d{4}(?!\d)"
    r"|(?<![\d.])(?:\+?86 )?1[3-9]\d[ -]\d{4}[ -]\d{4}(?!\d)|(?<!\d)0\d{2,3}[ -]\d{3,4}[ -]\d{4}(?!\d)"
    r"|(?<!\d)400[ -]\d{3}[ -]\d{4}(?!\d)"
    r"|(?<![A-Za-z0-9_-])(?!(?:19|20)\d\d[QqHh][1-4](?![A-Za-z0-9_-]))(?=[A-Za-z0-9_-]{6})(?=[A-Za-z0-9_-]*[A-Za-z])(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]+(?![A-Za-z0-9_-])"
    r"(?<!(?:19|20)\d\d(?=年))"
    r"|《[^《》\n]{0,60}》"
    r"|\[\^?\d{1,3}\]|［\d{1,3}］"  # footnote references: 同比增长112% [2]
    r")"
)
# No leading look-behind: a pattern that starts with a literal lets the regex engine skip ahead fast;
# _year_positions checks the character before instead.
# A year statement: 2024年, 2022-2024年, 2026E, and a year written without 年 before a part of it (2025上半年,
# 2025 Q1, 2024H2), as research notes write it.
_YEAR = re.compile(
    r"((?:19|20)\d{2})(?:(?:\s*[-—~至到]\s*((?:19|20)?\d{2}))?\s*年|[EF](?![A-Za-z])"
    r"|(?=\s?(?:上半年|下半年|全年|前三季度|[一二三四]季度|第[一二三四]季度|[Qq][1-4](?![0-9])|[Hh][12](?![0-9]))))"
)
_ESTIMATE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}[EF](?![A-Za-z])")
_SPANS = ("year", "month")  # units of a length of time long enough that it is never a dated figure
# A year after these is a baseline (较2023年增长35%), not the year the figure refers to.
_COMPARED = ("较", "比", "相比", "相较", "对比", "同比", "较之", "相较于", "相比于", "对比于", "较于")
# The end of a change after its baseline (从2024年的8%升至19%, 较上年的2万部增加到3万部): 19% is not 2024's.
_CHANGED_TO = re.compile(r"[升增涨降跌减长高扩缩]\s*(?:至|到)")
# A year a change starts from (占比从2023年的15%提升至30%): the figure after the change is not its own.
_FROM_BEFORE = ("从", "由")
_FROM_AFTER = re.compile(r"\s*(?:全年|年底|年末|底|末|上半年|下半年)?\s*的")
# 同期 after a year (2024年同期), also in text with a space between every character (2024 年 同 期).
_SAME_PERIOD = re.compile(r"\s*同\s*期")
# Runs of numeral characters: cheap to find, and the only places where the number pattern can match.
_NUMERAL_RUN = re.compile(r"[0-9.零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟几数负]+")
_AT_SCALE = re.compile(r"[0-9十百千万亿拾佰仟]")
# Small numbers in words count before a duration or an approximate count: 三个月, 三年间, 两周, 十余家.
_SMALL_OK = re.compile(
    r"个月|年间|年来|年时间|年之久|个年头|天|周|个星期|个小时|小时|分钟|秒|多个|余个|多家|余家|多部|余部|多名|余名"
    r"|集(?![团中合体结市资聚])|部(?![曲分门委长署位件落属下队首头])"
)
# Dramas and episodes counted in words (十部竖屏短剧, 连刷三集) are figures from two up, unless a
# demonstrative makes them a reference (这两部作品) rather than a count.
_WORKS_IN_WORDS = frozenset({"部", "集"})
_DEMONSTRATIVE = re.compile(r"[这那该此其]$")
# Two adjacent digits in words before a classifier are an approximate count: 八九个剧组, 两三家公司
# (一两个 is "a couple", no figure).
_WORD_RANGE = re.compile(r"[二两三四五六七八][三四五六七八九]")
_COUNT_AFTER = re.compile(r"[个家部名位款集]")
_TO_CHENG = re.compile(r"[到至~\-—][零〇一二两三四五六七八九十]{1,3}成")  # 两到三成
_HAS_DIGIT = re.compile(r"\d")
_BARE_MULTIPLIER = re.compile(r"^[千百万亿]+$")
# Words between a metric or qualifier and its figure that say nothing themselves (规模【达到】504.4亿元).
_FILLER_WORDS = (
    "达到", "达", "到", "了", "为", "是", "至", "已经", "已", "就", "共计", "共", "总计", "累计", "约",
    "都", "也", "再", "将", "由", "从", "在", "仅", "有", " ",
)
_NEGATION = re.compile(r"(?:并未|尚未|未能|未|没有|没|不会|难以|很难|无法)$")
# A compared year's own figure (较2024年的15亿美元) is what was, even in a sentence that forecasts.
_BASELINE_OWN = re.compile(
    r"(?:" + "|".join(sorted(_COMPARED, key=len, reverse=True))
    + r")\s*(?:19|20)\d{2}\s*年[^，,。；;]{0,6}的\s*$"
)


def _peel_filler(text: str, *, once: bool = False) -> str:
    """``text`` without filler words at its end (or one of them): ``_peel_filler("规模达到") == "规模"``."""
    while True:
        for word in _FILLER_WORDS:
            if text.endswith(word):
                text = text[: -len(word)]
                break
        else:
            return text
        if once:
            return text


@dataclass(frozen=True)
class _Lexicon:
    """The parsed claims.toml, with alternations sorted longest first."""

    units: dict[str, str]
    unit_factor: dict[str, float]
    currency_prefix: dict[str, str]
    noun_units: dict[str, str]
    metrics: dict[str, tuple[str, ...]]
    metrics_after: dict[str, tuple[str, ...]]
    counted_other: tuple[str, ...]
    qualifiers: dict[str, tuple[str, ...]]
    suffix_qualifiers: dict[str, tuple[str, ...]]
    window_before: tuple[str, ...]
    window_after: tuple[str, ...]
    window_labels: tuple[str, ...]
    decline: tuple[str, ...]
    not_after: tuple[str, ...]
    not_before: tuple[str, ...]
    idioms: tuple[str, ...]
    spam: tuple[str, ...]
    names: tuple[str, ...]
    counters: tuple[str, ...]
    ratios: tuple[str, ...]
    present: tuple[str, ...]
    years_lead: tuple[str, ...]
    years_after: tuple[str, ...]
    experienced: tuple[str, ...]
    guo_heads: tuple[str, ...]
    pay: tuple[str, ...]
    measured_after: tuple[str, ...]
    incidents: frozenset[str]
    difference: tuple[str, ...]
    frequency_units: frozenset[str]
    frequency_per: tuple[str, ...]
    linking_adjectives: tuple[str, ...]
    places: tuple[str, ...]
    spent_on: dict[str, str]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The claim lexicon from extract/lexicon/claims.toml, loaded once per process."""
    raw = tomllib.loads(resources.files("extract").joinpath("lexicon/claims.toml").read_text("utf-8"))
    return _Lexicon(
        units=raw["units"],
        unit_factor=raw["unit_factor"],
        currency_prefix=raw["currency_prefix"],
        noun_units=raw["noun_units"],
        metrics={k: tuple(v) for k, v in raw["metrics"].items()},
        metrics_after={k: tuple(v) for k, v in raw["metrics_after"].items()},
        counted_other=tuple(sorted(raw["counted"]["other"], key=len, reverse=True)),
        qualifiers={k: tuple(v) for k, v in raw["qualifiers"].items()},
        suffix_qualifiers={k: tuple(v) for k, v in raw["suffix_qualifiers"].items()},
        window_before=tuple(raw["window"]["before"]),
        window_after=tuple(raw["window"]["after"]),
        window_labels=tuple(raw["window"]["labels"]),
        decline=tuple(raw["direction"]["decline"]),
        not_after=tuple(raw["not_claim"]["after"]),
        not_before=tuple(raw["not_claim"]["before"]),
        idioms=tuple(raw["not_claim"]["idioms"]),
        spam=tuple(raw["not_claim"].get("spam", ())),
        names=tuple(raw["not_claim"].get("names", ())),
        counters=tuple(raw["not_claim"].get("counters", ())),
        ratios=tuple(raw["not_claim"].get("ratios", ())),
        present=tuple(raw["year_cue"]["present"]),
        years_lead=tuple(raw["window"]["years_lead"]),
        years_after=tuple(raw["window"]["years_after"]),
        experienced=tuple(raw["experienced"]["verbs"]),
        guo_heads=tuple(raw["guo_words"]["heads"]),
        pay=tuple(raw["pay"]["words"]),
        measured_after=tuple(raw["measured_after"]["words"]),
        incidents=frozenset(raw["incidents"]["units"]),
        difference=tuple(raw["difference"]["words"]),
        frequency_units=frozenset(raw["frequency"]["units"]),
        frequency_per=tuple(raw["frequency"]["per"]),
        linking_adjectives=tuple(sorted(raw["linking_adjectives"]["words"], key=len, reverse=True)),
        places=tuple(raw["places"]["words"]),
        spent_on=dict(raw["spent_on"]),
    )


def _alternation(words: object) -> str:
    """A regex alternation of ``words``, longest first so that 元人民币 wins over 元."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern[str]:
    """The one regex that finds candidate figures: a number, then an optional unit word."""
    # Numbers in words are claims only at scale (千万, 三成, 百分之五): the lookahead skips 一, 两, 第一 and
    # the like before the costly number pattern runs, which is most of the scan's speed.
    at_scale = (
        r"(?=[0-9.]|[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟几数]*[十百千万亿拾佰仟]"
        r"|[一二两三四五六七八九十]+(?:[到至~\-—][一二两三四五六七八九十]+)?成|百分之|负"
        rf"|[零〇一二两三四五六七八九]+(?:{_SMALL_OK.pattern})"
        rf"|{_WORD_RANGE.pattern}{_COUNT_AFTER.pattern})"
    )
    units = _alternation(lexicon().units)
    return re.compile(rf"{at_scale}(?P<num>{NUMBER_PATTERN})\s?(?P<unit>{units})?")


@lru_cache(maxsize=1)
def _not_before() -> re.Pattern[str]:
    """Words that, right before a number, make it a counter, ordinal or id (第, 阅读:, 代码)."""
    return re.compile(f"(?:{_alternation(lexicon().not_before)})\\s*$")  # 全文共 23 页 too


@lru_cache(maxsize=1)
def _bare_number() -> re.Pattern[str]:
    """A number with no unit group filled, for spans of years the scan's lookahead lets by (两年)."""
    return re.compile(rf"(?P<num>{NUMBER_PATTERN})(?P<unit>(?!x)x)?")


@lru_cache(maxsize=1)
def _not_after() -> re.Pattern[str]:
    """Words that, right after a unitless number, make it a date or ordinal (2024年, 6月, 4大)."""
    return re.compile(_alternation(lexicon().not_after))


@dataclass
class _Candidate:
    """A figure found by the scan, before it is judged and described."""

    start: int
    end: int
    num_end: int
    value: float
    value_high: float | None
    is_percent: bool
    unit_word: str | None


# The columns of extract_claims: the claims table less what only a corpus document has.
_CORPUS_ONLY = (C.doc_id, C.claim_id, C.sent_id, C.themes)
_STANDALONE = tuple(c for c in schema.columns("claims") if c not in _CORPUS_ONLY)


def extract_claims(text: str, *, published: str | None = None) -> pd.DataFrame:
    """Every quantitative claim in ``text``, one row each, e.g. 504.4亿元 -> value 50440000000, unit CNY.

    ``published`` (YYYY-MM-DD) lets 今年/去年 name a year; without it they only stop an older year being used.
    """
    return _claims(text, None, only=_STANDALONE, published=published)


def claims_for_document(
    doc_id: str,
    text: str,
    sentences: pd.DataFrame,
    themes: pd.DataFrame | None = None,
    published: str | None = None,
) -> pd.DataFrame:
    """The claims table of one document, with ids and, given its themes table, each claim's themes."""
    spans = list(zip(sentences[C.start].tolist(), sentences[C.end].tolist(), strict=True))
    claims = _claims(text, spans, doc_id, published=published)
    if themes is not None and not claims.empty:
        claims[C.themes] = claim_themes(claims, themes)  # our own new frame: safe to fill in
    return claims


def _claims(
    text: str,
    spans: list[tuple[int, int]] | None,
    doc_id: str = "",
    only: tuple[str, ...] | None = None,
    published: str | None = None,
) -> pd.DataFrame:
    """The claims table of ``text`` (themes left empty): :func:`claim_columns` as a frame."""
    columns = claim_columns(doc_id, text, spans, published)
    if not columns[C.start]:
        empty = schema.empty("claims")
        return empty[list(only)] if only else empty
    return schema.frame("claims", columns, only=only)


def claim_columns(
    doc_id: str, text: str, spans: list[tuple[int, int]] | None, published: str | None = None
) -> dict[str, list[object]]:
    """One document's claims as column lists of the claims table (themes empty, page null), so that a
    batch of documents builds one frame (schema.TableBatch); without sentence spans each claim's sentence
    is found around it (sent_id null), which spares splitting the whole text.

    Page noise inside words and figures (extract/noise.py) is squeezed out first and every offset mapped
    back, so a surface is always ``text[start:end]``.
    """
    squeezed = squeeze(text)
    if squeezed is None:
        return _columns_of(text, spans, doc_id, published)
    clean_spans = None
    if spans is not None:
        clean_spans = [(squeezed.to_clean(a), squeezed.to_clean(b)) for a, b in spans]
    out = _columns_of(squeezed.text, clean_spans, doc_id, published)
    if not out[C.start]:
        return out
    where = squeezed.where
    starts = [where[i] for i in out[C.start]]  # type: ignore[index]
    ends = [where[i - 1] + 1 for i in out[C.end]]  # type: ignore[operator]
    out[C.start], out[C.end] = starts, ends  # type: ignore[assignment]
    out[C.surface] = [text[a:b] for a, b in zip(starts, ends, strict=True)]
    if spans is not None:
        out[C.sentence] = [
            text[spans[i][0] : spans[i][1]] if i is not None else text[a:b]  # type: ignore[index]
            for i, a, b in zip(out[C.sent_id], starts, ends, strict=True)
        ]
    else:
        out[C.sentence] = [text[slice(*sentence_at(text, a))] for a in starts]
    return out


def _columns_of(
    text: str, spans: list[tuple[int, int]] | None, doc_id: str, published: str | None
) -> dict[str, list[object]]:
    """The claims columns of a text without page noise."""
    match_text = _mask(match_form(text))  # the cached match form, shared with the other extractors
    candidates = _candidates(match_text)
    candidates = _join_ranges(match_text, candidates)
    _share_units(match_text, candidates)
    years = _year_positions(match_text, published, titled=match_form(text))
    starts = [s for s, _ in spans] if spans is not None else None
    att = attribution(match_form(text))  # unmasked: 《report titles》 are sources
    rows: list[dict[str, object]] = []
    prev_end = 0
    for cand in candidates:
        row = _describe(text, match_text, cand, spans, starts, years, prev_end, att, published)
        prev_end = cand.end
        if row is not None:
            rows.append(row)
    _date_headings(match_text, rows)
    _respective(match_text, rows, att)
    _list_ellipsis(match_text, rows)
    _same_figure_elsewhere(rows)
    _elided_measure(match_text, rows)
    _titled_plays(match_text, rows)
    columns: dict[str, list[object]] = {c: [row[c] for row in rows] for c in schema.columns("claims")
                                        if c not in _FILLED_HERE}
    columns[C.doc_id] = [doc_id] * len(rows)
    columns[C.page] = [None] * len(rows)  # a PDF's pages are the pipeline's to fill (pipeline.py)
    columns[C.claim_id] = list(range(len(rows)))
    columns[C.themes] = [""] * len(rows)
    return columns


_FILLED_HERE = (C.doc_id, C.page, C.claim_id, C.themes)  # the columns _columns_of fills, not _describe


_SENT_START = "_sent_start"  # where a row's sentence starts, for the passes over rows; not a column


_BARE_SURFACE = re.compile(r"[0-9.,\s]*[0-9][0-9.,\s]*[万亿千百]*")


def _same_figure_elsewhere(rows: list[dict[str, object]]) -> None:
    """A bare figure the text does not say the kind of (所谓10亿，不过是噱头) takes the metric and unit its
    document gives the same figure elsewhere (10亿播放量), when it gives exactly one."""
    known: dict[tuple[str, float], set[tuple[object, object]]] = {}
    for row in rows:
        if row[C.metric] != "other":
            key = ("".join(str(row[C.surface]).split()), float(row[C.value]))  # type: ignore[arg-type]
            known.setdefault(key, set()).add((row[C.metric], row[C.unit]))
    for row in rows:
        surface = "".join(str(row[C.surface]).split())
        if row[C.metric] == "other" and row[C.unit] == "count" and _BARE_SURFACE.fullmatch(surface):
            kinds = known.get((surface, float(row[C.value])), set())  # type: ignore[arg-type]
            if len(kinds) == 1:
                row[C.metric], row[C.unit] = next(iter(kinds))


def _bare_other(row: dict[str, object]) -> bool:
    """True for a bare number (10亿, 3.4亿) that nothing in its sentence gave a kind: an "other" count."""
    surface = "".join(str(row[C.surface]).split())
    return row[C.metric] == "other" and row[C.unit] == "count" and bool(_BARE_SURFACE.fullmatch(surface))


_TITLE_AFTER = re.compile(r"\s*(?:的)?\s*[《#]")
_PLAYS_AT_LEAST = 1e6


def _titled_plays(match_text: str, rows: list[dict[str, object]]) -> None:
    """A bare count of millions right before a drama's title (3.4亿的《某剧》) is that drama's plays in a
    text that counts plays elsewhere: the ranking lists of play counts write it so."""
    if not any(row[C.metric] == "plays" for row in rows):
        return
    for row in rows:
        if not _bare_other(row):
            continue
        if float(row[C.value]) >= _PLAYS_AT_LEAST and _TITLE_AFTER.match(  # type: ignore[arg-type]
            match_text, int(row[C.end])  # type: ignore[call-overload]
        ):
            row[C.metric], row[C.unit] = "plays", "play"


_DATES_OR_FORECASTS = re.compile(r"^[^，,。；;]{0,6}?(?:\d{4}\s*年|预计|预测|有望|将)")


_IN_BETWEEN = frozenset({"minute", "hour", "day", "week", "month", "year", "percent"})
_RECENT_UNITS = frozenset({"year", "month", "week", "day"})
_RECENT = re.compile(r"(?<![将接])近\s*$")


def _near(value: float, other: float) -> bool:
    """True when two figures are within a factor of ten: a continued series, not a per-head amount."""
    return other > 0 and 0.1 <= value / other <= 10


def _elided_measure(match_text: str, rows: list[dict[str, object]]) -> None:
    """A bare figure in a sentence that names no measure at all takes the money measure of the figure
    just before it in its paragraph: 市场规模达505亿元。报告预测，2025年将达634.3亿 is market size too."""
    for k in range(1, len(rows)):
        row = rows[k]
        # The figure before, past any length of time or rate between (505亿元，四年暴涨136倍。…634亿).
        j = next((j for j in range(k - 1, -1, -1) if rows[j][C.unit] not in _IN_BETWEEN), None)
        if j is None:
            continue
        prev = rows[j]
        if prev[C.unit] not in _MONEY_UNITS or prev[C.metric] not in _FLOWS:
            continue
        start = int(row[C.start])  # type: ignore[call-overload]
        lead = match_text[int(row[_SENT_START]) : start]  # type: ignore[call-overload]
        # 市场规模达505亿元。2025年预计将突破634亿元: a money figure in the same currency whose sentence
        # only dates or forecasts it continues the figure before, as a bare one does.
        continued = (row[C.metric] == "other" and row[C.unit] == prev[C.unit]
                     and _DATES_OR_FORECASTS.search(lead) is not None
                     and _near(float(row[C.value]), float(prev[C.value])))  # type: ignore[arg-type]
        if not (_bare_other(row) or continued):
            continue
        if "\n" in match_text[int(prev[C.end]) : start]:  # type: ignore[call-overload]
            continue
        if any(w in lead for w in _metric_words()) or any(w in lead for w in lexicon().counted_other):
            continue
        row[C.metric], row[C.unit] = prev[C.metric], prev[C.unit]
        row[C.region], row[C.part] = _scope(str(row[C.metric]), match_text, int(row[_SENT_START]), start)  # type: ignore[call-overload]


# Between two figures of a list whose later items name only whom they are about: ，书旗约 / 、腾讯动漫近
_ELLIPSIS_BETWEEN = re.compile(r"\s*[，,、；;]\s*[^\d，,。；;：:\s]{1,8}?\s*(?:约|近|超|达|为|有|则)?\s*")
_UNIT_TAIL = re.compile(r"^[-+]?[\d.,\s]+")


def _list_ellipsis(match_text: str, rows: list[dict[str, object]]) -> None:
    """红果日均下载约89万次，书旗约20万次，腾讯动漫约11万次: a figure whose clause names only whom it is
    about takes the metric and unit of the figure before it, when both end in the same unit word."""
    words = _metric_words()
    for prev, row in itertools.pairwise(rows):
        if row[C.metric] != "other" or row[C.unit] != "count" or prev[C.metric] == "other":
            continue
        if row[_SENT_START] != prev[_SENT_START]:
            continue
        between = match_text[int(prev[C.end]) : int(row[C.start])]  # type: ignore[call-overload]
        if not _ELLIPSIS_BETWEEN.fullmatch(between) or any(w in between for w in words):
            continue
        tail = _UNIT_TAIL.sub("", str(prev[C.surface]))
        if tail and tail == _UNIT_TAIL.sub("", str(row[C.surface])):
            row[C.metric], row[C.unit] = prev[C.metric], prev[C.unit]


def _respective(match_text: str, rows: list[dict[str, object]], att: Attribution) -> None:
    """腾讯视频、爱奇艺、芒果TV月活分别为3.65亿、3.58亿、2.84亿: the figures after 分别 belong to the entities
    listed before it, in order, when there are as many of each."""
    by_sentence: dict[int, list[dict[str, object]]] = {}
    for row in rows:
        by_sentence.setdefault(int(row[_SENT_START]), []).append(row)  # type: ignore[call-overload]
    for sent_start, members in by_sentence.items():
        split = match_text.find("分别", sent_start, int(members[-1][C.start]))  # type: ignore[call-overload]
        if split < 0:
            continue
        rest = [r for r in members if int(r[C.start]) > split]  # type: ignore[call-overload]
        names = entities_between(att, sent_start, split)
        if len(names) < 2:
            continue
        # 分别增长了31%和29%，达到1.3亿美元和1.2亿美元: each later list of as many figures is theirs too,
        # until one is not or another entity is named
        while rest:
            listed = _listed_run(match_text, rest)
            if len(listed) != len(names):
                break
            for row, name in zip(listed, names, strict=True):
                row[C.entity] = name
            rest = rest[len(listed) :]
            if rest and entities_between(att, int(listed[-1][C.end]), int(rest[0][C.start])):  # type: ignore[call-overload]
                break


def _listed_run(match_text: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The figures right after 分别 that form one list (56部、84部、33部和17部), without a later figure of
    the sentence (…和17部，仅芒果TV同比增加5部)."""
    run = rows[:1]
    for row in rows[1:]:
        gap = match_text[int(run[-1][C.end]) : int(row[C.start])]  # type: ignore[call-overload]
        if not _LIST_GAP.fullmatch(gap):
            break
        run.append(row)
    return run


_LIST_GAP = re.compile(r"\s*(?:[、，,／/]|和|及|与|以及)?\s*")

HEADING_MAX = 64  # a line this short with no 。 or ； is a title or heading


def _date_headings(match_text: str, rows: list[dict[str, object]]) -> None:
    """Give a yearless figure in a title or heading the year the body states for the same figure.

    A headline repeats the body's figure without its date (我国微短剧用户规模达5.76亿人 over 截至2024年6月，
    …达5.76亿人): when the body gives the same value, unit and metric exactly one period, the heading
    takes it.
    """
    dated: dict[tuple[object, ...], set[tuple[object, object, object]]] = {}
    for row in rows:
        if row[C.year] is not None:
            key = (row[C.value], row[C.value_high], row[C.unit], row[C.metric])
            dated.setdefault(key, set()).add((row[C.year], row[C.period], row[C.period_kind]))
    if not dated:
        return
    for row in rows:
        if row[C.year] is not None:
            continue
        periods = dated.get((row[C.value], row[C.value_high], row[C.unit], row[C.metric]))
        if not periods or len(periods) != 1:
            continue
        start = int(row[C.start])  # type: ignore[call-overload]
        lo = match_text.rfind("\n", 0, start) + 1
        hi = match_text.find("\n", start)
        line = match_text[lo : hi if hi >= 0 else len(match_text)].strip()
        if len(line) <= HEADING_MAX and not any(ch in line for ch in "。；;"):
            row[C.year], row[C.period], row[C.period_kind] = next(iter(periods))


def _mask(match_text: str) -> str:
    """Blank out spans that never hold claims, keeping the length (URLs, dates, phones, ids, 《titles》)."""
    return _MASK.sub(_blank, match_text)


def _blank(m: re.Match[str]) -> str:
    """A masked span: all ``#``, but a footnote reference keeps its brackets ([##]), which end a sentence."""
    span = m.group()
    if span[0] in "[［" and span[-1] in "]］":
        return span[0] + "#" * (len(span) - 2) + span[-1]
    return "#" * len(span)


_SMALL_NUMBER = r"[0-9]{1,3}|[一二两三四五六七八九十]{1,3}"
# Shares said in words: 三分之一的观众 (33.3%), 超一半, 过半, 每五人中就有一人 (20%).
_SHARE_WORDS = re.compile(
    rf"(?P<den>{_SMALL_NUMBER})分之(?P<num>{_SMALL_NUMBER})"
    r"|(?P<half>一半|半数|过半)"
    rf"|每(?P<of>{_SMALL_NUMBER})(?:个|名|位)?(?:[\u4e00-\u9fff]{{0,3}}?(?:人|网民|用户|观众|读者))?(?:中|里|当中)"
    rf"[，,]?\s*(?:就)?(?:有)?(?:近|约|超过|超)?(?P<part>{_SMALL_NUMBER})(?:个|名|位|人)?"
)


def _small(word: str) -> float | None:
    """A small number in digits or words: "3" -> 3, "十二" -> 12."""
    number = parse_number(word)
    return number.value if number is not None else None


_HALF_OF = re.compile(r"(?<!中)的$|到$")  # 用户的一半: half of another amount; 划到一半: halfway


def _share_words(match_text: str) -> list[_Candidate]:
    """Shares written in words, as percent figures."""
    out = []
    for m in _SHARE_WORDS.finditer(match_text):
        if m.group("half"):
            if _HALF_OF.search(match_text, max(0, m.start() - 2), m.start()):
                continue  # 接近短视频月活用户的一半: half of another amount (用户中的一半 is a share)
            value: float | None = 50.0
        else:
            whole, part = m.group("den") or m.group("of"), m.group("num") or m.group("part")
            a, b = _small(whole), _small(part)
            value = round(100 * b / a, 1) if a and b is not None and b <= a else None
        if value is not None:
            out.append(_Candidate(m.start(), m.end(), m.end(), value, None, True, None))
    return out


def _candidates(match_text: str) -> list[_Candidate]:
    """Scan once for number-plus-unit spans, parsing each number; unparseable ones are dropped."""
    out: list[_Candidate] = []
    scanner = _scanner()
    not_after = _not_after()
    done = 0
    shares = _share_words(match_text) if any(w in match_text for w in ("分之", "半", "每")) else []
    share_at = {c.start: c for c in shares}
    for run in _NUMERAL_RUN.finditer(match_text):
        pos = run.start()
        if match_text[pos] in "数几" and match_text[pos + 1 : pos + 2].isdigit():
            pos += 1  # 用户数4亿: the 数 of 用户数, then a figure in digits (数百万 is vague, 数4亿 is not)
        if pos < done:
            continue  # inside the previous figure, e.g. the 35 of 18到35
        inside = next((c for c in shares if c.start <= pos < c.end), None)
        if inside is not None:
            if inside.start in share_at:
                out.append(share_at.pop(inside.start))
            done = inside.end
            continue
        follows = match_text[run.end() : run.end() + 1]
        if run.end() - pos == 1 and (span := _vague_span(match_text, pos)):
            out.append(span)  # 数月, 几周, 幾個月: an unknown few of a unit of time, at least one
            done = span.end
            continue
        years_long = follows == "年" and (_years_lead(match_text, pos) or _years_after(match_text, run))
        if not (
            years_long
            or _AT_SCALE.search(run.group())
            or _SMALL_OK.match(match_text, run.end())
            or (_WORD_RANGE.fullmatch(run.group()) and _COUNT_AFTER.match(match_text, run.end()))
            or follows == "成"
            or match_text.startswith("百分之", pos)
            or _TO_CHENG.match(match_text, run.end())
        ):
            continue
        if vague := _vague(match_text, pos):
            out.append(vague)
            done = vague.end
            continue
        if lone := _lone_scale(match_text, pos, run.end()):
            out.append(lone)
            done = lone.end
            continue
        m = scanner.match(match_text, pos)
        if m is None and years_long:
            m = _bare_number().match(match_text, pos)  # 不到两年: small numbers in words pass here only
        if m is None:
            continue
        done = m.end("num")
        unit_word = m.group("unit")
        if years_long and unit_word is None and match_text.startswith("年", m.end("num")):
            unit_word, end = "年", m.end("num") + 1  # 连续6年: a span of years, not the year 6
        elif unit_word is None and _date_or_ordinal(m.group("num"), match_text, m.end(), not_after):
            continue  # 2024年, 6月: dates are most candidates, so drop them before parsing
        else:
            end = m.end()
        number = parse_number(m.group("num"))
        if number is None and (connector := _CONNECTOR.search(m.group("num"), 1)):
            # 增长34.9%至504.4亿元: no range, so take the first figure and scan on from the connector.
            done = pos + connector.start()
            m = scanner.match(match_text, pos, done)
            number = parse_number(m.group("num")) if m else None
        if number is None or m is None or not math.isfinite(number.value):
            continue
        if unit_word == "年" and number.value >= 100:
            continue  # 连续2024年 is no duration
        if end < m.end() or unit_word != "年":
            end, unit_word = m.end(), m.group("unit")
        high = number.value_high
        if high is not None and (not math.isfinite(high) or math.isnan(high)):
            high = None
        out.append(
            _Candidate(
                start=m.start("num"),
                end=end,
                num_end=m.end("num"),
                value=number.value,
                value_high=high,
                is_percent=number.is_percent,
                unit_word=unit_word,
            )
        )
    if share_at:  # 一半, 过半 hold no numeral run
        out = sorted([*out, *share_at.values()], key=lambda c: c.start)
    return out


def _years_lead(match_text: str, pos: int) -> bool:
    """True when the words before ``pos`` make a following N年 a span of years: 连续6年, 不到两年."""
    pattern, longest = _years_lead_re()
    return pattern.search(match_text, max(0, pos - longest), pos) is not None


def _years_after(match_text: str, run: re.Match[str]) -> bool:
    """True when the words after N年 make it a span of years (3年完成, 四年暴涨136倍, 一年多), for one digit
    or a number in words (24年增长 is the year 2024)."""
    number = run.group()
    if len(number) > 1 and number.isascii():
        return False
    return match_text.startswith(lexicon().years_after, run.end() + 1)


@lru_cache(maxsize=1)
def _years_lead_re() -> tuple[re.Pattern[str], int]:
    """The lead words as one regex anchored at the end of the searched window, and the longest's length."""
    words = lexicon().years_lead
    return re.compile(f"(?:{_alternation(words)})$"), max(map(len, words))


def _date_or_ordinal(num_surface: str, match_text: str, end: int, not_after: re.Pattern[str]) -> bool:
    """True when the words right after a unitless number make it a date or ordinal (2024年, 6月, 4大);
    after a multiplier they are the figure's own (2000万大关, 2亿月活用户, 5000万日活)."""
    if not not_after.match(match_text, end):
        return False
    return not (_MULTIPLIER_END.search(num_surface) and _FIGURE_WORD_AFTER.match(match_text, end))


_FIGURE_WORD_AFTER = re.compile(r"大|[日周月]活")


_CONNECTOR = re.compile(r"[至到~\-—–]")
_RANGE_JOIN = re.compile(r"\s*(?:到|至|~|-|—|–)\s*")


_VAGUE = re.compile(r"[数几]([十百千万亿]+)")
_SCALE_CHARS = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}


# 几年 and 数年 are left out: the dev set's labellers read them as a manner of speaking (普通人几年的工资).
_VAGUE_SPAN = re.compile(r"[数几](个)?(月|周|星期|天|日|秒|分钟|小时)")
# Before 几天/数月, words that make it no length: 这几天, 前几个月, 每几天 speak of a time, not a span.
_NOT_A_SPAN_BEFORE = re.compile(r"[这那该此前头后最第每好]$")
_MEASURED_AGAINST = re.compile(r"(?:抵得上|抵得过|顶得上|比得上|相当于|等于)[^，,。；;]{0,6}$")
_SPAN_UNIT = {"月": "个月", "日": "天", "星期": "个星期"}


def _vague_span(match_text: str, pos: int) -> _Candidate | None:
    """数月, 几周, 几个小时: a length of time counted only as a few, a lower bound of one unit."""
    m = _VAGUE_SPAN.match(match_text, pos)
    if m is None or match_text[pos + 1 : pos + 2] in "十百千万亿":
        return None
    if _NOT_A_SPAN_BEFORE.search(match_text, max(0, pos - 1), pos):
        return None  # 这几天, 前几个月: a time, not a length (近几个月 is one)
    if match_text.startswith("的", m.end()) or _MEASURED_AGAINST.search(match_text, max(0, pos - 10), pos):
        return None  # 抵得上普通人几个月(的工资): a measure of comparison, not a length anyone quotes
    if m.group(2) == "月" and not m.group(1) and match_text[m.end() : m.end() + 1].isdigit():
        return None
    return _Candidate(pos, m.end(), pos + 1, 1.0, None, False, _SPAN_UNIT.get(m.group(2), m.group(2)))


_MANNER_UNITS = frozenset({"秒", "秒钟"})
_BOUND_SUFFIXES = ("以上", "以下", "多", "余")
# A ratio restated per round sum of money: 每收入100元，就有87元被用于销售推广 (the sum after 每, and the
# part of it after 就有).
_PER_BASIS = re.compile(r"每(?![月天日年周集部人个位次季小时分秒单])[\u4e00-\u9fff]{1,3}$")  # not 每月
_PER_PART = re.compile(
    r"每(?![月天日年周集部人个位次季小时分秒单])[\u4e00-\u9fff]{1,3}(?:1|10|100|1000|一百|一千)(?:元|块)"
    r"[^。；;]{0,6}?[，,]\s*(?:就|便)(?:有|要|会)$"
)
_ROUND = frozenset({1.0, 10.0, 100.0, 1000.0})
_PER_MONEY = frozenset({"元", "块", "块钱", "美元"})


def _per_basis(cand: _Candidate, before: str) -> bool:
    """True for a round sum right after 每 (每收入100元) and for the part said of it (，就有87元)."""
    if cand.unit_word not in _PER_MONEY:
        return False
    if cand.value in _ROUND and _PER_BASIS.search(before.rstrip()):
        return True
    return bool(_PER_PART.search(before.rstrip()))


def _vague(match_text: str, pos: int) -> _Candidate | None:
    """数千万元, 几十亿: at least the scale word's value (千万 -> 10,000,000), a lower bound."""
    m = _VAGUE.match(match_text, pos)
    if m is None:
        return None
    value = math.prod(_SCALE_CHARS[ch] for ch in m.group(1))
    unit = _unit_after().match(match_text, m.end())
    if unit is not None and unit.group(1) in _MANNER_UNITS:
        return None  # 单集时长从几十秒到15分钟: a few dozen seconds is a manner of speaking, no figure
    return _Candidate(
        start=pos,
        end=unit.end() if unit else m.end(),
        num_end=m.end(),
        value=value,
        value_high=None,
        is_percent=False,
        unit_word=unit.group(1) if unit else None,
    )


# A lone scale word before a currency is an order of magnitude quoted as a figure (千元, 上万元), never the
# 万元户 of old slogans.
_LONE_SCALE_UNIT = re.compile(r"(元|美元|港元|日元|欧元)(?!户)")


def _lone_scale(match_text: str, pos: int, end: int) -> _Candidate | None:
    """千元, 万元以上: a single 百/千/万/亿 right before a currency, which the number pattern leaves alone."""
    if end - pos != 1 or match_text[pos] not in "百千万亿":
        return None
    unit = _LONE_SCALE_UNIT.match(match_text, end)
    if unit is None:
        return None
    value = _SCALE_CHARS[match_text[pos]]
    return _Candidate(pos, unit.end(), end, value, None, False, unit.group(1))


@lru_cache(maxsize=1)
def _unit_after() -> re.Pattern[str]:
    """A unit word right after a figure."""
    return re.compile(rf"\s?({_alternation(lexicon().units)})")


def _join_ranges(match_text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Merge figures that state a range with the unit written twice: 10万元到100万元 is one claim."""
    out: list[_Candidate] = []
    for cand in candidates:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.unit_word
            and prev.unit_word == cand.unit_word
            and prev.value_high is None
            and cand.value_high is None
            and not (prev.is_percent ^ cand.is_percent)
            and cand.value > prev.value
            and _RANGE_JOIN.fullmatch(match_text, prev.end, cand.start)
        ):
            prev.end, prev.value_high = cand.end, cand.value
            continue
        if (
            prev is not None
            and prev.unit_word is None
            and cand.unit_word is None
            and prev.value_high is None
            and cand.value > prev.value
            and (join := _SIGN_RANGE_JOIN.fullmatch(match_text, prev.end, cand.start))
            and match_text[max(0, prev.start - 4) : prev.start].rstrip().endswith(join.group("sign"))
        ):
            prev.end, prev.value_high = cand.end, cand.value  # $0.35-$0.65: the sign written twice
            continue
        out.append(cand)
    return out


_SIGN_RANGE_JOIN = re.compile(r"\s*(?:到|至|~|-|—|–)\s*(?P<sign>US\$|HK\$|NT\$|\$|¥|￥|€|£)\s*")


_LIST_SEPARATOR = re.compile(r"\s*[、和与及或]\s*")
_MULTIPLIER_END = re.compile(r"(?:万亿|千万|百万|亿|万|千)$")
_HAS_MULTIPLIER = re.compile(r"[万亿千百]")


def _share_units(match_text: str, candidates: list[_Candidate]) -> None:
    """Give a unitless figure the unit, multiplier and % of the next one in a list: 分别为3.2、2.8亿元."""
    for this, nxt in zip(reversed(candidates[:-1]), reversed(candidates[1:]), strict=True):
        if this.unit_word is not None or not _LIST_SEPARATOR.fullmatch(match_text, this.end, nxt.start):
            continue
        if nxt.is_percent and not this.is_percent:
            this.is_percent = True  # 占比分别为30、40%
        this_num = match_text[this.start : this.num_end]
        if (scale := _MULTIPLIER_END.search(match_text[nxt.start : nxt.num_end])) and not (
            _HAS_MULTIPLIER.search(this_num)
        ):
            multiplier = _SCALES[scale.group()]
            this.value *= multiplier
            this.value_high = this.value_high * multiplier if this.value_high is not None else None
        this.unit_word = nxt.unit_word


_SCALES = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "亿": 1e8, "万": 1e4, "千": 1e3}


@dataclass(frozen=True)
class _Years:
    """Every year statement of a text: where it starts and ends, its year, and whether it is a baseline."""

    starts: list[int]
    ends: list[int]
    values: list[int | None]  # None: a relative year (今年) in a text with no publication date
    compared: list[bool]
    text_year: int | None = None  # an undated text's own year (_text_year), for its yearless quarters
    forecasting: list[bool] = field(default_factory=list)  # per statement: its sentence forecasts it


def _year_positions(match_text: str, published: str | None = None, titled: str | None = None) -> _Years:
    """The year statements (2024年, 2022-2024年, 今年) of a text, for finding each figure's year; ``titled``
    is the text before masking, whose 《report titles》 anchor an undated text's 今年."""
    def compared(m: re.Match[str]) -> bool:
        # 较2024年, and 较 2024 年 in text with spaces around its numbers; 去年同期, 2024年同期
        head = match_text[max(0, m.start() - 4) : m.start()].rstrip(" \u3000")
        if head.endswith(_FROM_BEFORE) and _FROM_AFTER.match(match_text, m.end()):
            return True
        return head.endswith(_COMPARED) or bool(_SAME_PERIOD.match(match_text, m.end()))

    stated = [m for m in _YEAR.finditer(match_text)
              if not (m.start() and match_text[m.start() - 1].isdigit())]  # 12024年 holds no year
    found: list[tuple[int, int, int | None, bool]] = [
        (m.start(), m.end(), _year_value(m), compared(m)) for m in stated
    ]
    for m in _SHORT_YEAR.finditer(match_text):  # 预计25年, 24年全年: a year written with two digits
        yy = "yy" if m.group("yy") else "yy2"
        found.append((m.start(yy), m.end(), 2000 + int(m.group(yy)), compared(m)))
    base = int(published[:4]) if published and published[:4].isdigit() else None
    # Only an undated text needs anchors for its 今年 (see _anchor_year).
    plain = [] if base is not None else sorted([
        *((m.start(), m.end(), _year_value(m), False) for m in stated if not compared(m)),
        *((m.start(1), m.end(), int(m.group(1)), True) for m in _TITLE_YEAR.finditer(titled or "")),
    ])
    relative = list(finditer_at(_RELATIVE_YEAR, _RELATIVE_YEAR_FIRST, match_text))
    anchors = [base if base is not None else _anchor_year(match_text, m.start(), plain) for m in relative]
    # A text has one "now": once one 今年 is anchored (发布了2022年半年报。今年上半年…), every 今年 and 去年
    # of the undated text counts from it, from the last anchor before it or else the first.
    now = next((a for a in anchors if a is not None), None)
    for m, anchor in zip(relative, anchors, strict=True):
        now = anchor if anchor is not None else now
        value = now + RELATIVE_YEARS[m.group()] if now is not None else None
        found.append((m.start(), m.end(), value, compared(m)))
    found.sort()
    known = [(f[1], f[2]) for f in found if f[2] is not None]
    ends = [k[0] for k in known]
    for m in finditer_at(_SAME_YEAR, _SAME_YEAR_FIRST, match_text):
        k = bisect.bisect_right(ends, m.start()) - 1
        if k >= 0:  # 当年9月 after 2024年: that same year
            found.append((m.start(), m.end(), known[k][1], False))
    found.sort()
    return _Years(
        starts=[f[0] for f in found],
        ends=[f[1] for f in found],
        values=[f[2] for f in found],
        compared=[f[3] for f in found],
        text_year=None if base is not None else _text_year(match_text, stated),
        forecasting=_forecasting(match_text, [f[0] for f in found], [f[3] for f in found]),
    )


def _forecasting(match_text: str, starts: list[int], compared: list[bool]) -> list[bool]:
    """Per year statement, whether its sentence forecasts: a forecast word before the sentence's last year
    statement that is no baseline (规模2024年达505亿元，预计2027年达856亿元 forecasts, its 2024年 too)."""
    sentence = sentence_starts(match_text, starts)
    last: dict[int, int] = {}
    for sent, start, base in zip(sentence, starts, compared, strict=True):
        if not base:
            last[sent] = start
    words = _forecast_words_re()
    forecasts = {sent: words.search(match_text, sent, start) is not None for sent, start in last.items()}
    return [forecasts.get(sent, False) for sent in sentence]


def _anchor_year(match_text: str, pos: int, plain: list[tuple[int, int, int, bool]]) -> int | None:
    """In an undated text, the year 今年 at ``pos`` stands for: that of a report named just before it in its
    paragraph (发布了2022年半年报。中报显示，今年上半年… is 2022; so is 《2022短剧报告》：今年…),
    else None."""
    k = bisect.bisect_right(plain, pos, key=lambda p: p[0]) - 1
    if k < 0:
        return None
    start, end, value, titled = plain[k]
    between = match_text[end:pos]
    if len(between) > _ANCHOR_REACH or "\n" in between:
        return None
    if _AHEAD.search(match_text[max(0, start - 4) : start]) or _AHEAD_AFTER.match(match_text, end):
        return None  # 预计到2027年…今年: a forecast's year is no anchor
    if not (titled or _REPORT_AFTER.match(match_text, end)):
        return None  # 2024年规模504亿元。今年…: an article of 2025 may speak of 2024, so no anchor
    return value


_ANCHOR_REACH = 40  # characters between an anchoring year and the 今年 it dates
# A report whose title opens with its year, written without 年 (《2025海外短剧行业报告(上半年)》): that year
# anchors a 今年 after it like 2025年半年报 does.
_TITLE_YEAR = re.compile(r"《\s*(20\d{2})(?!\d)[^》\n]{0,40}?(?:报告|白皮书|蓝皮书|年报|报)[^》\n]{0,12}》")
# A year that names a report's own period (2022年半年报, 2024年年报, 2025年一季报) anchors 今年 after it.
_REPORT_AFTER = re.compile(
    r"\s*(?:度|的)?\s*(?:半年报|年报|中报|[一三]季报|季报|财报|业绩|年度报告|半年度报告)"
)


def _text_year(match_text: str, stated: list[re.Match[str]]) -> int | None:
    """An undated text's own year: the latest of its year statements (``stated``) that no forecast word
    points at.

    It stands in for the publication year of a quarter or half named without a year (三季度, 上半年): an
    undated earnings report speaks of its own year's quarters.
    """
    latest = None
    for m in stated:
        if m.group(0)[-1] in "EF":
            continue  # 2026E is an estimate's year, not the text's own
        ahead = _AHEAD.search(match_text[max(0, m.start() - 4) : m.start()])
        if ahead or _AHEAD_AFTER.match(match_text, m.end()):
            continue
        value = _year_value(m)
        latest = value if latest is None or value > latest else latest
    return latest


# Words before or after a year that make it a target or a forecast's year (预计到2027年, 2030年前将).
_AHEAD = re.compile(r"到|(?<![截止])至|预计|预测|预期|将|有望|力争|目标|计划|规划|展望")
_AHEAD_AFTER = re.compile(r"\s*(?:前(?![0-9一二三四五六七八九十两]|半)|之前|将|有望|或将|预计|底前|末前)")


# A year written with two digits (25年), only where it cannot be a length of years: after a word that points
# at a time (预计, 截至, 到) or before a part of the year (上半年, 全年, 一季度, 3月, 底).
_SHORT_YEAR = re.compile(
    r"(?=2\d)"  # fails fast at every other position, before the look-behinds are tried
    r"(?:(?:(?<=预计|预测|预期|截至|截止)|(?<=[到至在于])|(?<=预计 |截至 ))"
    r"(?P<yy>2\d)\s*年(?![来间内前后代纪龄轻度])"
    r"|(?<![0-9.])(?P<yy2>2\d)\s*年(?=\s*(?:上半年|下半年|全年|前三季度|[一二三四]季度|第[一二三四]季度|Q[1-4]|H[12]"
    r"|\d{1,2}\s*月|底|末|初)))"
)
# Words for "that same year", naming the last year stated before them.
_SAME_YEAR = re.compile("(?<!相)当年(?!轻|龄|纪)|同年(?!龄|级)|该年(?!龄)")
# 以上年轻 and 以上年龄 hold 上年 but mean "above" + "young/age": 以 before it is never a year.
_RELATIVE_YEAR = re.compile("|".join(f"(?<!以){w}" if w == "上年" else w for w in RELATIVE_YEARS))
# The first characters of those words, for scanning (extract/scan.py).
_SAME_YEAR_FIRST = re.compile("[当同该]")
_RELATIVE_YEAR_FIRST = re.compile("[" + "".join(sorted({w[0] for w in RELATIVE_YEARS})) + "]")


def _year_value(m: re.Match[str]) -> int:
    """The year a year statement names; for a span (2022-2024年, 2022-24年) its last year."""
    first, last = m.group(1), m.group(2)
    if last is None:
        return int(first)
    return int(last) if len(last) == 4 else int(first[:2] + last)


def _describe(
    text: str,
    match_text: str,
    cand: _Candidate,
    spans: list[tuple[int, int]] | None,
    starts: list[int] | None,
    years: _Years,
    prev_end: int,
    att: Attribution,
    published: str | None,
) -> dict[str, object] | None:
    """Judge one candidate and describe it as a claims row, or None when it is not a claim."""
    lex = lexicon()
    num_surface = match_text[cand.start : cand.num_end]
    before = match_text[max(0, cand.start - _WINDOW) : cand.start]
    after = match_text[cand.end : cand.end + 8]
    if not _is_claim(num_surface, before, after, cand, match_text):
        return None
    if _per_basis(cand, before):
        return None  # 每收入100元，就有87元被用于推广: a ratio restated per hundred, neither a figure
    if spans is None or starts is None:
        sent_index = -1
        sent_start, sent_end = sentence_at(text, cand.start)
    else:
        sent_index = bisect.bisect_right(starts, cand.start) - 1
        sent_start, sent_end = spans[sent_index] if sent_index >= 0 else (0, len(text))
    if cand.start >= sent_end:
        sent_start, sent_end = cand.start, cand.end
    clause_before = _clause_before(before)
    clause_after = _clause_after(match_text[cand.end : min(sent_end, cand.end + _WINDOW)])
    unit = _unit(cand, clause_before, clause_after)
    market_class = bool(
        cand.unit_word is None
        and _BARE_MULTIPLIER.match(num_surface)
        and _MARKET_CLASS.match(match_text, cand.end)
    )
    if market_class:
        unit = "CNY"  # 千亿赛道, 百亿规模: a market's size class, in yuan
    # All of the sentence before the figure: cutting at the clause window could split a keyword (市场规|模).
    sentence_before = match_text[sent_start : cand.start]
    # 40多款短剧应用 counts apps: a noun after a thing classifier is what is counted, not what is measured.
    # 92%、105%的复合增长: the noun after a list of figures says what each of them is.
    after_noun = "" if cand.unit_word in _THING_CLASSIFIERS else _LIST_REST.sub("", clause_after, count=1)
    after_noun = _drama_head(after_noun)
    metric, keyword = _metric(unit, _COMPARED_WITH.sub(_blank, clause_before), clause_after,
                              _COMPARED_WITH.sub(_blank, sentence_before), after_noun)
    if metric == "box_office" and _DRAMA_TAKINGS.search(match_text, sent_start, sent_end) and not (
        _FILM.search(match_text, sent_start, sent_end)
    ):
        metric = "revenue"  # 《某剧》创下3500万美元票房: a drama's takings, not a film's box office
    if (
        unit in _MONEY_UNITS
        and (metric == "revenue" or (metric == "other" and keyword not in lex.pay))
        and _DAY_RATE.search(clause_before)
        and _WORKER.search(sentence_before)
    ):
        metric = "cost"  # 群演一天只有200元的收入, 拍戏一天能赚800: a day rate of making a drama, like 日薪
    if (
        unit == "percent"
        and (metric == "other" or (metric == "growth" and keyword not in clause_before))
        and _share_of(clause_after, metric == "other")
    ):
        metric = "share"  # 超九成从业者看涨, 1%的演员拿走70%的收入: a part of a whole, whatever verb follows
    if (
        unit == "percent"
        and metric in _MONEY
        and keyword
        and not keyword.endswith("率")
        and keyword not in clause_before
        and re.match(r"\s*的\s*" + re.escape(keyword) + "(?![率额])", clause_after)
    ):
        metric = "share"  # 拿走了70%的利润: a part of the profit, while 30%的毛利率 is a margin
    if market_class:
        metric = "market_size"
    if cand.unit_word in _AREA_UNITS:
        metric = "other"  # 1.7万平方米的建筑: an area, never people or money, whatever the sentence speaks of
    if cand.unit_word in lex.incidents:
        metric = "other"  # 投诉超过200起: complaints or cases, never jobs or users, whatever else is named
    if unit in _MONEY_UNITS and (spent := _spent_on().match(clause_after)) is not None:
        metric = lex.spent_on[spent.group("word")]  # 需投入2000万美元用于买量: what it is for says what it is
    if metric == "plays" and "话题" in clause_before:
        metric = "other"  # 话题“#shortmovie”浏览量达172亿次: a hashtag's views, not a drama's plays
    if cand.unit_word == "家" and _place_after().match(clause_after):
        metric, unit = "other", "count"  # 15家专业拍摄基地: places, not companies
    if unit == "percent" and metric == "other" and _SHARE_OF_TOTAL.search(clause_before):
        metric = "share"  # 占全国总量的22%: a part of the total, whatever 总量 says alone
    if _gap(clause_before):  # 与优酷的差距只剩不到3000万: the gap between two figures is neither's users
        unit = _unit_from_metric(metric, unit) if unit in {"count", None} else unit  # still in people
        metric = "other"
    if _how_often(cand, clause_before):
        metric, unit = "other", "count"  # 每周观看短剧3次: how often, not how many people or works
    if cand.unit_word in _KINDS:
        metric, unit = "other", "count"  # 10种语言, 16种人格: kinds of things, never people, money or works
    if cand.unit_word in _THING_CLASSIFIERS and (metric in _MONEY or metric == "works"):
        metric = "other"  # 244款 counts apps and 3条 items: never money or works, whatever the sentence says
    if unit == "episode" and metric == "works" and not _episodes_in_aggregate(cand.value, clause_before):
        metric = "other"  # 一部80集的短剧, 每部60到100集: one drama's length, not a count of works
    if metric == "works" and clause_before.rstrip().rstrip("”’」』\"'）)").endswith(lex.counted_other):
        metric, unit = "other", "count"  # 下架小程序2420个: mini-programs, not works
    if unit in {"count", None}:
        unit = "CNY" if keyword in lex.pay else _unit_from_metric(metric, unit)  # 月入十万 is in yuan
    if unit in {"job", "person"} and _PER_UNIT.search(clause_before):
        metric = "other"  # 每个岗位带动1.95个就业机会: a ratio per unit, not a head count
    if unit is None:
        return None
    if (
        unit == "count"
        and metric == "other"
        and cand.unit_word in {None, "个", "种"}
        and not _HAS_DIGIT.search(num_surface)
        and cand.value >= 1000
        and not after.lstrip().startswith(lex.measured_after)
        and not after.lstrip().startswith(_BOUND_SUFFIXES)  # 粉丝要达到一万以上 is a figure
        and not num_surface.rstrip().endswith(("多", "余"))  # 十万多注册群演 too
    ):
        return None  # 千万 with no unit and no metric is an idiom more often than a figure (千万粉丝 is one)
    if unit == "person" and metric == "users" and not keyword and cand.value < _AUDIENCE:
        metric = "other"  # 6到8人 is a crew, 13万名群演 a town's extras: only a users word makes them users
    qualifier = _qualifier(num_surface, clause_before, after, cand)
    if qualifier == "approximate" and unit in _RECENT_UNITS and _RECENT.search(clause_before):
        qualifier = "exact"  # 近五年, 近3个月: the recent five years, not nearly five (将近五年 is)
    if qualifier == "exact" and (cand.unit_word == "级" or match_text.startswith("级", cand.end)):
        qualifier = "lower_bound"  # 千万级, 百万级的投入, 千元级: an order of magnitude, at least that much
    if (_FORECAST_LEAD.search(sentence_before) or (
        (_plan_governs(sentence_before) or _forecast_runs_on(sentence_before, clause_before))
        and not _DONE_CUE.search(clause_after)
    )) and not _BASELINE_OWN.search(clause_before):
        qualifier = "forecast"  # 白皮书预计，2025年全年约为4万部: the lead verb governs the whole sentence
    factor = lex.unit_factor.get(cand.unit_word or "", 1.0)
    if metric == "growth" and cand.value > 0 and any(w in keyword for w in lex.decline):
        factor = -factor  # 同比下降12.6% is a growth of -12.6%
    value = cand.value * factor
    high = cand.value_high * factor if cand.value_high is not None else math.nan
    if high < value:  # a negated range: 下降10%到20% runs from -20 to -10
        value, high = high, value
    end = _claim_end(match_text, cand)
    if unit in _SPANS or _since_start(match_text, cand.start, sent_start, years):
        # 连续6年, 3个月时间: a length of time has no date; 成立于2024年9月，短短一年已吸引数十家: a start
        # dates the start, not what has come since
        year, period, period_kind = None, None, None
    else:
        dated_from = _earlier_cue(match_text, cand.start, sent_start, years)
        year = _year(match_text, cand.start, dated_from, sent_end, years, published, metric == "growth")
        if year is not None and published and published[:4].isdigit() and year > int(published[:4]):
            qualifier = "forecast"  # a figure for a year after publication can only be a forecast
        if _ESTIMATE_YEAR.search(clause_before):
            qualifier = "forecast"  # 2025E达13.68万: a report's estimate for that year
        period, period_kind = period_for(match_text, cand.start, dated_from, year, published)
        if year is None and period is not None and names_same_period(match_text[dated_from : cand.start]):
            year = int(period[:4])  # 2025年上半年营收3.8亿美元，而去年同期为1.2亿美元: 2024-H1's
        if period_kind == "year" and year is not None:
            period, period_kind = _carried_period(match_text, cand.start, sent_start, year, years) or (
                period, period_kind
            )
        if period_kind == "year" and year is not None and ("复合" in keyword or keyword == "CAGR"):
            period, period_kind = _growth_span(cand.start, sent_start, year, years) or (period, period_kind)
    if (metric in _FLOWS or metric == "growth") and period_kind == "as_of" and period is not None \
            and period.endswith("-12"):
        period, period_kind = period[:4], "year"  # 截至2024年底，市场规模达504亿元: the year's total
    subject = _subject(text, match_text, cand, clause_before, clause_after, sent_start, prev_end) or keyword
    # A figure about one work (《金猪玉叶》第一季播放量) is no platform's or company's own.
    entity = None if "《" in subject else entity_for(att, match_text, cand.start, sent_start)
    return {
        C.sent_id: sent_index if sent_index >= 0 else None,
        C.surface: text[cand.start : end],
        C.start: cand.start,
        C.end: end,
        C.value: value,
        C.value_high: high,
        C.unit: unit,
        C.metric: metric,
        C.qualifier: qualifier,
        C.year: year,
        C.period: period,
        C.period_kind: period_kind,
        C.entity: entity,
        **dict(zip((C.region, C.part), _scope(metric, match_text, sent_start, cand.start), strict=True)),
        C.cited_source: source_for(att, match_text, cand.start, sent_start, sent_end, own=entity),
        C.subject: subject,
        C.sentence: text[sent_start:sent_end],
        _SENT_START: sent_start,
    }


def _scope(metric: str, match_text: str, sent_start: int, pos: int) -> tuple[str | None, str | None]:
    """(region, part) for the metrics indicators compare (extract/indicators.py), else (None, None)."""
    if metric not in indicator_lexicon().include:
        return None, None
    return scope_in(match_text, sent_start, pos)


_SPAM_REACH = 6  # characters around a figure searched for spam words
_AUDIENCE = 1_000_000  # people counted with no word for users are an audience only from this many
# After 一天/一周, what makes it the basis of a rate: 一天的收入, 一天只有80元, 一天十五六个小时.
_RATE_AFTER = re.compile(
    r"的|(?:只有|就有|就能|能|可|只|仅|最多|至少)?\s*[0-9零一二两三四五六七八九十百千万]"
)
_VERSION = re.compile(r"\d\.\d")
_VERSION_CONTEXT = re.compile(
    r"[A-Za-z#] ?\d\.\d|\d\.\d[”\"」』]|[\u4e00-\u9fff]\d\.\d(?:时代|版)|[\u4e00-\u9fff] \d\.\d(?!\d)"
)
# Words before 一天/一周 that make it the basis of a rate: 平均一天收入100万美元.
_RATE_LEAD = re.compile(r"(?:平均|人均|日均|每)\s*$")
# Words before 一天/一年 that make it a length of time after all (仅用一天, 不到一年, 连续一周).
_ONE_SPAN_LEAD = re.compile(r"(?:仅用|只用|用了|仅仅|不到|不足|短短|连续|长达|历时|整整|足足|近|约|超过)\s*$")
_CLOCK = re.compile(r"(?:[01]?\d|2[0-4])\s?[时時](?![代期间長长段候刻节節尚])")
# After a two-digit decade: the rest of a list of cohorts and 后 (90、95后, 80後).
_COHORT = re.compile(r"(?:\s*[、,，和与及至到~-]\s*\d{2})*\s*[后後](?![期续台端面来])")
_SECTION_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*")
_LIST_MARKER = re.compile(r"[)）、]|\.?[ \t\u3000]+[\u4e00-\u9fffA-Za-z]|\.(?=[\u4e00-\u9fff])")


def _is_claim(num_surface: str, before: str, after: str, cand: _Candidate, match_text: str) -> bool:
    """False for dates, ordinals, idioms, small counts in words, bare years and ids."""
    lex = lexicon()
    if "#" in num_surface:
        return False
    prev_char = match_text[cand.start - 1] if cand.start else ""
    next_char = match_text[cand.end] if cand.end < len(match_text) else ""
    if prev_char.isascii() and (prev_char.isalnum() or prev_char in "_/\\.#") and prev_char:
        # bilibili5家: a Chinese unit after a Latin word is a figure; A1, iPhone15 and ids are not.
        glued = re.search(r"[A-Za-z]{4,}$", match_text[max(0, cand.start - 12) : cand.start])
        if not (glued and cand.unit_word and not cand.unit_word.isascii()):
            return False
    if cand.unit_word is None and re.fullmatch(r"\d0|\d5", num_surface.strip()) and _COHORT.match(
        match_text, cand.end
    ):
        return False  # 90后、80後和70后: birth cohorts, not figures
    if re.match(r"0\d", num_surface) or cand.value == 0:
        return False  # 01导读, 020, 评论(0): list markers and page furniture, never a figure
    if (
        cand.unit_word is None
        and cand.value_high is None
        and _SECTION_NUMBER.fullmatch(num_surface.strip())
        and _LIST_MARKER.match(match_text, cand.num_end)
    ):
        line_start = match_text.rfind("\n", 0, cand.start) + 1
        if match_text[cand.num_end] in ")）" or not match_text[line_start : cand.start].strip():
            return False  # 2) 商业化规模, 1.1 行业空间: a list item's or section's number
    if (
        cand.unit_word is None
        and not cand.is_percent
        and re.fullmatch(r"\d+", num_surface.strip())
        and _page_furniture(match_text, cand)
    ):
        return False
    if _counter_line(match_text, cand):
        return False
    if cand.unit_word is None and not cand.is_percent and _after_ratio(before, lex):
        return False  # 流动比率仅为0.83, ROI不足1.2: a ratio of two amounts, not a quantity
    if (
        cand.unit_word is None
        and not cand.is_percent
        and re.fullmatch(r"\d{1,2}", num_surface.strip())
        and "\u4e00" <= prev_char <= "\u9fff"
        and match_text[cand.num_end : cand.num_end + 1] in ("\n", "")
    ):
        return False  # 麻将胡了2 ending its line: a title's sequel number, not a figure
    if cand.unit_word in {"年间", "年来"} and re.fullmatch(r"(?:19|20)\d{2}", num_surface.strip()[-4:]):
        return False  # 2023-2024年间 is a span of years, not a duration
    if next_char.isascii() and next_char.isalpha() and cand.unit_word is None:
        return False
    if cand.unit_word is None and _CLOCK.match(match_text, cand.start):
        return False  # 6月1日24时, 清晨6时: a time of day (10亿时代 is a figure)
    model = re.search(r"[A-Za-z] $", before)
    if cand.unit_word is None and model and not _HAS_MULTIPLIER.search(num_surface):
        return False  # a model or version number: iPhone 15, Top 10
    if cand.unit_word is None and _date_or_ordinal(num_surface, match_text, cand.end, _not_after()):
        return False
    if _not_before().search(before):
        return False
    around = match_text[max(0, cand.start - 3) : cand.end + 3]
    if any(idiom in around for idiom in lex.idioms) and not _HAS_DIGIT.search(num_surface):
        return False
    if any(_inside_name(match_text, cand.start, cand.end, name) for name in lex.names):
        return False
    near = match_text[max(0, cand.start - _SPAM_REACH) : cand.end + _SPAM_REACH]
    if any(word in near for word in lex.spam):
        return False  # 金宝搏188, 99视频精品3: injected spam, not the article's figure
    if cand.unit_word is None and _VERSION.fullmatch(num_surface.strip()) and _VERSION_CONTEXT.search(
        match_text, max(0, cand.start - 2), min(len(match_text), cand.end + 1)
    ):
        return False  # Skywork-R1V 3.0, 精品化2.0”: a version, not a figure
    if (
        cand.unit_word in _DURATION_WORDS
        and cand.value == 1
        and not _HAS_DIGIT.search(num_surface)
        and not re.search("[多余半]", match_text[cand.start : cand.end + 1])
        and not _ONE_SPAN_LEAD.search(before)
        and (_RATE_AFTER.match(after) or _RATE_LEAD.search(before))
    ):
        return False  # 一天只有80元, 一周的收入: the basis of a rate, not a length of time (一周拍完 is)
    if cand.value_high is not None and cand.value_high < cand.value:
        return False
    if not _HAS_DIGIT.search(num_surface):
        # Numbers in words are claims only at scale (千万, 十余万, 三成), as durations (三个月) or as
        # approximate counts with a unit (二十多个剧组, 数十家企业, 十几个剧组, 八九个剧组); not 四大障碍,
        # 一次性, 多元一体, 三个方面.
        approximate = (
            bool(re.search("[多余几数]", num_surface))
            or after[:1] in {"多", "余"}
            or cand.value_high is not None
        )
        if not (
            cand.is_percent
            or cand.value >= 1000
            or re.search("[万亿千百]", num_surface)
            or cand.unit_word in _DURATION_WORDS
            or (approximate and cand.unit_word is not None)
            or (cand.unit_word in _WORKS_IN_WORDS and cand.value >= 2 and not _DEMONSTRATIVE.search(before))
        ):
            return False
        if (
            _BARE_MULTIPLIER.match(num_surface)
            and not _bound_or_unit(before, cand)
            and not _MARKET_CLASS.match(match_text, cand.end)
            and not after.lstrip().startswith(lex.measured_after)
        ):
            return False  # 百万雄师 is a figure of speech; 百万票房 and 千万流水 are figures
    elif (
        cand.unit_word is None
        and not cand.is_percent
        and re.fullmatch(r"(?:19|20)\d{2}", num_surface.strip())
    ):
        return False  # a bare year such as 2024 in 2024微短剧
    if cand.unit_word in _DURATION_WORDS:
        opens = any(before.rstrip(" ，,、").endswith(w) for w in lex.window_before)
        closes = any(after.startswith(w) for w in lex.window_after)
        if after.lstrip().startswith(lex.window_labels):
            return False  # 24小时热文: a list's label on the page
        if _frames_figure(match_text, cand.end, past_comma=opens) and (
            closes or _opening_window(cand)
        ):
            # 3天内充值破千万, 上线24小时充值破千万: a window that frames the figure after it. One in days
            # or longer is a figure of its own: 上线5天分账破百万 says how fast, and analysts quote it.
            return False
        if closes and after.startswith(("前", "后", "以后", "之后")):
            return False  # 三个月前: a point in time
    return True


_DURATION_WORDS = frozenset({
    "分钟", "秒", "小时", "个小时", "天", "个工作日", "周", "个星期", "个月",
    "年间", "年来", "年时间", "年之久", "个年头", "年",
})


def _after_ratio(before: str, lex: _Lexicon) -> bool:
    """True when a ratio word ends the words before a number, past filler and one bound word (ROI不足)."""
    tail = _peel_filler(before.rstrip())
    if (bound := _bound_at_end(tail, lex)) is not None:
        tail = _peel_filler(tail[: -len(bound[2])].rstrip())
    return tail.endswith(lex.ratios)


def _bound_at_end(tail: str, lex: _Lexicon) -> tuple[int, str, str] | None:
    """(length, kind, word) of the longest bound or approximation word ending ``tail`` (不超过 over 超过,
    whatever the kind), or None."""
    return max(((len(w), kind, w) for kind in ("lower_bound", "upper_bound", "approximate")
                for w in lex.qualifiers[kind] if tail.endswith(w)), default=None)


def _opening_window(cand: _Candidate) -> bool:
    """True for a window in hours (上线24小时, 开播12小时): the convention for an opening figure."""
    return cand.unit_word in {"小时", "个小时"}


_ORDINAL = re.compile(r"第[0-9一二三四五六七八九十]+")  # 连续6年保持第一: a rank is no figure to frame
_FIGURE_AHEAD = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿]")


def _frames_figure(match_text: str, end: int, *, past_comma: bool = False) -> bool:
    """True when another number follows in the same clause (上线24小时充值破千万), or, after a window
    word (短短10天，就有3部), in the same sentence."""
    rest = match_text[end : end + 24]
    stops = "。；;！？!?\n" if past_comma else _CLAUSE_END
    cut = min((i for i in (rest.find(ch) for ch in stops) if i >= 0), default=len(rest))
    return bool(_FIGURE_AHEAD.search(_ORDINAL.sub("", rest[:cut])))


# A unitless number that is a line's only word, or a counter after a label (阅读:0, 编辑 | 308), or a page
# counter written without one (浏览2 评论0).
_LABELLED = re.compile(
    r"(?:[\u4e00-\u9fff]{1,6}\s?[:|｜]|[|｜(（]|(?:^|\s)(?:浏览|评论|阅读|点赞|收藏|分享|转发))\s*$"
)


def _page_furniture(match_text: str, cand: _Candidate) -> bool:
    """True for page counters and markers: a number alone on its line or right after a label."""
    line_start = match_text.rfind("\n", 0, cand.start) + 1
    line_end = match_text.find("\n", cand.end)
    line_end = len(match_text) if line_end < 0 else line_end
    rest = match_text[line_start : cand.start] + match_text[cand.end : line_end]
    if not re.search(r"[\u4e00-\u9fff]", rest.replace("#", "")):
        return True
    return bool(_LABELLED.search(match_text[max(line_start, cand.start - 10) : cand.start]))


def _counter_line(match_text: str, cand: _Candidate) -> bool:
    """True for a page counter alone on its line, its label after it: 8749874次播放, 403705人已点赞."""
    line_start = match_text.rfind("\n", 0, cand.start) + 1
    if match_text[line_start : cand.start].strip():
        return False
    line_end = match_text.find("\n", cand.end)
    rest = match_text[cand.end : len(match_text) if line_end < 0 else line_end].strip()
    rest = rest.removeprefix("已")
    return bool(rest) and rest in lexicon().counters


def _inside_name(text: str, start: int, end: int, name: str) -> bool:
    """True when ``text[start:end]`` lies within an occurrence of ``name`` (36氪's 36 is no figure)."""
    at = text.find(name, max(0, start - len(name)), end + len(name))
    return at != -1 and at <= start and end <= at + len(name)


# After a bare 百亿/千亿, words that make it a market's size class (打造百亿规模产业, 千亿内容赛道, 千亿主流,
# 千亿生态, 百亿蓝海, 百亿量级市场; 千万量级 alone is no market).
_MARKET_CLASS = re.compile(
    r"(?:规模|量级的?(?:市场|规模|赛道)|级|[^，,。；;\s]{0,6}赛道|市场|产业|主流|生态|蓝海)"
)


def _bound_or_unit(before: str, cand: _Candidate) -> bool:
    """A bare 千万/百万 counts only after a bound word (破千万, 上亿), before a unit (千万元) or right after a
    word for what it measures (流水千万, 市场规模或达千亿)."""
    if cand.unit_word is not None:
        return True
    tail = _peel_filler(before.rstrip())
    if tail.endswith("上") or any(tail.endswith(w) for w in _strip_words()):
        return True
    for aim in _AIMS:  # 市场规模直指千亿, 规模逼近千亿: a verb of aiming between the measure and the figure
        tail = tail.removesuffix(aim)
    tail = tail.removesuffix("或").removesuffix("有望").removesuffix("可能")
    return any(tail.endswith(w) for w in _measure_words())


_AIMS = ("直指", "直逼", "剑指", "逼近", "冲击", "迈向", "迈入", "跻身", "站上", "冲刺")


@lru_cache(maxsize=1)
def _measure_words() -> tuple[str, ...]:
    """The metric words of money, people and plays, which a bare 千万 or 千亿 right after measures."""
    keep = ("market_size", "revenue", "profit", "investment", "ad_spend", "cost", "users", "plays")
    return tuple(w for m in keep for w in lexicon().metrics[m]) + lexicon().pay


def _clause_before(before: str) -> str:
    """The part of ``before`` after the last clause boundary."""
    cut = max(before.rfind(ch) for ch in _CLAUSE_END)
    return before[cut + 1 :]


def _clause_after(after: str) -> str:
    """The part of ``after`` before the first clause boundary."""
    cuts = [i for i in (after.find(ch) for ch in _CLAUSE_END) if i >= 0]
    return after[: min(cuts)] if cuts else after


_LEAD_UNITS = {"年": "year"}  # unit words that are units only after a lead word (连续6年)


def _unit(cand: _Candidate, clause_before: str, clause_after: str) -> str | None:
    """The unit code from the unit word, a currency sign before the figure, or the noun after it."""
    lex = lexicon()
    if cand.is_percent:
        return "percent"
    unit = (lex.units.get(cand.unit_word) or _LEAD_UNITS.get(cand.unit_word)) if cand.unit_word else None
    if unit in {None, "count", "CNY"}:
        stripped = _peel_filler(clause_before)
        for prefix in _currency_prefixes():
            code = lex.currency_prefix[prefix]
            # 新台币3000万元: a currency written before the figure says which 元 it is.
            if stripped.endswith(prefix) and (unit != "CNY" or cand.unit_word == "元"):
                return code
        if unit == "CNY":
            return unit
        clause_after = _drama_head(clause_after)
        for noun, code in _noun_units():
            if code == "work" and cand.unit_word == "款":
                continue  # 5款短剧App counts apps, not dramas
            if clause_after.lstrip("的").startswith(noun) and (cand.unit_word or code in {"job", "person"}):
                return code
    return unit


def _metric(
    unit: str | None, clause_before: str, clause_after: str, sentence_before: str, after_noun: str
) -> tuple[str, str]:
    """The metric and the keyword that says it: a noun right after the figure (``after_noun``), nearest in
    the clause, then after the figure, then earlier in the sentence (2027年有望突破1000亿元 after
    市场规模将达到680亿元); else the unit's default."""
    allowed = _ALLOWED.get(unit or "count", tuple(_DEFAULT))
    money = unit in _MONEY_UNITS
    noun = _noun_after(after_noun, allowed)
    if noun is not None and not (
        noun[0] not in ("growth", "share")
        and after_noun.lstrip().startswith("的")
        and _metric_word_at_end(clause_before)
    ):
        return noun  # 投资过亿的短剧: a metric word right before the figure beats a noun linked by 的
    for where, text, from_end in (
        ("before", clause_before, True),
        ("after", clause_after, False),
        ("sentence", sentence_before, True),
    ):
        best: tuple[int, int, str, str] | None = None
        for metric, words in lexicon().metrics.items():
            if metric not in allowed:
                continue
            for word in words:
                if money and word in _HEAD_COUNT_NOUNS:
                    continue  # 普通演员仅300元 after 演员日薪800元: people say whose money, not what it is
                pos = text.rfind(word) if from_end else text.find(word)
                if pos < 0 or (metric == "growth" and text.startswith(_TO_LEVEL, pos + len(word))):
                    continue  # 渗透率提升至52.4%: a change *to* a level says the level, not the change
                distance = len(text) - pos - len(word) if from_end else pos
                found = (distance, -len(word), metric, word)
                best = found if best is None or found < best else best
        if best is not None and (where != "sentence" or unit in _MONEY_UNITS or unit is None):
            return best[2], best[3]
    return _DEFAULT.get(unit or "count", "other"), ""


# A part of a whole named right after a percentage: people or things (九成从业者, 30%的用户), or any noun
# after 的 that is no change or margin (70%的收入, not 25%的复合增长率 or 20%的毛利率).
_SHARE_OF_PEOPLE = re.compile(
    r"\s*(?:的)?\s*(?:从业者|受访者|用户|观众|网民|人|企业|公司|玩家|作品|短剧|剧目|演员|编剧|平台)"
)
_SHARE_OF_NOUN = re.compile(r"\s*的\s*[\u4e00-\u9fff]")


def _share_of(clause_after: str, any_noun: bool) -> bool:
    """True when the words after a percentage name the whole it is a part of: people or things (九成从业者),
    or, with ``any_noun`` (no metric word said otherwise), any noun after 的 (70%的收入)."""
    if _SHARE_OF_PEOPLE.match(clause_after):
        return True
    if not any_noun or not _SHARE_OF_NOUN.match(clause_after):
        return False
    noun = clause_after.lstrip()[1:].lstrip()
    changes = _growth_words() + tuple(lexicon().metrics["profit"]) + ("增", "涨", "降", "年")
    return not noun.startswith(changes)


# A rate per day or hour, and the people paid it on a shoot: with both, an income is a day rate (cost).
_DAY_RATE = re.compile(r"一天|每天|每日|一日|日结|每小时|一小时|每个小时|时薪")
_WORKER = re.compile(r"演员|群演|新手|编剧|导演|场工|替身|龙套|特约|素人|拍戏|剧组")
# People counted in a head count (剧组6到8人, 演员3000人); before money they only say whose money it is.
_HEAD_COUNT_NOUNS = frozenset({"剧组", "演员", "团队", "工作人员", "员工", "编剧"})
# Episodes past this many are a tally of works, never one drama's length (a drama runs to about 200 at most).
_ONE_DRAMA_MOST = 1000
# A count of dramas in digits right before a count of episodes (共249部9338集, 3309部约22.7万集): a tally of
# works (一部80集 is one drama).
_WORKS_BEFORE = re.compile(
    r"[0-9][0-9.,，]*\s?[万亿]?\s?部\s?[、,，]?\s?(?:约|共|计|共计)?\s?$"
)


def _episodes_in_aggregate(value: float, clause_before: str) -> bool:
    """True when episodes count works (备案22.7万集, 249部9338集), false for one drama's length (80集):
    a tally follows a count of dramas or runs past any one drama's length."""
    return value >= _ONE_DRAMA_MOST or bool(_WORKS_BEFORE.search(clause_before))


# Metrics that add up over a period (money flows), unlike levels such as users: as of a year's end, the
# year's figure.
_FLOWS = frozenset({"market_size", "revenue", "profit", "ad_spend", "box_office"})
_TO_LEVEL = ("至", "到")
# The rest of a list of figures after the first (、105%, 和2.3亿元), up to the noun that follows them all.
_LIST_REST = re.compile(
    r"^(?:\s*[、和与及]\s*[-+]?\d[\d.,]*\s*(?:%|万亿|千万|万|亿)?\s*(?:美元|元|人次|人|次|部|个|家)?)+"
)


# 从千亿级的市场规模到6.96亿的用户基数: the word before 到 is the first item's, the figure after it its own.
_FROM_TO = re.compile(r"从[^，,。；;]{1,24}到\s*$")


def _metric_word_at_end(clause_before: str) -> bool:
    """True when a metric word ends the clause before the figure, but for a qualifier (投资过, 收入超过); not
    when a conjunction ends it (2美元的获客成本以及10万美元的制作费用: that word is the item before's)."""
    tail = clause_before.rstrip()[-8:]
    if tail.endswith(("以及", "和", "与", "及", "、", "或")) or _FROM_TO.search(clause_before):
        return False
    return any((at := tail.rfind(word)) >= 0 and len(tail) - at - len(word) <= 2 for word in _metric_words())


@lru_cache(maxsize=1)
def _metric_words() -> tuple[str, ...]:
    """Every metric keyword of the lexicon, of every metric, in one tuple."""
    return tuple(w for words in lexicon().metrics.values() for w in words)


def _noun_after(clause_after: str, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    """(metric, word) of a noun right after the figure that says what it counts (10亿播放量), else None."""
    text = clause_after.lstrip()
    linked = text.startswith("的")
    if linked:
        text = text[1:]
        for word in lexicon().linking_adjectives:  # 6.96亿的庞大用户基数: the adjective only describes it
            if text.startswith(word):
                text = text[len(word):].lstrip("的")
                break
    lex = lexicon()
    pools = [lex.metrics_after.items()]
    if linked:
        pools.append((m, lex.metrics[m]) for m in ("growth", "share"))
    best: tuple[int, str, str] | None = None
    for pool in pools:
        for metric, words in pool:
            if metric not in allowed:
                continue
            for word in words:
                if text.startswith(word) and (best is None or len(word) > best[0]):
                    best = (len(word), metric, word)
    return (best[1], best[2]) if best is not None else None


@lru_cache(maxsize=1)
def _spent_on() -> re.Pattern[str]:
    """What money right after its figure is used for (用于买量, 用来拍摄): ``[spent_on]`` in claims.toml."""
    return re.compile(rf"\s*(?:用于|用来|用在|投向|投入到?)(?P<word>{_alternation(lexicon().spent_on)})")


_SHARE_OF_TOTAL = re.compile(r"占[^，,。；;]{0,12}的\s*$")


@lru_cache(maxsize=1)
def _place_after() -> re.Pattern[str]:
    """Places counted with 家 (基地, 景区, 门店): up to a few words of description before the noun."""
    return re.compile(f"[^，,。；;、]{{0,6}}?(?:{_alternation(lexicon().places)})")


def _gap(clause_before: str) -> bool:
    """True when a difference word (差距, 相差) stands just before the figure, with only words of degree
    between them (差距只剩不到, 相差近), no metric word (收入差距按日薪5万计算 is a day rate)."""
    tail = clause_before.rstrip()[-7:]
    found = [(at, at + len(word)) for word in lexicon().difference if (at := tail.rfind(word)) >= 0]
    if not found:
        return False
    rest = tail[max(found)[1]:]
    return not any(word in rest for word in _metric_words())  # not 收入差距按日薪5万


def _how_often(cand: _Candidate, clause_before: str) -> bool:
    """True for a small count of times after 每天/每周… with no metric word between (每周观看短剧3次)."""
    lex = lexicon()
    if cand.unit_word not in lex.frequency_units or cand.value >= 100:
        return False
    at = max(clause_before.rfind(word) for word in lex.frequency_per)
    if at < 0:
        return False
    between = clause_before[at:]
    return not any(word in between for word in _metric_words())


_MONEY_UNITS = schema.CURRENCIES
# Classifiers that count things, never money.
# What a figure is compared with in an earlier clause (首次超过电影票房，预计2027年将超过1000亿元) is not
# what a later figure measures; it is blanked before the sentence is searched for a metric word.
_COMPARED_WITH = re.compile(
    r"(?:超过|超越|首超|高于|低于|相当于|比肩|追平|反超|不及)[^，,。；;]{0,14}?票房(?:收入|总额|总量|规模)?"
    r"(?=[^，,。；;(（]*[，,；;]|\s)"  # a list written with spaces for commas: 首次超过电影票房 预计…
)
# 票房 in a sentence about short dramas and not about film is a drama's takings (revenue).
_DRAMA_TAKINGS = re.compile(r"短剧|小程序剧|微剧")
_FILM = re.compile(r"电影|影片|院线|影院|观影")
_THING_CLASSIFIERS = frozenset({"款", "条", "项", "场", "件", "台", "组", "批", "种"})
_KINDS = frozenset({"种"})
_AREA_UNITS = frozenset({"平方米", "平米", "平方公里", "亩", "公顷"})
# 短剧 before another noun only modifies it (2300个短剧剧组 counts crews, 3家短剧公司 companies).
_DRAMA_MODIFIER = re.compile(
    r"\s*的?\s*(?:网络)?(?:微短剧|短剧)(?=剧组|摄制组|拍摄组|演员|公司|企业|平台|应用|小程序|App|APP|app|团队|从业|基地|制作方|出品方|用户|观众)"
)


def _drama_head(clause_after: str) -> str:
    """The words after a figure without a leading 短剧 modifier, so that the noun it modifies counts."""
    m = _DRAMA_MODIFIER.match(clause_after)
    return clause_after[m.end() :] if m else clause_after
# Which metrics a unit can measure, and the metric a unit implies when no keyword says otherwise.
_MONEY = ("market_size", "revenue", "profit", "investment", "ad_spend", "cost", "box_office", "other")
_DURATIONS = ("minute", "hour", "day", "week", "month", "year")
_ALLOWED: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(schema.CURRENCIES, _MONEY),
    "person": ("users", "jobs", "other"),
    "job": ("jobs",),
    "play": ("plays", "other"),
    "download": ("downloads",),
    "work": ("works",),
    "episode": ("works",),
    "company": ("companies",),
    "percent": ("growth", "share", "profit", "other"),
    "age": ("age",),
    **dict.fromkeys(_DURATIONS, ("duration",)),
    "person_day": ("other",),
    "count": (*_MONEY, "users", "jobs", "plays", "works", "companies", "downloads", "other"),
}
_DEFAULT: dict[str, str] = {
    **dict.fromkeys(schema.CURRENCIES, "other"),
    "person": "users",
    "job": "jobs",
    "play": "plays",
    "download": "downloads",
    "work": "works",
    "episode": "works",
    "company": "companies",
    "percent": "share",
    "age": "age",
    **dict.fromkeys(_DURATIONS, "duration"),
    "person_day": "other",
    "count": "other",
}
_METRIC_UNIT = {
    "market_size": "CNY",
    "revenue": "CNY",
    "profit": "CNY",
    "investment": "CNY",
    "ad_spend": "CNY",
    "cost": "CNY",
    "box_office": "CNY",
    "users": "person",
    "jobs": "job",
    "plays": "play",
    "works": "work",
    "companies": "company",
    "downloads": "download",
}


def _unit_from_metric(metric: str, unit: str | None) -> str | None:
    """Infer a unit left implicit from the metric: 充值破千万 is CNY, 播放量突破2.2亿 is plays."""
    return _METRIC_UNIT.get(metric, unit if unit is not None else "count")


def _qualifier(num_surface: str, clause_before: str, after: str, cand: _Candidate) -> str:
    """exact, lower/upper bound, approximate, range or forecast, from the words around the figure."""
    lex = lexicon()
    if any(w in clause_before for w in _forecast_words()) or _WILL.search(clause_before):
        return "forecast"
    if cand.value_high is not None:
        return "range"
    tail = clause_before.rstrip()
    not_over = lex.experienced + lex.guo_heads  # before 过, no "over": 看过, 通过
    while True:  # peel filler and currency signs one at a time: 约, 超过$1,000万, 达到约
        # The longest bound word at the end wins: 不超过 over 超过, whatever the kind.
        found = _bound_at_end(tail, lex)
        if found is not None and found[2] == "近" and num_surface[:1] in "几数":
            found = None  # 近几个月 is the recent few months, not nearly some
        if found is not None and not (found[2] == "过" and tail[:-1].endswith(not_over)):
            _, kind, word = found  # (看过3分钟以内的短剧: 过 says "have watched", 审核通过50部 "passed")
            if kind in ("lower_bound", "upper_bound") and _NEGATION.search(tail[: -len(word)]):
                # 并未突破500亿元, 难以突破3000元: below it; 很难少于80万: at least that
                return "upper_bound" if kind == "lower_bound" else "lower_bound"
            return kind
        peeled = _peel_filler(tail, once=True)
        peeled = next((peeled[: -len(p)] for p in _currency_prefixes() if peeled.endswith(p)), peeled)
        if peeled == tail:
            break
        tail = peeled
    if num_surface == "过半":
        return "lower_bound"
    if inner := _SHARE_BOUND.search(num_surface):  # 每10个网民中就有近7人: the bound inside the share
        return "approximate" if inner.group(1) in ("近", "约") else "lower_bound"
    if tail.endswith("上") and num_surface[:1] in "百千万亿":
        return "lower_bound"  # 上百家, 上千万元
    if re.search("[多余数几]", num_surface):
        return "lower_bound"  # 十几个 is ten-odd, like 十多个; 几十万 and 几周 are at least 十万 and a week
    if "来" in num_surface:
        return "approximate"
    for kind, words in lex.suffix_qualifiers.items():
        if any(after.lstrip().startswith(w) for w in words):
            return kind
    if _WITHIN.match(after.lstrip()):
        return "upper_bound"  # 两个月内完成: within; not the 内 of 内购 or 内容
    return "exact"


_WITHIN = re.compile(r"内(?![购容地部需销资涵在置核功测])")
_SHARE_BOUND = re.compile(r"(?:中|里)[，,]?\s*(?:就)?(?:有)?(近|约|超过|超)")
# 每个 / 每位 / 每一家 … before a count: the figure is a ratio per unit of something.
_PER_UNIT = re.compile(r"每(?:一|1)?(?:个|位|名|家|部|人)")
# A forecast verb that opens its sentence's reported part: 报告预计，… / 据预测：…
# 预计拍摄1000部短剧，目标营收20亿元，吸引客流35万人次: a plan verb governs the clauses listed after it,
# until a word says something already happened (已, 目前, 截至).
_PLAN_VERB = re.compile(
    r"(?<![超于])(?:预计|力争|争取|(?<![虚模比])拟|目标(?=是|为|营收|收入|产值|规模|达)|提出(?=[^，,。；;]{0,4}(?:培育|打造|建设|建成|实现)))(?![：:，,])"
)
_DONE_CUE = re.compile(r"已|目前|截至|截止|去年|此前|实现了|达到了|完成了|[；;：:]")


def _plan_governs(sentence_before: str) -> bool:
    """True when a plan verb earlier in the sentence governs the figure's clause (see _PLAN_VERB)."""
    starts = [m.end() for m in _PLAN_VERB.finditer(sentence_before)]
    return bool(starts) and not _DONE_CUE.search(sentence_before, starts[-1])


def _forecast_runs_on(sentence_before: str, clause_before: str) -> bool:
    """True when a forecast in an earlier clause of the sentence runs on into the figure's clause:
    播放量将超700亿，市场规模突破200亿元; 到2027年将达1000亿元，年复合增长率28.1%.

    Not past a word that says something already happened (_DONE_CUE), nor past a year other than a baseline
    (将达600亿元，2024年为500亿元).
    """
    earlier = sentence_before[: len(sentence_before) - len(clause_before)].rstrip("，, ")
    cut = max(earlier.rfind(ch) for ch in "，,") + 1
    earlier = earlier[cut:]  # the clause right before only
    ends = [m.end() for m in _WILL.finditer(earlier)]
    ends += [earlier.rfind(w) + len(w) for w in _forecast_words() if w in earlier]
    if not ends:
        return False
    rest = sentence_before[cut + max(ends) :]
    if _DONE_CUE.search(rest):
        return False
    return all(rest[: m.start()].rstrip().endswith(_COMPARED) for m in _YEAR.finditer(rest))


@lru_cache(maxsize=1)
def _forecast_words() -> tuple[str, ...]:
    """The forecast qualifier words but 将, which _WILL finds where it means "will"."""
    return tuple(w for w in lexicon().qualifiers["forecast"] if w != "将")


@lru_cache(maxsize=1)
def _forecast_words_re() -> re.Pattern[str]:
    """The forecast words as one pattern: a search finds whether any stands in a span."""
    return re.compile("|".join(map(re.escape, sorted(_forecast_words(), key=len, reverse=True))))


_FORECAST_LEAD = re.compile(r"(?<![超于])(?:预计|预测|预估|估计)[，,：:]")  # not 大超预期：
# 将 says "will" except in 将近 (nearly) and where it marks an object (将其, 将之, 将爆款网文改编为短剧,
# 将制作成本压缩90%); an adverb after it keeps the "will" (将进一步压缩).
_WILL = re.compile(
    r"将(?!近|其|之|[\u4e00-\u9fff]{0,3}(?:作为|视为|列为|纳入)"
    r"|[\u4e00-\u9fff]{1,10}?(?:改编|转化|改造|打造|制作|翻译|转型|升级|做|变|改)(?:为|成)"
    r"|(?!进一步|继续|持续|大幅|逐步|大大|显著|不断|再|有望|会|可|能|全面)[\u4e00-\u9fff]{1,8}?"
    r"(?:压缩|降低|缩短|削减|缩减|砍掉|控制在|降至|压至|压到|拉低))"
)


@lru_cache(maxsize=1)
def _noun_units() -> tuple[tuple[str, str], ...]:
    """(noun, unit) pairs, longest noun first, so 就业岗位 wins over 岗位."""
    return tuple(sorted(lexicon().noun_units.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def _currency_prefixes() -> tuple[str, ...]:
    """Currency signs written before a figure, longest first."""
    return tuple(sorted(lexicon().currency_prefix, key=len, reverse=True))


def _claim_end(match_text: str, cand: _Candidate) -> int:
    """End of the surface: the figure and its unit word, with no trailing space."""
    end = cand.end
    while end > cand.num_end and match_text[end - 1].isspace():
        end -= 1
    return end


def _year(
    match_text: str,
    pos: int,
    sent_start: int,
    sent_end: int,
    years: _Years,
    published: str | None,
    change: bool = False,
) -> int | None:
    """The year a figure is about: stated in its sentence, else read from the publication date, else carried.

    In order: a year before the figure in its sentence, or after it in its clause; for a sentence that
    names a period without a year (三季度, 7月23日) or speaks of now (目前, 近日), the publication year;
    else the last year stated earlier in the same paragraph (or, for a sentence naming a period in a text
    with no date, anywhere earlier; one that speaks of now in such a text has no year). A baseline year
    (较2023年) is skipped when a growth word stands between it and the figure: the 35% of
    较2023年增长35% is this year's, while the 373.9亿元 of 较2023年的373.9亿元 is 2023's.
    A change (``change``: a growth figure) is never its baseline's own: 较2024年实现100%同比增长.
    """
    i = bisect.bisect_left(years.starts, pos) - 1
    while i >= 0 and years.starts[i] >= sent_start and years.compared[i]:
        between = match_text[years.ends[i] : pos]
        grown = change or any(w in between for w in _growth_words()) or _CHANGED_TO.search(between)
        if not grown and not _CLAUSE_BREAK.search(between):
            break  # 较2023年的373.9亿元: the baseline's own figure; across a clause it dates nothing
        i -= 1
    if i >= 0 and years.starts[i] >= sent_start:
        return years.values[i]
    # A baseline year names what the figure is compared with, never the figure's own year: skip it after
    # the figure (5.76亿人，较2023年12月增长) and in earlier sentences (较2023年增长34.9%。用户规模达5亿人).
    j = bisect.bisect_left(years.starts, pos)
    while j < len(years.starts) and years.starts[j] < sent_end and years.compared[j]:
        j += 1
    if j < len(years.starts) and years.starts[j] < sent_end and not _CLAUSE_BREAK.search(
        match_text, pos, years.starts[j]
    ):
        return years.values[j]
    before = match_text[sent_start:pos]
    cue = bare_period_end(before)
    if cue is None and any(w in before for w in lexicon().present):
        cue = 0
    if cue is not None and published and published[:4].isdigit():
        # A publication date without its month (2024) is read as the year's end.
        month = int(published[5:7]) if published[5:7].isdigit() else 12
        return int(published[:4]) - 1 if cue > month else int(published[:4])
    if cue == 0:
        return None  # 目前… in a text with no date: its "now" is unknown, and an earlier year is a past one
    if cue and years.text_year is not None and _REPORTING_PERIOD.search(before):
        return years.text_year
    i = _carried_from(years, i)
    if i < 0 or (cue is None and "\n" in match_text[years.ends[i] : pos]
                 and not _continues(match_text, years.ends[i], pos)
                 and not _same_report(match_text, years.ends[i], sent_start, pos)):
        return None  # a year in another paragraph dates a figure only when its sentence names a period
    if cue is None and _dates_only_its_own(match_text, years.starts[i], years.ends[i]):
        return None
    return years.values[i]


def _earlier_cue(match_text: str, pos: int, sent_start: int, years: _Years) -> int:
    """Where the figure at ``pos`` is dated from: its sentence's start, or, for a sentence with no year or
    period of its own in a paragraph that states no year, the paragraph's start when it names a period
    without a year (上半年实现营收37亿元。其中短剧收入5.8亿元: the 5.8亿元 is that half's too)."""
    k = bisect.bisect_left(years.starts, pos) - 1
    para = match_text.rfind("\n", 0, sent_start) + 1
    if (k >= 0 and years.ends[k] > para) or para >= sent_start:
        return sent_start  # a year in the sentence, or earlier in the paragraph (carried instead)
    if bare_period_end(match_text[sent_start:pos]) is not None or "全年" in match_text[sent_start:pos]:
        return sent_start
    if bare_period_end(match_text[para:sent_start]) is None:
        return sent_start
    _, kind = period_for(match_text, sent_start, para, 2000)
    return para if kind in {"half", "quarter", "span"} else sent_start  # a month is never carried


def _continues(match_text: str, year_end: int, pos: int) -> bool:
    """True when the figure at ``pos`` is in a paragraph that opens with 其中 or 然而 (a part of what the
    paragraph just before spoke of, or its other side) and the year statement ending at ``year_end`` is in
    that paragraph; 此外, 同时, 而 and 但 were measured on the dev set and open new subjects as often."""
    para = match_text.rfind("\n", 0, pos) + 1
    if not (opener := _PART_OF_BEFORE.match(match_text, para)):
        return False
    if sentence_at(match_text, pos)[0] > opener.end():
        return False  # 其中 and 然而 take up the paragraph before in their own sentence; later ones move on
    return "\n" not in match_text[year_end:para].strip()


def _same_report(match_text: str, year_end: int, sent_start: int, pos: int) -> bool:
    """True when a figure's sentence compares with a year before (同比) and the last year statement, in an
    earlier paragraph, names a reporting period (2025年前三季度营收…。⏎销售费用同比增长93.65%): the
    results' later lines are of that period."""
    if "同比" not in match_text[sent_start:pos]:
        return False
    if not _REPORTING_PERIOD.search(match_text, year_end, min(year_end + 6, pos)):
        return False
    # The period's statement is a line of results (营收, 净利润) in the paragraph just before the figure's:
    # after 2022年上半年，新上线作品1225部, or with a paragraph between, a 同比 figure is not that period's.
    para_end = match_text.find("\n", year_end, sent_start)
    para_start = match_text.rfind("\n", 0, sent_start) + 1
    if para_end < 0 or match_text[para_end:para_start].strip():
        return False
    statement_end = min(sentence_at(match_text, year_end)[1], para_end)
    return bool(_RESULTS.search(match_text, year_end, statement_end))


_RESULTS = re.compile(r"营收|营业收入|营业总收入|净利润|归母|净亏损|毛利率|业绩")


_PART_OF_BEFORE = re.compile(
    r"[ \t\u3000]*(?:其中(?!国)|然而"
    # the same report read on (报告还显示, 《白皮书》同时指出): its statement's year still holds
    # (a 《title》 is masked as # by then)
    r"|(?:该|这份|此|上述)?(?:报告|#{3,42}|白皮书|调查)(?:还|同时|也|另外|进一步)(?:显示|指出|提到|表明|发现))"
)


# A year that names when something began (成立于2024年9月, 自2024年6月1日起) or a forecast's target year
# (预测2025年…将) dates its own sentence, never the figures of the sentences after it.
_STARTED_BEFORE = re.compile(r"(?:成立于|成立|创立于|始于|诞生于|上线于|推出于|开业于|自|从)\s*$")
_STARTED_AFTER = re.compile(r"[^，,。；;]{0,8}?(?:起|以来|成立|创立|开始)")


def _dates_only_its_own(match_text: str, start: int, end: int) -> bool:
    """True when the year statement at ``start:end`` may not be carried to a later sentence: a start
    (自2024年起, 这款2023年上线的应用) or a target (到2027年, 2030年前)."""
    if _started(match_text, start, end) or _AHEAD.search(match_text[max(0, start - 4) : start]):
        return True
    if _launch_of_one(match_text, start, end):
        return True
    return bool(_AHEAD_AFTER.match(match_text, end))


def _carried_from(years: _Years, i: int) -> int:
    """The year statement at or before ``i`` that a later sentence's figure takes its year from.

    Baselines (较2023年) are passed over, and so is every year of a sentence that forecasts: in 2025年上半年，
    …。规模2024年达505亿元，预计2025年达634亿元、2027年达856亿元。五家公司营收13.58亿元, the 13.58亿元 is
    of 2025's first half, not of a forecast's year nor of the year the forecast starts from.
    """
    while i >= 0 and (years.compared[i] or years.forecasting[i]):
        i -= 1
    return i


def _since_start(match_text: str, pos: int, sent_start: int, years: _Years) -> bool:
    """True when the last year statement before the figure at ``pos`` in its sentence names a start, in an
    earlier clause (自2024年6月1日起，投资额100万元以上…), unless it opens a span (自2025年4月至年底)."""
    i = bisect.bisect_left(years.starts, pos) - 1
    if i < 0 or years.starts[i] < sent_start or years.compared[i]:
        return False
    start, end = years.starts[i], years.ends[i]
    if _launch_of_one(match_text, start, end):
        return True  # 这款2023年4月上线的平台，仅用不到三年日活破亿: since the launch, not in 2023
    if not _STARTED_BEFORE.search(match_text[max(0, start - 4) : start]):
        return False  # 2022年起平台加码，日薪曾达5万元 still dates its clauses: 自/成立于 before say a start
    if _SPAN_END.match(match_text, end):
        return False
    return bool(_CLAUSE_BREAK.search(match_text, end, pos))


# 自2025年4月底上线至三季度末: the start of a span whose end names the period
_SPAN_END = re.compile(r"[^，,。；;]{0,12}?[至到]")


# When one thing was launched: 这款2023年4月上线的平台, 2023年上线的短剧《某剧》 (a title is masked to ###).
_ONE_BEFORE = re.compile(r"(?:这款|这个|这部|该|此款|这家)\s*$")
_LAUNCHED = re.compile(r"[^，,。；;]{0,5}?(?:上线|推出|开播|首播|问世|面世|诞生)的")
_TITLE_SOON = re.compile(r"[^，,。；;]{0,12}?#{3,}")


def _launch_of_one(match_text: str, start: int, end: int) -> bool:
    """True when the year statement at ``start:end`` dates the launch of one platform or work (这款2023年
    4月上线的平台, 2023年上线的短剧《某剧》): what its figures say came since, not in that year; a count
    of what was launched in a year (2024年上线的微短剧共3万部) keeps its year."""
    launched = _LAUNCHED.match(match_text, end)
    if launched is None:
        return False
    return bool(_ONE_BEFORE.search(match_text, max(0, start - 3), start)
                or _TITLE_SOON.match(match_text, launched.end()))


def _started(match_text: str, start: int, end: int) -> bool:
    """True when the year statement at ``start:end`` names when something began (自2024年起, 成立于2024年)."""
    return bool(_STARTED_BEFORE.search(match_text[max(0, start - 4) : start])
                or _STARTED_AFTER.match(match_text, end))


def _carried_period(
    match_text: str, pos: int, sent_start: int, year: int, years: _Years
) -> tuple[str, str] | None:
    """The half, quarter or months of the earlier statement a figure's year was carried from (its paragraph).

    2025年上半年，几家公司交出答卷。中文在线：营收5.56亿元: the 5.56亿元 is 2025-H1's, not the full year's.
    A month is carried only from a sentence that it dates figures in (2024年6月，报告发布。全年规模504亿元
    is the year's), and nothing past 全年.
    """
    k = bisect.bisect_left(years.starts, pos) - 1
    if k >= 0 and years.starts[k] >= sent_start:
        return None  # the sentence states its own year
    k = _carried_from(years, k)
    if k < 0 or years.values[k] != year:
        return None
    if "\n" in match_text[years.ends[k] : pos] and not (
        _continues(match_text, years.ends[k], pos)
        or _same_report(match_text, years.ends[k], sent_start, pos)
    ):
        return None
    if "全年" in match_text[sent_start:pos]:
        return None
    snippet = match_text[years.starts[k] : years.ends[k] + 6]
    period, kind = period_for(snippet, len(snippet), 0, year)
    if period is not None and kind == "span" and re.fullmatch(rf"{year}-\d\d/{year}-\d\d", period):
        return period, kind  # 前三季度, 1-9月: a reporting period within the year, like a half
    if period is not None and kind in {"month", "as_of"} and _dates_figures(match_text, years.ends[k]):
        # 截至2024年6月，网民近11亿人。其中，青少年占比49.0%: a month that dates figures in its own
        # sentence dates those that go on from them; a month that dates an event (2024年6月，报告发布) never
        as_of = kind == "as_of" or match_text.endswith(_AS_OF_LEADS, 0, years.starts[k])
        return period, ("as_of" if as_of else kind)
    return (period, kind) if period is not None and kind in {"half", "quarter"} else None


_AS_OF_LEADS = ("截至", "截止", "截止到", "截至到")
# A figure in digits that is not itself a date (2024年, 6月, 1日).
_FIGURE_DIGITS = re.compile(r"\d(?![\d.]*\s*[年月日号])")


def _dates_figures(match_text: str, end: int) -> bool:
    """True when the sentence of a date statement ending at ``end`` states a figure after it."""
    stop = min((at for ch in "。！？!?\n" if (at := match_text.find(ch, end)) >= 0), default=len(match_text))
    return _FIGURE_DIGITS.search(match_text, end, stop) is not None


def _growth_span(pos: int, sent_start: int, year: int, years: _Years) -> tuple[str, str] | None:
    """The span a compound growth rate runs over: from the first year its sentence states to its own
    (2024年达505亿元，2027年达856亿元，年复合增长率19.2% is 2024/2027's)."""
    lo = bisect.bisect_left(years.starts, sent_start)
    hi = bisect.bisect_left(years.starts, pos)
    first = min((v for v, c in zip(years.values[lo:hi], years.compared[lo:hi], strict=True)
                 if v is not None and not c), default=None)
    return (f"{first}/{year}", "span") if first is not None and first < year else None


_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_REPORTING_PERIOD = re.compile(r"季度|上半年|下半年|[QH][1-4]", re.I)


@lru_cache(maxsize=1)
def _growth_words() -> tuple[str, ...]:
    """Words that say a figure is a change, not a level."""
    return lexicon().metrics["growth"] + lexicon().decline


def _subject(
    text: str,
    match_text: str,
    cand: _Candidate,
    clause_before: str,
    clause_after: str,
    sent_start: int,
    prev_end: int,
) -> str:
    """A short phrase for what is measured: the clause before the figure, else the noun after it."""
    lo, hi = max(cand.start - len(clause_before), prev_end), cand.start  # never an earlier figure
    words = _strip_words()
    while True:  # peel qualifiers, negations and filler (突破, 并未, 达到, 约) off the end, on the match form
        tail = match_text[lo:hi]
        # Qualifier words first: 不到 must go whole, before the filler 到 leaves 不 behind.
        peeled = _peel_word(tail, words)
        peeled = _peel_word(_NEGATION.sub("", _peel_filler(peeled)), words)
        if peeled == tail:
            break
        hi = lo + len(peeled)
    if (split := match_text.find("分别", lo, hi)) >= 0:
        hi = split  # 收入分别为4.7亿、3.2亿美元: every figure of the list has the subject before 分别
    if (baseline := _BASELINE.search(match_text, lo, hi)) and baseline.start() - lo >= 2:
        hi = baseline.start()  # 市场规模较2023年的: the subject is 市场规模
    lead = _LEADING.match(match_text[lo:hi])
    lo += lead.end() if lead else 0
    if hi - lo > 14 and (cut := match_text.rfind("的", lo, hi - 2)) >= 0:
        lo = cut + 1
    if hi - lo >= 2:
        phrase = text[lo:hi]
    else:
        after = match_text[cand.end : cand.end + len(clause_after)]
        after = re.sub(r"^(?:以上|以下|以内|左右|多|余|的)+", "", after)
        skip = len(match_text[cand.end : cand.end + len(clause_after)]) - len(after)
        head = re.split(r"[是为在有和与，。达占\d]", after, maxsplit=1)[0]
        phrase = text[cand.end + skip : cand.end + skip + len(head)]
    titles = re.findall(r"《[^《》]{1,30}》", text[sent_start : cand.start])
    if titles and "《" not in phrase and _WORK_WORDS.match(match_text[lo:hi]):
        phrase = titles[-1] + phrase
    return phrase.strip()[-24:]


_BASELINE = re.compile(r"较|相比|相较|比上年|同比|环比")
# Words that open a clause but say nothing about what is measured.
_LEADING = re.compile(
    r"(?:(?:19|20)\d{2}年(?:底|初|末|全年)?|在|并|而|且|其中|同时|目前|截至|带动|全年|共|约有|有)+"
)
# A phrase about one work (第一季播放量) gets the work's 《title》 from earlier in the sentence.
_WORK_WORDS = re.compile(r"第|该剧|首[日周月]|上线|播放|充值|单集|全剧")


def _peel_word(phrase: str, words: tuple[str, ...]) -> str:
    """``phrase`` without the first of ``words`` it ends with; one C-level endswith over the tuple
    first, as most phrases end with none."""
    if not phrase.endswith(words):
        return phrase
    return next(phrase[: -len(w)] for w in words if phrase.endswith(w))


@lru_cache(maxsize=1)
def _strip_words() -> tuple[str, ...]:
    """Qualifier words and currency signs, longest first, to peel off a subject's end."""
    lex = lexicon()
    words = {w for ws in lex.qualifiers.values() for w in ws} | set(lex.currency_prefix)
    return tuple(sorted(words, key=len, reverse=True))
