"""Claims: the error classes met in real articles, each as short invented sentences, field by field."""

from __future__ import annotations

import pandas as pd
import pytest

from extract import extract_claims
from extract.schema import C


def _claims(text: str, published: str | None = None) -> pd.DataFrame:
    """All claims of ``text``, after checking that every surface is exactly text[start:end]."""
    claims = extract_claims(text, published=published)
    for row in claims.itertuples(index=False):
        assert text[row.start : row.end] == row.surface
    return claims


def _row(text: str, surface: str, published: str | None = None) -> pd.Series:
    """The one claim of ``text`` written as ``surface``."""
    claims = _claims(text, published)
    hit = claims[claims[C.surface] == surface]
    assert len(hit) == 1, claims[[C.surface]].to_dict("records")
    return hit.iloc[0]


def _get(row: pd.Series, column: str) -> object:
    """A field with pandas' missing values read as None."""
    value = row[column]
    return None if pd.isna(value) else value


# 1. the metric comes from the head of the phrase before the figure
@pytest.mark.parametrize(
    ("text", "surface", "metric", "unit"),
    [
        ("平台用户总量达到3.2亿", "3.2亿", "users", None),
        # the noun after a list of figures says what each of them is; 复合增长 after 的 is a growth
        ("播放量与点赞量分别实现92%、105%的复合增长", "92%", "growth", "percent"),
        ("播放量与点赞量分别实现92%、105%的复合增长", "105%", "growth", "percent"),
        # a change *to* a level states the level: 提升至30% is a share, 增长34.9% a growth
        ("专业演员片酬占比从10%提升至30%", "30%", "share", "percent"),
        ("微短剧渗透率提升至52.4%", "52.4%", "share", "percent"),
        ("市场规模同比增长34.9%至504.4亿元", "34.9%", "growth", "percent"),
        # a bare 百亿/千亿 before 规模, 赛道 or 市场 is a market's size class
        ("当地要打造百亿规模的微短剧产业", "百亿", "market_size", "CNY"),
        ("短剧出海是最具潜力的千亿内容赛道", "千亿", "market_size", "CNY"),
        ("行业正从流量风口走向千亿生态", "千亿", "market_size", "CNY"),
        ("各地都在抢滩千亿微短剧新赛道", "千亿", "market_size", "CNY"),
        ("拍摄基地的日租金从3000元起", "3000元", "cost", "CNY"),
        ("出海正成为一片百亿蓝海", "百亿", "market_size", "CNY"),
        ("有望形成百亿量级市场", "百亿", "market_size", "CNY"),
        # what money is used for says what it is; a market compared with box office in a list without commas
        ("一部爆款往往需投入 1500 万美元用于买量", "1500 万美元", "ad_spend", "USD"),
        ("公司拿出300万元用来拍摄精品剧", "300万元", "cost", "CNY"),
        ("规模2024年达505亿元 首次超过电影票房 预计2025年达630亿元", "630亿元", "market_size", "CNY"),
        ("市场规模首次超过电影票房的470亿元", "470亿元", "box_office", "CNY"),
        # things counted in batches and kinds, mini-programs in quotes: no works; a hashtag's views no plays
        ("计划已累计推出5批共200部作品", "5批", "other", "count"),
        ("平台提供8种语言的字幕", "8种", "other", "count"),
        ("本月下架违规“小程序”1300个", "1300个", "other", "count"),
        ("聚合了二十余个短剧小程序", "二十余个", "other", "count"),
        ("相关话题“#shortdrama”浏览量达50亿次", "50亿次", "other", "count"),
        ("该剧播放量破10亿，相关话题阅读量超过20亿", "10亿", "plays", "play"),
        ("这已超过全年电影票房总收入的400亿元", "400亿元", "box_office", "CNY"),
        # a lone 百/千 after 不足, 日均 or 达 is a figure too
        ("平台上的作品供给量还不足千部", "千部", "works", "work"),
        ("当地已能做到日均百部开机", "百部", "works", "work"),
        # one drama's length in episodes is no count of works; episodes filed or released are
        ("一部80集的短剧只用七天就能拍完", "80集", "other", "episode"),
        ("该公司备案了网络微短剧《某某传》，共有60集", "60集", "other", "episode"),
        ("全年共备案上线1357集", "1357集", "works", "episode"),
        ("一部7天拍完的80集短剧就能斩获10万元", "80集", "other", "episode"),
        ("首部AI生成50集漫剧《某某》上线", "50集", "other", "episode"),
        ("该剧共80集", "80集", "other", "episode"),
        ("本月备案1357集短剧", "1357集", "works", "episode"),
        ("这类剧每部在60到100集之间", "60到100集", "other", "episode"),
        ("竖屏剧动辄100 集，单集一两分钟", "100 集", "other", "episode"),
        ("其中悬疑题材3部75集", "75集", "works", "episode"),  # after a count of dramas: a tally
        ("已有3309部约22.7万集完成备案", "22.7万集", "works", "episode"),
        # a metric word right before the figure beats a noun linked by 的 (the drama is what it describes)
        ("公司出品了首部投资过亿的短剧", "亿", "investment", "CNY"),
        ("今年已有12部播放破10亿的短剧", "10亿", "plays", None),
        ("短剧观众规模已达6亿人", "6亿人", "users", None),
        ("该应用月活为1.5亿", "1.5亿", "users", None),
        ("日活突破8000万", "8000万", "users", None),
        ("全年买量规模约为300亿元", "300亿元", "ad_spend", None),
        ("头部公司每日投流超过2000万元", "2000万元", "ad_spend", None),
        ("同期电影票房为420亿元", "420亿元", "box_office", None),
        ("公司净利润为1.8亿元", "1.8亿元", "profit", None),
        ("全年亏损2.6亿元", "2.6亿元", "profit", None),
        ("毛利率为35%", "35%", "profit", None),
        ("单部制作成本约50万元", "50万元", "cost", None),
        ("主演片酬高达20万元", "20万元", "cost", None),
        ("该群体的TGI指数为145", "145", "other", None),
        ("相关话题量超过30亿", "30亿", "other", None),
        ("讨论量达到5000万", "5000万", "other", None),
        ("一个剧组6到8人", "6到8人", "other", None),
        ("拍摄共需120人天", "120人天", "other", "person_day"),
        ("后期制作约需60工日", "60工日", "other", "person_day"),
        ("后期制作约需60个工日", "60个工日", "other", "person_day"),
        # a noun right after the figure says what it counts, over a word before it
        ("这部剧上线5天就拿下8亿播放量", "8亿", "plays", None),
        ("该平台在欧洲市场单月收获2.1亿美元内购收入", "2.1亿美元", "revenue", None),
        ("今年已有12部10亿短剧", "10亿", "plays", None),
        ("两部剧进入20亿俱乐部", "20亿", "plays", None),
        ("行业以18%的复合年增长率扩张", "18%", "growth", None),
        ("营收1.5亿元同比增长20%", "1.5亿元", "revenue", None),
        # wages, R&D, profit and revenue-share words
        ("群演日薪只有150元", "150元", "cost", None),
        ("头部演员报价回落到2万元", "2万元", "cost", None),
        ("前三季度研发费用为6000万元", "6000万元", "other", None),
        ("公司净亏3.1亿元", "3.1亿元", "profit", None),
        ("版權方單月分帳破3億元", "3億元", "revenue", None),
        ("一部剧的投放成本接近5000万元", "5000万元", "ad_spend", None),
        # a thing classifier (款) or a counted noun before the figure says what is counted
        ("目前已有30余款短剧应用进入东南亚市场", "30余款", "other", "count"),
        ("已有至少9款短剧类应用因侵权被下架", "9款", "other", "count"),
        ("今年以来共下架违规小程序860个", "860个", "other", "count"),
        ("累计处置违规账号1200个", "1200个", "other", "count"),
        ("全年下架违规微短剧3000部", "3000部", "works", "work"),
        # a count per unit (每个…带动N个) is a ratio, not a head count
        ("平均每个制作岗位可带动2.3个相关就业机会", "2.3个", "other", "job"),
        ("行业共带动就业岗位50万个", "50万个", "jobs", "job"),
        # output value (产值) is a market's size; support funds are investment
        ("全市网络视听产业产值突破80亿", "80亿", "market_size", "CNY"),
        ("区里再拿出3000万专项资金扶持精品剧", "3000万", "investment", "CNY"),
        ("12月抖音大盘日耗突破3000万元", "3000万元", "ad_spend", "CNY"),  # daily ad spend
        # a list whose later items name only whom they are about keeps the first item's metric
        ("甲平台日均下载约50万次，乙平台约12万次，丙约8万次", "12万次", "downloads", "download"),
        ("甲平台日均下载约50万次，乙平台约12万次，丙约8万次", "8万次", "downloads", "download"),
        ("某剧点赞10万次，转发3万次", "3万次", "other", "count"),
        # a sentence that names no measure goes on with the money measure of the figure before it
        ("市场规模达到505亿元。该报告预测，2025年将达634亿，2027年达856亿。", "856亿", "market_size", "CNY"),
        ("公司营收5亿元。报告显示，短剧用户超过2亿。", "2亿", "users", "person"),
        # a bare 千亿 after a verb of aiming at it (直指, 逼近) measures what comes before the verb
        ("短剧市场规模直指千亿", "千亿", "market_size", "CNY"),
        # a person's monthly or yearly pay is no cost of making a drama; a day's rate is
        ("不少编剧月入十万", "十万", "other", "CNY"),
        ("招聘启事写着主编年薪百万", "百万", "other", "CNY"),
        ("男主演的日薪在8000元左右", "8000元", "cost", "CNY"),
        # people counted with no word for users are an audience only by the million
        ("横店有13万名群演在等待机会", "13万名", "other", "person"),
        ("全国超过6亿人看过短剧", "6亿人", "users", "person"),
        # a noun after the figure and 的 says what it is, also after a conjunction
        ("扣除每人2美元的获客成本以及10万美元的制作费用后", "10万美元", "cost", "USD"),
        ("扣除每人2美元的获客成本以及10万美元的制作费用后", "2美元", "ad_spend", "USD"),
        # rewards and subsidies from a policy are investment
        ("对优秀作品给予最高300万元奖励", "300万元", "investment", "CNY"),
        # people who watch (看短剧的人) are users; a heat index (热度值) is no market
        ("看微短剧的人已经达到6.6亿", "6.6亿", "users", "person"),
        ("全网短剧热度值规模达120亿，环比下降8%", "120亿", "other", "count"),
        # a steep fall is a negative growth
        ("营收1.2亿元，同比锐减40%", "40%", "growth", "percent"),
        # incidents (起, 宗, 例) are counted, never the workers or viewers the sentence also names
        ("有演员担心换脸纠纷变多，今年前三季度相关投诉已超过300起", "300起", "other", "count"),
        ("从业人员的维权案件去年达到85宗", "85宗", "other", "count"),
        ("平台用户举报的侵权内容累计4000例", "4000例", "other", "count"),
        ("会员首月仅需6元起", "6元", "other", "CNY"),  # 起 after a price is "from", not a unit
        # 总量 with no unit counts things, unless a compound says what is totalled
        ("目前在架的付费小程序大盘总量只剩3800万", "3800万", "other", "count"),
        ("这一数字已逼近全年电影票房总量的520亿元", "520亿元", "box_office", "CNY"),
        ("平台的用户总量已经超过2亿", "2亿", "users", "person"),
        # the gap between two figures is neither side's measure, though it stays in their unit
        ("甲应用的月活已达2.1亿，和乙应用的差距缩小到不足1500万", "1500万", "other", "person"),
        ("两家公司的年营收相差8亿元", "8亿元", "other", "CNY"),
        ("这种收入差距按主演日薪3万和群演日薪100元算", "3万", "cost", "CNY"),  # a day rate, not the gap
        # how often (每周看3次, 每月更新2次) is no head count, work count or plays
        ("受访观众平均每周刷短剧4次", "4次", "other", "count"),
        ("这部剧上线后每月固定更新2次", "2次", "other", "count"),
        ("该平台每天播放量超过5亿次", "5亿次", "plays", "play"),
        # a noun after the figure says what it counts: 充值 is money, 充值用户 people, 基地 places
        ("这部剧以不到30万的成本换来了2亿充值", "2亿", "revenue", "CNY"),
        ("平台已有8000万付费用户", "8000万", "users", "person"),
        ("全市已建成12家专业拍摄基地", "12家", "other", "count"),
        ("每天有20个短剧摄制组在园区开机", "20个", "other", "count"),
        # a part of the total, also after 总量; a topic's heat and bookings are no plays or works
        ("本地投流额超10亿，占全国总量的18%", "18%", "share", "percent"),
        ("相关话题热度达到2300万", "2300万", "other", "count"),
        ("上线当天，旅游预约量冲破3万", "3万", "other", "count"),
        # a price is no ad spend or revenue, even after a clause about buying traffic
        ("投流回报率稳定;采用“单集解锁(2元)+全集打包(29.9元)”的付费模式", "29.9元", "other", "CNY"),
        ("主打大众投流，会员定价每月15元", "15元", "other", "CNY"),
        # an adjective between 的 and the noun after the figure only describes it
        ("从百亿级的产业规模到5.2亿的庞大用户群体", "5.2亿", "users", "person"),
        # a money figure whose sentence only dates or forecasts it goes on with the measure before it
        ("去年全行业收入约为300亿元。预计2027年将超过450亿元。", "450亿元", "revenue", "CNY"),
        ("去年全行业收入约为300亿元，三年翻了一番。预计2027年将超过450亿元。", "450亿元", "revenue", "CNY"),
        ("该公司营收达20亿元。2025年人均创收只有25万元。", "25万元", "revenue", "CNY"),
        ("该公司营收达20亿元。2025年人均贡献了25万元。", "25万元", "other", "CNY"),  # not a series: ×8000
    ],
)
def test_metric_from_the_head_of_the_phrase(text: str, surface: str, metric: str, unit: str | None) -> None:
    row = _row(text, surface)
    assert row[C.metric] == metric
    if unit is not None:
        assert row[C.unit] == unit


# 2. currency words and the unit a bare figure takes from its metric
@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        ("海外收入为新台币5亿元", "5亿元", "TWD"),
        ("票房收入达3亿新台币", "3亿新台币", "TWD"),
        ("融资新台币3000万元", "3000万元", "TWD"),
        ("市值为500亿港元", "500亿港元", "HKD"),
        ("营收120亿日元", "120亿日元", "JPY"),
        ("收入达2000万欧元", "2000万欧元", "EUR"),
        ("规模为3000亿韩元", "3000亿韩元", "KRW"),
        ("收入为800万英镑", "800万英镑", "GBP"),
        ("月活达2.36亿", "2.36亿", "person"),
        ("全平台累计注册用户数4亿", "4亿", "person"),  # the 数 of 用户数 starts no vague amount
        ("片酬约台币6.6万至13.2万元", "6.6万至13.2万元", "TWD"),  # 台币 written before the figure
        # 月/日 right after a multiplier opens 月活/日活, not a date
        ("拥有超2亿月活用户的平台", "2亿", "person"),
        ("平台已有5000万日活", "5000万", "person"),
        # a classifier after the figure says what is counted, whatever the money word before it
        ("海外短剧投放量达13.7万组", "13.7万组", "count"),
        ("单日投放素材超过8000组", "8000组", "count"),
    ],
)
def test_units(text: str, surface: str, unit: str) -> None:
    assert _row(text, surface)[C.unit] == unit


# 3. the period a figure covers and its kind
@pytest.mark.parametrize(
    ("text", "surface", "period", "kind", "published"),
    [
        ("2024年上半年市场规模为200亿元", "200亿元", "2024-H1", "half", None),
        ("2025年一季度收入为5亿元", "5亿元", "2025-Q1", "quarter", None),
        ("2025年Q1收入为5亿元", "5亿元", "2025-Q1", "quarter", None),
        ("2025年第一季，平台收入1.3亿美元", "1.3亿美元", "2025-Q1", "quarter", None),  # 第一季 after a year
        ("第一季播放量突破2.2亿", "2.2亿", None, None, None),  # a drama's first season, no period
        ("2025年3月月活达到1.2亿", "1.2亿", "2025-03", "month", None),
        ("截至2024年6月，用户规模达5.76亿", "5.76亿", "2024-06", "as_of", None),
        ("截至2024年底，用户规模达6.6亿", "6.6亿", "2024-12", "as_of", None),
        # a money flow as of a year's end is the year's figure; as of mid-year it stays as_of
        ("截至2024年12月，用户规模达6.62亿人，市场规模达504亿元", "504亿元", "2024", "year", None),
        ("截至2025年6月，平台收入达5亿元", "5亿元", "2025-06", "as_of", None),
        ("2024年平台累计充值超过10亿元", "10亿元", "2024", "cumulative", None),
        ("平台累计充值超过10亿元", "10亿元", None, "cumulative", None),
        ("2024年前三季度收入为9亿元", "9亿元", "2024-01/2024-09", "span", None),
        ("2024年1-9月收入为9亿元", "9亿元", "2024-01/2024-09", "span", None),
        ("2022-2024年市场规模合计1500亿元", "1500亿元", "2022/2024", "span", None),
        ("2024年3月至11月收入为9亿元", "9亿元", "2024-03/2024-11", "span", None),
        ("2023年11月到2024年2月，共清理违规剧集4000部", "4000部", "2023-11/2024-02", "span", None),
        ("2024年市场规模为500亿元", "500亿元", "2024", "year", None),
        ("今年上半年收入达3亿元", "3亿元", "2025-H1", "half", "2025-08-01"),
        # a half or quarter carries with its year to the next sentences of the paragraph; a month only
        # from a sentence it dates figures in
        ("2025年上半年，几家公司交出答卷。甲：营收5.5亿元，增长20%", "5.5亿元", "2025-H1", "half", None),
        ("2025年三季度财报出炉。乙公司营收8亿元", "8亿元", "2025-Q3", "quarter", None),
        ("2024年6月，白皮书发布。行业规模504亿元", "504亿元", "2024", "year", None),
        # a month that dates figures in its own sentence dates those that go on from them
        ("2024年11月，全省备案剧目共180部。其中，古装题材42部", "42部", "2024-11", "month", None),
        ("截至2025年6月，平台用户达3亿人。其中，老年用户占比18.5%", "18.5%", "2025-06", "as_of", None),
        ("截至2025年3月底，平台用户达3亿人。其中，老年用户占比18.5%", "18.5%", "2025-03", "as_of", None),
        # and a year's end: a growth like a money flow is then the year's
        ("截至2024年底，用户达6亿人。海外收入同比增长80%", "80%", "2024", "year", None),
        ("2025年上半年情况良好。全年营收预计20亿元", "20亿元", "2025", "year", None),
        ("2025年上半年情况良好。\n平台营收9亿元", "9亿元", None, None, None),
        # a sentence that forecasts dates nothing after it: the year and half before it carry on
        ("2025年上半年上新剧集271部。规模2024年达505亿元，预计2025年达634亿元，2027年达856亿元。五家公司营收合计"
         "13.58亿元。", "13.58亿元", "2025-H1", "half", None),
        ("2025年上半年上新剧集271部 [1] - 预计2027年规模达856亿元 [1] 财务 - 五家公司营收合计13.58亿元 [2]",
         "13.58亿元", "2025-H1", "half", None),
        ("预计2027年规模达856亿元。五家公司营收合计13.58亿元。", "13.58亿元", None, None, None),
        # months that make exactly a half or a quarter are that half or quarter
        ("2025年1-6月份，平台营收5亿元", "5亿元", "2025-H1", "half", None),
        ("2025年4月至6月平台营收5亿元", "5亿元", "2025-Q2", "quarter", None),
        ("2025年1-9月平台营收5亿元", "5亿元", "2025-01/2025-09", "span", None),
        # the value of the same period of another year is that year's same part, a change against it is not
        ("2025年上半年营收4亿元，而去年同期净利润为3000万元", "3000万元", "2024-H1", "half", None),
        ("今年前三季度营收9亿元，上年同期为7亿元", "7亿元", "2024-01/2024-09", "span", "2025-11-01"),
        ("2025年一季度营收2亿元，2024年同期为1.5亿元", "1.5亿元", "2024-Q1", "quarter", None),
        ("2025年上半年营收4亿元，较去年同期增长25%", "25%", "2025-H1", "half", None),
        # a compound growth rate runs from the first year its sentence states to its own
        ("2024年规模达505亿元，2027年将达856亿元，年复合增长率19.2%", "19.2%", "2024/2027", "span", None),
    ],
)
def test_period_and_kind(
    text: str, surface: str, period: str | None, kind: str, published: str | None
) -> None:
    row = _row(text, surface, published)
    assert (_get(row, C.period), _get(row, C.period_kind)) == (period, kind)


# 4. a baseline (较2024年, 2024年同期) never dates the figure
@pytest.mark.parametrize(
    ("text", "surface", "year", "period"),
    [
        ("2025年市场规模较2024年增长30%", "30%", 2025, "2025"),
        ("2025年上半年付费收入比2024年同期增长20%", "20%", 2025, "2025-H1"),
        ("市场规模较2023年增长30%", "30%", None, None),
        ("2024年用户规模达6亿，较2023年增长10%", "10%", 2024, "2024"),
        ("2024年用户规模达6亿，较2023年增加5000万", "5000万", 2024, "2024"),
        ("2025年行业规模首破千亿，较2024年实现100%同比增长", "100%", 2025, "2025"),  # a change is never
        ("2025年行业规模较2024年的500亿元翻番", "500亿元", 2024, "2024"),  # the baseline's own figure
        # text that spaces its numbers: 较 2024 年 is still a baseline
        ("截至 2025 年底,规模翻倍(较 2024 年),用户逼近 7 亿人", "7 亿人", 2025, "2025-12"),
    ],
)
def test_baseline_never_dates_the_figure(
    text: str, surface: str, year: int | None, period: str | None
) -> None:
    row = _row(text, surface)
    assert (_get(row, C.year), _get(row, C.period)) == (year, period)


# 4b. the year of a sentence that states none: a period word or "now" reads the publication date; a year in
# an earlier paragraph never leaks into a plain sentence; a year after the figure counts only in its clause
@pytest.mark.parametrize(
    ("text", "surface", "published", "year"),
    [
        ("三季度，该公司单季营收为4.2亿元。", "4.2亿元", "2025-10-30", 2025),
        ("前三季度营收合计9.8亿元。", "9.8亿元", "2025-11-02", 2025),
        ("三季度营收为4.2亿元。", "4.2亿元", "2025-05-01", 2024),  # Q3 is not over in May: last year's
        ("2024年营收11亿元。而到了一季度，营收为2.3亿元。", "2.3亿元", "2025-05-01", 2025),
        ("目前该平台月活约为1.2亿。", "1.2亿", "2026-02-11", 2026),
        ("近日，该平台宣布日活突破8000万。", "8000万", "2026-02-11", 2026),
        ("7月23日，该剧播放量突破30亿。", "30亿", "2025-08-01", 2025),
        ("行业自2021年兴起。\n\n头部演员日薪可达5万元。", "5万元", "2025-08-01", None),
        ("2022年起平台加码投入，演员日薪曾高达5万元。", "5万元", "2025-08-01", 2022),
        ("现阶段市场已有100亿美元收入，到2030年将达到940亿美元。", "100亿美元", "2025-11-26", 2025),
        ("市场规模为500亿元（2024年）。", "500亿元", None, 2024),
        ("三季度营收为4.2亿元。", "4.2亿元", "2025", 2025),  # a date with no month: the year's end
        ("目前月活约为1.2亿。", "1.2亿", "2025-1", 2025),
        # in a text with no date, "now" is unknown: an earlier year, in its paragraph or before, is a past one
        ("2024年市场规模504亿元。目前该平台月活约为1.2亿。", "1.2亿", None, None),
        ("2023年行业兴起。\n\n如今从业者已超过20万人。", "20万人", None, None),
        ("2024年市场规模504亿元。目前该平台月活约为1.2亿。", "1.2亿", "2025-03-01", 2025),
        # 最新 speaks of now only with data (最新数据, 最新报告); 最新上线的作品 is the newest work
        ("最新数据显示，该平台月活约为1.2亿。", "1.2亿", "2026-02-11", 2026),
        ("他以最新上线的作品为例，10个人的团队十天就能完成。", "10个", "2026-02-11", None),
        # in an undated text, 今年 takes the year of the report just named, or of a part of the year
        ("中文在线发布了2022年半年报。中报显示，今年上半年公司营收4.84亿元。", "4.84亿元", None, 2022),
        ("据《2023出海短剧行业报告》，今年海外短剧下载量达2亿次。", "2亿次", None, 2023),  # a titled year
        ("《2023年度短剧白皮书》指出，今年全行业营收超300亿元。", "300亿元", None, 2023),
        ("《2023出海短剧行业报告》发布。\n今年海外收入达5亿美元。", "5亿美元", None, None),  # too far
        ("2024年市场规模504亿元。今年预计突破600亿元。", "600亿元", None, None),  # 2024 may be last year
        ("2024年市场规模504亿元。今年预计突破600亿元。", "600亿元", "2025-03-01", 2025),
        # a year written with two digits, where it cannot be a length of years
        ("预计 25 年短剧收入达到 16.8 亿元", "16.8 亿元", None, 2025),
        ("24年全年营收达到5亿元", "5亿元", None, 2024),
        ("截至25年6月，用户达3亿", "3亿", None, 2025),
        ("他在行业深耕25年，带出了300名学员", "300名", None, None),
        ("公司成立25年来营收100亿元", "100亿元", None, None),
        # a founding date or a forecast's target year dates its own sentence, not the sentences after it
        ("基地成立于2024年9月。短短一年多，已吸引数十家企业入驻。", "数十家", None, None),
        ("自2024年6月1日起实行分级审核。投资额在100万元以上的由总局审核。", "100万元", None, None),
        ("报告预测2025年市场规模将增至634亿元。本省已培育出758家经营主体。", "758家", None, None),
        ("2024年市场规模达504亿元。本省培育出758家经营主体。", "758家", None, 2024),  # a plain year carries
        # nor the clauses after it in its own sentence: they tell what has come since
        ("产业园成立于2023年5月，不到两年已吸引40家企业入驻。", "40家", None, None),
        ("自2025年1月1日起，单部投资在50万元以上的作品须报省局审核。", "50万元", None, None),
        ("某平台自2024年在海外上线以来，美国用户人均付费约15美元。", "15美元", None, None),
        ("从2023年的300亿元增长到2024年的500亿元。", "300亿元", None, 2023),  # a change's start: its own
        ("该平台自2025年4月上线至三季度末，累计投放素材超10万组。", "10万组", None, 2025),  # a span's start
        # a text has one "now": once a report's year anchors one 今年, every 今年 and 去年 count from it
        ("某公司发布了2023年年报。今年全年营收12亿元。\n\n此外，今年公司在短剧上投入3亿元。", "3亿元", None,
         2023),
        ("某公司发布了2023年年报。今年全年营收12亿元，去年为9亿元。", "9亿元", None, 2022),
        # 去年同期 is a baseline: its own figure is last year's, the change after it this year's
        ("今年上半年营收5亿元，去年同期为3亿元，同比增长66%。", "3亿元", "2025-08-01", 2024),
        ("今年上半年营收5亿元，去年同期为3亿元，同比增长66%。", "66%", "2025-08-01", 2025),
        # 当年 and 同年 name the year last stated, not the publication year
        ("2024年平台加速扩张。当年9月月活跃用户达到1.58亿。", "1.58亿", "2025-09-19", 2024),
        ("2023年剧集备案量激增，同年付费规模达到300亿元。", "300亿元", "2025-09-19", 2023),
        # an undated text's quarter takes the text's own latest year, never a forecast's target year
        ("三季度，公司单季营收4.55亿元。前三季度累计营收10.11亿元，2025年研发投入继续增加。", "4.55亿元",
         None, 2025),
        ("一季度营收为5亿元。2019年公司上市，2024年营收为20亿元，预计到2027年翻倍。", "5亿元", None, 2024),
        ("三季度营收为4.5亿元。公司计划到2027年营收翻倍。", "4.5亿元", None, None),
        # a baseline year in an earlier clause dates nothing after the clause break
        ("2025年登记人次达13万，较2024年翻倍；单部成本中位数升至130万元。", "130万元", None, 2025),
        ("2025年人均单日观看48分钟，较2024年再增12分钟。", "12分钟", None, 2025),
        # 相当年轻 and 同年龄 hold 当年 and 同年 but name no year
        ("2023年市场规模为373.9亿元。目前观众相当年轻，用户占比达40%。", "40%", "2024-05-01", 2024),
        ("2022年用户规模为3亿人。目前同年龄段用户占比达30%。", "30%", "2024-05-01", 2024),
        # 截至2024年 and 2024年前三季度 are the text's own year
        ("第三季度营收为5亿元。2023年营收为8亿元，2024年前三季度营收为10亿元。", "5亿元", None, 2024),
    ],
)
def test_year_when_the_sentence_states_none(
    text: str, surface: str, published: str | None, year: int | None
) -> None:
    assert _get(_row(text, surface, published), C.year) == year


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("截至2024年12月，短视频用户规模为10.4亿人，连续6年保持增长。", "6年"),
        ("2022年11月下旬开始，主管部门用3个月时间集中整治违规作品。", "3个月"),
        ("从2022年首次出海到如今，短短三年间，这条赛道已诞生多家头部平台。", "三年间"),
    ],
)
def test_a_length_of_years_or_months_has_no_date(text: str, surface: str) -> None:
    row = _row(text, surface)
    assert (_get(row, C.year), _get(row, C.period), _get(row, C.period_kind)) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "surface", "year"),
    [
        ("报告测算，演员登记人次2025E达13.68万。", "13.68万", 2025),
        ("市场规模2026F将达到1200亿元。", "1200亿元", 2026),
    ],
)
def test_a_report_estimate_year(text: str, surface: str, year: int) -> None:
    row = _row(text, surface)
    assert (_get(row, C.year), row[C.qualifier]) == (year, "forecast")


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("短剧用户达6亿人\n截至2024年12月，我国短剧用户规模达6亿人。", [2024, 2024]),
        # two years in the body: the heading stays unknown
        ("短剧用户达6亿人\n2023年用户规模为6亿人，2024年仍为6亿人。", [None, 2023, 2024]),
        ("网友说短剧用户有6亿人，这一说法流传很广，但并无出处。\n2024年用户规模为6亿人。", [None, 2024]),
    ],
)
def test_a_heading_takes_the_year_the_body_gives_its_figure(text: str, years: list[int | None]) -> None:
    claims = _claims(text)
    assert [None if pd.isna(y) else y for y in claims[C.year]] == years


# 5. the platform or company a figure belongs to, or null for the industry or a list
@pytest.mark.parametrize(
    ("text", "surface", "entity"),
    [
        ("红果短剧月活突破1.5亿", "1.5亿", "红果短剧"),
        ("河马剧场月活达到3000万", "3000万", "河马剧场"),
        ("中文在线2024年营收为11亿元", "11亿元", "中文在线"),
        ("我国微短剧市场规模达到500亿元", "500亿元", None),
        ("抖音、快手等平台的短剧用户超过5亿", "5亿", None),
        ("红果短剧月活为1.6亿，河马剧场月活为2800万", "1.6亿", "红果短剧"),
        ("红果短剧月活为1.6亿，河马剧场月活为2800万", "2800万", "河马剧场"),
        # 月活/日活 are a platform's own measures: the paragraph's last platform, unless the nation's
        ("红果短剧持续增长。2025年10月月活达2.45亿，2026年初逼近3亿。", "3亿", "红果短剧"),
        ("红果短剧持续增长。我国微短剧用户月活超过5亿。", "5亿", None),
        ("红果短剧持续增长。\n月活达到2亿。", "2亿", None),  # another paragraph
        # so are a company's accounts (营收, 净亏损, 销售费用)
        ("掌阅科技发布半年报。上半年实现营收15亿元，归母净亏损1.7亿元。", "1.7亿元", "掌阅科技"),
        ("掌阅科技发布半年报。\n上半年实现营收15亿元。", "15亿元", None),  # another paragraph
        ("掌阅科技发布半年报。我国微短剧市场规模达到500亿元。", "500亿元", None),
        # 分别: the figures after it belong to the entities listed before it, in order
        ("腾讯视频、爱奇艺、芒果 TV月活分别为3.65亿、3.58亿和2.84亿", "3.65亿", "腾讯视频"),
        ("腾讯视频、爱奇艺、芒果 TV月活分别为3.65亿、3.58亿和2.84亿", "3.58亿", "爱奇艺"),
        ("腾讯视频、爱奇艺、芒果 TV月活分别为3.65亿、3.58亿和2.84亿", "2.84亿", "芒果TV"),
        ("红果短剧上半年收入与利润分别为30亿元、5亿元", "5亿元", "红果短剧"),  # one entity: all its own
        # in a story about one company, its accounts are its own, in a later paragraph or a lead before it
        ("中文在线发布了三季报，中文在线的海外业务增长最快。\n第三季度单季营收4亿元，同比增20%。",
         "4亿元", "中文在线"),
        ("单季营收3亿元，亏损继续扩大。\n掌阅科技周二公布财报，掌阅科技表示将加大投入。",
         "3亿元", "掌阅科技"),
        # …not in an overview that names several companies, nor a sentence about the industry
        ("中文在线、掌阅科技和昆仑万维都在布局短剧。\n第三季度单季营收合计20亿元。", "20亿元", None),
        ("中文在线发布了三季报，中文在线的海外业务增长最快。\n全行业单季营收达到90亿元。", "90亿元", None),
        # a platform where something is shown is not whose figure it is; a kind of company points back to none
        ("这些应用在TikTok上的话题浏览量达90亿次", "90亿次", None),
        ("而入驻YouTube Shorts后，单千次播放收益约为3美元", "3美元", None),
        ("柠萌影视发布了财报。\n报告指出，制作方中广告营销公司占比40%", "40%", None),
        ("掌阅科技发布了半年报。\n收入增长的背后，是公司归母净亏损1.2亿元", "1.2亿元", "掌阅科技"),
        # what a platform is compared with is not whose figure it is
        ("快手月活达4亿，与抖音的差距约为3亿", "3亿", "快手"),
        ("与爱奇艺的差距只剩2000万", "2000万", None),
        ("红果短剧月活达3亿，超过优酷的2.8亿", "2.8亿", "优酷"),
        # a sentence pointing back to a company's accounts takes the company, not its app named since
        ("中文在线发布年报，旗下应用ReelShort表现亮眼。公司全年营收为11亿元。", "11亿元", "中文在线"),
        ("中文在线发布年报。ReelShort月活再创新高，其月活达到5000万。", "5000万", "ReelShort"),
        # listed drama companies report their own accounts (华录百纳 is 百纳千成's former name)
        ("慈文传媒营收1.9亿元。华录百纳营收1.36亿元，净利润-0.2亿元。", "1.36亿元", "百纳千成"),
        # a total over a list of companies is none of theirs, in its sentence and the next
        ("五家公司(欢瑞世纪、慈文传媒、华策影视)营收合计13亿元。归母净利润合计-178万元。", "178万元", None),
        # 分别 maps the one list right after it, not a later figure of the sentence
        ("三家平台(爱奇艺、河马剧场、红果短剧)上新数量分别为12部、8部和5部，仅红果短剧同比增加3部", "8部",
         "河马剧场"),
        ("三家平台(爱奇艺、河马剧场、红果短剧)上新数量分别为12部、8部和5部，仅红果短剧同比增加3部", "5部",
         "红果短剧"),
    ],
)
def test_entity(text: str, surface: str, entity: str | None) -> None:
    assert _get(_row(text, surface), C.entity) == entity


# 6. the report or institution a figure is attributed to
@pytest.mark.parametrize(
    ("text", "surface", "source"),
    [
        ("据QuestMobile数据，短剧用户达5亿", "5亿", "QuestMobile"),
        # a province's or city's broadcasting bureau, whatever the spelling of 广电局
        ("据北京市广播电视局统计，当月共有50部作品备案", "50部", "北京市广播电视局"),
        ("广东省广电局通报，共下架作品30部", "30部", "广东省广播电视局"),
        # the institution named just before a report's title is the source, not the title
        ("中研普华产业研究院在《2025-2030年短剧行业研究报告》中指出，成本升至150万元", "150万元",
         "中研普华产业研究院"),
        (
            "中国网络视听协会发布的《中国微短剧行业发展白皮书》显示，市场规模为500亿元",
            "500亿元",
            "中国网络视听协会",
        ),
        ("CNNIC数据显示，网民规模为11亿", "11亿", "CNNIC"),
        ("据国家电影局统计，全年电影票房为480亿元", "480亿元", "国家电影局"),
        ("艾瑞咨询的调研显示，女性用户占比为58%", "58%", "艾瑞咨询"),
        ("中国互联网络信息中心发布的报告显示，网民规模为11亿", "11亿", "CNNIC"),
        ("《短剧观众行为研究报告》显示，用户规模达4亿", "4亿", "《短剧观众行为研究报告》"),
        ("《短剧出海研究报告》指出，海外收入为5亿美元", "5亿美元", "《短剧出海研究报告》"),
        ("《2025 年短剧出海研究报告》指出，海外收入为5亿美元", "5亿美元", "《2025年短剧出海研究报告》"),
        # a paragraph that opens with its source keeps it; the next paragraph does not
        ("据艾媒咨询数据，3月备案微短剧200部。其中都市题材80部。", "80部", "艾媒咨询"),
        ("据艾媒咨询数据，3月备案微短剧200部。\n\n都市题材有80部。", "80部", None),
        ("文 | DataEye\n\n2024年市场规模为500亿元。", "500亿元", None),
        ("据QuestMobile数据，短剧用户达5亿。报告还指出，日均使用时长为40分钟。", "40分钟", "QuestMobile"),
        # a figure drawn from a list of sources rests on none of them alone
        ("报告综合QuestMobile、DataEye等多方数据，全年上线3万部", "3万部", None),
        ("据QuestMobile数据，某平台月活为2亿", "2亿", "QuestMobile"),
        # data firms that count companies and survey viewers, and the Taiwanese name of CNNIC
        ("根据天眼查数据，相关企业已有9万余家", "9万余家", "天眼查"),
        ("启信宝的统计显示，存续企业超过30万家", "30万家", "启信宝"),
        ("據中國網際網路資訊中心統計，網民中有六成看過短劇", "六成", "CNNIC"),
        ("据WETRUE监测，投放素材量下降了12%", "12%", "新腕儿"),
        # a company's own accounts cite the company, never a data firm named earlier in the text
        ("据云合数据，某剧有效播放破亿。\n爱奇艺的财报显示，公司一季度总收入为70亿元。", "70亿元", "爱奇艺"),
        ("据云合数据，某剧有效播放破亿。\n财报显示，一季度总收入为70亿元。", "70亿元", None),
        # 如 before a bureau gives an example, it is no part of the bureau's name; a common misspelling
        ("各地也在细化规则，如浙江省广播电视局每月组织两次审查，全年审核80部", "80部", "浙江省广播电视局"),
        ("根据Sense Tower的统计，该应用累计收入达到4亿美元", "4亿美元", "Sensor Tower"),
        # a platform cited for its data, an outlet cited by its 《name》, the company that published a report
        ("据Netflix日本站数据，这部剧累计观看超过800万小时", "800万小时", "Netflix"),
        ("据《Tech星球》报道，他去年出演了25部短剧", "25部", "Tech星球"),
        ("中文在线在半年报中披露了出海业务。财报显示，其投资的枫叶互动收入约9亿元", "9亿元", "中文在线"),
    ],
)
def test_cited_source(text: str, surface: str, source: str | None) -> None:
    assert _get(_row(text, surface), C.cited_source) == source


# 7. forecasts, and 将近 which only approximates
@pytest.mark.parametrize(
    ("text", "surface", "qualifier"),
    [
        ("预计2026年市场规模为800亿元", "800亿元", "forecast"),
        ("明年收入有望突破100亿元", "100亿元", "forecast"),
        ("底层群演月收入不及3000元", "3000元", "upper_bound"),
        ("演员日均睡眠不足5小时", "5小时", "upper_bound"),
        ("预估全年用户将超过7亿", "7亿", "forecast"),
        ("平台冲刺300亿元营收", "300亿元", "forecast"),
        ("市场规模将达到1000亿元", "1000亿元", "forecast"),
        ("用户规模将近6亿", "6亿", "approximate"),
        # 将 marking the object of a cut (把 in writing): a fact, unless an adverb keeps its "will"
        ("新工具将剪辑时间缩短了40%", "40%", "exact"),
        ("虚拟拍摄将一场戏的布景费用压到5000元", "5000元", "exact"),
        ("这套流程将进一步压缩成本20%", "20%", "forecast"),
        ("虚拟演员的单集片酬为800元", "800元", "exact"),  # the 拟 of 虚拟 and 模拟 plans nothing
        ("模拟测算显示单集成本约3000元", "3000元", "approximate"),
        ("平台拟投入5亿元扶持原创", "5亿元", "forecast"),
        ("单集时长≤15分钟", "15分钟", "upper_bound"),  # comparison signs
        ("这部剧是团队在三周内赶出来的", "三周", "upper_bound"),  # a length closed by 内 bounds it
        ("平台单季斩获2亿美元内购收入", "2亿美元", "exact"),  # the 内 of 内购 bounds nothing
        ("预计从2023年的1亿美元增至2025年的38亿美元预测规模", "38亿美元", "forecast"),
        ("行业升温：1-8月人均时长120分钟（较年初增长25%），用户近7亿；市场规模冲刺634亿元，较2024年增长25.6%",
         "25.6%", "forecast"),  # the forecast runs on in a long sentence too
        ("精品率≥20%", "20%", "lower_bound"),
        ("机构认为规模或达千亿", "千亿", "forecast"),  # 或达: may reach
        # a forecast verb that opens the sentence governs the figures after its comma, over 约
        ("机构预计，今年全行业上线的新剧约为3万部", "3万部", "forecast"),
        ("研究院预测：明年市场规模将近900亿元", "900亿元", "forecast"),
        ("三季度业绩大超预期：单季营收12亿元", "12亿元", "exact"),
        # a plan verb governs the clauses listed after it, until something is said to have happened
        ("今年基地预计拍摄800部短剧，营收30亿元，带动就业5000人以上", "30亿元", "forecast"),
        ("今年基地预计拍摄800部短剧，营收30亿元，带动就业5000人以上", "5000人", "forecast"),
        ("公司力争全年上线600部作品", "600部", "forecast"),
        ("明年的目标营收为15亿元", "15亿元", "forecast"),
        ("预计拍摄100部，首批20部已开机", "20部", "exact"),
        ("预计拍摄100部，目前已有40部上线", "40部", "exact"),
        ("目标用户中女性占比60%", "60%", "exact"),
        ("方案提出培育10家以上龙头企业", "10家", "forecast"),  # a plan's targets
        ("全市争取到2027年产值达到200亿元", "200亿元", "forecast"),
        ("平台拟投入5亿元扶持原创", "5亿元", "forecast"),
        ("“跟着微短剧去旅行”创作计划累计推出335部作品", "335部", "exact"),  # 计划 as a programme's name
        # a forecast runs on into the clause right after it, not past a year or a deed, nor further
        ("明年剧集播放量将超900亿次，市场规模突破300亿元", "300亿元", "forecast"),
        ("到2028年规模将达1200亿元，年均复合增长率约为20%", "20%", "forecast"),
        ("规模将达1200亿元，2024年为500亿元", "500亿元", "exact"),
        ("规模将达1200亿元，目前已有6亿用户", "6亿", "exact"),
        ("播放量将超900亿次，规模突破300亿元，制作周期缩短40%", "40%", "exact"),
        # 将 marking an object (将网文改编为短剧) says no "will"
        ("平台将热门网文快速改编为短剧，单部周期仅7天", "7天", "exact"),
        ("平台将成为千亿赛道的龙头，用户超5亿", "5亿", "forecast"),
        # a year its sentence forecasts is never carried to the next sentence's figures
        ("报告预计今年规模达600亿元，2027年达850亿元。\n五家公司营收合计13亿元。", "13亿元", "exact"),
        ("行业规模预计2027年达850亿元 [1] - 五家公司营收合计13亿元 [2]", "13亿元", "exact"),
        # 过 after a verb of experience says "have done", not "over"
        ("有一半用户看过3分钟以内的短剧", "3分钟", "upper_bound"),
        ("用户中有三成付费过100元以上", "100元", "lower_bound"),
        ("播放量过10亿", "10亿", "lower_bound"),
        # the longest bound word decides (不超过 over 超过), and 及以上 / 及以下 after the figure
        ("每部最高不超过150万元", "150万元", "upper_bound"),
        ("年度分账收入达到200万元及以上的", "200万元", "lower_bound"),
        ("单集时长在3分钟及以下", "3分钟", "upper_bound"),
    ],
)
def test_forecasts(text: str, surface: str, qualifier: str) -> None:
    assert _row(text, surface)[C.qualifier] == qualifier


@pytest.mark.parametrize(
    ("text", "published", "qualifier"),
    [
        ("到2030年市场规模达到1000亿元", "2025-03-01", "forecast"),  # a year after publication
        ("2024年市场规模达到504亿元", "2025-03-01", "exact"),
        ("2025年市场规模达到600亿元", "2025-03-01", "exact"),
        ("到2030年市场规模达到1000亿元", None, "exact"),  # no date to compare with
    ],
)
def test_a_figure_for_a_year_after_publication_is_a_forecast(
    text: str, published: str | None, qualifier: str
) -> None:
    assert extract_claims(text, published=published)[C.qualifier].tolist() == [qualifier]


# 8. page furniture, ids, ratios and counters are not figures
@pytest.mark.parametrize(
    "text",
    [
        "01导读",
        "短剧行业\n0\n分享",
        "阅读:0",
        "浏览量:12",
        "(剩余1154字)",
        "全文约3000字",
        "股票代码 002555.SZ",
        "画面比例为9∶16",
        "宽高比1:2.5",
        "联系电话 138 1234 5678",
        "CNNIC发布第54次统计报告",
        "1页 / 共42",
        "分成比例为3:3:4",
        "这座古镇已有1800年历史",
        "该公司成立于2019年",
        "连续2024年度获评优秀",
        "规模扩张。2)渠道分成趋于稳定",
        "引言\n2.3 平台格局:头部集中",
        "四大趋势如下。\n\n2、红果短剧的打法",  # a list marker with 、
        "2026-01-09 07:02 浏览2 评论0",  # counters without a colon
        "截至6月1日24时",  # a time of day
        "金宝搏188 某某平台",  # injected spam
        "仙踪林19岁RAPPER潮水",
        "多模态推理模型Skywork-R1V 3.0发布",  # versions
        "行业迈向“精品化2.0”",
        "头部演员一周的收入抵得上普通人几个月",  # the basis of a rate
        "1月12日清晨6时",
        "位居收入榜榜首 [2]；位居下载榜第二",  # footnote references
        "同比增长三倍[10]",
        "据公开资料［3］",
        "阿里通义万相 2.5 已开放使用",  # a version after a product name and a space
        "游戏推荐：斗地主,捕鱼达人,消消乐2\n短剧行业",  # a title's sequel number ending its line
        "引言\n\n1.投放数据\n\n2.小程序模式",  # list markers with a full stop glued to the heading
        "90后、95後和00后都爱看短剧",  # birth cohorts
        "观众以70、80、90后为主",
        "相关阅读\n24小时热文\n7天热榜",  # a page's list labels
    ],
)
def test_page_noise_is_not_a_figure(text: str) -> None:
    claims = _claims(text)
    assert claims.empty, claims[[C.surface]].to_dict("records")


# 9. noise squeezed out of a phrase or a year still lets the figure through
@pytest.mark.parametrize(
    ("text", "surface", "column", "expected"),
    [
        ("市(shì)场规(guī)模达500亿元", "500亿元", C.metric, "market_size"),
        ("2《某某网》024年市场规模达300亿元", "300亿元", C.year, 2024),
        # a spun re-post (东说念主 for 人) is read with its spun words as the originals
        ("现时我国收集视听用户跳跃11亿，径直干事东说念主数跳跃20万。", "11亿", C.qualifier, "lower_bound"),
        ("现时我国收集视听用户跳跃11亿，径直干事东说念主数跳跃20万。", "20万", C.metric, "jobs"),
        ("东说念主们关注：2024年微短剧市集范围为504亿元。", "504亿元", C.metric, "market_size"),
        ("2 024年市场规模达300亿元", "300亿元", C.year, 2024),
        ("规模ღ◈达3亿元", "3亿元", C.metric, "market_size"),
        ("收入突破 2000 萬", "2000 萬", C.value, 2e7),
        ("单次点击成本约$0.2-$0.5", "0.2-$0.5", C.value_high, 0.5),
        ("单次点击成本约$0.2-$0.5", "0.2-$0.5", C.unit, "USD"),
    ],
)
def test_noise_squeezed_out(text: str, surface: str, column: str, expected: object) -> None:
    got = _get(_row(text, surface), column)
    assert got == (pytest.approx(expected) if isinstance(expected, float) else expected)


# 10. figures written in words, spans of years, and a time window that only frames another figure
@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "metric", "qualifier"),
    [
        ("三分之一的观众每天追剧", "三分之一", 33.3, "percent", "share", "exact"),
        ("超一半的用户为女性", "一半", 50, "percent", "share", "lower_bound"),
        ("过半用户选择付费", "过半", 50, "percent", "share", "lower_bound"),
        ("每五人中就有一人看过短剧", "每五人中就有一人", 20, "percent", "share", "exact"),
        ("每四位短剧观众中，就有一人付费", "每四位短剧观众中，就有一人", 25, "percent", "share", "exact"),
        ("每10个年轻人里就有近6人追剧", "每10个年轻人里就有近6人", 60, "percent", "share", "approximate"),
        ("二十多个剧组同时开机", "二十多个", 20, "count", "other", "lower_bound"),
        ("片场每天有十几个剧组进出", "十几个", 10, "count", "other", "lower_bound"),
        ("园区已吸引数十家影视企业入驻", "数十家", 10, "company", "companies", "lower_bound"),
        ("基地日均开拍数十部短剧", "数十部", 10, "work", "works", "lower_bound"),
        ("公司只有几十名员工", "几十名", 10, "person", "other", "lower_bound"),
        ("我们每天接待八九个剧组", "八九个", 8, "count", "other", "range"),
        ("这一赛道已有两三家公司试水", "两三家", 2, "company", "companies", "range"),
        ("基地占地近两万平方米", "两万平方米", 20000, "count", "other", "approximate"),
        ("园区规划用地300亩", "300亩", 300, "count", "other", "exact"),
        ("拍摄周期为三个月", "三个月", 3, "month", "duration", "exact"),
        ("该剧连续45天位居榜首", "45天", 45, "day", "duration", "exact"),
        ("上线24小时充值破千万", "千万", 1e7, "CNY", "revenue", "lower_bound"),
        # a bare 千万/千亿 right after what it measures, or after 上
        ("机构认为市场规模或达千亿", "千亿", 1e11, "CNY", "market_size", "forecast"),
        ("一部爆款剧流水千万并不稀奇", "千万", 1e7, "CNY", "revenue", "exact"),
        ("平台为此投入上亿资金", "亿", 1e8, "CNY", "investment", "lower_bound"),
        # spans of years after a lead word; a bare N年 is still a date
        ("该应用使用率连续7年保持首位", "7年", 7, "year", "duration", "exact"),
        ("这家成立不到三年的公司", "三年", 3, "year", "duration", "upper_bound"),
        ("老牌平台已深耕行业将近十五年", "十五年", 15, "year", "duration", "approximate"),
        ("新平台仅仅用了两年时间就反超", "两年时间", 2, "year", "duration", "exact"),
        # a span of years after a verb's 了 or 过: how long someone has done something
        ("她在剧组跑了5年龙套", "5年", 5, "year", "duration", "exact"),
        ("干过两年场记的小李说", "两年", 2, "year", "duration", "exact"),
        # a bare magnitude right before the noun it measures, or a lone scale word before a currency
        ("一部剧做到百万播放并不难", "百万", 1e6, "play", "plays", "exact"),
        ("这类账号大多坐拥千万粉丝", "千万", 1e7, "count", "other", "exact"),
        ("单条素材的提成是千元", "千元", 1e3, "CNY", "other", "exact"),
        ("一条素材的提成不过两百元", "两百元", 200, "CNY", "other", "upper_bound"),
        ("制作方为此投入上万元", "万元", 1e4, "CNY", "investment", "lower_bound"),
        ("头部译制剧单日日入百万", "百万", 1e6, "CNY", "revenue", "exact"),
    ],
)
def test_figures_in_words(
    text: str, surface: str, value: float, unit: str, metric: str, qualifier: str
) -> None:
    claims = _claims(text)
    assert claims[C.surface].tolist() == [surface]
    row = claims.iloc[0]
    assert row[C.value] == pytest.approx(value)
    assert (row[C.unit], row[C.metric], row[C.qualifier]) == (unit, metric, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "一两个问题还要解决",
        "观众三五成群地讨论剧情",
        "这种说法八九不离十",
        "网传消息十之八九不实",
        "三三两两的路人",
        "这部剧千万不要错过",  # 千万 as "by all means"
        "观众的千万种期待",
        "百万雄兵的场面全靠特效",  # a magnitude with no noun it measures is a figure of speech
        "当年的万元户如今也追短剧",
        "剧组的作息比“996”还要夸张",  # a work-schedule slogan
        "二、平台趋势\n1. AI与互动剧情\n2. 会员模式",  # list items opening with a Latin word
        "全文字数:2800,阅读时长大约6分钟",  # page boilerplate
    ],
)
def test_idioms_and_couples_in_words_are_not_figures(text: str) -> None:
    assert _claims(text).empty


def test_only_a_spun_text_is_read_back() -> None:
    from extract.noise import despin

    assert despin("数据跳跃式增长，施展才华。") is None  # no signature: ordinary words keep their meaning
    spun = despin("东说念主数跳跃20万")
    assert spun is not None and spun.text == "人数超过20万"
    assert [spun.where[spun.text.index(ch)] for ch in "20万"] == [7, 8, 9]  # offsets: the text as written


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("群演一天只有80到200元", ["80到200元"]),  # 一天 is the rate's basis
        ("一天十五六个小时不算什么", ["十五六个小时"]),
        ("凭借一周拍完的速度走红", ["一周"]),  # a length of time
        ("仅用一天就拍完了", ["一天"]),
        ("头部平台平均一天收入超50万美元", ["50万美元"]),  # 平均/每/人均 before it: a rate's basis
        ("观众每天刷剧约两小时", ["两小时"]),
    ],
)
def test_one_day_is_a_rate_basis_or_a_length(text: str, surfaces: list[str]) -> None:
    assert _claims(text)[C.surface].tolist() == surfaces


def test_a_bare_figure_takes_the_kind_its_document_gives_it_elsewhere() -> None:
    text = "今年已有12部10亿播放量短剧。有人质疑10亿这一数据有水分；所谓10亿，不过是噱头。"
    rows = _claims(text)
    assert rows.loc[rows[C.surface] == "10亿", C.metric].tolist() == ["plays"] * 3
    alone = _claims("所谓10亿，不过是噱头。")  # nothing in the text says what it counts
    assert alone[C.metric].tolist() == ["other"]
    mixed = _claims("收入10亿元，播放量10亿。另有10亿。")  # 10亿元 is another surface: only plays count
    assert mixed[C.metric].tolist()[-1] == "plays"


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("用上AI后，后期费用直降六成", "六成", -60),
        ("单集成本从2万元降到3000元，降幅85%", "85%", -85),
        ("工作室把拍摄周期压缩了70%", "70%", -70),
        ("新技术帮片方节省40%的置景开支", "40%", -40),
        ("剧组人数削减一半以上", "一半", -50),
    ],
)
def test_a_cut_is_a_negative_growth(text: str, surface: str, value: float) -> None:
    row = _row(text, surface)
    assert (row[C.metric], row[C.value]) == ("growth", pytest.approx(value))


def test_a_bare_count_before_a_title_is_its_plays_where_the_text_counts_plays() -> None:
    text = "榜首《甲》的播放量达5亿。紧随其后，2.8亿的《乙》和1.6亿的《丙》同样亮眼。"
    rows = _claims(text)
    assert rows[C.metric].tolist() == ["plays"] * 3
    assert rows[C.unit].tolist() == ["play"] * 3
    alone = _claims("紧随其后，2.8亿的《乙》同样亮眼。")  # no play count anywhere: the kind is unknown
    assert alone[C.metric].tolist() == ["other"]


@pytest.mark.parametrize(
    ("text", "year", "period"),
    [
        ("研究机构称，2026 上半年竖屏剧观众达7.1亿", 2026, "2026-H1"),
        ("该公司2024H2短剧流水4.3亿元", 2024, "2024-H2"),
        ("据财报，2025Q3海外营收2.2亿美元", 2025, "2025-Q3"),
        ("2023全年小程序充值约120亿元", 2023, "2023"),
    ],
)
def test_a_year_written_without_nian_before_a_part_of_it_dates_the_figure(
    text: str, year: int, period: str
) -> None:
    row = _claims(text).iloc[-1]
    assert (row[C.year], row[C.period]) == (year, period)


def test_a_code_that_merely_looks_like_a_quarter_is_still_masked() -> None:
    assert _claims("工单号AB2025Q1X的退款300元")[C.year].isna().all()


def test_a_paragraph_opening_with_qizhong_continues_the_year_of_the_one_before() -> None:
    text = "2024年下半年，出海短剧应用下载量达3.1亿次。\n其中，巴西贡献了4200万次。"
    assert _row(text, "4200万次")[C.year] == 2024
    # without 其中 a new paragraph starts afresh: its year is not the earlier paragraph's
    apart = "2024年下半年，出海短剧应用下载量达3.1亿次。\n巴西的用户增长最快，达4200万次。"
    assert pd.isna(_row(apart, "4200万次")[C.year])
    # only the paragraph just before continues: one further back dates nothing
    far = "2024年下半年，下载量达3.1亿次。\n平台纷纷加码。\n其中，巴西贡献了4200万次。"
    assert pd.isna(_row(far, "4200万次")[C.year])
    # 然而 turns to the other side of the same subject
    but = "甲公司2025年上半年营收15亿元。\n然而，公司净亏损1.7亿元。"
    assert _row(but, "1.7亿元")[C.year] == 2025


@pytest.mark.parametrize("lead", ["截至发稿", "截止发稿时", "截至记者发稿", "截至今日"])
def test_as_of_going_to_press_is_the_publication_year(lead: str) -> None:
    row = _row(f"{lead}，在投放的付费小程序共有3120个", "3120个", published="2026-04-02")
    assert row[C.year] == 2026
    assert pd.isna(_row(f"{lead}，在投放的付费小程序共有3120个", "3120个")[C.year])  # no date: no year


@pytest.mark.parametrize(
    ("text", "surface", "year"),
    [
        ("2025年以来上线新剧1.2万部，相较于2024年全年增长41%", "41%", 2025),
        ("2025年人均观看时长相比于2024年增加12分钟", "12分钟", 2025),
        ("2025年，AI制作占比从2024年的8%升至19%", "19%", 2025),
        ("2025年，AI制作占比从2024年的8%升至19%", "8%", 2024),  # the start of the change is 2024's
        ("2025 年 上 半 年 付费率为 36%，相比 2024 年 同 期 的 29%", "36%", 2025),
    ],
)
def test_a_baseline_year_in_other_words_does_not_date_the_later_figure(
    text: str, surface: str, year: int
) -> None:
    assert _row(text, surface)[C.year] == year



@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        ("榜单前列全是真人剧，足足八部竖屏短剧", "八部", "work"),
        ("我一口气追了五集才停下", "五集", "episode"),
        ("主角沉默了两秒才开口", "两秒", "minute"),
    ],
)
def test_small_counts_of_dramas_episodes_and_seconds_in_words_are_figures(
    text: str, surface: str, unit: str
) -> None:
    assert _row(text, surface)[C.unit] == unit


@pytest.mark.parametrize(
    "text",
    ["这两部作品让导演一夜成名", "一部短剧能火多久", "七部门联合发文", "他拍完了三部曲", "三集团合并"],
)
def test_one_drama_a_reference_or_a_ministry_count_is_no_figure(text: str) -> None:
    assert _claims(text).empty


@pytest.mark.parametrize(
    "text",
    ["形形色色的人挤在这座2.3万平方米的影棚里", "观众最爱的取景地占地800亩", "基地扩至12公顷，来的人更多"],
)
def test_an_area_is_never_people_or_money(text: str) -> None:
    row = _claims(text).iloc[0]
    assert (row[C.unit], row[C.metric]) == ("count", "other")


@pytest.mark.parametrize(
    ("text", "unit", "metric"),
    [
        ("去年有1800个短剧剧组在象山开机", "count", "other"),
        ("全市已有40家微短剧公司", "company", "companies"),
        ("上线900部短剧", "work", "works"),  # 短剧 alone is still what is counted
    ],
)
def test_a_drama_modifier_leaves_the_counted_noun_to_the_word_it_modifies(
    text: str, unit: str, metric: str
) -> None:
    row = _claims(text).iloc[0]
    assert (row[C.unit], row[C.metric]) == (unit, metric)


@pytest.mark.parametrize(
    ("text", "surface", "metric"),
    [
        # the film box office a market is compared with does not measure the later figure
        ("行业规模约610亿元，已高于去年全国电影票房，预计明年将突破800亿元", "800亿元", "market_size"),
        # the compared figure itself, right after 票房, is box office
        ("短剧市场规模首次超越电影票房收入（约460亿元）", "460亿元", "box_office"),
        # a short drama's 票房 is its takings
        ("这部出海短剧在北美拿下2800万美元票房", "2800万美元", "revenue"),
        ("小程序剧的票房过千万就算爆款", "千万", "revenue"),
        # a film's stays box office
        ("春节档电影票房突破95亿元", "95亿元", "box_office"),
    ],
)
def test_box_office_is_a_films_and_a_comparison_measures_nothing_after_it(
    text: str, surface: str, metric: str
) -> None:
    assert _row(text, surface)[C.metric] == metric


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("主演日薪约2000元，配角演员只有500元", "500元"),  # 演员 says whose money, 日薪 what it is
        ("替身演员一天的收入不过三四百元", "三四百元"),
        ("场工每小时只能拿到15元", "15元"),
    ],
)
def test_a_workers_pay_by_the_day_or_hour_is_a_cost(text: str, surface: str) -> None:
    assert _row(text, surface)[C.metric] == "cost"


def test_a_platforms_takings_by_the_day_stay_revenue() -> None:
    assert _row("头部平台平均一天收入超过80万美元", "80万美元")[C.metric] == "revenue"


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("新工具把后期成本拉低了15%", "15%", -15),
        ("与高峰相比，新增企业数缩水约40%", "40%", -40),
        ("今年群演日薪又被砍了两成", "两成", -20),
    ],
)
def test_more_cuts_are_negative_growth(text: str, surface: str, value: float) -> None:
    row = _row(text, surface)
    assert (row[C.metric], row[C.value]) == ("growth", pytest.approx(value))


@pytest.mark.parametrize(
    ("text", "surface", "metric"),
    [
        ("调查显示，超七成受访者看好短剧的未来", "七成", "share"),  # 看好/看涨 after the whole: no change
        ("头部2%的公司拿走了六成的流水", "2%", "share"),
        ("头部2%的公司拿走了六成的流水", "六成", "share"),
        ("营收同比增长30%的同时，利润也在改善", "30%", "growth"),  # a change before: still a change
        ("市场将以18%的复合增长率扩张", "18%", "growth"),
    ],
)
def test_a_percentage_before_the_whole_it_is_part_of_is_a_share(text: str, surface: str, metric: str) -> None:
    assert _row(text, surface)[C.metric] == metric


@pytest.mark.parametrize(
    ("text", "surface", "qualifier"),
    [
        ("场工的月收入一直难以突破4000元", "4000元", "upper_bound"),  # a negated floor is a ceiling
        ("这样的古装戏成本很难少于60万元", "60万元", "lower_bound"),  # a negated ceiling is a floor
        ("新人编剧单集稿费最高可得2000元", "2000元", "upper_bound"),
        ("头部演员的日薪最高达6万元", "6万元", "upper_bound"),
        ("最高不超过50万元的补贴", "50万元", "upper_bound"),
    ],
)
def test_negated_bounds_flip_and_a_maximum_is_an_upper_bound(text: str, surface: str, qualifier: str) -> None:
    assert _row(text, surface)[C.qualifier] == qualifier


def test_aiming_at_a_figure_is_a_forecast() -> None:
    assert _row("出海短剧的市场规模剑指两百亿美元", "两百亿美元")[C.qualifier] == "forecast"


def test_the_compared_years_own_figure_is_no_forecast_though_its_sentence_forecasts() -> None:
    text = "据测算，2026年海外短剧应用内购收入预计达42亿美元，较2025年的20亿美元激增110%。"
    base, change = _row(text, "20亿美元"), _row(text, "110%")
    assert (base[C.qualifier], _get(base, C.year)) == ("exact", 2025)
    assert (change[C.metric], change[C.qualifier], _get(change, C.year)) == ("growth", "forecast", 2026)


@pytest.mark.parametrize(
    ("text", "surface", "metric"),
    [
        ("不到5%的头部公司赚走了八成的利润", "八成", "share"),
        ("这家公司拿走了全行业60%的利润", "60%", "share"),
        ("该业务录得35%的毛利率", "35%", "profit"),  # a margin is the profit's own percentage
    ],
)
def test_a_percentage_of_a_profit_is_a_share_and_of_a_margin_a_margin(
    text: str, surface: str, metric: str
) -> None:
    assert _row(text, surface)[C.metric] == metric


def test_a_video_pages_counters_are_no_figures() -> None:
    text = "相关视频\n1234567次播放\n89012人已点赞\n3456人已收藏\n该剧全网播放量超过3亿次。"
    assert _claims(text)[C.surface].tolist() == ["3亿次"]


def test_a_bare_number_after_a_ratio_word_is_no_figure() -> None:
    text = "报告期末公司流动比率为1.25，速动比率仅0.97，而短剧收入占比达到40%。"
    assert _claims(text)[C.surface].tolist() == ["40%"]


def test_a_results_later_paragraph_compared_year_on_year_keeps_the_reporting_period_year() -> None:
    text = ("2025年上半年，某公司营收同比增长12%至8亿元。\n"
            "财报显示，其销售费用同比增长30%至3亿元。\n另有员工500人。")
    assert _get(_row(text, "3亿元"), C.year) == 2025
    assert _get(_row(text, "30%"), C.year) == 2025
    assert _get(_row(text, "500人"), C.year) is None  # no 同比: a new paragraph's figure is not dated


def test_a_continued_paragraph_keeps_the_half_as_well_as_the_year() -> None:
    text = "2025年上半年，某公司营收12亿元。\n然而公司净亏损3亿元。"
    row = _row(text, "3亿元")
    assert (_get(row, C.year), row[C.period], row[C.period_kind]) == (2025, "2025-H1", "half")


@pytest.mark.parametrize("opener", ["其中", "然而", "报告还显示"])
def test_a_continued_paragraph_keeps_the_year_in_its_first_sentence_only(opener: str) -> None:
    text = f"2024年，某平台营收达12亿元。\n{opener}，海外收入4亿元。北辰影业完成融资，融资额约2亿元。"
    assert _get(_row(text, "4亿元"), C.year) == 2024
    assert _get(_row(text, "2亿元"), C.year) is None  # a later sentence moves on to another subject


@pytest.mark.parametrize(
    ("before", "year"),
    [
        ("2025年上半年，某公司营收12亿元。", 2025),  # a company's results: the 同比 line is of that half
        ("2022年上半年，新上线短剧作品数量为1225部。", None),  # no results: not a report read on
        ("2022年上半年，网络短剧出海收入突破14亿美元。", None),  # an industry figure, not results
        ("2025年上半年，某公司营收12亿元。\n另有一段无关的话。", None),  # a paragraph between
    ],
)
def test_a_same_period_line_needs_results_in_the_paragraph_just_before(before: str, year: int | None) -> None:
    text = f"{before}\n受多重因素影响，付费收入同比下降18.9%。"
    assert _get(_row(text, "18.9%"), C.year) == year


def test_the_months_of_a_reporting_period_carry_like_a_half() -> None:
    text = "2025年前三季度，某公司营收9亿元。其中短剧收入4亿元。"
    row = _row(text, "4亿元")
    assert (row[C.period], row[C.period_kind]) == ("2025-01/2025-09", "span")


@pytest.mark.parametrize("lead", ["报告还显示", "《白皮书》同时指出", "该报告进一步发现"])
def test_a_paragraph_reading_on_in_the_same_report_keeps_its_year(lead: str) -> None:
    text = f"2024年，微短剧用户达6亿人。\n{lead}，付费用户占比为30%。\n另一家公司员工500人。"
    assert _get(_row(text, "30%"), C.year) == 2024
    assert _get(_row(text, "500人"), C.year) is None


def test_a_half_named_without_a_year_dates_the_rest_of_its_paragraph() -> None:
    text = "某平台上半年实现营收30亿元。其中短剧收入6亿元，毛利率为70%。\n另一家公司员工800人。"
    for surface in ("6亿元", "70%"):
        row = _row(text, surface, published="2025-08-20")
        assert (_get(row, C.year), row[C.period]) == (2025, "2025-H1")
    assert _get(_row(text, "800人", published="2025-08-20"), C.year) is None


def test_a_month_named_without_a_year_dates_only_its_own_sentence() -> None:
    text = "6月，某平台上线新剧。其中一部播放量达3亿次。"
    assert _get(_row(text, "3亿次", published="2025-08-20"), C.period) is None


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("根据华安证券的《短剧出海专题报告》，海外市场规模达30亿美元。", "华安证券"),  # not the title
        ("据江南文化产业研究院测算，全省微短剧产值达80亿元。", "江南文化产业研究院"),
        ("星河咨询发布的数据显示，付费用户超过2亿人。", "星河咨询"),
        ("据行业研究院最新报告，付费用户比例为45%。", None),  # a description, not a name
        # a name in Latin letters beside a cue, with the data's year or quarter between
        ("据Pine & Co.统计，海外短剧应用收入达12亿美元。", "Pine & Co."),
        ("Apex.io 2024年数据显示，海外下载量合计突破3亿次。", "Apex.io"),
        ("据Blue Harbor Media Group Q1报告，广告eCPM均值为18美元。", "Blue Harbor Media Group"),
        ("Blue Harbor Media Group实测数据显示，投放后完播率为6.3%。", "Blue Harbor Media Group"),
        ("据Tech星河报道，该剧充值破千万元。", None),  # Latin letters that open a Chinese name
        ("App数据显示，海外付费用户超过2000万人。", None),  # a word, not a name
        ("2025年Lumen推出的新剧播放量达2亿次。", None),  # no cue: a platform, not a source
    ],
)
def test_an_institution_no_entry_names_is_cited_by_its_own_name(text: str, source: str | None) -> None:
    claims = _claims(text)
    assert len(claims) == 1
    assert _get(claims.iloc[0], C.cited_source) == source


def test_each_later_list_after_fenbie_belongs_to_the_same_entities_in_order() -> None:
    text = "今年一季度，ReelShort和DramaBox的收入分别增长40%和25%，达到2.1亿美元和1.6亿美元。"
    got = _claims(text).set_index(C.surface)[C.entity].to_dict()
    assert got == {"40%": "ReelShort", "25%": "DramaBox", "2.1亿美元": "ReelShort", "1.6亿美元": "DramaBox"}


def test_a_later_list_of_another_length_after_fenbie_is_left_alone() -> None:
    text = "ReelShort和DramaBox的收入分别增长40%和25%，行业合计达到9亿美元。"
    assert _get(_row(text, "9亿美元"), C.entity) is None


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        ("以前拍一部剧要耗上数月，如今一周就够", "数月", "month"),
        ("新人往往要熬几个月才能接到戏", "几个月", "month"),
        ("近几个月，古装题材的AI短剧走红", "几个月", "month"),  # the recent few months, not "nearly"
        ("剪辑师连轴转了几天", "几天", "day"),
        ("短视频只需几秒就要抓住观众", "几秒", "minute"),
    ],
)
def test_a_few_units_of_time_are_a_duration_of_at_least_one(text: str, surface: str, unit: str) -> None:
    row = _row(text, surface)
    assert (row[C.metric], row[C.unit], row[C.qualifier]) == ("duration", unit, "lower_bound")


@pytest.mark.parametrize("text", ["这几天片场很忙", "前几个月的数据不全", "这几年行业变化很大"])
def test_a_few_units_of_time_after_a_demonstrative_are_no_figure(text: str) -> None:
    assert _claims(text).empty


def test_a_few_tens_of_thousands_is_a_lower_bound() -> None:
    assert _row("一部剧的投入要几十万元", "几十万元")[C.qualifier] == "lower_bound"
