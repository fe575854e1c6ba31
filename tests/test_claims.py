"""Claims: the seed's five figures field by field, non-claims, and general news patterns."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract import extract_claims, find_numbers
from extract.corpus import load_document
from extract.schema import C, columns

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_346428899b60929e.md"

# (surface, context that must be in the sentence, value, value_high, unit, metric, qualifier, year)
SEED_CLAIMS = [
    ("2.2亿", "《金猪玉叶》", 220_000_000, None, "play", "plays", "lower_bound", 2024),
    ("千万", "《一姐》上线24小时充值破千万", 10_000_000, None, "CNY", "revenue", "lower_bound", 2024),
    ("18到35岁", "年轻群体", 18, 35, "age", "age", "range", 2024),
    ("504.4亿元", "市场规模", 50_440_000_000, None, "CNY", "market_size", "exact", 2024),
    ("64.7万个", "就业岗位", 647_000, None, "job", "jobs", "exact", 2024),
]


@pytest.fixture(scope="module")
def seed_claims() -> pd.DataFrame:
    """Claims of the bundled seed article's body text."""
    return extract_claims(load_document(SEED).text)


def test_seed_has_exactly_the_five_claims(seed_claims: pd.DataFrame) -> None:
    assert seed_claims[C.surface].tolist() == [c[0] for c in SEED_CLAIMS]


@pytest.mark.parametrize(
    ("surface", "context", "value", "high", "unit", "metric", "qualifier", "year"), SEED_CLAIMS
)
def test_seed_claim_fields(
    seed_claims: pd.DataFrame,
    surface: str,
    context: str,
    value: float,
    high: float | None,
    unit: str,
    metric: str,
    qualifier: str,
    year: int,
) -> None:
    row = seed_claims[seed_claims[C.surface] == surface].iloc[0]
    assert row[C.value] == pytest.approx(value)
    assert (math.isnan(row[C.value_high]) if high is None else row[C.value_high] == pytest.approx(high))
    assert (row[C.unit], row[C.metric], row[C.qualifier], row[C.year]) == (unit, metric, qualifier, year)
    assert context in row[C.sentence]
    assert row[C.subject]


def test_seed_spans_point_into_the_text(seed_claims: pd.DataFrame) -> None:
    text = load_document(SEED).text
    for row in seed_claims.itertuples(index=False):
        assert text[row.start : row.end] == row.surface
        assert row.surface in row.sentence


@pytest.mark.parametrize(
    "text",
    [
        "2024年，微短剧行业经历了变革。",
        "6月国家广播电视总局发布通知。11月6日正式生效。",
        "第一季播放量很高，第二个关键词是精品化。",
        "行业精品化与未来之路：四大障碍与四重挑战",
        "面对五个发展趋势，行业应设立质量认证机制",
        "形成“多元一体”的短剧模型，打破一次性流量变现，减少一刀切现象。",
        "主旋律微短剧已经开始在市场中占据着一席之地。",
        "三线及以下城市的下沉市场用户也是主要的受众群。",
        "由黄晓明出品的短剧《一姐》大获成功。",
        "详见 https://inews.gtimg.com/om_bt/O5QqK97IqVLfOu/641 和 ![图片](https://x.com/a/2024/641)",
        "咨询电话：13812345678，或010-62345678。",
        "《2024微短剧行业生态洞察报告》发布",
        "千万不要错过，亿万观众。",
        "发布时间：2025-02-10 08:10:30",
    ],
)
def test_non_claims(text: str) -> None:
    assert extract_claims(text).empty, extract_claims(text)[[C.surface]].to_dict("records")


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "metric", "qualifier"),
    [
        ("2023年微短剧市场规模为373.9亿元。", "373.9亿元", 37_390_000_000, "CNY", "market_size", "exact"),
        ("預計2025年市場規模將突破680億元。", "680億元", 68_000_000_000, "CNY", "market_size", "forecast"),
        ("该剧上线首日播放量超过5000万次。", "5000万次", 50_000_000, "play", "plays", "lower_bound"),
        ("用户规模达5.76亿人，占网民整体的52.4%。", "5.76亿人", 576_000_000, "person", "users", "exact"),
        ("用户规模达5.76亿人，占网民整体的52.4%。", "52.4%", 52.4, "percent", "share", "exact"),
        ("付费收入同比增长30%。", "30%", 30, "percent", "growth", "exact"),
        ("全年共上线新剧约3000部。", "3000部", 3000, "work", "works", "approximate"),
        ("出海短剧应用下载量近4亿次", "4亿次", 400_000_000, "download", "downloads", "approximate"),
        ("海外收入达2.3亿美元", "2.3亿美元", 230_000_000, "USD", "revenue", "exact"),
        ("全国有十余万家相关企业", "十余万家", 100_000, "company", "companies", "lower_bound"),
        ("免费短剧占比已达三成", "三成", 30, "percent", "share", "exact"),
        ("平台获得融资1,100万元", "1,100万元", 11_000_000, "CNY", "investment", "exact"),
        ("单集时长1-3分钟", "1-3分钟", 1, "minute", "duration", "range"),
        ("市场规模为５０４．４亿元", "５０４．４亿元", 50_440_000_000, "CNY", "market_size", "exact"),
        ("用户规模6. 62亿", "6. 62亿", 662_000_000, "person", "users", "exact"),
        ("当天股价大涨10%", "10%", 10, "percent", "growth", "exact"),
        ("预计规模将达680亿元，2027年有望突破1000亿元", "1000亿元", 1e11, "CNY", "market_size", "forecast"),
        ("市值达到200亿港元", "200亿港元", 2e10, "HKD", "other", "exact"),
    ],
)
def test_news_claims(text: str, surface: str, value: float, unit: str, metric: str, qualifier: str) -> None:
    claims = extract_claims(text)
    row = claims[claims[C.surface] == surface]
    assert len(row) == 1, claims[[C.surface]].to_dict("records")
    got = row.iloc[0]
    assert got[C.value] == pytest.approx(value)
    assert (got[C.unit], got[C.metric], got[C.qualifier]) == (unit, metric, qualifier)


def test_shared_unit_in_a_list() -> None:
    claims = extract_claims("两家平台的收入分别为3.2亿、2.8亿元。")
    assert claims[C.surface].tolist() == ["3.2亿", "2.8亿元"]
    assert claims[C.unit].tolist() == ["CNY", "CNY"]
    assert claims[C.value].tolist() == pytest.approx([320_000_000, 280_000_000])


def test_shared_subject_before_fenbie() -> None:
    claims = extract_claims("ReelShort、DramaBox的收入分别为4.7亿、3.2亿美元。")
    assert claims[C.subject].tolist() == ["收入", "收入"]
    assert claims[C.unit].tolist() == ["USD", "USD"]


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "unit"),
    [
        ("单部制作成本从10万元到100万元不等", "10万元到100万元", 100_000, 1_000_000, "CNY"),
        ("用户年龄在18岁至35岁之间", "18岁至35岁", 18, 35, "age"),
        ("单集时长1-3分钟", "1-3分钟", 1, 3, "minute"),
    ],
)
def test_ranges(text: str, surface: str, low: float, high: float, unit: str) -> None:
    row = extract_claims(text).iloc[0]
    assert (row[C.surface], row[C.value], row[C.value_high], row[C.unit]) == (surface, low, high, unit)
    assert row[C.qualifier] == "range"


@pytest.mark.parametrize("text", [
    "报告全文共 36 页",  # page furniture, with a space before the number too
    "多数开发者的平均ROI不足1.5",  # a ratio of two amounts, past a bound word
    "其收入已接近行业龙头的一半",  # half of another amount, a ratio
    "看到一半就关掉了",  # halfway
    "公司每收入100元，就有80元花在了买量上",  # a ratio restated per hundred yuan, neither sum a figure
])
def test_page_furniture_ratios_and_halves_of_another_amount_are_not_claims(text: str) -> None:
    assert extract_claims(text).empty


@pytest.mark.parametrize(
    ("text", "surface", "qualifier"),
    [
        ("这类项目的投入一般在百万级", "百万级", "lower_bound"),  # an order of magnitude: at least that
        ("单集成本已从千元级升到万元级", "千元", "lower_bound"),
        ("对优秀作品最高奖励¥200万", "200万", "upper_bound"),
        ("近30天该应用日均下载约50万次", "30天", "exact"),  # the last 30 days, not nearly 30
    ],
)
def test_magnitudes_caps_and_recent_spans(text: str, surface: str, qualifier: str) -> None:
    assert extract_claims(text).set_index(C.surface).loc[surface, C.qualifier] == qualifier


@pytest.mark.parametrize(("text", "surface", "value"), [("主演的粉丝数量要达到一万以上", "一万", 1e4),
                                                      ("据说影视城有十万多注册群演", "十万多", 1e5)])
def test_a_round_number_in_words_with_a_suffix_is_a_figure(text: str, surface: str, value: float) -> None:
    row = extract_claims(text).iloc[0]
    assert (row[C.surface], row[C.value], row[C.qualifier]) == (surface, value, "lower_bound")


def test_a_monthly_price_is_no_per_hundred_basis() -> None:
    assert extract_claims("会员每月100元")[C.surface].tolist() == ["100元"]


def test_a_few_dozen_seconds_is_a_manner_of_speaking() -> None:
    assert extract_claims("单集时长从几十秒到15分钟不等")[C.surface].tolist() == ["15分钟"]


def test_half_of_a_whole_is_still_a_share() -> None:
    row = extract_claims("受访用户中的一半每天都看短剧").iloc[0]
    assert (row[C.surface], row[C.metric], row[C.value]) == ("一半", "share", 50.0)


@pytest.mark.parametrize("text", ["平台分账比例为7:3", "有近1/3为AI辅助制作", "首播时间20:30"])
def test_ratios_fractions_and_times_are_not_claims(text: str) -> None:
    assert extract_claims(text).empty


def test_year_comes_from_the_nearest_preceding_statement() -> None:
    text = "2023年行业起步。同年用户增长。次年，平台播放量突破10亿。"
    assert extract_claims(text)[C.year].tolist() == [2023]
    assert extract_claims("市场规模达100亿元（2022年）")[C.year].tolist() == [2022]
    assert extract_claims("市场规模达100亿元")[C.year].isna().all()


def test_columns_follow_the_schema() -> None:
    wanted = [c for c in columns("claims") if c not in (C.doc_id, C.claim_id, C.themes, C.sent_id)]
    assert extract_claims("规模达100亿元").columns.tolist() == wanted


_NUMERIC = st.sampled_from(list("0123456789.,%万亿千百十一二三四五六七八九两零多余约超突破达元个岁"))
_TEXTY = st.sampled_from(list("年月到至-～ 《》第：，。\n"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_NUMERIC | _TEXTY | st.characters(), max_size=80))
@example("规模达504.4亿元\ud800")  # a lone surrogate in a claim's sentence once broke the Arrow column
def test_never_raises_and_spans_hold(text: str) -> None:
    claims = extract_claims(text)
    for row in claims.itertuples(index=False):
        assert text[row.start : row.end] == row.surface
        assert math.isfinite(row.value)
        assert math.isnan(row.value_high) or math.isfinite(row.value_high)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (surface, value, metric, qualifier, year) of every claim, in order
        ("市场规模同比增长34.9%至504.4亿元", [("34.9%", 34.9, "growth", "exact", None),
                                          ("504.4亿元", 5.044e10, "market_size", "exact", None)]),
        ("2024年付费收入同比下降12.6%", [("12.6%", -12.6, "growth", "exact", 2024)]),
        ("2024年市场规模较2023年的373.9亿元增长35%", [("373.9亿元", 3.739e10, "market_size", "exact", 2023),
                                                   ("35%", 35, "growth", "exact", 2024)]),
        ("2022-2024年累计上线作品3000部", [("3000部", 3000, "works", "exact", 2024)]),
        ("市场规模并未突破500亿元", [("500亿元", 5e10, "market_size", "upper_bound", None)]),
        ("市场规模约达到500亿元", [("500亿元", 5e10, "market_size", "approximate", None)]),
        ("收入超过$1,000万", [("1,000万", 1e7, "revenue", "lower_bound", None)]),
        ("投资规模达10亿元", [("10亿元", 1e9, "investment", "exact", None)]),
        ("该视频点赞超500万次", [("500万次", 5e6, "other", "lower_bound", None)]),
    ],
)
def test_news_patterns(text: str, expected: list[tuple[str, float, str, str, int | None]]) -> None:
    claims = extract_claims(text)
    got = [
        (r.surface, r.value, r.metric, r.qualifier, None if pd.isna(r.year) else int(r.year))
        for r in claims.itertuples(index=False)
    ]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g[1] == pytest.approx(e[1]) and g[2:] == e[2:]


def test_subjects_stop_at_baselines_and_earlier_figures() -> None:
    claims = extract_claims("2024年市场规模较2023年的373.9亿元增长35%")
    assert claims[C.subject].tolist() == ["市场规模", "增长"]


@pytest.mark.parametrize(
    ("text", "values", "unit"),
    [
        ("收入分别为3.2、2.8亿元", [3.2e8, 2.8e8], "CNY"),
        ("占比分别为30、40%", [30, 40], "percent"),
        ("两到三成用户", [20], "percent"),
        ("TikTok 1.5亿用户", [1.5e8], "person"),
    ],
)
def test_lists_share_scale_and_unit(text: str, values: list[float], unit: str) -> None:
    claims = extract_claims(text)
    assert claims[C.value].tolist() == pytest.approx(values)
    assert set(claims[C.unit]) == {unit}


@pytest.mark.parametrize("text", ["iPhone 15用户", "进入Top 10榜单"])
def test_model_numbers_are_not_claims(text: str) -> None:
    assert extract_claims(text).empty


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("上线24小时充值破千万", ["千万"]),  # an opening window in hours frames the figure after it
        ("开播12小时播放量破亿", ["亿"]),
        ("上线3天内充值破千万", ["千万"]),  # so does any window closed by 内
        ("上线，7天充值破千万", ["7天", "千万"]),  # days or longer say how fast: a figure of its own
        ("上线8天充值流水破了1.2亿元", ["8天", "1.2亿元"]),
        ("短短两个月，播放量就突破了10亿", ["两个月", "10亿"]),
        ("开播24小时内播放量突破3亿", ["3亿"]),
        ("首播3天后热度达到8000万", ["8000万"]),
        ("该剧连续45天位居榜首", ["45天"]),  # a duration that frames nothing is a figure
        ("上线5天即登顶热播榜", ["5天"]),
        ("拍摄周期只有三个月", ["三个月"]),
        ("短短三年间平台就站稳了脚跟", ["三年间"]),
        ("三个月前还无人问津", []),  # a point in time
        # N年 is a span after 过去/近 or before a verb of getting somewhere, for one digit or in words
        ("过去三年，行业经历了洗牌", ["三年"]),
        ("近两年涌现出大批新平台", ["两年"]),
        ("这款应用5年完成用户破亿", ["5年", "亿"]),
        ("从100家到3000家，三年暴涨近30倍", ["100家到3000家", "三年"]),
        ("25年增长超过30%", ["30%"]),  # two digits: the year 2025
        ("投流成本3年翻倍", ["3年"]),
        ("这一年市场持续升温", []),  # this year, no span
    ],
)
def test_time_windows_frame_figures_and_durations_are_figures(text: str, surfaces: list[str]) -> None:
    claims = extract_claims(text)
    assert claims[C.surface].tolist() == surfaces
    assert set(claims.loc[claims[C.unit].isin(["day", "month", "year", "hour"]), C.metric]) <= {"duration"}


@pytest.mark.parametrize(
    "text", ["据36氪报道", "排名前10的短剧", "TOP10短剧", "市场规模增长了3倍", "58同城发布报告", "據36氪報道"]
)
def test_names_ranks_and_multiples_are_not_claims(text: str) -> None:
    assert extract_claims(text).empty


@pytest.mark.parametrize(
    ("text", "years"),
    [
        # the launch of one platform or work dates the launch, not what came since, nor later sentences
        ("这款2022年5月上线的应用，不到两年就让日活突破5000万。其月活已超1.2亿。", [None, None, None]),
        ("2022年上线的短剧《某某》累计播放超20亿次。", [None]),
        # a count of what was launched in a year keeps that year
        ("2024年上线的微短剧共2.8万部，其中爆款300部。", [2024, 2024]),
    ],
)
def test_a_launch_dates_no_figure_after_it(text: str, years: list[int | None]) -> None:
    got = extract_claims(text)[C.year].tolist()
    assert [None if pd.isna(y) else int(y) for y in got] == years


@pytest.mark.parametrize(
    ("text", "years"),
    [("2024年市场规模较2023年增长34.9%。用户规模达5亿人。", [2024, 2024]),
     ("用户规模达5.76亿人，较2023年12月增长2.1个百分点。", [None, None]),
     ("2024年，用户规模达5.76亿人，占比52.4%，较2023年12月增长2.1个百分点。", [2024, 2024, 2024]),
     ("较2023年的373.9亿元，2024年市场规模达504.4亿元。", [2023, 2024]),
     ("芒果TV2023年12月上线，播放量破1亿。", [2023])],
)
def test_a_baseline_year_is_never_another_figures_year(text: str, years: list[int | None]) -> None:
    """较2023年 names what a figure is compared with: it dates no figure before it or in later sentences."""
    got = extract_claims(text)[C.year].tolist()
    assert [None if pd.isna(y) else int(y) for y in got] == years


@pytest.mark.parametrize(
    ("text", "subject"),
    [("用户规模不到3亿人", "用户规模"), ("市场规模并未突破500亿元", "市场规模"), ("播放量超过2亿", "播放量"),
     ("用户规模达到3亿人", "用户规模")],
)
def test_subject_sheds_whole_qualifier_words(text: str, subject: str) -> None:
    assert extract_claims(text).iloc[0][C.subject] == subject


@pytest.mark.parametrize(
    ("text", "metric", "year"),
    [("就业人数超过30万人", "jobs", None), ("从业人员达10万人", "jobs", None),
     ("2024年，18岁以上年轻观众占比达60%", "share", 2024), ("36家公司入局", "companies", None)],
)
def test_metric_and_year_fixes_found_at_scale(text: str, metric: str, year: int | None) -> None:
    """Cases the 1,000-document generated corpus (tests/bench/gen_corpus.py) found wrong."""
    row = extract_claims(text, published="2025-02-10").iloc[-1]
    assert row[C.metric] == metric
    assert (None if pd.isna(row[C.year]) else int(row[C.year])) == year


@pytest.mark.parametrize(
    ("text", "published", "year"),
    [
        ("2019年只有少量作品。今年用户达5亿人", "2025-02-10", 2025),
        ("2019年只有少量作品。今年用户达5亿人", None, None),
        ("去年市场规模为373.9亿元", "2025-02-10", 2024),
        ("2024年收入较上年增长35%", "2025-02-10", 2024),
    ],
)
def test_relative_years(text: str, published: str | None, year: int | None) -> None:
    got = extract_claims(text, published=published)[C.year].iloc[0]
    assert (None if pd.isna(got) else int(got)) == year


@pytest.mark.parametrize(
    ("text", "surface", "value", "qualifier"),
    [
        ("带动数十亿元投资", "数十亿元", 1e9, "lower_bound"),
        ("吸引数千万用户", "数千万", 1e7, "lower_bound"),
        ("数百家企业入局", "数百家", 100, "lower_bound"),
        ("几十万部作品", "几十万部", 1e5, "lower_bound"),
    ],
)
def test_vague_quantities_are_bounds(text: str, surface: str, value: float, qualifier: str) -> None:
    row = extract_claims(text).iloc[0]
    assert (row[C.surface], row[C.value], row[C.qualifier]) == (surface, value, qualifier)


@pytest.mark.parametrize(
    ("text", "surface", "qualifier"),
    [
        ("本季度审核通过120部", "120部", "exact"),  # 通过: passed, not "over"
        ("经过两轮筛选，入围作品35部", "35部", "exact"),
        ("全网播放量过10亿", "10亿", "lower_bound"),  # 过 alone is "over"
        ("累计用户超过2亿", "2亿", "lower_bound"),
    ],
)
def test_guo_is_over_only_on_its_own(text: str, surface: str, qualifier: str) -> None:
    row = extract_claims(text).set_index(C.surface).loc[surface]
    assert row[C.qualifier] == qualifier


@pytest.mark.parametrize("text", ["数据显示行业向好", "推动数字化转型", "少数几家大公司"])
def test_words_with_shu_are_not_claims(text: str) -> None:
    assert extract_claims(text).empty


@pytest.mark.parametrize("text", ["億\ud800", "\ud800市场规模达504.4亿元。", "市场规模达504.4億元\udfff。"])
def test_lone_surrogates_neither_raise_nor_shift_offsets(text: str) -> None:
    """A str built in code may hold a lone surrogate: tables store it as U+FFFD, offsets stay true."""
    for row in find_numbers(text).itertuples():
        assert text[row.start : row.end] == row.surface
    claims = extract_claims(text)
    assert len(claims) == ("504.4" in text)
    for row in claims.itertuples():
        assert text[row.start : row.end] == row.surface
        assert "\ufffd" in row.sentence and len(row.sentence) == len(text.split("。")[0]) + 1

