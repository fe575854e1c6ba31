"""Tests for extract.header: publication date and source from byline lines, JSON-LD and URLs."""

from __future__ import annotations

import pytest

from extract.corpus import parse_document
from extract.header import Header, date_from_url, read_header, read_json_ld

BODY = "据行业机构测算，2024年微短剧市场规模达到504.4亿元。"

HEADERS = [
    # (label, text, expected date, source name, source URL)
    ("site and date", f"微短剧观察\n青岚网 2025-07-14\n{BODY}", "2025-07-14", "青岚网", None),
    ("Traditional labels", f"標題\n發布時間:2025年03月02日 來源:星河日報\n{BODY}",
     "2025-03-02", "星河日報", None),
    ("time and spaced colon", f"标题\n发布时间:2024-11-21 08:16:33 来源: 云帆新闻\n{BODY}",
     "2024-11-21", "云帆新闻", None),
    ("reporter byline", f"标题\n记者 林小舟 2026-01-08 09:15\n{BODY}", "2026-01-08", None, None),
    ("source then Chinese date", f"标题\n来源：澄江时报  2024年11月6日\n{BODY}",
     "2024-11-06", "澄江时报", None),
    ("date bar source", f"标题\n2025-12-04 10:21:33 | 来源：北辰客户端\n{BODY}",
     "2025-12-04", "北辰客户端", None),
    ("bare URL line", f"标题\nhttps://news.qinglan.example/a/88.html\n作者：周一禾\n{BODY}",
     None, None, "https://news.qinglan.example/a/88.html"),
    ("source noise stripped", f"标题\n来源: 港湾新闻网 作者:苏晴\n发布日期：2025-01-02\n{BODY}",
     "2025-01-02", "港湾新闻网", None),
    ("label glued to name", f"标题\n来源：松间传媒作者:陈默 2024/09/30\n{BODY}",
     "2024-09-30", "松间传媒", None),
    ("full-width digits", f"标题\n发布时间：２０２５－０７－１４　来源：长风晚报\n{BODY}",
     "2025-07-14", "长风晚报", None),
    ("full-width colon and Traditional", f"標題\n記者：陳默　日期：２０２４年１２月３１日\n{BODY}",
     "2024-12-31", None, None),
    ("publish beats plain time", f"标题\n时间：2024-03-01\n发布时间：2024-03-02\n{BODY}",
     "2024-03-02", None, None),
    ("publish beats update", f"标题\n更新时间：2024-05-09 发布时间：2024-05-01\n{BODY}",
     "2024-05-01", None, None),
    ("unlabelled beats update", f"标题\n更新于 2024-06-20\n青岚网 2024-06-18\n{BODY}",
     "2024-06-18", "青岚网", None),
    ("toolbar words", f"标题\n2025-02-14 星期五 来源：星河日报 字号：大 中 小 打印 阅读：1024\n{BODY}",
     "2025-02-14", "星河日报", None),
    ("agency reporter", f"标题\n新华社记者 林小舟 2025-04-03\n{BODY}", "2025-04-03", "新华社", None),
    ("parenthesised footer source", f"标题\n{BODY}\n（来源：长风晚报）\n（责任编辑：周一禾）",
     None, "长风晚报", None),
    ("footer URL", f"标题\n{BODY}\n原文链接：https://www.yunfan.example/n/2024/1121/7.html",
     None, None, "https://www.yunfan.example/n/2024/1121/7.html"),
    ("header source beats footer source", f"标题\n来源：星河日报 2025-03-03\n{BODY}\n来源：青岚网",
     "2025-03-03", "星河日报", None),
    ("writer slash", f"标题\n文/苏晴 图/陈默 2025.08.09\n{BODY}", "2025-08-09", None, None),
    ("English labels", f"Title\nPublished: 2024-10-01 Source: qinglan.example\n{BODY}",
     "2024-10-01", "qinglan.example", None),
    ("markdown emphasis", f"# 标题\n\n**发布时间**：2025-05-20 ｜ **来源**：云帆新闻\n\n{BODY}",
     "2025-05-20", "云帆新闻", None),
    ("quoted byline", f"标题\n> 北辰客户端 2025年6月1日 10:00\n{BODY}", "2025-06-01", "北辰客户端", None),
    ("channel line above a title with commas",
     f"中工娱乐\n工视点:超5成网民看微短剧,谁该有压力?\n来源:星河日报客户端\n2024-08-31 08:40\n{BODY}",
     "2024-08-31", "星河日报客户端", None),
    ("unknown byline words and a timestamp", f"澄江网编译林小舟 2026-02-11 15:30\n\n{BODY}",
     "2026-02-11", None, None),
    ("date and a view counter", f"标题\n2025-12-04 0\n{BODY}", "2025-12-04", None, None),
    ("channel words, timestamp, counter", f"标题\n西瓜影视 内地剧 2025-05-29 14:15 3\n{BODY}",
     "2025-05-29", None, None),
    ("labelled date running into the body", f"date 2025-09-19 {BODY}", "2025-09-19", None, None),
    ("publish label running into the body", f"发布时间：2025年3月2日 {BODY}", "2025-03-02", None, None),
    ("forum byline, glued label, counters", f"标题\nli ming 发表于2026-02-09 07:02:37 浏览2 评论0\n{BODY}",
     "2026-02-09", None, None),
    ("user name and glued publish label", f"标题\n小张同学 发布于2025-03-02 10:15\n{BODY}",
     "2025-03-02", None, None),
    ("romanised outlet name and timestamp", f"标题\nXiao Fei Ri Bao Wang· 2025-07-31 02:52\n{BODY}",
     "2025-07-31", None, None),
    ("date opening the first body line", f"标题\n2025-12-30 1{BODY}", "2025-12-30", None, None),
    ("date and a comma above the body", f"标题\n2025-06-20,\n星河\n{BODY}", "2025-06-20", None, None),
    ("date glued to spam words", f"标题\n2026-02-18某某电子,某某官网\n{BODY}", "2026-02-18", None, None),
    ("labelled date beats an opening one", f"标题\n发布时间：2025-01-03\n2025-01-01 {BODY}",
     "2025-01-03", None, None),
    # negatives
    ("numeric date after the body began", f"标题\n{BODY}\n2024-01-01 起施行的新规。", None, None, None),
    ("glued update label", f"标题\n小张同学 更新于2025-03-02 10:15\n{BODY}", None, None, None),
    ("update label running into the body", f"更新时间 2025-09-19 {BODY}", None, None, None),
    ("date label glued to a word", f"日期2025-09-19后{BODY}", None, None, None),
    ("timestamp beside a long phrase", f"标题\n微短剧行业年度盘点与趋势展望会议 2025-01-01 10:00\n{BODY}",
     None, None, None),
    ("deadline glued to its date", f"标题\n活动报名截止2025-01-05 18:00\n{BODY}", None, None, None),
    ("body prose date", f"标题\n2024年11月6日，中国网络视听协会发布微短剧报告。\n{BODY}", None, None, None),
    ("heading with a year", f"2024年微短剧白皮书发布\n{BODY}", None, None, None),
    ("title starting with a date", f"2024年11月6日微短剧行业大会在京召开\n{BODY}", None, None, None),
    ("source-like title", f"来源于生活的微短剧 2024-01-01\n{BODY}", None, None, None),
    ("not a calendar date", f"标题\n发布时间：2025-02-30 来源：星河日报\n{BODY}", None, "星河日报", None),
    ("year out of range", f"标题\n发布时间：1989-06-01\n{BODY}", None, None, None),
    ("date after the body began", f"标题\n{BODY}\n2023年5月1日\n{BODY}", None, None, None),
    ("footer date without a label", f"标题\n{BODY}\n星河日报\n2024年11月6日", None, None, None),
    ("beyond the header lines", "标题\n" + "短句\n" * 6 + "发布时间：2024-01-01\n" + f"{BODY}\n" * 3,
     None, None, None),
    ("labelled footer date", f"标题\n{BODY}\n发布时间：2024-01-01", "2024-01-01", None, None),
    ("name without a date is no source", f"标题\n星河日报\n{BODY}", None, None, None),
    ("time alone", f"标题\n08:30\n{BODY}", None, None, None),
]


@pytest.mark.parametrize(
    ("label", "text", "date", "name", "url"), HEADERS, ids=[h[0] for h in HEADERS]
)
def test_read_header(label: str, text: str, date: str | None, name: str | None, url: str | None) -> None:
    assert read_header(text) == Header(date=date, source_name=name, source_url=url)


@pytest.mark.parametrize(
    ("label", "text", "date", "name", "url"), HEADERS[:12], ids=[h[0] for h in HEADERS[:12]]
)
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_documents_take_their_header(
    label: str, text: str, date: str | None, name: str | None, url: str | None, suffix: str
) -> None:
    doc = parse_document(f"a{suffix}", text.encode())
    assert doc.text == text  # metadata only: the text and every offset into it stay as they were
    assert doc.date == date
    assert doc.source_url == url
    host = url.split("/")[2].removeprefix("www.") if url else None
    assert doc.source_name == (name or host)


@pytest.mark.parametrize(
    ("front", "attr", "expected"),
    [
        ("date: 2023-01-05", "date", "2023-01-05"),
        ("source: 云帆新闻", "source_name", "云帆新闻"),
        ("url: https://a.example/1", "source_url", "https://a.example/1"),
        ("title: 标题", "date", "2025-07-14"),  # front matter without a date: the header fills it
        ("title: 标题", "source_name", "青岚网"),
        ('date: "yesterday"', "date", "2025-07-14"),  # an unreadable date is warned about and replaced
    ],
)
def test_front_matter_wins(front: str, attr: str, expected: str) -> None:
    body = f"标题\n青岚网 2025-07-14\n{BODY}"
    doc = parse_document("a.md", f"---\n{front}\n---\n{body}\n".encode())
    assert getattr(doc, attr) == expected
    assert doc.text == body


def test_last_line_link_still_wins_over_the_header() -> None:
    body = f"标题\n来源：星河日报 2025-03-03\n{BODY}\n[青岚网](https://qinglan.example/7)"
    doc = parse_document("a.md", body.encode())
    assert (doc.date, doc.source_name, doc.source_url) == ("2025-03-03", "青岚网", "https://qinglan.example/7")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.cn/2024/11/21/abc.html", "2024-11-21"),
        ("http://www.example.cn/zhengce/2024-11/21/content_5.htm", "2024-11-21"),
        ("https://example.cn/n1/2024/1121/c100-200.html", "2024-11-21"),
        ("https://new.example.com/rain/a/20250210A01A8700", "2025-02-10"),
        ("https://example.cn/a/t20240230_1.html", None),
        ("https://example.cn/item/123456789012", None),
        ("https://example2024.cn/a/b", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: str | None) -> None:
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (['{"@type": "NewsArticle", "datePublished": "2024-11-21T08:00:00+08:00"}'],
         Header(date="2024-11-21")),
        (['{"@graph": [{"@type": "WebPage"}, {"@type": "Article", "dateModified": "2025-01-02", '
          '"datePublished": "2024-12-30", "publisher": {"name": "星河日报"}}]}'],
         Header(date="2024-12-30", source_name="星河日报")),
        (['[{"dateCreated": "2023-07-07", "url": "https://a.example/x"}]'],
         Header(date="2023-07-07", source_url="https://a.example/x")),
        (["{not json", '{"datePublished": "someday"}'], Header()),
        (['{"a":' * 5000 + "1" + "}" * 5000], Header()),  # deep nesting is skipped, not a crash
    ],
)
def test_read_json_ld(blocks: list[str], expected: Header) -> None:
    assert read_json_ld(blocks) == expected


# --- HTML pages -----------------------------------------------------------------------------------------

_RELATED = (
    '<div class="related"><h3>相关阅读</h3><ul>'
    '<li><a href="/a/1.html">微短剧新规解读</a> <span>2023-06-01</span></li>'
    '<li><a href="/a/2.html">短剧出海观察</a> <span>2022-12-15</span></li></ul></div>'
)
_ARTICLE = (
    "<p>2024年11月6日，某行业协会发布报告称，微短剧用户规模达到5.76亿人。</p>"
    "<p>另据测算，市场规模达504.4亿元。</p>"
)


def _page(head: str, body: str) -> str:
    """A Chinese news page around ``head`` and ``body``."""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>微短剧观察 - 某网</title>{head}"
        f'</head><body><div class="top"><a href="/">首页</a> <a href="/ent">文娱</a></div>{body}'
        '<div class="foot">© 2008-2026 某网 版权所有</div></body></html>'
    )


HTML_PAGES = [
    # (label, page, expected date, expected source name)
    ("meta published_time", _page(
        '<meta property="article:published_time" content="2024-11-21T08:16:33+08:00">',
        f"<article><h1>微短剧观察</h1>{_ARTICLE}</article>{_RELATED}"),
     "2024-11-21", None),
    ("byline div only", _page(
        "", '<div class="main"><h1>微短剧观察</h1><div class="info">发布时间：2024-11-21 '
            f"09:30 来源：星河日报</div>{_ARTICLE}</div>{_RELATED}"),
     "2024-11-21", "星河日报"),
    ("JSON-LD only", _page(
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "微短剧观察", "datePublished": "2025-03-02T10:00:00+08:00", '
        '"dateModified": "2025-03-05T10:00:00+08:00", '
        '"publisher": {"@type": "Organization", "name": "云帆新闻"}}</script>',
        f"<article><h1>微短剧观察</h1>{_ARTICLE}</article>{_RELATED}"),
     "2025-03-02", "云帆新闻"),
    ("URL path only", _page('<link rel="canonical" href="https://ent.qinglan.example/2025/01/08/c_1.html">',
                            f"<article><h1>微短剧观察</h1>{_ARTICLE}</article>"),
     "2025-01-08", "ent.qinglan.example"),
    ("related list before the byline", _page(
        "", f'{_RELATED}<div class="content"><h1>微短剧观察</h1><p class="meta">2025年03月02日 08:16 '
            f"来源：长风晚报</p>{_ARTICLE}</div>"),
     "2025-03-02", "长风晚报"),
    ("Chinese date in spans", _page(
        "", '<div class="article"><h1>微短剧观察</h1><div class="source"><span class="time">2024年12月31日 '
            f'21:05</span> <span>澄江时报</span></div>{_ARTICLE}</div>{_RELATED}'),
     "2024-12-31", "澄江时报"),
    ("time element after older related dates", _page(
        "", f'<div class="side">{_RELATED}</div><article><h1>微短剧观察</h1>'
            f'<time datetime="2025-06-01T09:00:00+08:00">6月1日</time>{_ARTICLE}</article>'),
     "2025-06-01", None),
    ("Traditional byline", _page(
        "", '<div class="wrap"><h1>微短劇觀察</h1><div class="info">發布時間：2025年01月08日 來源：港灣新聞網'
            "</div><p>2024年，微短劇市場規模達504.4億元。</p></div>"),
     "2025-01-08", "港灣新聞網"),
    ("meta publishdate beside a copyright range", _page(
        '<meta name="publishdate" content="2024-09-30">',
        f'<div class="main"><h1>微短剧观察</h1>{_ARTICLE}</div>'),
     "2024-09-30", None),
    ("no date but the body's", _page("", f'<div class="main"><h1>微短剧观察</h1>{_ARTICLE}</div>{_RELATED}'),
     None, None),
    ("compact date in URL, misleading body dates", _page(
        '<meta property="og:url" content="https://www.beichen.example/a/20250314A05B9900">',
        f'<div class="main"><h1>微短剧观察</h1><p>2023年12月1日起，新规施行。</p>{_ARTICLE}</div>{_RELATED}'),
     "2025-03-14", "beichen.example"),
    ("full-width byline", _page(
        "", '<div class="main"><h1>微短剧观察</h1>'
            '<div>来源：松间传媒　作者：陈默　发布时间：２０２５－０７－１４'
            f"</div>{_ARTICLE}</div>{_RELATED}"),
     "2025-07-14", "松间传媒"),
]


@pytest.mark.parametrize(
    ("label", "page", "date", "name"), HTML_PAGES, ids=[p[0] for p in HTML_PAGES]
)
def test_html_pages(label: str, page: str, date: str | None, name: str | None) -> None:
    doc = parse_document("page.html", page.encode())
    assert doc.date == date
    assert doc.source_name == name
