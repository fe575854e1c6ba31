"""Tests for extract.html_main: trafilatura decides which of the rules' lines are the article's."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import corpus, html_main
from extract.corpus import parse_document

_BODY = [
    "2024年我国微短剧市场规模达到504.4亿元，同比增长34.9%，首次超过同期的电影票房收入。",
    "微短剧用户规模已经突破5.76亿人，占全体网民的52.4%，观众的观看习惯正从消遣转向追剧。",
    "行业人士认为，精品化和规范化是未来几年的主线，头部平台正在加大对原创剧本的投入力度。",
    "在海外市场，中国出品的短剧应用累计下载量超过5亿次，北美地区贡献了过半的内购收入。",
]
_PAGE = f"""<html><head><title>微短剧观察</title></head><body>
<div class="topbar"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/video">视频</a></div>
<article>
<h1>微短剧市场规模首超五百亿</h1>
<p>{_BODY[0]}</p>
<p>{_BODY[1][:20]}<a href="javascript:void(0)">点此领取红包</a>{_BODY[1][20:]}</p>
<div class="share">分享到：微信 微博 QQ空间 复制链接</div>
<p>{_BODY[2]}</p>
<table><tr><th>平台</th><th>月活</th></tr><tr><td>某平台</td><td>2.1亿</td></tr></table>
<p>{_BODY[3]}</p>
<div class="related"><h3>相关阅读</h3><ul>
<li><a href="/a1">短剧出海收入突破30亿美元</a></li><li><a href="/a2">某平台日活跃用户破亿</a></li>
</ul></div>
<div class="comments"><p>网友甲：我一天刷了100集</p><p>网友乙：充值了99元</p></div>
</article>
<div class="footer">版权所有 某某网 联系电话 010-12345678</div>
</body></html>"""


def test_a_news_page_keeps_its_article_lines_only() -> None:
    text = parse_document("page.html", _PAGE.encode()).text
    lines = text.split("\n")
    for sentence in _BODY:
        assert sentence in lines  # each paragraph whole, the inline link's words taken out with the link
    assert "微短剧市场规模首超五百亿" in lines  # the headline stays
    assert "领取红包" not in text and "javascript" not in text
    # the comments inside <article> go (the rules alone keep them); a share bar and related links with class
    # names only are still read as article here, as bench_html records for its pages
    for boilerplate in ("网友甲", "充值了99元", "首页", "版权所有"):
        assert boilerplate not in text
    with mock.patch.object(corpus, "main_lines", lambda html, rules, heading=None: rules):
        assert "网友甲" in parse_document("page.html", _PAGE.encode()).text


def test_the_rules_reading_stands_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = "第一行\n第二行"
    monkeypatch.setattr(html_main, "_trafilatura_text", lambda html: None)
    assert html_main.main_lines("<p>第一行</p><p>第二行</p>", rules) == rules
    monkeypatch.setattr(html_main, "_trafilatura_text", lambda html: "太短")
    assert html_main.main_lines("<p>第一行</p><p>第二行</p>", rules) == rules


def test_a_page_too_big_for_trafilatura_keeps_the_rules_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    monkeypatch.setattr(html_main, "_trafilatura_text", lambda html: called.append(html) or "")
    monkeypatch.setattr(html_main, "MAX_HTML_CHARS", 10)
    assert html_main.main_lines("<p>" + "长" * 20 + "</p>", "长" * 20) == "长" * 20
    assert not called


_BLOCKS = st.one_of(
    st.sampled_from([f"<p>{s}</p>" for s in _BODY]),
    st.sampled_from(['<ul class="related"><li><a href="/x">某剧播放量破10亿</a></li></ul>',
                     '<div class="share">分享到 微信 微博</div>', "<nav><a href='/'>首页</a></nav>",
                     '<div class="comments"><p>网友：好看</p></div>', "<footer>版权所有</footer>",
                     "<table><tr><td>某平台</td><td>3亿</td></tr></table>"]),
)


def _subsequence(short: list[str], long: list[str]) -> bool:
    """True when ``short`` is ``long`` with some items left out, order kept."""
    rest = iter(long)
    return all(item in rest for item in short)


@settings(max_examples=60, deadline=None)
@given(st.lists(_BLOCKS, min_size=1, max_size=14))
def test_lines_are_only_ever_taken_away_whole(blocks: list[str]) -> None:
    article = f"<p>{_BODY[0]}</p>" + "".join(blocks)
    page = f"<html><body><article>{article}</article></body></html>".encode()
    with mock.patch.object(corpus, "main_lines", lambda html, rules, heading=None: rules):
        rules = parse_document("page.html", page).text.split("\n")
    kept = parse_document("page.html", page).text.split("\n")
    assert _subsequence(kept, rules)
    body = [f"<p>{s}</p>" for s in _BODY]
    for block, sentence in zip(body, _BODY, strict=True):
        if block in blocks:
            assert sentence in kept  # an article paragraph is never lost
