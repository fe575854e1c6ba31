"""A synthetic corpus of micro-drama articles whose claims are known, so extraction is checked at scale.

Run from the repository root: ``python tests/bench/gen_corpus.py OUT_DIR --docs 1000 [--seed 0]
[--expected FILE] [--check]``. Documents look like the seeds: Markdown with YAML front matter, plain text
and simple HTML, about a tenth in Traditional script, 2-8 KB each. Their prose is the seeds' own sentences,
recombined and varied, kept only when the extractor finds no claim and no year in them in any script;
their figures come only from claim templates, so every claim in the corpus is planted and known.
``write_corpus`` returns the expected claims; ``compare_claims`` scores an extraction against them.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import math
import os
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import opencc
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extract import extract_claims, extract_corpus, load_document  # noqa: E402
from extract.pipeline import Corpus  # noqa: E402
from extract.schema import TABLES, C  # noqa: E402
from extract.sentences import split_sentences  # noqa: E402

SEEDS = ROOT / "seeds"
EXPECTED_COLUMNS: tuple[str, ...] = (
    C.file_name, C.surface, C.value, C.value_high, C.unit, C.metric, C.qualifier, C.year,
)
FORMAT_SHARES: dict[str, float] = {"md": 0.7, "txt": 0.2, "html": 0.1}
TRADITIONAL_SHARE = 0.1
FULLWIDTH_SHARE = 0.05
# Real outlets publish Traditional text in several standards; all three keep the text's length.
TRADITIONAL_CONFIGS: tuple[str, ...] = ("s2t", "s2tw", "s2hk")
FIRST_DATE, LAST_DATE = pd.Timestamp("2023-01-01"), pd.Timestamp("2026-12-31")
MARKER = ".gen_corpus.json"  # hidden, so the extractor never reads it; marks a folder as ours to rewrite
_OUR_FILE = re.compile(r"^\d{3,}_[0-9a-f]{16}\.(?:md|txt|html)$")

# --- vocabulary (what is swapped into seed prose holds no numeral, so it cannot add a figure) ---------

SUBJECTS = ("微短剧", "短剧", "网络微短剧", "国内微短剧", "竖屏短剧", "网络短剧")
PLATFORMS = ("抖音", "快手", "腾讯视频", "爱奇艺", "优酷", "芒果TV", "红果短剧", "哔哩哔哩", "微信视频号")
ORGS = (
    "中国网络视听协会", "艾媒咨询", "DataEye研究院", "QuestMobile", "德勤中国", "艺恩数据",
    "中国传媒大学课题组",
)
COMPANIES = ("星河传媒", "青禾影业", "映画文化", "橙果互娱", "云帆影视", "麦田传媒", "听潮文化", "北辰影业")
EXPERTS = ("丁亚平", "李明远", "陈思琪", "周文博", "赵晓岚", "孙立群", "王嘉禾", "刘若彤", "何启明")
DRAMAS = (
    "《金猪玉叶》", "《一姐》", "《逆袭人生》", "《闪婚后我成了首富》", "《家里家外》", "《她的时代》",
    "《山河故人》", "《盛世繁华》", "《重生之都市逆袭》", "《归来》", "《乡村振兴之路》",
)
TOPICS = ("迈入精品化时代", "进入下半场", "出海提速", "监管趋严", "走向规范化", "加速洗牌", "寻找新增量")
CATEGORIES = ("文娱", "产业", "财经", "科技", "社会", "qq", "ent")
# (outlet, URL pattern): made up but plausible addresses, never fetched.
OUTLETS: tuple[tuple[str, str], ...] = (
    ("新华网", "https://www.news.cn/ent/{ymd}/{hex32}/c.html"),
    ("澎湃新闻", "https://www.thepaper.cn/newsDetail_forward_{n8}"),
    ("36氪", "https://36kr.com/p/{n13}"),
    ("界面新闻", "https://www.jiemian.com/article/{n8}.html"),
    ("人民网", "http://media.people.com.cn/n1/{y}/{md}/c{n5}-{n8}.html"),
    ("光明网", "https://news.gmw.cn/{y}-{m}/{d}/content_{n8}.htm"),
    ("新京报", "https://www.bjnews.com.cn/detail/{n13}.html"),
    ("第一财经", "https://www.yicai.com/news/{n9}.html"),
    ("腾讯新闻", "https://new.qq.com/rain/a/{ymd}A0{hex5}00"),
    ("中国新闻网", "https://www.chinanews.com.cn/cul/{y}/{m}-{d}/{n8}.shtml"),
)
# Names in the seeds that each document replaces with its own.
_SEED_EXPERT, _SEED_OUTLET = "丁亚平", "澎湃新闻"
_SEED_PLATFORMS = ("抖音", "快手", "腾讯视频", "爱奇艺")
_NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟几数]")
# Year statements as the extractor reads them (2024年, 今年, 上年...): prose holding one would move the
# year of a later figure, so such seed sentences are left out.
_YEARISH = re.compile(r"(?:19|20)\d{2}|今年|本年|去年|上年|前年|明年")
_TERMINAL = "。！？!?…”」』）)"

# --- claim templates ---------------------------------------------------------------------------------
# {Y} a year opening the sentence, {YY} a bare year, {Y0} the year before as a baseline, {FY} a future
# year, {RY} 今年/去年 and {TY} 今年 (needs a publication date); {S} subject, {P} and {P2} platforms, {O}
# research body, {C} company, {T} drama, {R} report; {M} a month, {N} an ordinal, {H} and {D} hours and
# days of a time window: numbers that are not claims. <metric|figure|qualifiers> is a planted claim, and
# <metric|figure|qualifiers|Y0> one about the baseline year.
TEMPLATES: tuple[str, ...] = (
    "{Y}{S}市场规模<market_size|yi_big|levels>。",
    "据{O}测算，{Y}{S}行业规模<market_size|yi_big|level>，同比增长<growth|pct|growth>。",
    "{O}发布的报告显示，{Y}{S}市场规模<market_size|yi_big|level>，较{Y0}增长<growth|pct|growth>。",
    "根据{O}出品的{R}，{Y}{S}市场规模<market_size|yi_big|level>，并带动<jobs|wan_ge|level>就业岗位。",
    "{O}发布报告称，到{FY}{S}市场规模<market_size|yi_big|fc>。",
    "到{FY}，{S}带动的相关产业规模<market_size|wanyi|fc>。",
    "{Y}{S}市场规模<market_size|yi_big|level>，较{Y0}的<market_size|yi_big|none|Y0>增长<growth|pct|none>。",
    "{S}市场规模有望在{FY}<market_size|yi_big|fcw>。",
    "{TY}{S}市场规模预计<market_size|yi_big|fcw>。",
    "业内普遍认为，{FY}{S}市场规模预计在<market_size|yi_range|pre>之间。",
    "{Y}{S}产业带动就业岗位<jobs|wan_ge|levels>。",
    "{Y}{S}行业带动<jobs|wan_ge|level>就业岗位。",
    "{T}上线首日播放量<plays|yi_bare|level>。",
    "{T}第{N}季播放量<plays|yi_bare|level>。",
    "{T}在上线{D}内播放量<plays|yi_ci|level>。",
    "{T}连续<duration|days|none>位居热播榜第{N}名，播放量<plays|yi_ci|level>。",
    "{P}平台TOP10短剧播放量合计<plays|yi_ci|level>。",
    "{T}在{P}上线后，累计播放量<plays|yi_ci|levels>。",
    "{P}短剧日均播放量<plays|yi_ci|level>。",
    "{T}上线首日充值<revenue|qianwan|bound>，成为{P}的爆款。",
    "{T}于{M}在{P}上线，上线{H}充值<revenue|qianwan|bound>。",
    "{P}、{P2}短剧营收分别为<revenue|yi_small|none>、<revenue|yi_small|none>。",
    "{P}、{P2}短剧营收分别为<revenue|yi_pair|none>。",
    "海外短剧应用收入<revenue|usd_sign|level>。",
    "{Y}{P}短剧营收<revenue|yi_small|levels>，同比增长<growth|pct|growth>。",
    "{Y}{S}出海收入<revenue|yi_usd|level>。",
    "{C}{YY}短剧业务收入<revenue|wan_yuan|levels>。",
    "{T}分账票房<revenue|wan_yuan|level>。",
    "{C}宣布完成新一轮融资，融资额<investment|yi_small|level>。",
    "{Y}{P}在短剧领域的投资额<investment|yi_small|level>。",
    "头部平台投入<investment|shushi_yi|none>扶持精品短剧。",
    "单部精品短剧的投资额通常在<investment|wan_range|none>之间。",
    "{Y}{S}用户规模<users|yi_ren|levels>，占整体网民的<share|pct|none>。",
    "{P}短剧月活跃用户<users|yi_users|level>。",
    "截至{YY}{M}，{P}月活跃用户<users|yi_users|level>。",
    "{YY}{M}，{P}短剧日活跃用户<users|wan_ren|level>。",
    "{RY}{S}用户规模<users|yi_ren|level>。",
    "{O}预测，{FY}{S}用户规模<users|yi_ren|fc>。",
    "{P}短剧日活跃用户<users|wan_ren|level>。",
    "受多重因素影响，{S}付费收入同比下降<growth|pct|decline>。",
    "{S}付费收入同比下滑<growth|pct|decline>。",
    "{P}短剧用户同比增长<growth|pct|growth>。",
    "{Y}全国备案{S}<works|bu|level>。",
    "{Y}{P}上线{S}<works|wan_bu|level>。",
    "{Y}新上线短剧作品数量<works|bu|levels>。",
    "{YY}1-6月，{S}备案数量<works|bu|level>。",
    "{T}全剧共<other|ji|none>，每集时长<duration|minutes_small|level>。",
    "{Y}全国新增短剧相关企业<companies|wan_jia|level>。",
    "目前已有<companies|jia|level>公司入局短剧出海。",
    "目前已有<companies|shang|none>企业布局短剧赛道。",
    "{S}市场中免费短剧占比<share|pct|levels>。",
    "{S}观众中女性占比<share|pct|level>。",
    "调查显示，<share|cheng|cheng>观众每天都会观看短剧。",
    "广告收入占比<share|cheng|cheng>。",
    "调研数据显示，<share|pct_words|cheng>的观众每天都会观看短剧。",
    "付费用户占比在<share|pct_range|none>之间。",
    "核心观众年龄集中在<age|age_range|none>。",
    "用户人均单日观看时长<duration|minutes|level>。",
    "{S}单集时长多在<duration|min_range|none>之间。",
    "{P}下载量<downloads|yi_ci|level>。",
)
_SLOT = re.compile(r"<(\w+)\|(\w+)\|(\w+)(?:\|(Y0))?>")
# The unit a figure without its own unit word measures, by metric.
METRIC_UNITS: dict[str, str] = {
    "market_size": "CNY", "revenue": "CNY", "investment": "CNY", "users": "person", "jobs": "job",
    "plays": "play", "works": "work", "companies": "company", "downloads": "download",
    "growth": "percent", "share": "percent", "age": "age", "duration": "minute",
}
# Qualifier words written before a figure, by the qualifier they state.
LEVEL_WORDS: dict[str, tuple[str, ...]] = {
    "exact": ("达到", "达", "为", ""),
    "lower_bound": ("突破", "超过", "超", "逾", "已超过", "已突破"),
    "approximate": ("约", "近", "接近", "约为", "达到约"),
    "upper_bound": ("不足", "不到"),
}
LEVEL_WEIGHTS = (0.35, 0.3, 0.28, 0.07)
SUFFIX_WORDS: tuple[tuple[str, str], ...] = (("以上", "lower_bound"), ("左右", "approximate"))
GROWTH_WORDS: tuple[tuple[str, str], ...] = (
    ("", "exact"), ("", "exact"), ("", "exact"), ("约", "approximate"), ("超过", "lower_bound"),
    ("近", "approximate"),
)
FORECAST_WORDS = ("将突破", "将超过", "将达到", "有望达到", "有望突破", "预计达到", "预计突破")
BOUND_WORDS = ("破", "突破", "超过")
CHENG_WORDS: tuple[tuple[str, str], ...] = (
    ("近", "approximate"), ("约", "approximate"), ("超", "lower_bound"), ("超过", "lower_bound"),
    ("逾", "lower_bound"),
)
_CHENG_DIGITS = "一二三四五六七八九"


@dataclass(frozen=True)
class Figure:
    """A figure as written: its text in the sentence, the claim's surface, value, upper end and unit."""

    text: str
    surface: str
    value: float
    value_high: float = math.nan
    unit: str | None = None  # None: the metric's unit (METRIC_UNITS)
    qualifier: str | None = None  # what the figure itself states (a range, 数十亿 a lower bound)


def _number(rng: random.Random, lo: float, hi: float, decimals: Sequence[int] = (0, 1, 1, 2)) -> str:
    """A number between lo and hi as an article writes it: 504.4, 12, 5.76 (no trailing zeros)."""
    value, places = rng.uniform(lo, hi), rng.choice(decimals)
    text = f"{value:.{places}f}"
    while float(text) == 0:  # 0.3 written with no decimals is 0, which no article reports as a figure
        places += 1
        text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(rng: random.Random, lo: float, hi: float, scale: float, word: str, unit: str | None,
            decimals: Sequence[int] = (0, 1, 1, 2)) -> Figure:
    """A number with its scale and unit words: 504.4亿元 is 504.4 times 1e8 CNY."""
    num = _number(rng, lo, hi, decimals)
    return Figure(num + word, num + word, float(num) * scale, unit=unit)


def _grouped(rng: random.Random, lo: int, hi: int, scale: float, word: str, unit: str | None) -> Figure:
    """An integer that may carry thousands separators, as in 3,500万元."""
    n = rng.randint(lo, hi)
    num = f"{n:,}" if n >= 1000 and rng.random() < 0.25 else str(n)
    return Figure(num + word, num + word, n * scale, unit=unit)


def _range(rng: random.Random, lo: int, hi: int, scale: float, unit: str | None,
           forms: Sequence[str]) -> Figure:
    """A range such as 18到35岁 or 300万元到500万元; ``forms`` spell it with {a} and {b}."""
    a = rng.randint(lo, hi)
    b = a + rng.randint(max(1, (hi - lo) // 4), max(2, hi - lo))
    text = rng.choice(forms).format(a=a, b=b)
    return Figure(text, text, a * scale, b * scale, unit=unit, qualifier="range")


def _shang(rng: random.Random) -> Figure:
    """上百家 or 上千家: at least that many; the claim's surface is the scale word without 上."""
    word, value = rng.choice((("百家", 100.0), ("千家", 1000.0)))
    return Figure("上" + word, word, value, unit="company", qualifier="lower_bound")


def _pair(rng: random.Random) -> list[Figure]:
    """Two figures sharing one unit, 32.5、28.1亿元: the first is read as 32.5亿元 though written bare."""
    a, b = _number(rng, 1, 99), _number(rng, 1, 99)
    first = Figure(a + "、", a, float(a) * 1e8, unit="CNY")
    return [first, Figure(b + "亿元", b + "亿元", float(b) * 1e8, unit="CNY")]


def _usd_sign(rng: random.Random) -> Figure:
    """Dollars written with a sign before the figure: $6.5亿 or US$6.5亿."""
    num = _number(rng, 0.5, 30)
    return Figure(rng.choice(("$", "US$")) + num + "亿", num + "亿", float(num) * 1e8, unit="USD")


def _percent_words(rng: random.Random) -> Figure:
    """A percentage in words: 百分之三十 or 百分之四十五."""
    tens, ones = rng.randint(2, 8), rng.choice((0, 0, 5))
    text = "百分之" + _CHENG_DIGITS[tens - 1] + "十" + (_CHENG_DIGITS[ones - 1] if ones else "")
    return Figure(text, text, 10.0 * tens + ones, unit="percent")


def _cheng(rng: random.Random) -> Figure:
    """Tenths written in words: 三成 is 30 percent."""
    k = rng.randint(2, 8)
    text = _CHENG_DIGITS[k - 1] + "成"
    return Figure(text, text, 10.0 * k, unit="percent")


FIGURES: dict[str, Callable[[random.Random], Figure | list[Figure]]] = {
    "yi_big": lambda r: _scaled(r, 80, 1500, 1e8, "亿元", "CNY", (0, 1, 1)),
    "yi_small": lambda r: _scaled(r, 1, 99, 1e8, "亿元", "CNY"),
    "yi_usd": lambda r: _scaled(r, 0.5, 30, 1e8, "亿美元", "USD"),
    "wan_yuan": lambda r: _grouped(r, 100, 9999, 1e4, "万元", "CNY"),
    "wan_ge": lambda r: _scaled(r, 10, 150, 1e4, "万个", None, (0, 1)),
    "yi_bare": lambda r: _scaled(r, 0.5, 60, 1e8, "亿", None),
    "yi_users": lambda r: _scaled(r, 0.3, 9, 1e8, "亿", None),
    "yi_pair": _pair,
    "usd_sign": _usd_sign,
    "wanyi": lambda r: _scaled(r, 1, 3, 1e12, "万亿元", "CNY", (0, 1)),
    "pct_words": _percent_words,
    "ji": lambda r: _grouped(r, 40, 120, 1.0, "集", "episode"),
    "minutes_small": lambda r: _scaled(r, 1, 3, 1.0, "分钟", "minute", (0, 1)),
    "min_range": lambda r: _range(r, 1, 3, 1.0, "minute", ("{a}至{b}分钟", "{a}到{b}分钟", "{a}-{b}分钟")),
    "yi_ci": lambda r: _scaled(r, 0.5, 80, 1e8, "亿次", None),
    "yi_ren": lambda r: _scaled(r, 1, 7, 1e8, "亿人", "person", (1, 2)),
    "wan_ren": lambda r: _grouped(r, 500, 9000, 1e4, "万人", "person"),
    "bu": lambda r: _grouped(r, 300, 9999, 1.0, "部", "work"),
    "wan_bu": lambda r: _scaled(r, 1, 10, 1e4, "万部", "work", (0, 1)),
    "jia": lambda r: _grouped(r, 20, 900, 1.0, "家", "company"),
    "wan_jia": lambda r: _scaled(r, 0.5, 9.9, 1e4, "万家", "company", (1,)),
    "shang": _shang,
    "pct": lambda r: _scaled(r, 1, 95, 1.0, "%", "percent", (0, 1, 1)),
    "pct_range": lambda r: _range(r, 10, 45, 1.0, "percent", ("{a}%-{b}%", "{a}%到{b}%", "{a}%至{b}%")),
    "cheng": _cheng,
    "age_range": lambda r: _range(r, 16, 28, 1.0, "age", ("{a}到{b}岁", "{a}-{b}岁", "{a}至{b}岁")),
    "minutes": lambda r: _grouped(r, 20, 150, 1.0, "分钟", "minute"),
    "days": lambda r: _grouped(r, 2, 10, 1.0, "天", "day"),
    "wan_range": lambda r: _range(r, 30, 300, 1e4, "CNY", ("{a}万元到{b}万元", "{a}万至{b}万元")),
    "yi_range": lambda r: _range(r, 500, 900, 1e8, "CNY", ("{a}亿至{b}亿元", "{a}亿元到{b}亿元")),
    "qianwan": lambda r: Figure("千万", "千万", 1e7, unit="CNY"),
    "shushi_yi": lambda r: Figure("数十亿元", "数十亿元", 1e9, unit="CNY", qualifier="lower_bound"),
}


def _qualify(rng: random.Random, kind: str) -> tuple[str, str, str]:
    """(word before, word after, qualifier) for a qualifier set named in a template slot."""
    if kind in {"level", "levels"}:
        if kind == "levels" and rng.random() < 0.15:
            after, qualifier = rng.choice(SUFFIX_WORDS)
            return rng.choice(("达", "为", "")), after, qualifier
        qualifier = rng.choices(tuple(LEVEL_WORDS), LEVEL_WEIGHTS)[0]
        return rng.choice(LEVEL_WORDS[qualifier]), "", qualifier
    if kind in {"growth", "cheng"}:
        before, qualifier = rng.choice(GROWTH_WORDS if kind == "growth" else CHENG_WORDS)
        return before, "", qualifier
    if kind == "fc":
        return rng.choice(FORECAST_WORDS), "", "forecast"
    if kind == "fcw":  # the template's own 有望/预计 makes it a forecast, whatever word comes next
        return rng.choice(LEVEL_WORDS["exact"][:3] + LEVEL_WORDS["lower_bound"][:2]), "", "forecast"
    if kind == "pre":
        return "", "", "forecast"
    if kind == "bound":
        return rng.choice(BOUND_WORDS), "", "lower_bound"
    if kind in {"none", "decline"}:
        return "", "", "exact"
    raise ValueError(f"unknown qualifier set {kind!r} in a template; use one named in _qualify")


# --- the seeds' prose --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prose:
    """Claim-free seed sentences in their original order, and claim-free headings."""

    sentences: tuple[str, ...]
    headings: tuple[str, ...]
    short: tuple[str, ...]  # short sentences and opening clauses, without end marks or colons: for titles


@lru_cache(maxsize=8)
def _converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per configuration: building one loads its dictionaries."""
    return opencc.OpenCC(config)


@lru_cache(maxsize=4)
def seed_prose(seed_dir: Path = SEEDS) -> Prose:
    """The seeds' sentences with no claim and no year in Simplified or any Traditional form, cleaned."""
    bad = [w for w in (*PLATFORMS, *EXPERTS, *TOPICS) if _NUMERAL.search(w)]
    if bad:
        raise ValueError(f"vocabulary words {bad} hold numerals; swapping them into prose could add figures")
    cleaned: list[str] = []
    for path in sorted(p for p in seed_dir.iterdir() if p.suffix in {".md", ".txt", ".html"}):
        text = load_document(path).text
        cleaned += [c for start, end in split_sentences(text) if (c := _clean(text[start:end])) is not None]
    claimed = _with_claims(cleaned)
    kept = [c for i, c in enumerate(cleaned) if i not in claimed]
    sentences = tuple(dict.fromkeys(c for c in kept if c.endswith(tuple(_TERMINAL))))
    headings = tuple(dict.fromkeys(c for c in kept if not c.endswith((*_TERMINAL, "：", "，", "、"))))
    if len(sentences) < 20:
        raise ValueError(f"{seed_dir}: only {len(sentences)} claim-free sentences; add seed articles")
    # Headline material: short sentences, and the opening clauses of long ones.
    clauses = (s.rstrip("。！？!?…") if len(s) <= 28 else s.split("，")[0] for s in sentences)
    short = tuple(dict.fromkeys(c for c in clauses if 8 <= len(c) <= 28 and "：" not in c))
    return Prose(sentences, headings, short)


def _clean(sentence: str) -> str | None:
    """A seed sentence without bold marks, or None for images, links, stray marks and years."""
    sentence = sentence.replace("**", "").strip()
    if "](" in sentence or "http" in sentence or sentence.startswith(("!", "[")):
        return None
    if len(re.findall(r"[\u4e00-\u9fff]", sentence)) < 6 or _YEARISH.search(sentence):
        return None
    return sentence


def _with_claims(sentences: list[str]) -> set[int]:
    """Indexes of the sentences in which the extractor finds a claim, in Simplified or a Traditional form.

    One extraction over all sentences per script, each sentence a paragraph of its own, costs a fraction
    of one call per sentence; a blank line lets no figure or clause reach across sentences.
    """
    found: set[int] = set()
    for config in (None, *TRADITIONAL_CONFIGS):
        forms = [_converter(config).convert(s) for s in sentences] if config else sentences
        starts: list[int] = []
        pos = 0
        for form in forms:
            starts.append(pos)
            pos += len(form) + 2
        claims = extract_claims("\n\n".join(forms))
        found.update(bisect.bisect_right(starts, int(start)) - 1 for start in claims[C.start])
    return found


# --- one document ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planted:
    """A planted claim as the generator wrote it (Simplified), with the year it refers to."""

    surface: str
    value: float
    value_high: float
    unit: str
    metric: str
    qualifier: str
    year: int | None


@dataclass
class _Years:
    """The last year statement written so far, and whether a figure without its own year may lean on it.

    The extractor gives such a figure the nearest year stated before it in its paragraph (or, when its
    sentence names a month or says 目前 in a text with no date, anywhere before); that is the right year
    only when the statement was about a level (2024年规模达…), not a forecast (预计2027年) or a baseline.
    """

    last: int | None = None
    safe: bool = True


@dataclass
class _Doc:
    """A document being written: its choices, its paragraphs and the claims planted in them."""

    rng: random.Random
    published: pd.Timestamp
    has_date: bool  # whether the loader reads a publication date, without which 今年 names no year
    focus: int  # the year most figures refer to
    expert: str
    outlet: str
    body_outlet: str
    platforms: dict[str, str]
    fullwidth: bool
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): p, h, img
    used: set[int] = field(default_factory=set)  # seed sentences already in this document
    claims: list[Planted] = field(default_factory=list)
    years: _Years = field(default_factory=_Years)  # the whole text so far
    para_years: _Years = field(default_factory=_Years)  # the paragraph being written


def _plant(doc: _Doc, template: str) -> str:
    """Fill one claim template, record its claims with their years, and return the sentence."""
    rng = doc.rng
    y = doc.focus - (1 if rng.random() < 0.2 else 0)
    fy = doc.focus + rng.randint(1, 3)
    ry_word, ry_offset = rng.choice((("今年", 0), ("去年", -1)))
    py = doc.published.year
    month = rng.randint(1, 12)
    lead = rng.choice(("{y}年", "{y}年，", "{y}年全年，", "截至{y}年底，", "{y}年上半年，")).format(y=y)
    platform, platform2 = rng.sample(PLATFORMS, 2)
    words = {
        "Y": lead, "YY": f"{y}年", "Y0": f"{y - 1}年", "FY": f"{fy}年", "RY": ry_word, "TY": "今年",
        "S": rng.choice(SUBJECTS), "P": platform, "P2": platform2, "O": rng.choice(ORGS),
        "C": rng.choice(COMPANIES), "T": rng.choice(DRAMAS),
        "R": f"《{y}{rng.choice(SUBJECTS)}行业生态洞察报告》",  # the year in 《》 is a title, not a statement
        "M": f"{month}月", "N": str(rng.randint(1, 5)), "H": f"{rng.choice((12, 24, 48))}小时",
        "D": f"{rng.randint(2, 10)}天",
    }
    if "{FY}" in template:
        year: int | None = fy
    elif "{Y}" in template or "{YY}" in template:
        year = y
    elif "{RY}" in template:
        year = py + ry_offset
    elif "{TY}" in template:
        year = py
    elif _has_cue(template) and doc.has_date:
        # a month or 目前 with no year: the publication year, or last year's for a month still to come
        year = py - 1 if "{M}" in template and month > doc.published.month else py
    elif _has_cue(template):
        year = doc.years.last
    else:
        year = doc.para_years.last
    planted: list[Planted] = []

    def fill(m: re.Match[str]) -> str:
        metric, kind, quals, baseline = m.groups()
        made = FIGURES[kind](rng)
        figures = made if isinstance(made, list) else [made]
        before, after, qualifier = _qualify(rng, quals)
        sign = -1.0 if quals == "decline" else 1.0
        for fig in figures:
            # A range or 数十亿 says its own qualifier, unless the figure is a forecast.
            stated = fig.qualifier if qualifier != "forecast" and fig.qualifier is not None else qualifier
            planted.append(Planted(
                surface=fig.surface, value=sign * fig.value, value_high=fig.value_high,
                unit=fig.unit or METRIC_UNITS[metric], metric=metric, qualifier=stated,
                year=y - 1 if baseline else year,
            ))
        return before + "".join(fig.text for fig in figures) + after

    sentence = _SLOT.sub(fill, template.format_map(words))
    if doc.fullwidth:
        sentence = sentence.translate(_FULLWIDTH)
        planted = [_replace_surface(p, p.surface.translate(_FULLWIDTH)) for p in planted]
    if "{Y0}" in template or "{FY}" in template or _is_forecast(template):
        doc.years = doc.para_years = _Years(y - 1 if "{Y0}" in template else year, safe=False)
    elif _has_own_year(template):
        doc.years = doc.para_years = _Years(year, safe=True)
    doc.claims.extend(planted)
    return sentence


_FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def _has_own_year(template: str) -> bool:
    """True when a template states its own year (a level year, 今年 or 去年)."""
    return any(k in template for k in ("{Y}", "{YY}", "{RY}", "{TY}"))


def _has_cue(template: str) -> bool:
    """True when a template without a year of its own names a month or the present (目前), as the
    extractor's year cues do: its figures take the publication year, not a carried one."""
    return not _has_own_year(template) and ("{M}" in template or "目前" in template)


def _is_forecast(template: str) -> bool:
    """True when a template's figures are forecasts: a year it names is not a level to lean on."""
    return any(q in template for q in ("|fc>", "|fcw>", "|pre>"))


def _replace_surface(p: Planted, surface: str) -> Planted:
    """The same claim with another surface (full-width digits)."""
    return Planted(surface, p.value, p.value_high, p.unit, p.metric, p.qualifier, p.year)


def _pick_template(doc: _Doc) -> str:
    """A template whose year the reader can know here: after a forecast or baseline, one with its own."""
    while True:
        template = doc.rng.choice(TEMPLATES)
        if not doc.has_date and ("{RY}" in template or "{TY}" in template):
            continue  # without a publication date 今年 names no year; a real reader would not know it
        if "同比" in template and not _has_own_year(template) and doc.para_years.last is None:
            # A 同比 line in a paragraph with no year yet reads on from a company's results just before it
            # (2022年上半年，某平台营收7亿元。⏎付费收入同比下滑94%): a reader would give it their period.
            continue
        carried = doc.years if _has_cue(template) else doc.para_years
        if carried.safe or _has_own_year(template) or "{FY}" in template:
            return template


def _vary(sentence: str, doc: _Doc) -> str:
    """A seed sentence with this document's expert, outlet and platforms in place of the seed's."""
    names = {_SEED_EXPERT: doc.expert, _SEED_OUTLET: doc.body_outlet, **doc.platforms}
    return _NAMES.sub(lambda m: names[m.group()], sentence)


_NAMES = re.compile("|".join(map(re.escape, (_SEED_EXPERT, _SEED_OUTLET, *_SEED_PLATFORMS))))


def _write_body(doc: _Doc, prose: Prose, target_chars: int) -> None:
    """Paragraphs of recombined seed prose and planted claim sentences, until about target_chars long."""
    rng = doc.rng
    size = 0
    while size < target_chars or len(doc.claims) < 2:
        roll = rng.random()
        if roll < 0.1 and prose.headings:
            text = _vary(rng.choice(prose.headings), doc)
            doc.paragraphs.append(("h", text))
        elif roll < 0.13:
            doc.paragraphs.append(("img", _image_url(rng)))
            continue
        else:
            parts: list[str] = []
            doc.para_years = _Years()
            for _ in range(rng.randint(1, 4)):
                if rng.random() < 0.35:
                    parts.append(_plant(doc, _pick_template(doc)))
                else:
                    parts.extend(_vary(s, doc) for s in _run(doc, prose))
            text = "".join(parts)
            doc.paragraphs.append(("p", text))
        size += len(text)


def _run(doc: _Doc, prose: Prose) -> list[str]:
    """One to three neighbouring seed sentences (they read better than single ones), unused if possible."""
    n = len(prose.sentences)
    start = doc.rng.randrange(n)
    if len(doc.used) < n // 2:
        while start in doc.used:
            start = doc.rng.randrange(n)
    stop = min(n, start + doc.rng.randint(1, 3))
    picked = [i for i in range(start, stop) if i == start or i not in doc.used]
    doc.used.update(picked)
    return [prose.sentences[i] for i in picked]


def _image_url(rng: random.Random) -> str:
    """An image address like the seeds' (a CDN path of letters and digits), never fetched."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return f"https://inews.gtimg.com/om_bt/O{''.join(rng.choices(alphabet, k=44))}/641"


def _url(rng: random.Random, pattern: str, published: pd.Timestamp) -> str:
    """A plausible article address for an outlet's URL pattern."""
    def digits(k: int) -> str:
        return str(rng.randint(10 ** (k - 1), 10**k - 1))

    return pattern.format(
        ymd=published.strftime("%Y%m%d"), y=published.year, m=f"{published.month:02d}",
        d=f"{published.day:02d}", md=published.strftime("%m%d"), n5=digits(5), n8=digits(8),
        n9=digits(9), n13=digits(13), hex32=f"{rng.getrandbits(128):032x}", hex5=f"{rng.getrandbits(20):05X}",
    )


def _title(doc: _Doc, prose: Prose, in_text: bool) -> str:
    """A headline; a year in it counts as a year statement when the title is part of the text."""
    rng = doc.rng
    phrase = rng.choice(prose.short or prose.headings)
    phrase = _vary(phrase, doc)
    subject = rng.choice(SUBJECTS)
    form = rng.randrange(4)
    if form == 0:
        if in_text:
            doc.years = _Years(doc.focus, safe=True)
        return f"{doc.focus}年{subject}行业观察：{phrase}"
    if form == 1:
        return f"{subject}{rng.choice(TOPICS)}：{phrase}"
    if form == 2:
        return f"专访｜{doc.expert}：{phrase}"
    return phrase


def _render(doc: _Doc, fmt: str, prose: Prose, target_chars: int) -> str:
    """The whole file in Simplified script: front matter or head, title, body and source line."""
    rng = doc.rng
    url = _url(rng, dict(OUTLETS)[doc.outlet], doc.published)
    title_in_text = fmt != "md" or rng.random() < 0.3  # Markdown: sometimes a "# title" line too
    title = _title(doc, prose, in_text=title_in_text)
    _write_body(doc, prose, target_chars)
    if fmt == "md":
        return _markdown(doc, title, url, title_in_text)
    if fmt == "html":
        return _html(doc, title, url)
    source = f"来源：{doc.body_outlet}　" if doc.outlet == doc.body_outlet else ""
    body = "\n\n".join(text for kind, text in doc.paragraphs if kind != "img")
    return f"{title}\n{source}发布时间：{doc.published:%Y-%m-%d %H:%M}\n\n{body}\n"


def _markdown(doc: _Doc, title: str, url: str, heading: bool) -> str:
    """Markdown with YAML front matter, like the seeds; the source as fields or as a last-line link."""
    rng = doc.rng
    first = next((text for kind, text in doc.paragraphs if kind == "p"), title)
    link_line = doc.outlet == doc.body_outlet and rng.random() < 0.4
    fields = [
        f"title: {_yaml(title)}",
        f"date: {_yaml(f'{doc.published:%Y-%m-%d %H:%M:%S}')}",
        f"summary: {_yaml(first[:60] + '...')}",
        "categories:",
        f"  - {_yaml(rng.choice(CATEGORIES))}",
        "lang:",
        '  - "zh-CN"',
    ]
    if not link_line:
        fields += [f"source: {_yaml(doc.outlet)}", f"url: {_yaml(url)}"]
    blocks = [f"# {title}"] if heading else []
    for kind, text in doc.paragraphs:
        if kind == "h":
            blocks.append(rng.choice((f"## {text}", f"**{text}**")))
        elif kind == "img":
            blocks.append(f"![图片]({text})")
        else:
            blocks.append(text)
    if link_line:
        blocks.append(f"[{doc.outlet}]({url})")
    return "---\n" + "\n".join(fields) + "\n---\n\n" + "\n\n".join(blocks) + "\n"


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar: JSON strings are valid YAML."""
    return json.dumps(text, ensure_ascii=False)


def _html(doc: _Doc, title: str, url: str) -> str:
    """A simple news page: metadata in the head, the article in <article>, navigation around it."""
    iso = f"{doc.published:%Y-%m-%dT%H:%M:%S}+08:00"
    parts = []
    for kind, text in doc.paragraphs:
        if kind == "h":
            parts.append(f"<h2>{_escape(text)}</h2>")
        elif kind == "img":
            parts.append(f'<figure><img src="{text}" alt=""></figure>')
        else:
            parts.append(f"<p>{_escape(text)}</p>")
    article = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_escape(title)} - {_escape(doc.outlet)}</title>\n"
        f'<meta property="og:site_name" content="{_escape(doc.outlet)}">\n'
        f'<meta property="article:published_time" content="{iso}">\n'
        f'<link rel="canonical" href="{url}">\n</head>\n<body>\n'
        f'<nav><a href="/">首页</a> <a href="/ent/">文娱</a></nav>\n'
        f"<article>\n<h1>{_escape(title)}</h1>\n{article}\n</article>\n"
        f"<footer>版权所有 {_escape(doc.outlet)}</footer>\n</body>\n</html>\n"
    )


def _escape(text: str) -> str:
    """HTML-escape text for an element or attribute."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _new_doc(rng: random.Random, fmt: str, fullwidth: bool) -> _Doc:
    """A document's random choices: date, focus year, names and platforms."""
    days = (LAST_DATE - FIRST_DATE).days
    published = FIRST_DATE + pd.Timedelta(days=rng.randint(0, days), seconds=rng.randint(6 * 3600, 86399))
    outlet = rng.choice(OUTLETS)[0]
    clean_outlets = [name for name, _ in OUTLETS if not _NUMERAL.search(name)]
    # A digit in the name (36氪) would read as a figure in the body, so the body names another outlet.
    body_outlet = outlet if not _NUMERAL.search(outlet) else rng.choice(clean_outlets)
    shuffled = rng.sample(PLATFORMS, len(_SEED_PLATFORMS))
    return _Doc(
        rng=rng,
        published=published,
        has_date=True,  # front matter, <meta> or the "发布时间：" line of a .txt
        focus=published.year - (1 if rng.random() < 0.7 else 0),
        expert=rng.choice(EXPERTS),
        outlet=outlet,
        body_outlet=body_outlet,
        platforms=dict(zip(_SEED_PLATFORMS, shuffled, strict=True)),
        fullwidth=fullwidth,
    )


# --- the corpus --------------------------------------------------------------------------------------


def _assign(rng: random.Random, n: int, shares: dict[str, float]) -> list[str]:
    """Exactly round(share * n) of each label (the first takes the rest), in a shuffled order."""
    labels = list(shares)
    counts = [round(shares[label] * n) for label in labels[1:]]
    out = [labels[0]] * (n - sum(counts))
    for label, count in zip(labels[1:], counts, strict=True):
        out += [label] * count
    rng.shuffle(out)
    return out


def _shares(label: str, share: float) -> dict[str, float]:
    """Shares for a property a few documents have: {"other": 0.9, label: 0.1}."""
    return {"other": 1 - share, label: share}


def _prepare(folder: Path) -> None:
    """Create the folder, or empty one this generator wrote before; refuse anyone else's files."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = [p for p in folder.iterdir() if p.name != MARKER]
    if not entries:
        return
    if not (folder / MARKER).exists() or not all(_OUR_FILE.match(p.name) and p.is_file() for p in entries):
        raise FileExistsError(
            f"{folder} holds files this generator did not write; pass a new or empty folder"
        )
    for p in entries:
        p.unlink()


def write_corpus(folder: Path, n_docs: int, seed: int = 0) -> pd.DataFrame:
    """Write n_docs documents into folder (the same bytes for the same seed); returns the planted claims."""
    if n_docs < 1:
        raise ValueError(f"n_docs is {n_docs}; ask for at least one document")
    folder = Path(folder)
    _prepare(folder)
    prose = seed_prose()
    corpus_rng = random.Random(f"corpus:{seed}")
    formats = _assign(corpus_rng, n_docs, FORMAT_SHARES)
    scripts = _assign(corpus_rng, n_docs, _shares("traditional", TRADITIONAL_SHARE))
    widths = _assign(corpus_rng, n_docs, _shares("fullwidth", FULLWIDTH_SHARE))
    digits = max(3, len(str(n_docs - 1)))
    rows: list[tuple[object, ...]] = []
    for i in range(n_docs):
        rng = random.Random(f"doc:{seed}:{i}")  # one stream per document: a document never shifts another
        fmt = formats[i]
        doc = _new_doc(rng, fmt, widths[i] == "fullwidth")
        text = _render(doc, fmt, prose, target_chars=rng.randint(700, 2600))
        convert = _as_written
        if scripts[i] == "traditional":
            convert = _converter(TRADITIONAL_CONFIGS[i % len(TRADITIONAL_CONFIGS)]).convert
            text = convert(text)
        data = text.encode("utf-8")
        name = f"{i:0{digits}d}_{hashlib.sha256(data).hexdigest()[:16]}.{fmt}"
        (folder / name).write_bytes(data)
        for claim in doc.claims:
            surface = convert(claim.surface)
            if surface not in text:
                raise RuntimeError(f"{name}: planted surface {surface!r} is not in the file; a generator bug")
            rows.append((name, surface, claim.value, claim.value_high, claim.unit, claim.metric,
                         claim.qualifier, claim.year))
    (folder / MARKER).write_text(json.dumps({"docs": n_docs, "seed": seed}) + "\n", "utf-8")
    return _expected_frame(rows)


def _as_written(text: str) -> str:
    """Simplified documents keep their text as generated."""
    return text


def _expected_frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    """The expected claims table, each column with its dtype in extract/schema.py."""
    dtypes = {col.name: col.dtype for col in (*TABLES["documents"], *TABLES["claims"])}
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(EXPECTED_COLUMNS)
    data = {name: pd.array(list(col), dtype=dtypes[name]) for name, col in zip(EXPECTED_COLUMNS, columns,
                                                                               strict=True)}
    return pd.DataFrame(data)


# --- scoring an extraction ---------------------------------------------------------------------------

_FIELDS = (C.value, C.value_high, C.unit, C.metric, C.qualifier, C.year)


def compare_claims(expected: pd.DataFrame, corpus: Corpus) -> pd.DataFrame:
    """One row per planted or extracted claim: status ok, wrong (problem says which fields), missed or extra.

    Claims pair up by file, surface and the surface's occurrence in the file, so a figure written twice in a
    document is matched in order.
    """
    names = corpus.documents.set_index(C.doc_id)[C.file_name]
    found = corpus.claims.assign(**{C.file_name: corpus.claims[C.doc_id].map(names)})
    found = found[list(EXPECTED_COLUMNS)]
    key = [C.file_name, C.surface, "occurrence"]
    left = expected.assign(occurrence=expected.groupby([C.file_name, C.surface]).cumcount())
    right = found.assign(occurrence=found.groupby([C.file_name, C.surface]).cumcount())
    pairs = left.merge(right, on=key, how="outer", suffixes=("", "_found"), indicator=True)
    checks = {name: _same(pairs[name], pairs[f"{name}_found"], name) for name in _FIELDS}
    right_all = np.logical_and.reduce(list(checks.values()))
    status = np.select(
        [pairs["_merge"] == "left_only", pairs["_merge"] == "right_only", right_all],
        ["missed", "extra", "ok"],
        default="wrong",
    )
    problems = [
        "; ".join(
            f"{name} {_show(pairs.at[i, name + '_found'])}, expected {_show(pairs.at[i, name])}"
            for name in _FIELDS if not checks[name][i]
        ) if s == "wrong" else ""
        for i, s in enumerate(status)
    ]
    report = pd.DataFrame({
        C.file_name: pairs[C.file_name], C.surface: pairs[C.surface], "status": status, "problem": problems,
    })
    return report.sort_values([C.file_name, "status"], kind="stable").reset_index(drop=True)


def _show(value: object) -> str:
    """A value for a mismatch message: NA when missing, numbers without numpy's type names."""
    return "NA" if pd.isna(value) else str(value)  # type: ignore[arg-type]


def _same(a: pd.Series, b: pd.Series, name: str) -> np.ndarray:
    """Element-wise equality where two missing values agree; numbers agree to a relative 1e-9."""
    if name in {C.value, C.value_high}:
        x, y = a.to_numpy(dtype=float, na_value=np.nan), b.to_numpy(dtype=float, na_value=np.nan)
        return (np.isnan(x) & np.isnan(y)) | np.isclose(x, y, rtol=1e-9, atol=0.0)
    return np.array([
        (pd.isna(u) and pd.isna(v)) or (not pd.isna(u) and not pd.isna(v) and u == v)
        for u, v in zip(a.tolist(), b.tolist(), strict=True)
    ], dtype=bool)


def score(report: pd.DataFrame) -> dict[str, float]:
    """Counts by status, with precision (ok / extracted) and recall (ok / planted) of whole claims."""
    counts = report["status"].value_counts()
    ok, wrong, missed, extra = (int(counts.get(s, 0)) for s in ("ok", "wrong", "missed", "extra"))
    extracted, planted = ok + wrong + extra, ok + wrong + missed
    return {
        "ok": ok, "wrong": wrong, "missed": missed, "extra": extra,
        "precision": ok / extracted if extracted else 1.0,
        "recall": ok / planted if planted else 1.0,
    }


def describe_mismatches(report: pd.DataFrame, limit: int = 20) -> str:
    """The first ``limit`` mismatches, one per line, for an assertion message or the console."""
    bad = report[report["status"] != "ok"]
    rows = bad[:limit].itertuples()
    lines = [f"{r.file_name}  {r.surface}  {r.status}  {r.problem}".rstrip() for r in rows]
    if len(bad) > limit:
        lines.append(f"... and {len(bad) - limit} more")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the corpus, print its size, and with --check extract it and print precision and recall."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder: new, empty, or written by this tool")
    parser.add_argument("--docs", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed writes the same bytes")
    parser.add_argument("--expected", type=Path, help="also write the expected claims to this CSV file")
    parser.add_argument("--check", action="store_true", help="extract the corpus and score it against them")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="extraction processes")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    expected = write_corpus(args.out, args.docs, seed=args.seed)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.name != MARKER)
    print(f"wrote {args.docs} documents, {size / 1e6:.1f} MB, {len(expected)} planted claims "
          f"to {args.out} in {seconds:.1f} s")
    if args.expected:
        expected.to_csv(args.expected, index=False)
        print(f"expected claims: {args.expected}")
    if not args.check:
        return 0
    started = time.perf_counter()
    corpus = extract_corpus([args.out], workers=args.workers, use_cache=False)
    seconds = time.perf_counter() - started
    report = compare_claims(expected, corpus)
    s = score(report)
    print(f"extracted {len(corpus.claims)} claims from {len(corpus.documents)} documents in {seconds:.1f} s "
          f"({len(corpus.errors)} errors)")
    print(f"precision {s['precision']:.4f}  recall {s['recall']:.4f}  "
          f"(ok {s['ok']}, wrong {s['wrong']}, missed {s['missed']}, extra {s['extra']})")
    if s["wrong"] or s["missed"] or s["extra"] or len(corpus.errors):
        print(describe_mismatches(report))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
