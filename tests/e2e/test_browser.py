"""End to end: a real ``streamlit run`` server driven by headless Debian chromium through Playwright.

What only a browser shows: the page builds without error elements, choosing a theme changes the charts,
a download arrives as a valid file without resetting the view, uploads go through HTTP, no hostile
``<script>``/``<img onerror>`` from a document becomes an element, and nothing is fetched from the
internet. A screenshot of each view is saved in tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboard.i18n import t
from tests.bench._server import AppServer
from tests.test_app import DOCS, write_corpus

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
READY = ('[data-testid="stMetric"], [data-testid="stPlotlyChart"], [data-testid="stDataFrame"], '
         '[data-testid="stAlert"]')
START_TIMEOUT = 90


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A streamlit server on a free loopback port over seeds/ plus a hostile test corpus."""
    root = tmp_path_factory.mktemp("e2e")
    corpus = write_corpus(root / "corpus", DOCS)
    user = root / "user"
    env = {"MICRODRAMA_USER_CORPUS": str(user), "MICRODRAMA_CACHE": str(root / "cache"),
           "MICRODRAMA_CORPUS": "", "MICRODRAMA_DATA": str(root / "data")}
    app = AppServer(env, root / "server.log", app_args=("--corpus", str(corpus), str(REPO / "seeds")))
    try:
        app.start(START_TIMEOUT)
    except RuntimeError as exc:
        app.stop()
        pytest.fail(str(exc))
    try:
        yield {"url": app.url, "user": user, "log": app.log}
    finally:
        app.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian chromium; the test is skipped, saying why, when it is not installed."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (bash .ci/setup) to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, server: dict[str, object]) -> Iterator[object]:
    """A fresh tab (own session) that records every request leaving the loopback interface."""
    context = browser.new_context(viewport={"width": 1500, "height": 1300}, accept_downloads=True,
                                  locale="zh-CN")
    tab = context.new_page()
    tab.outside = []
    tab.on("request", lambda r: _record_outside(tab.outside, r.url))
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


def _record_outside(seen: list[str], url: str) -> None:
    """Remember ``url`` when it goes anywhere but this machine."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in ("127.0.0.1", "localhost"):
        seen.append(url)


def open_app(page: object, server: dict[str, object], query: str = "") -> None:
    """Load the app (optionally at ``?query``) and wait until the page has content and no spinner."""
    page.goto(f"{server['url']}/{'?' + query if query else ''}")
    page.wait_for_selector(READY)
    settle(page)


def settle(page: object) -> None:
    """Wait for the script run to finish (Streamlit shows a running indicator meanwhile)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(300)


def assert_healthy(page: object) -> None:
    """No Streamlit exception box and no request to the internet."""
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
    assert page.outside == [], f"the page fetched from the internet: {page.outside}"


def caption_counts(page: object) -> tuple[int, int]:
    """(documents, figures) from the caption under the title."""
    text = page.locator('[data-testid="stCaptionContainer"]', has_text="篇文档").first.inner_text()
    numbers = re.findall(r"\d+", text)
    return int(numbers[0]), int(numbers[1])


def chart_texts(page: object) -> list[str]:
    """The visible text of every Plotly chart (titles, ticks, legends, source line)."""
    return page.locator('[data-testid="stPlotlyChart"]').all_inner_texts()


def test_app_opens_and_looks_right(page: object, server: dict[str, object]) -> None:
    open_app(page, server)
    assert page.locator("h1").first.inner_text().strip() == "微短剧事实看板"
    assert page.locator('[data-testid="stMetric"]').count() >= 3
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    assert_healthy(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e_overview.png"), full_page=True)


def test_choosing_a_theme_changes_the_charts(page: object, server: dict[str, object]) -> None:
    open_app(page, server)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    before_counts, before_charts = caption_counts(page), chart_texts(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="出海与国际化").click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"theme=overseas"))
    settle(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    assert caption_counts(page) != before_counts
    assert chart_texts(page) != before_charts
    assert_healthy(page)
    page.screenshot(path=str(ARTIFACTS / "e2e_theme_overseas.png"), full_page=True)


def test_clicking_a_figure_shows_its_sentence(page: object, server: dict[str, object]) -> None:
    open_app(page, server, "metric=market_size")
    # The indicator chart: the consensus is drawn first, the sources' dodged figures over it; click one.
    traces = page.locator('[data-testid="stPlotlyChart"]').first.locator(".scatterlayer .trace")
    traces.first.wait_for()
    point = traces.last.locator(".point").first
    point.wait_for()
    assert page.locator("blockquote.md-sentence").count() == 0
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("blockquote.md-sentence mark")
    quote = page.locator("blockquote.md-sentence").first
    assert "市场规模" in quote.inner_text() and "亿元" in quote.locator("mark").inner_text()
    assert_healthy(page)


def test_download_gives_a_valid_file_and_keeps_the_view(page: object, server: dict[str, object]) -> None:
    open_app(page, server, "tab=keywords&theme=overseas")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV 数据").first.click()
    download = info.value
    assert re.fullmatch(r"微短剧_关键词_出海与国际化\.csv", download.suggested_filename)
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf") and "keyword" in body.decode("utf-8-sig").splitlines()[0]
    png = page.get_by_role("button", name="PNG").first
    if png.is_enabled():
        with page.expect_download(timeout=90_000) as info:
            png.click()
        assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    settle(page)
    assert "theme=overseas" in page.url and "tab=keywords" in page.url
    assert page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text().count(
        "出海与国际化") == 1
    assert_healthy(page)


def test_upload_through_the_browser(page: object, server: dict[str, object], tmp_path: Path) -> None:
    open_app(page, server, "tab=documents")
    n_docs = caption_counts(page)[0]
    good = tmp_path / "浏览器上传.md"
    good.write_text("2026年，预计微短剧用户规模达到7亿人。", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(good))
    page.wait_for_selector('[data-testid="stAlertContentSuccess"]')
    settle(page)
    assert caption_counts(page)[0] == n_docs + 1
    assert (Path(str(server["user"])) / "浏览器上传.md").exists()
    page.get_by_role("button", name="删除").first.click()
    settle(page)
    page.wait_for_function(f"() => document.body.innerText.includes('{n_docs} 篇文档')")
    assert not (Path(str(server["user"])) / "浏览器上传.md").exists()
    assert_healthy(page)


_DROPZONE_WORDS = """() => [...document.querySelectorAll('[data-testid="stFileUploaderDropzone"]')].map(z => {
  const shown = e => e ? getComputedStyle(e, '::after').content : '';
  const hidden = e => e ? getComputedStyle(e).fontSize : '';
  const p = z.querySelector('button [data-testid="stMarkdownContainer"] p');
  const note = z.parentElement.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
  return {button: shown(p), note: shown(note), english: hidden(p) + ' ' + hidden(note)};
})"""


def test_uploaders_speak_the_page_language(page: object, server: dict[str, object]) -> None:
    open_app(page, server, "tab=documents")
    zones = page.evaluate(_DROPZONE_WORDS)
    assert len(zones) == 2, zones  # the documents uploader and the reviews import
    for zone in zones:
        assert zone["english"] == "0px 0px", zone  # Streamlit's "Upload" and "50MB per file" are hidden
        assert zone["button"] == f'"{t("documents.dropzone_button")}"', zone
        assert "拖入" in zone["note"] and "MB" in zone["note"], zone


_HOSTILE_ELEMENTS = """() => ({
  onerror: [...document.querySelectorAll('*')].filter(e => e.hasAttribute('onerror')).length,
  imgX: [...document.querySelectorAll('img')].filter(i => i.getAttribute('src') === 'x').length,
  alertScripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('alert(')).length,
  jsLinks: [...document.querySelectorAll('a[href]')].filter(
      a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
})"""


@pytest.mark.parametrize(
    "tab", ["overview", "keywords", "themes", "mentions", "timeline", "facts", "documents"]
)
def test_hostile_document_never_becomes_markup(page: object, server: dict[str, object], tab: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, server, f"tab={tab}&q=alert")
    if tab == "overview":
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
        texts = chart_texts(page)
        assert any("《<script>alert(1)" in text for text in texts), "source line not literal"
        page.locator('[data-testid="stPopover"] button').first.click()
        page.wait_for_selector("blockquote.md-sentence")
        quotes = " ".join(page.locator("blockquote.md-sentence").all_inner_texts())
        assert "<script>alert('xss')</script>" in quotes or "**粗体** [链接](javascript:alert(1))" in quotes
    assert page.evaluate(_HOSTILE_ELEMENTS) == {"onerror": 0, "imgX": 0, "alertScripts": 0, "jsLinks": 0}
    assert dialogs == [], f"a script ran: {dialogs}"
    assert_healthy(page)
    if tab == "overview":
        page.screenshot(path=str(ARTIFACTS / "e2e_xss_overview.png"), full_page=True)


def test_correcting_a_figure_reaches_the_deck(page: object, server: dict[str, object]) -> None:
    """Click a figure, correct it and pin it as the headline; the card and the deck's KPI slide show it."""
    from pptx import Presentation

    # The market-size card on 2024 (cp= keeps a card's period), and a 2024 figure clicked on the chart.
    open_app(page, server, "metric=market_size&cp=market_size||||CNY|year@2024")
    traces = page.locator('[data-testid="stPlotlyChart"]').first.locator(".scatterlayer .trace")
    traces.first.wait_for()
    points = traces.locator(".point")
    for i in range(min(points.count(), 40)):
        box = points.nth(i).bounding_box()
        if not box:
            continue
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        settle(page)
        quotes = page.locator("blockquote.md-sentence")
        if quotes.count() and "2024" in quotes.first.inner_text() and "亿元" in quotes.first.inner_text():
            break
    else:
        pytest.fail("no 2024 market-size figure could be clicked on the indicator chart")
    page.get_by_text("审核", exact=True).first.click()
    page.get_by_label("数值（基本单位）").first.fill("52000000000")
    page.get_by_text("同时设为该指标的关键数字").first.click()
    page.get_by_role("button", name="保存更正").first.click()
    page.wait_for_selector('[data-testid="stAlertContentSuccess"]', timeout=120_000)
    settle(page)
    card = page.locator('[data-testid="stMetric"]', has_text="市场规模").first
    assert "520亿元" in card.inner_text()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="演示文稿 (PPTX)").click()
    deck = Presentation(info.value.path())
    texts = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert any("520亿元" in t for t in texts[:3]), texts[:3]
    assert (Path(str(server["user"])).parent / "data" / "reviews.db").exists()
    assert_healthy(page)


def test_uploading_a_pdf_through_the_browser(page: object, server: dict[str, object], tmp_path: Path) -> None:
    """A PDF report goes in through the uploader and its figures, with their page, reach the facts table."""
    from tests.fixtures import pdf_docs
    from tests.fixtures.cjk_font import FontMissing

    try:
        report = pdf_docs.paged_pdf()
    except FontMissing as exc:
        pytest.skip(str(exc))
    path = tmp_path / "备案报告.pdf"
    path.write_bytes(report)
    open_app(page, server, "tab=documents")
    n_docs = caption_counts(page)[0]
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(path))
    page.wait_for_selector('[data-testid="stAlertContentSuccess"]')
    settle(page)
    assert caption_counts(page)[0] == n_docs + 1
    assert (Path(str(server["user"])) / "备案报告.pdf").exists()
    open_app(page, server, "tab=facts&q=1045")
    page.wait_for_selector('[data-testid="stDataFrame"]')
    with page.expect_download() as info:
        page.get_by_role("button", name=t("download.csv")).first.click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    assert rows and all(r["页码"] == "2" for r in rows if "1045" in r["原文数字"])  # the page it is on
    (Path(str(server["user"])) / "备案报告.pdf").unlink()  # the other tests see the corpus they expect
    assert_healthy(page)
