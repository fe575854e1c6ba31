"""Whom a figure belongs to (its entity: a platform or company) and whom the text attributes it to
(its cited source: a report or institution), from the lexicons in extract/lexicon/.

Both are read on the match form of the text (extract/normalize.py), so Traditional spellings count.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extract.lexmatch import TermPattern, compile_terms, find_terms
from extract.mentions import mention_owner
from extract.normalize import to_match_form

# Mentions that name a kind of channel, not one platform or company.
_NOT_ENTITIES = frozenset({"小程序", "微信"})
# Between an entity and its figure, these say the figure is about the whole industry or one work.
_BREAKS_ENTITY = re.compile(r"《|行业|全行业|市场规模|全国|我国|中国|全网|整体|海外|全球|国内|等")
# A sentence without its own source takes the document's last one only when it points back to it.
_POINTS_BACK = re.compile(
    r"报告|白皮书|蓝皮书|数据显示|显示|指出|预计|预测|测算|统计|调查|调研|研究|《[^《》]{1,8}》"
)
# A figure without an entity in its sentence belongs to the document's last one when it says so (公司营收).
# 公司 and 集团 point back (公司营收, 是公司归母净利润), but not as the head of a kind of company
# (广告营销公司占比50%, 影视公司, 子公司).
_REFERS_BACK = re.compile(
    r"(?<!营销)(?<!影视)(?<!传媒)(?<!制作)(?<!文化)(?<!上市)(?<!广告)(?<!游戏)(?<!投资)(?<!经纪)(?<!发行)"
    r"(?<!出品)(?<!短剧)(?<!头部)(?<!中小)(?<!相关)(?<!MCN)(?<!子)(?:公司|集团)"
    r"|该平台|平台方|其|旗下|财报|年报|季报|本季度|报告期"
)
# A platform's own measures (月活, 日活) and a company's own accounts (营收, 净亏损): a sentence with one and
# no entity of its own speaks of the paragraph's last (中文在线发布三季报。前三季度实现营收10.11亿元).
_OWN_MEASURE = re.compile(
    r"月活|日活|MAU|DAU|月度活跃|日均活跃"
    r"|营收|营业收入|净利润|净亏损|亏损|归母|毛利率|净利率|销售费用|研发费用|研发投入|单季",
    re.I,
)
# Words that point back to a company (its accounts), not to a platform or app.
_COMPANY_WORDS = re.compile(r"公司|集团|财报|年报|季报|报告期|归母|营业总收入|营业收入")
# A byline or header line (文 | 某机构, 来源：…) names who wrote the page, not whom a figure cites.
_BYLINE = re.compile(
    r"(?:^|\n)[ \t]*(?:文|作者|来源|出品|编辑|责编|撰文|图|原创|出处|稿源|编译)[ \t]*[|｜:：/][^\n]*"
)
# A report title that no lexicon entry claims is its own cited source.
_REPORT_TITLE = re.compile(
    r"《[^《》\n]{2,40}(?:报告|白皮书|蓝皮书|研究|洞察|指数|榜单|数据)[^《》\n]{0,12}》"
)


@dataclass(frozen=True)
class Attribution:
    """The entity and source mentions of one text, sorted by position, for lookups per figure."""

    entity_starts: list[int]
    entity_ends: list[int]
    entity_names: list[str]
    entity_companies: list[bool]  # a company (中文在线), not a platform or app (ReelShort)
    source_starts: list[int]
    source_names: list[str]
    main_company: str | None = None  # the company a text is about (see _main_company)


@lru_cache(maxsize=1)
def _companies() -> frozenset[str]:
    """Canonical names of the companies (mentions.toml [company]), as against platforms and apps."""
    return frozenset(name for category, name in mention_owner().values() if category == "company")


@lru_cache(maxsize=1)
def _entity_pattern() -> tuple[TermPattern, dict[str, str]]:
    """The regex of every platform and company spelling, and the canonical name of each."""
    names = {
        spelling: name
        for spelling, (category, name) in mention_owner().items()
        if category in {"platform", "company"} and name not in _NOT_ENTITIES
    }
    return compile_terms(names), names


@dataclass(frozen=True)
class _Sources:
    """The parsed sources.toml."""

    pattern: TermPattern
    owner: dict[str, str]
    cue_only: frozenset[str]
    before: tuple[str, ...]
    after: tuple[str, ...]
    institution: re.Pattern[str]
    suffix: re.Pattern[str]
    suffix_max: int
    generic: tuple[str, ...]
    latin_generic: frozenset[str]


@lru_cache(maxsize=1)
def _sources() -> _Sources:
    """The source lexicon from extract/lexicon/sources.toml, loaded once."""
    raw = tomllib.loads(resources.files("extract").joinpath("lexicon/sources.toml").read_text("utf-8"))
    owner: dict[str, str] = {}
    for name, aliases in raw["sources"].items():
        for spelling in (name, *aliases):
            owner[to_match_form(spelling)] = name
    return _Sources(
        pattern=compile_terms(owner),
        owner=owner,
        cue_only=frozenset(raw["cue_only"]["names"]),
        before=tuple(raw["cues"]["before"]),
        after=tuple(sorted(raw["cues"]["after"], key=len, reverse=True)),
        institution=re.compile(
            r"(?:(?![据由经在从和与及的自是为])[\u4e00-\u9fff]){2,6}(?:"
            + "|".join(map(re.escape, raw["institutions"]["suffixes"])) + ")"
        ),
        suffix=re.compile("|".join(map(re.escape, raw["institutions"]["suffixes"]))),
        suffix_max=max(map(len, raw["institutions"]["suffixes"])),
        generic=tuple(raw["institutions"]["generic"]),
        latin_generic=frozenset(raw["institutions"]["latin_generic"]),
    )


def canonical_source(name: str) -> str:
    """A cited source as the claims table writes it: the lexicon's name for a spelling it knows
    (``canonical_source("CNNIC")``), else the name without spaces (so 《2025 年…报告》 matches)."""
    return _sources().owner.get(to_match_form(name.strip()), "".join(name.split()))


def attribution(match_text: str) -> Attribution:
    """Every entity and cited-source mention of a text, e.g. 据QuestMobile… -> source QuestMobile."""
    pattern, names = _entity_pattern()
    ent = [(s, e, names[t]) for s, e, t in find_terms(pattern, match_text)]
    src = _source_mentions(match_text)
    companies = [n in _companies() for _, _, n in ent]
    src = _entity_sources(match_text, ent, src)
    return Attribution(
        entity_starts=[s for s, _, _ in ent],
        entity_ends=[e for _, e, _ in ent],
        entity_names=[n for _, _, n in ent],
        entity_companies=companies,
        source_starts=[s for s, _ in src],
        source_names=[n for _, n in src],
        main_company=_main_company([n for (_, _, n), c in zip(ent, companies, strict=True) if c]),
    )


# A platform or company as the source of data (微博数据显示, 据Netflix日本站数据), and an outlet named in
# 《》 after 据 (据《Tech星球》报道).
_ENTITY_DATA = re.compile(r"[^，,。；;\s]{0,6}?(?:数据|统计|调研|调查)(?P<verb>显示|表明|称|指出|发现)?")
_CITED_BEFORE = re.compile(r"(?:据|根据|援引)\s*$")
_OUTLET_TITLE = re.compile(
    r"(?:据|根据)\s*《(?P<name>[^《》\n]{1,20})》\s*(?:的)?(?:报道|消息|援引|披露|统计)"
)


def _entity_sources(match_text: str, ent: list[tuple[int, int, str]],
                    src: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``src`` with the platforms and companies cited for data and the outlets cited by 《name》."""
    taken = {start for start, _ in src}
    extra: list[tuple[int, str]] = []
    for start, end, name in ent:
        m = _ENTITY_DATA.match(match_text, end)
        cue = _CITED_BEFORE.search(match_text, max(0, start - 3), start)
        cited = m is not None and (m.group("verb") or cue)
        if cited and start not in taken:
            extra.append((start, name))  # 微博数据显示, 据Netflix日本站数据
    for m in _OUTLET_TITLE.finditer(match_text):
        if m.start("name") - 1 not in taken:
            extra.append((m.start("name") - 1, "".join(m.group("name").split())))
    return sorted([*src, *extra]) if extra else src


def _main_company(named: list[str]) -> str | None:
    """The company a text is about: named at least twice and in at least two thirds of its company
    mentions (an earnings story names its company throughout, a market overview many)."""
    if not named:
        return None
    top = max(set(named), key=named.count)
    count = named.count(top)
    return top if count >= 2 and count * 3 >= len(named) * 2 else None


def _source_mentions(match_text: str) -> list[tuple[int, str]]:
    """(start, canonical name) of each cited source: lexicon names, and report titles no name claims."""
    lex = _sources()
    found: list[tuple[int, str]] = []
    claimed: list[tuple[int, int]] = []
    bylines = [(m.start(), m.end()) for m in _BYLINE.finditer(match_text)]
    for start, end, term in find_terms(lex.pattern, match_text):
        if any(lo <= start < hi for lo, hi in bylines):
            continue
        name = lex.owner[term]
        if name in lex.cue_only and not _cued(match_text, start, end, lex):
            continue
        found.append((start, name))
        claimed.append((start, end))
    # The pattern opens on any Han character, so it runs only on a text that names a bureau.
    named = "广电局" in match_text or "广播电视局" in match_text
    for m in _REGIONAL_BUREAU.finditer(match_text) if named else ():
        if not any(s <= m.start() < e for s, e in claimed):
            found.append((m.start(), m.group("where") + "广播电视局"))  # 北京市广电局 is 北京市广播电视局
            claimed.append((m.start(), m.end()))
    for m in _institutions(match_text, lex):
        if not _unclaimed(m, claimed, bylines) or m.group().startswith(lex.generic):
            continue
        if _cued(match_text, m.start(), m.end(), lex):
            found.append((m.start(), m.group()))  # 根据东吴证券的《传媒行业深度报告》: the broker
            claimed.append((m.start(), m.end()))
    for m in _LATIN_NAME.finditer(match_text):
        if m.group() in lex.latin_generic or len(m.group()) < 3 or not _unclaimed(m, claimed, bylines):
            continue
        dated = _DATED.match(match_text, m.end())  # Data.ai 2024年数据显示: the data's year between
        end = dated.end() if dated else m.end()
        glued = "\u4e00" <= match_text[m.end() : m.end() + 1] <= "\u9fff"
        if glued and not match_text.startswith(lex.after, end):
            continue  # Tech星球: the Latin letters open a longer name
        if _cued(match_text, m.start(), end, lex):
            found.append((m.start(), m.group().rstrip(" &")))
            claimed.append((m.start(), m.end()))
    for m in _REPORT_TITLE.finditer(match_text):
        inside = any(s >= m.start() and e <= m.end() for s, e in claimed)
        if not inside and not _is_alias_title(m.group(), claimed, m.start()):
            found.append((m.start(), "".join(m.group().split())))  # 《2025 年…报告》 is 《2025年…报告》
    found.sort()
    return found


def _unclaimed(m: re.Match[str], claimed: list[tuple[int, int]], bylines: list[tuple[int, int]]) -> bool:
    """True when the name ``m`` overlaps no name found before it and starts in no byline (文 | 某机构)."""
    if any(s <= m.start() < e or s < m.end() <= e for s, e in claimed):
        return False
    return not any(lo <= m.start() < hi for lo, hi in bylines)


def _institutions(match_text: str, lex: _Sources) -> Iterator[re.Match[str]]:
    """``lex.institution.finditer(match_text)``, run only around the suffixes (证券, 研究院): a name opens at
    most ``_INSTITUTION_HEAD`` characters before its suffix, so no match starts or ends outside those
    windows, and the pattern, which opens on any Han character, never crawls the rest of the text."""
    windows: list[list[int]] = []
    for m in lex.suffix.finditer(match_text):
        lo, hi = max(0, m.start() - _INSTITUTION_HEAD), m.start() + lex.suffix_max
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        yield from lex.institution.finditer(match_text, lo, min(hi, len(match_text)))


_INSTITUTION_HEAD = 6  # the most characters of a name before its suffix, as lex.institution reads it


# A name in Latin letters, of capitalised words (Data.ai, Owl & Co., New York Digital Media Group).
_LATIN_WORD = r"(?!(?:Q[1-4]|H[12])(?![A-Za-z0-9]))[A-Z][A-Za-z0-9'\-]*(?:\.[A-Za-z0-9]+)*\.?"
_LATIN_NAME = re.compile(rf"(?<![A-Za-z0-9.]){_LATIN_WORD}(?: (?:&|of|and|{_LATIN_WORD}))*(?![A-Za-z0-9])")
_DATED = re.compile(r"\s*(?:(?:19|20)\d{2}\s*年?)?\s*(?:(?:Q[1-4]|H[12])\s*)?(?:的)?")


# A province's or city's broadcasting bureau (北京市广播电视局, 广东省广电局), a source in its own right.
_REGIONAL_BUREAU = re.compile(
    r"(?P<where>(?:(?![据由经在从和与及的如])[\u4e00-\u9fff]){2,3}(?:省|市|自治区))(?:广播电视局|广电局)"
)


def _is_alias_title(title: str, claimed: list[tuple[int, int]], at: int) -> bool:
    """True for 《白皮书》 (a short back-reference to a report named before) and for the report of an
    institution named just before it (中国网络视听协会发布的《…报告》 cites the association)."""
    if len(title) <= 8 and any(e <= at for _, e in claimed):
        return True
    return any(0 <= at - e <= 8 for _, e in claimed)


def _cued(match_text: str, start: int, end: int, lex: _Sources) -> bool:
    """True when a cue word (据, 数据显示) stands right before or after a name."""
    before = match_text[max(0, start - 4) : start]
    after = match_text[end : end + 6]
    return any(before.endswith(w) for w in lex.before) or any(after.startswith(w) for w in lex.after)


def entity_for(att: Attribution, match_text: str, pos: int, lo: int) -> str | None:
    """The platform or company nearest before ``pos`` (a figure) and after ``lo`` (its sentence start),
    unless words between say the figure is industry-wide or about one work, or it is a list (抖音、快手等);
    a sentence without one that points back (公司营收) takes the document's last."""
    i = bisect.bisect_right(att.entity_ends, pos) - 1
    if i < 0:
        return _accounts_of(att, match_text[lo:pos])  # a lead before the company is first named
    if att.entity_starts[i] < lo:
        before = match_text[lo:pos]
        if _BREAKS_ENTITY.search(before) or _closes_list(att, match_text, i):
            return None  # …(欢瑞世纪、慈文传媒、华策影视)营收合计13.58亿元。归母净利润合计: all five's
        if not _REFERS_BACK.search(before):
            # 月活/日活 are a platform's own: 2026年初逼近3亿 after 红果短剧… in its paragraph is 红果's
            if not (_OWN_MEASURE.search(before) and "\n" not in match_text[att.entity_ends[i] : pos]):
                return _accounts_of(att, before)
            return att.entity_names[i]
        if _COMPANY_WORDS.search(before):  # 公司营收, 归母净亏损: the company, not its app named since
            j = next((k for k in range(i, -1, -1) if att.entity_companies[k]), None)
            if j is not None:
                return att.entity_names[j]
        return att.entity_names[i]
    between = match_text[att.entity_ends[i] : pos]
    if _BREAKS_ENTITY.search(between):
        return None
    if _PLACE_BEFORE.search(match_text, max(0, att.entity_starts[i] - 3), att.entity_starts[i]) and (
            _PLACE_AFTER.match(between) or match_text.endswith("入驻", 0, att.entity_starts[i])):
        return None  # 在TikTok上话题浏览量达172亿次, 入驻YouTube: where it is shown, not whose figure it is
    if _compared_with(att, match_text, i):  # 红果短剧月活1.58亿，与优酷的差距只剩3000万: 红果's gap
        earlier = i - 1 if i > 0 and att.entity_starts[i - 1] >= lo else None
        return att.entity_names[earlier] if earlier is not None else None
    if i > 0 and att.entity_starts[i - 1] >= lo and _closes_list(att, match_text, i):
        return None  # 抖音、快手上线…: several platforms share the figure
    return att.entity_names[i]


# A company's own accounts: in a text about one company, a sentence with one and no entity is that company's.
_ACCOUNTS = re.compile(
    r"营收|营业收入|营业总收入|净利润|归母|扣非|净亏损|毛利率|净利率|销售费用|研发费用|单季"
)


def _accounts_of(att: Attribution, before: str) -> str | None:
    """The text's own company for a figure of its accounts that names no entity (单季营收4.55亿元 in a
    story about one company, also in a later paragraph or a lead before the company is named), else None."""
    if att.main_company is None or not _ACCOUNTS.search(before) or _BREAKS_ENTITY.search(before):
        return None
    return att.main_company


_PLACE_BEFORE = re.compile(r"(?:在|于|入驻|登陆)\s*$")
_PLACE_AFTER = re.compile(r"\s*(?:[A-Za-z ]{0,10})?(?:平台)?上")
_COMPARED_BEFORE = re.compile(r"(?:与|和|同|跟)\s*$")
_COMPARED_AFTER = re.compile(r"\s*(?:之间)?(?:的)?\s*(?:差距|相差|相比|差额)")


def _compared_with(att: Attribution, match_text: str, i: int) -> bool:
    """True when entity ``i`` is only what the figure's entity is compared with (与优酷的差距)."""
    start, end = att.entity_starts[i], att.entity_ends[i]
    return bool(_COMPARED_BEFORE.search(match_text, max(0, start - 2), start)
                and _COMPARED_AFTER.match(match_text, end))


def _closes_list(att: Attribution, match_text: str, i: int) -> bool:
    """True when entity ``i`` ends a list of entities (抖音、快手, 欢瑞世纪、慈文传媒和华策影视)."""
    return i > 0 and bool(re.fullmatch(
        r"\s*[、和与及]\s*", match_text[att.entity_ends[i - 1] : att.entity_starts[i]]
    ))


def entities_between(att: Attribution, lo: int, hi: int) -> list[str]:
    """The distinct entities named between ``lo`` and ``hi``, in the order first named."""
    i = bisect.bisect_left(att.entity_starts, lo)
    names: list[str] = []
    while i < len(att.entity_starts) and att.entity_ends[i] <= hi:
        if att.entity_names[i] not in names:
            names.append(att.entity_names[i])
        i += 1
    return names


_LIST_REACH = 24  # characters from one listed source's start to the next's


def _in_a_list(att: Attribution, match_text: str, i: int, sent_start: int) -> bool:
    """True when source ``i`` closes a list of sources (用QuestMobile、巨量引擎等七方数据): the figure rests
    on all of them, so on no one source."""
    start = att.source_starts[i]
    return (
        i > 0
        and att.source_starts[i - 1] >= sent_start
        and start - att.source_starts[i - 1] <= _LIST_REACH
        and match_text[start - 1 : start] in ("、", "和", "与", "及", "/")
        and att.source_names[i - 1] != att.source_names[i]
    )


def _company_before(att: Attribution, match_text: str, at: int) -> str | None:
    """The company named last before ``at`` in its paragraph, within a sentence or two, else None."""
    i = bisect.bisect_right(att.entity_ends, at) - 1
    para = match_text.rfind("\n", 0, at) + 1
    while i >= 0 and att.entity_starts[i] >= max(para, at - 80):
        if att.entity_companies[i]:
            return att.entity_names[i]
        i -= 1
    return None


# A company's own accounts as the source of a figure: 财报显示, 年报披露, 半年报称.
_OWN_REPORT = re.compile(r"(?:财报|年报|半年报|季报|业绩公告|业绩报告)(?:显示|披露|称|指出|数据)")


def source_for(att: Attribution, match_text: str, pos: int, sent_start: int, sent_end: int,
               own: str | None = None) -> str | None:
    """The source the figure's sentence cites (nearest before the figure, else after it in the sentence),
    else, when the sentence points back to one (报告显示, 《白皮书》指出) or its paragraph named one before
    it (据X，…。其中…), the last its document named; a company's own accounts (财报显示) cite the company,
    ``own`` (the figure's entity), never an earlier report."""
    i = bisect.bisect_left(att.source_starts, pos) - 1
    if i >= 0 and att.source_starts[i] >= sent_start:
        return None if _in_a_list(att, match_text, i, sent_start) else att.source_names[i]
    j = i + 1
    if j < len(att.source_starts) and att.source_starts[j] < sent_end:
        return att.source_names[j]
    report = _OWN_REPORT.search(match_text, sent_start, pos)
    if report is not None:
        # 5月21日公布的财报显示，公司一季度总收入为71.9亿元: the company's, not 云合数据's; the company that
        # published the report when it is named just before (中文在线的半年报中…。财报显示，其投资的枫叶互动…)
        return _company_before(att, match_text, report.start()) or own
    if i >= 0 and _POINTS_BACK.search(match_text[sent_start:sent_end]):
        return att.source_names[i]
    if i >= 0 and "\n" not in match_text[att.source_starts[i] : pos]:
        return att.source_names[i]  # 据X，2023年…。其中…: a paragraph that opens with its source keeps it
    return None
