"""Concurrent users: one real Streamlit server on loopback, N headless chromium pages changing filters.

Run from the repository root: ``python tests/bench/load_test.py [--pages 8] [--loops 5] [--corpus DIR ...]
[--docs N]``. Each page opens the app, then makes ``--loops`` filter changes (a theme, a metric, a search,
a section, a reset, in an order rotated per page), timing each until its render has finished, and downloads
a chart's CSV or PNG after each. Every page's script runs twice, each time on a fresh server: one page at a
time (the single-user baseline), then all pages at once, so the figures compare the same work. Prints pages
without errors, render times p50/p95 and their ratios, downloads, views on which sessions disagreed, and the
server's peak memory. A render has finished when the browser has received the run's ``script_finished``
message, no element is stale and every chart on the page has drawn its SVG.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import re
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from playwright.async_api import Browser, BrowserContext, Page, async_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from dashboard.state import TABS  # noqa: E402
from extract.schema import C  # noqa: E402
from tests.bench._server import AppServer, MemoryPeak, MemorySampler, peak_rss_bytes  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                 "--disable-backgrounding-occluded-windows"]
ACTIONS = ("theme", "metric", "search", "tab", "reset")
VISITED_TABS = ("keywords", "themes", "mentions", "timeline", "facts", "overview")  # sections with downloads
SEARCH_TERMS = ("短剧", "市场", "平台", "用户")
NARROWING = ("theme", "doc", "metric", "years", "q")  # URL keys of filters that a reset clears
STEP_TIMEOUT_MS = 120_000
SCREENSHOTS: Path | None = None  # --screenshots DIR: a picture of each page after each change
_SUCCESS = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
_SMALL_FRAME = 512  # script_finished frames are ~50 bytes: larger frames (deltas) are not parsed

# True once the page is settled: no stale element, every chart drawn, and something in the main area.
_SETTLED = """() => {
  if (document.querySelector('[data-stale="true"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')];
  if (charts.some(c => !c.querySelector('.main-svg'))) return false;
  return charts.length > 0 || !!main.querySelector(
    '[data-testid="stDataFrame"], [data-testid="stAlert"], [data-testid="stException"]');
}"""
_ERRORS = """() => [...document.querySelectorAll(
  '[data-testid="stException"], [data-testid="stAlertContentError"]')].map(e => e.innerText.slice(0, 1500))"""
_CAPTION = """() => ([...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
  .map(e => e.innerText).find(t => t.includes('篇文档')) || '')"""


@dataclass
class Step:
    """One timed filter change and the download after it."""

    page: int
    action: str
    ms: float
    finished_ms: float  # until the browser had the run's script_finished message (the server's share)
    view: str
    download: str = ""  # "csv", "png", or "" when the view had no chart to download
    download_ok: bool = False
    download_ms: float = 0.0


@dataclass
class RunResult:
    """Everything one run (one server, one way of driving the pages) measured."""

    label: str
    first_render_ms: list[float] = field(default_factory=list)
    first_finished_ms: list[float] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    captions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    files: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    warmup_s: float = 0.0
    peak: MemoryPeak = field(default_factory=MemoryPeak)
    hwm: int = 0
    wall_s: float = 0.0
    server_problems: list[str] = field(default_factory=list)
    no_chart: list[str] = field(default_factory=list)  # views with nothing to download
    timed_out: bool = False


class Session:
    """One browser tab on the app: its own Streamlit session, and a count of the script runs it saw end."""

    def __init__(self, index: int, context: BrowserContext, page: Page) -> None:
        """Watch ``page``'s websocket for ``script_finished`` messages."""
        self.index, self.context, self.page = index, context, page
        self.finished = 0
        self.finished_at = 0.0  # perf_counter() when the last successful run's end was announced
        self.disconnects = 0
        self.media_failures: list[str] = []  # "<status> <url>" of every failed file download request
        self._changed = asyncio.Event()
        page.on("websocket", self._watch)
        page.on("response", self._response)
        page.set_default_timeout(STEP_TIMEOUT_MS)

    def _watch(self, ws: Any) -> None:
        """Count the successful script runs announced on the app's websocket."""
        ws.on("framereceived", self._frame)
        ws.on("close", self._closed)

    def _frame(self, payload: str | bytes) -> None:
        """Parse small binary frames; a successful ``script_finished`` bumps the counter."""
        if isinstance(payload, str) or len(payload) > _SMALL_FRAME:
            return
        msg = ForwardMsg.FromString(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == _SUCCESS:
            self.finished += 1
            self.finished_at = time.perf_counter()
            self._changed.set()

    def _response(self, response: Any) -> None:
        """Remember a failed request for a media file (where downloads come from)."""
        if "/media/" in response.url and response.status >= 400:
            self.media_failures.append(f"GET {urlsplit(response.url).path} -> HTTP {response.status}")

    def _closed(self, _ws: Any) -> None:
        """Note a dropped connection (the app would show 'Connecting...' to the user)."""
        self.disconnects += 1

    async def wait_finished(self, before: int, timeout_s: float = STEP_TIMEOUT_MS / 1000) -> None:
        """Wait until a script run has finished since the counter stood at ``before``."""
        deadline = time.monotonic() + timeout_s
        while self.finished <= before:
            self._changed.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no script run finished within {timeout_s:.0f} s")
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue

    async def settled(self, before: int) -> None:
        """Wait for the run after counter value ``before`` to finish and the page to show its result."""
        await self.wait_finished(before)
        await self.page.wait_for_function(_SETTLED, polling=20, timeout=STEP_TIMEOUT_MS)

    def query(self) -> dict[str, list[str]]:
        """The page URL's parameters, every value as a list."""
        out: dict[str, list[str]] = defaultdict(list)
        for key, value in parse_qsl(urlsplit(self.page.url).query):
            out[key].append(value)
        return dict(out)

    def view(self) -> str:
        """The view the URL names, as a canonical string (sorted parameters)."""
        return urlencode(sorted(parse_qsl(urlsplit(self.page.url).query))) or "(default)"


def plan_for(page: int, loops: int) -> list[tuple[str, int]]:
    """(action, choice) for each of a page's steps: the action order is rotated by the page number."""
    return [(ACTIONS[(page + s) % len(ACTIONS)], page + s) for s in range(loops)]


class Chooser:
    """Picks filter values that leave some figures in view, from the corpus's claims, as a reader would."""

    def __init__(self, claims: pd.DataFrame) -> None:
        """Index the claims by theme, metric and sentence, with the labels the sidebar shows."""
        from dashboard import views  # the app's own labels, so the harness clicks what a user sees
        from extract.labels import label

        self.claims = claims
        self.theme_names = views.theme_labels(views.default_taxonomy(), "zh")
        self.metric_names = {m: label("metric", m, "zh") for m in claims[C.metric].dropna().unique()}

    def subset(self, query: dict[str, list[str]]) -> pd.DataFrame:
        """The claims the URL's filters keep (theme, metric and search; close enough to pick values)."""
        claims = self.claims
        if themes := set(query.get("theme", [])):
            claims = claims[claims[C.themes].fillna("").map(lambda t: bool(themes & set(t.split("|"))))]
        if metrics := query.get("metric"):
            claims = claims[claims[C.metric].isin(metrics)]
        if terms := query.get("q"):
            claims = claims[claims[C.sentence].fillna("").str.contains(terms[-1], regex=False)]
        return claims

    def label(self, key: str, query: dict[str, list[str]], choice: int) -> str | None:
        """The sidebar label of a theme or metric (``key``) not chosen yet that keeps claims in view."""
        left = self.subset(query)
        if key == "theme":
            counts = left[C.themes].dropna().str.split("|").explode().value_counts()
            names = self.theme_names
        else:
            counts, names = left[C.metric].value_counts(), self.metric_names
        codes = [c for c in counts.index if c not in query.get(key, []) and c in names][:3]
        return names[codes[choice % len(codes)]] if codes else None

    def term(self, query: dict[str, list[str]], choice: int) -> str:
        """A search term found in the claims in view (a two-character slice of a sentence if none is)."""
        left = self.subset({**query, "q": []})
        text = " ".join(left[C.sentence].dropna().astype(str)) if len(left) else ""
        terms = [t for t in SEARCH_TERMS if t in text and [t] != query.get("q")]
        if not terms and text.strip():
            words = re.findall(r"[\u4e00-\u9fff]{2}", text)
            terms = [w for w in words[:20] if [w] != query.get("q")]
        return terms[choice % len(terms)] if terms else SEARCH_TERMS[choice % len(SEARCH_TERMS)]


async def pick_option(session: Session, which: int, wanted: str | None, choice: int) -> float:
    """Open sidebar multiselect ``which``, click ``wanted`` (else some option); returns the click's time."""
    page = session.page
    await page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(which).click()
    if wanted:
        await page.keyboard.type(wanted)  # the list is virtualised: typing brings a late option into view
    options = [t for t in await page.get_by_role("option").all_inner_texts() if t.strip() != "Select all"]
    if wanted and wanted not in options:
        await page.keyboard.press("Control+A")
        await page.keyboard.press("Backspace")
        options = [t for t in await page.get_by_role("option").all_inner_texts() if t.strip() != "Select all"]
    if not options:
        raise RuntimeError("the multiselect offers no option")
    name = wanted if wanted in options else options[choice % len(options)]
    start = time.perf_counter()
    await page.get_by_role("option", name=name, exact=True).click()
    await page.keyboard.press("Escape")
    return start


async def act(session: Session, action: str, choice: int, chooser: Chooser) -> tuple[float, Any]:
    """Make one filter change; returns its start time and a check of the URL state it should lead to."""
    page, query = session.page, session.query()
    if action in ("theme", "metric"):
        key = action
        had = len(query.get(key, []))
        wanted = chooser.label(key, query, choice)
        start = await pick_option(session, 0 if key == "theme" else 2, wanted, choice)
        return start, lambda q: len(q.get(key, [])) == had + 1
    if action == "search":
        term = chooser.term(query, choice)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input').first
        await box.fill(term)
        start = time.perf_counter()
        await box.press("Enter")
        return start, lambda q: q.get("q") == [term]
    if action == "tab":
        tabs = [t for t in VISITED_TABS if [t] != query.get("tab", ["overview"])]
        tab = tabs[choice % len(tabs)]
        nav = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button')
        button = nav.nth(TABS.index(tab))
        start = time.perf_counter()
        await button.click()
        return start, lambda q: q.get("tab", ["overview"]) == [tab]
    start = time.perf_counter()
    await page.locator('[data-testid="stSidebar"] button', has_text="重置筛选").click()
    return start, lambda q: not any(k in q for k in NARROWING)


async def download(session: Session, step: Step, want: str, where: str, result: RunResult) -> None:
    """Download the first chart's PNG (``want == "png"``, if enabled) or CSV and check the file."""
    page = session.page
    buttons = page.locator('[data-testid="stMain"] [data-testid="stDownloadButton"] button')
    png, csv = buttons.filter(has_text="PNG"), buttons.filter(has_text="CSV")
    if want == "png" and await png.count() and await png.first.is_enabled():
        button, kind = png.first, "png"
    elif await csv.count():
        button, kind = csv.first, "csv"
    else:
        result.no_chart.append(step.view)  # nothing to download here (an empty result): not a failure
        return
    step.download, failed_before = kind, len(session.media_failures)
    start = time.perf_counter()
    try:
        async with page.expect_download(timeout=STEP_TIMEOUT_MS) as info:
            await button.click()
        got = await info.value
        body = Path(await got.path()).read_bytes()
    except Exception as exc:  # a failed download is a finding: say what the server answered
        await asyncio.sleep(1)  # the failed response's event may arrive after the download's
        answers = "; ".join(session.media_failures[failed_before:]) or "no failed /media/ response seen"
        result.errors[session.index].append(f"{where}: {kind} download failed: {type(exc).__name__}: "
                                            f"{exc} ({answers})")
        return
    step.download_ms = (time.perf_counter() - start) * 1000
    magic = b"\x89PNG\r\n\x1a\n" if kind == "png" else b"\xef\xbb\xbf"
    step.download_ok = len(body) > len(magic) and body.startswith(magic)
    if not step.download_ok:
        result.errors[session.index].append(f"{where}: {kind} download {got.suggested_filename!r}: bad file "
                                            f"({len(body)} bytes, starts {body[:16]!r})")
    elif kind == "csv":
        result.files[f"{step.view} | {got.suggested_filename}"].add(hashlib.sha256(body).hexdigest()[:12])


async def check_page(session: Session, where: str, result: RunResult) -> None:
    """Record any exception or error box on the page, and what its caption says for this view."""
    for text in await session.page.evaluate(_ERRORS):
        result.errors[session.index].append(f"{where}: error element: {text}")
    caption = await session.page.evaluate(_CAPTION)
    if caption:
        result.captions[session.view()].add(caption)


async def drive(session: Session, url: str, plan: list[tuple[str, int]], chooser: Chooser,
                result: RunResult, barrier: asyncio.Barrier | None) -> None:
    """Load the app, wait for its first render, then make each change of ``plan`` and download a chart."""
    start = time.perf_counter()
    try:
        await session.page.goto(url)
        await session.settled(0)
    except Exception as exc:  # a page that cannot load is a result, not a crash
        result.errors[session.index].append(f"first render: {type(exc).__name__}: {exc}"[:1500])
        if barrier:
            await barrier.abort()
        return
    result.first_render_ms.append((time.perf_counter() - start) * 1000)
    result.first_finished_ms.append((session.finished_at - start) * 1000)
    await check_page(session, "first render", result)
    if barrier:
        with contextlib.suppress(asyncio.BrokenBarrierError):
            await barrier.wait()  # every page loaded: the changes below all overlap
    failures = 0
    for n, (action, choice) in enumerate(plan):
        where = f"step {n + 1} ({action})"
        try:
            before = session.finished
            began, expected = await act(session, action, choice, chooser)
            await session.settled(before)
            step = Step(session.index, action, (time.perf_counter() - began) * 1000,
                        (session.finished_at - began) * 1000, session.view())
            result.steps.append(step)
            if not expected(session.query()):
                result.errors[session.index].append(f"{where}: the URL shows {session.view()!r}, "
                                                    "not the state this change should lead to")
            await check_page(session, where, result)
            if SCREENSHOTS:
                shot = SCREENSHOTS / f"{result.label.replace(' ', '_')}-page{session.index}-step{n + 1}.png"
                await session.page.screenshot(path=str(shot))
            await download(session, step, "png" if n % 2 else "csv", where, result)
            await check_page(session, f"{where}, after download", result)
            failures = 0
        except Exception as exc:  # record and go on: the other steps still tell something
            result.errors[session.index].append(f"{where}: {type(exc).__name__}: {exc}"[:1500])
            failures += 1
            if failures >= 2:
                result.errors[session.index].append("two steps failed in a row: this page stopped")
                return
    if session.disconnects:
        result.errors[session.index].append(f"the websocket closed {session.disconnects} time(s)")


async def new_session(browser: Browser, index: int) -> Session:
    """A fresh browser context (own cookies, own Streamlit session) with one tab."""
    context = await browser.new_context(viewport={"width": 1500, "height": 1300}, accept_downloads=True,
                                        locale="zh-CN")
    return Session(index, context, await context.new_page())


async def run(browser: Browser, server: AppServer, chooser: Chooser, args: argparse.Namespace,
              together: bool, result: RunResult) -> None:
    """Drive ``args.pages`` page scripts on ``server``: all at once, or one after another."""
    pages, loops = args.pages, args.loops
    warm = await new_session(browser, -1)
    began = time.perf_counter()
    try:
        await warm.page.goto(server.url)
        await warm.settled(0)  # the server's first run: imports, corpus from the cache
    finally:
        await warm.context.close()
    result.warmup_s = time.perf_counter() - began
    began = time.perf_counter()
    sessions: list[Session] = []
    try:
        async with asyncio.timeout(args.timeout):
            if together:
                sessions = [await new_session(browser, i) for i in range(pages)]
                barrier = asyncio.Barrier(pages)
                await asyncio.gather(*(drive(s, server.url, plan_for(s.index, loops), chooser, result,
                                             barrier) for s in sessions))
            else:
                for i in range(pages):
                    sessions.append(await new_session(browser, i))
                    await drive(sessions[-1], server.url, plan_for(i, loops), chooser, result, None)
                    await sessions[-1].context.close()
    except TimeoutError:
        result.timed_out = True
    finally:
        result.wall_s = time.perf_counter() - began
        for s in sessions:
            with contextlib.suppress(Exception):  # already closed
                await s.context.close()


def server_problems(log: str) -> list[str]:
    """Tracebacks and error lines in the server's log."""
    problems, lines = [], log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j] and not lines[j][0].isspace()), i)
            problems.append("\n".join(lines[i:end + 1])[-3000:])
        elif re.search(r"\b(ERROR|CRITICAL)\b", line):
            problems.append(line[:500])
    return problems


async def measure(args: argparse.Namespace, env: dict[str, str], chooser: Chooser,
                  tmp: Path) -> list[RunResult]:
    """Both runs (baseline one page at a time, then all pages at once), each on a fresh server."""
    results = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            runs = [("1 page", False)]
            if args.pages > 1:
                runs.append((f"{args.pages} pages", True))
            if args.no_baseline:
                runs = runs[-1:]
            for label, together in runs:
                result = RunResult(label)
                results.append(result)
                server = AppServer(env, tmp / f"server-{len(results)}.log")
                try:
                    await asyncio.to_thread(server.start)
                    how = "all at once" if together else "one at a time"
                    print(f"[{label}] server up at {server.url}; {args.pages} page scripts {how}...",
                          flush=True)
                    sampler = MemorySampler(server.proc.pid)
                    sampler.start()
                    try:
                        await run(browser, server, chooser, args, together, result)
                    finally:
                        result.peak = sampler.stop()
                        result.hwm = peak_rss_bytes(server.proc.pid)
                finally:
                    server.stop()
                    result.server_problems = server_problems(server.log_text())
        finally:
            await browser.close()
    return results


def pct(values: Sequence[float], q: int) -> float:
    """The ``q``-th percentile of ``values`` (nan when empty)."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(results: list[RunResult], pages: int, started: float) -> int:
    """Print the figures; returns the exit code (1 when any page saw an error or a run timed out)."""
    mb = 1024 * 1024

    def row(name: str, get: Any, unit: str = "ms", ratio: bool = True) -> None:
        """One line: the figure for each run, and load/baseline when there are two runs."""
        values = [get(r) for r in results]
        cells = "".join(f"{v:>16.0f}" for v in values)
        extra = f"{values[-1] / values[0]:>9.2f}×" if ratio and len(values) == 2 and values[0] else ""
        print(f"  {name:<36}{cells} {unit:<3}{extra}")

    heads = "".join(f"{r.label:>16}" for r in results)
    print(f"\n  {'':<36}{heads}" + ("        ratio" if len(results) == 2 else ""))
    row("first render p50", lambda r: pct(r.first_render_ms, 50))
    row("first render p95", lambda r: pct(r.first_render_ms, 95))
    row("  of which until script_finished p50", lambda r: pct(r.first_finished_ms, 50))
    row("filter-change render p50", lambda r: pct([s.ms for s in r.steps], 50))
    row("filter-change render p95", lambda r: pct([s.ms for s in r.steps], 95))
    row("  of which until script_finished p50", lambda r: pct([s.finished_ms for s in r.steps], 50))
    row("  of which until script_finished p95", lambda r: pct([s.finished_ms for s in r.steps], 95))
    for action in ACTIONS:
        row(f"  {action} p50", lambda r, a=action: pct([s.ms for s in r.steps if s.action == a], 50))
    for kind in ("csv", "png"):
        row(f"{kind} download p50",
            lambda r, k=kind: pct([s.download_ms for s in r.steps if s.download == k], 50))
    row("filter changes timed", lambda r: len(r.steps), "", ratio=False)
    row("server peak RSS", lambda r: r.peak.server / mb, "MB")
    row("server + children peak RSS", lambda r: r.peak.tree / mb, "MB")
    row("server VmHWM (kernel's peak)", lambda r: r.hwm / mb, "MB")
    row("wall time", lambda r: r.wall_s, "s", ratio=False)
    for r in results:
        downloads = [s for s in r.steps if s.download]
        ok = sum(s.download_ok for s in downloads)
        by_kind = ", ".join(f"{k} {sum(1 for s in downloads if s.download == k)}" for k in ("csv", "png"))
        clean = sum(1 for i in range(pages) if not r.errors.get(i))
        print(f"\n{r.label}: pages OK (no error element, no failed step or download) {clean}/{pages}; "
              f"downloads OK {ok}/{len(downloads)} ({by_kind}); warm-up load {r.warmup_s:.1f} s; "
              f"{r.peak.samples} memory samples, peak tree {r.peak.tree_processes} processes"
              + ("; TIMED OUT" if r.timed_out else ""))
        if r.no_chart:
            print(f"  views with nothing to download: {sorted(set(r.no_chart))}")
        for page, errors in sorted(r.errors.items()):
            for error in errors:
                print(f"  page {page}: {error}")
        for problem in r.server_problems[:10]:
            print("  server log: " + problem.replace("\n", "\n    "))
    disagreements = []
    for name, seen in (("caption", "captions"), ("CSV file", "files")):
        merged: dict[str, set[str]] = defaultdict(set)
        for r in results:
            for view, values in getattr(r, seen).items():
                merged[view] |= values
        differ = [f"{name} of {view}: {sorted(v)}" for view, v in sorted(merged.items()) if len(v) > 1]
        print(f"\nsame view -> same {name} across sessions and runs: {len(merged) - len(differ)} of "
              f"{len(merged)} agree")
        disagreements += differ
    for line in disagreements:
        print(f"  DIFFERS: {line}")
    print(f"\ntotal wall time {time.perf_counter() - started:.1f} s")
    failed = disagreements or any(r.timed_out or any(r.errors.values()) for r in results)
    return 1 if failed else 0


def prepare(args: argparse.Namespace, tmp: Path) -> tuple[dict[str, str], Chooser, str]:
    """The corpus folders (generating ``--docs`` documents) and a cache pre-filled as the CLI would."""
    folders = [Path(c).resolve() for c in args.corpus or []]
    if args.docs:
        try:
            from tests.bench.gen_corpus import write_corpus  # another bench helper; imported only when needed
        except ImportError as exc:
            raise SystemExit(f"--docs needs tests/bench/gen_corpus.py (write_corpus): {exc}; "
                             "use --corpus DIR instead") from exc
        generated = tmp / "generated"
        generated.mkdir()
        write_corpus(generated, args.docs)
        folders.append(generated)
    if not folders:
        folders = [ROOT / "seeds"]
    cache = tmp / "cache"
    from extract import extract_corpus

    began = time.perf_counter()
    corpus = extract_corpus(folders, workers=2, cache_dir=cache)
    n_docs = len(corpus.tables()["documents"])
    env = {"MICRODRAMA_CORPUS": ":".join(str(f) for f in folders),
           "MICRODRAMA_USER_CORPUS": str(tmp / "user"), "MICRODRAMA_CACHE": str(cache)}
    setup = (f"load test: {args.pages} pages × {args.loops} filter changes on {n_docs} documents "
             f"({', '.join(str(f) for f in folders)}); cache pre-filled in "
             f"{time.perf_counter() - began:.1f} s")
    return env, Chooser(corpus.tables()["claims"]), setup


def _interrupt(signum: int, _frame: object) -> None:
    """Turn SIGTERM into KeyboardInterrupt, so the server and browser are cleaned up as on Ctrl-C."""
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Parse the arguments, run both measurements and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8, help="pages open at once (default 8)")
    parser.add_argument("--loops", type=int, default=5, help="filter changes per page (default 5)")
    parser.add_argument("--corpus", nargs="+", metavar="DIR", help="corpus folders (default seeds/)")
    parser.add_argument("--docs", type=int, default=0,
                        help="also generate N documents (tests/bench/gen_corpus.py)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per run (default 900)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the one-page-at-a-time run")
    parser.add_argument("--screenshots", metavar="DIR", type=Path, help="save each page after each change")
    args = parser.parse_args()
    global SCREENSHOTS
    if args.screenshots:
        SCREENSHOTS = args.screenshots
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if args.pages < 1 or args.loops < 1:
        parser.error("--pages and --loops must be at least 1")
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="load_test_") as name:
        tmp = Path(name)
        env, chooser, setup = prepare(args, tmp)
        print(setup, flush=True)
        try:
            results = asyncio.run(measure(args, env, chooser, tmp))
        except KeyboardInterrupt:
            print("interrupted: the server and the browser were stopped", file=sys.stderr)
            sys.exit(130)
        sys.exit(report(results, args.pages, started))


if __name__ == "__main__":
    main()
