"""Dashboard speed under AppTest: first full render with warm caches, filter changes and section switches.

Run from the repository root: ``python tests/bench/bench_app.py [--docs 200] [--repeat 5]``. Prints the
seed-corpus figures (targets: first render ≤ 2 s, filter change ≤ 300 ms) and the same on a corpus of
``--docs`` generated documents (targets at 1,000: first render ≤ 3 s, filter change ≤ 500 ms), each next
to a baseline measured in the same run: AppTest rendering a one-line app, so the ratios say how much of a
figure is the app's own work rather than AppTest's overhead. Peak memory is this process's, which runs the
app as a server would; ``load_test.py`` measures a real server's. With ``--reviews N`` the large corpus is
measured again with N reviews in the user's review store, and what they add to each render is printed
(issue 10: at most 50 ms with 1,000 reviews at 1,000 documents).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard import figures, state  # noqa: E402
from extract.pipeline import extract_corpus  # noqa: E402

APP = ROOT / "dashboard" / "app.py"
TIMEOUT = 600
FIRST_RENDER_TARGET = 2.0
FILTER_TARGET = 0.3
# Issue 4's targets for a corpus of 1,000 documents.
LARGE_FIRST_RENDER_TARGET = 3.0
LARGE_FILTER_TARGET = 0.5
REVIEW_TARGET = 0.05  # issue 10: what applying 1,000 reviews adds to a render
COLD = "cold first render"  # its figure includes extraction and imports

# (description, widget kind, widget key, value): the filter changes timed one after another.
CHANGES: list[tuple[str, str, str, object]] = [
    ("theme", "multiselect", state.WIDGET_KEYS["themes"], ["platform_competition"]),
    ("metric", "multiselect", state.WIDGET_KEYS["metrics"], ["market_size"]),
    ("search", "text_input", state.WIDGET_KEYS["query"], "短剧"),
    ("language", "segmented_control", state.WIDGET_KEYS["lang"], "en"),
    ("presentation", "toggle", state.WIDGET_KEYS["presentation"], True),
]


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def fresh_run(params: dict | None = None) -> AppTest:
    """A new AppTest session of the dashboard, run once."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    at.run()
    if at.exception:
        raise SystemExit(f"the app raised: {[e.message for e in at.exception]}")
    return at


def baselines(repeat: int) -> tuple[float, float]:
    """Median seconds for AppTest to render a one-line app fresh, and to rerun it: the harness's own cost."""
    script = "import streamlit as st\nst.write('x')"
    AppTest.from_string(script).run()
    fresh = statistics.median(timed(lambda: AppTest.from_string(script).run()) for _ in range(repeat))
    at = AppTest.from_string(script).run()
    rerun = statistics.median(timed(at.run) for _ in range(repeat))
    return fresh, rerun


def measure(label: str, repeat: int, fresh_base: float, rerun_base: float,
            targets: tuple[float, float] = (FIRST_RENDER_TARGET, FILTER_TARGET)) -> dict[str, float]:
    """Time the first render (warm caches), every filter change and every section; print the figures and
    return them (seconds by name)."""
    cold = timed(fresh_run)
    first = statistics.median(timed(lambda: (figures.clear_built(), fresh_run())) for _ in range(repeat))
    print(f"\n== {label}")
    print(f"cold first render (extraction, imports): {cold:8.3f} s")
    first_target, filter_target = targets
    verdict = "ok" if first <= first_target else "OVER TARGET"
    out = {COLD: cold, "first full render": first}
    print(f"first full render, warm caches:          {first:8.3f} s  = "
          f"{first / fresh_base:5.1f}× fresh baseline  (target ≤ {first_target} s: {verdict})")
    changes = []
    for name, kind, key, value in CHANGES:
        misses, hits = [], []
        for _ in range(repeat):
            for samples, clear in ((misses, True), (hits, False)):
                at = fresh_run()
                if clear:
                    figures.clear_built()  # a view nobody has opened yet: every frame and figure is built
                widget = getattr(at, kind)(key=key)
                samples.append(timed(lambda w=widget, v=value: w.set_value(v).run()))
                if at.exception:
                    raise SystemExit(f"{name}: the app raised {[e.message for e in at.exception]}")
        miss, hit = statistics.median(misses), statistics.median(hits)
        changes.append(miss)
        out[f"filter change: {name}, new view"], out[f"filter change: {name}, seen before"] = miss, hit
        print(f"filter change: {name:<13} new view  {miss * 1000:8.1f} ms = {miss / rerun_base:5.1f}× rerun "
              f"baseline; seen before {hit * 1000:6.1f} ms")
    worst = max(changes)
    verdict = "ok" if worst <= filter_target else "OVER TARGET"
    print(f"slowest filter change:                   {worst * 1000:8.1f} ms  "
          f"(target ≤ {filter_target * 1000:.0f} ms: {verdict})")
    for tab in state.TABS[1:]:
        at = fresh_run()
        nav = state.WIDGET_KEYS["tab"]
        at.segmented_control(key=nav).set_value(tab).run()  # the first visit warms imports (jieba...)
        at.segmented_control(key=nav).set_value("overview").run()
        figures.clear_built()
        seconds = timed(lambda a=at, t=tab, k=nav: a.segmented_control(key=k).set_value(t).run())
        out[f"switch to section {tab}"] = seconds
        print(f"switch to section {tab:<14} new view {seconds * 1000:8.1f} ms = "
              f"{seconds / rerun_base:5.1f}× rerun baseline")
    return out


def reviewed_data_folder(folder: Path, corpus: Path, n: int) -> None:
    """A user data folder whose review store holds ``n`` reviews of the corpus's claims (issue 10)."""
    from _bench import store_reviews

    from extract.reviews import ReviewStore

    tables = extract_corpus([corpus]).tables()
    folder.mkdir(parents=True, exist_ok=True)
    store_reviews(ReviewStore(folder / "reviews.db"), tables["claims"], tables["documents"], n)


def compare(plain: dict[str, float], reviewed: dict[str, float], n: int) -> None:
    """What ``n`` reviews add to each render, same run (issue 10: at most REVIEW_TARGET each)."""
    print(f"\n== what {n} reviews add to each render (same run, same corpus)")
    added = {name: reviewed[name] - seconds for name, seconds in plain.items()}
    for name, seconds in plain.items():
        aside = "  (not comparable: the run without reviews paid the imports)" if name == COLD else ""
        print(f"{name:<48} {seconds * 1000:9.1f} ms → {reviewed[name] * 1000:9.1f} ms  "
              f"{added[name] * 1000:+8.1f} ms{aside}")
    worst = max((name for name in added if name != COLD), key=added.__getitem__)
    verdict = "met" if added[worst] <= REVIEW_TARGET else "not met"
    print(f"most added to a render with warm caches: {added[worst] * 1000:+.1f} ms ({worst}; "
          f"target ≤ {REVIEW_TARGET * 1000:.0f} ms: {verdict})")


def build_corpus(folder: Path, n_docs: int) -> None:
    """``n_docs`` generated articles (``gen_corpus.write_corpus``): varied prose, figures, dates, scripts."""
    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    from gen_corpus import write_corpus

    write_corpus(folder, n_docs)


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Seed corpus, then a large one; each with the same-run baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="documents in the large corpus (0 to skip)")
    parser.add_argument("--repeat", type=int, default=5, help="samples per figure (the median is printed)")
    parser.add_argument("--reviews", type=int, default=0,
                        help="measure the large corpus again with this many reviews stored, and compare")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MICRODRAMA_USER_CORPUS"] = str(Path(tmp) / "user")
        os.environ["MICRODRAMA_CACHE"] = str(Path(tmp) / "cache")
        os.environ["MICRODRAMA_DATA"] = str(Path(tmp) / "data")  # no reviews
        fresh_base, rerun_base = baselines(args.repeat)
        print(f"baseline: one-line app, fresh AppTest    {fresh_base * 1000:8.1f} ms")
        print(f"baseline: one-line app, rerun            {rerun_base * 1000:8.1f} ms")
        print(f"baseline: peak memory of this process    {peak_mb():8.0f} MB")
        os.environ["MICRODRAMA_CORPUS"] = str(ROOT / "seeds")
        measure("seed corpus (seeds/)", args.repeat, fresh_base, rerun_base)
        print(f"peak memory of this process so far:      {peak_mb():8.0f} MB")
        if args.docs:
            big = Path(tmp) / "big"
            big.mkdir()
            build_corpus(big, args.docs)
            seconds = timed(lambda: extract_corpus([big], workers=os.cpu_count() or 1))
            print(f"\n(pre-extracting {args.docs} documents into the shared cache with "
                  f"{os.cpu_count()} workers, as the CLI would: {seconds:.1f} s)")
            os.environ["MICRODRAMA_CORPUS"] = str(big)
            large = (LARGE_FIRST_RENDER_TARGET, LARGE_FILTER_TARGET) if args.docs >= 1000 else \
                (FIRST_RENDER_TARGET, FILTER_TARGET)
            plain = measure(f"{args.docs} documents", max(2, args.repeat // 2), fresh_base, rerun_base, large)
            print(f"peak memory of this process (AppTest runs the app in it): {peak_mb():.0f} MB")
            if args.reviews:
                reviewed_data_folder(Path(tmp) / "reviewed", big, args.reviews)
                os.environ["MICRODRAMA_DATA"] = str(Path(tmp) / "reviewed")
                reviewed = measure(f"{args.docs} documents, {args.reviews} reviews", max(2, args.repeat // 2),
                                   fresh_base, rerun_base, large)
                compare(plain, reviewed, args.reviews)


if __name__ == "__main__":
    main()
