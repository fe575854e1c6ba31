"""Export speed on the bundled seed corpus: PNG (first and warm), SVG, PPTX deck, against in-run baselines.

Run: ``python tests/bench/bench_export.py [--out DIR]`` (``--out`` also writes every export for a look).
Baselines are measured in the same run so the ratios hold across machines: ``plotly.io.to_json`` of the
same figure (the cheapest full pass over it) and a warm PNG of a trivial one-bar figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from dashboard import charts, export, indicator_views, views  # noqa: E402  (needs the repo on sys.path when run as a script)
from extract.pipeline import extract_corpus  # noqa: E402


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_of(n: int, fn: Callable[[], object]) -> float:
    """Median seconds over ``n`` calls."""
    return statistics.median(timed(fn)[0] for _ in range(n))


def build_charts(tables: dict) -> list[tuple[go.Figure, object, str]]:
    """The deck's charts for the corpus, in presentation mode."""
    docs = tables["documents"]
    source = views.source_line(docs)
    claims = views.claims_view(tables["claims"], docs)
    keywords = views.keyword_view(tables["keywords"], "tfidf", None, 15)
    share = views.theme_share(tables["themes"], tables["sentences"])
    mentions = views.mention_counts(tables["mentions"])
    timeline = views.timeline_view(tables["events"], docs)
    specs = [
        (charts.claims_chart, claims, "微短剧关键数字"),
        (charts.keywords_bar, keywords, "高频关键词（TF-IDF）"),
        (charts.theme_share_chart, share, "各主题句子占比"),
        (charts.mentions_chart, mentions, "平台、题材、商业模式与受众"),
        (charts.timeline_chart, timeline, "事件时间线"),
    ]
    return [(build(frame, title=title, source=source, presentation=True), frame, source)
            for build, frame, title in specs]


def main() -> None:
    """Print the timings and ratios; optionally write the exports to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder to write the exported files to")
    args = parser.parse_args()
    problem = export.export_status()
    if problem:
        raise SystemExit(problem)

    tables = extract_corpus(sorted((ROOT / "seeds").glob("*.md"))).tables()
    deck_charts = build_charts(tables)
    fig = deck_charts[0][0]
    trivial = go.Figure(go.Bar(x=["a"], y=[1]))

    first_png, png = timed(lambda: export.figure_to_png(fig))
    warm_png = median_of(10, lambda: export.figure_to_png(fig))
    svg = median_of(5, lambda: export.figure_to_svg(fig))
    trivial_png = median_of(5, lambda: export.figure_to_png(trivial))
    to_json = median_of(10, lambda: pio.to_json(fig))
    headline = indicator_views.cards_view(tables["indicators"], tables["documents"])
    deck_s, deck = timed(lambda: export.deck_to_pptx(title="微短剧事实看板", subtitle=views.source_line(
        tables["documents"]), headline=headline, charts=deck_charts))
    deck_again = median_of(3, lambda: export.deck_to_pptx(title="微短剧事实看板", headline=headline,
                                                           charts=deck_charts))

    rows = [
        ("baseline: plotly.io.to_json(claims chart)", to_json),
        ("baseline: warm PNG of a one-bar figure", trivial_png),
        ("first PNG export (starts chromium)", first_png),
        ("PNG 3200x1800, median of next 10", warm_png),
        ("SVG, median of 5", svg),
        (f"PPTX deck, {len(deck_charts)} charts + KPI slide (first)", deck_s),
        ("PPTX deck, median of next 3", deck_again),
    ]
    print(f"corpus: {len(tables['documents'])} document(s), {len(tables['claims'])} claims")
    print(f"{'step':<52}{'seconds':>9}{'x to_json':>11}{'x 1-bar PNG':>13}")
    for name, seconds in rows:
        print(f"{name:<52}{seconds:>9.3f}{seconds / to_json:>11.1f}{seconds / trivial_png:>13.2f}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "claims.png").write_bytes(png)  # type: ignore[arg-type]
        (args.out / "claims.svg").write_bytes(export.figure_to_svg(fig))
        (args.out / "deck.pptx").write_bytes(deck)  # type: ignore[arg-type]
        for i, (chart, _, _) in enumerate(deck_charts):
            (args.out / f"chart_{i}.png").write_bytes(export.figure_to_png(chart))
        print(f"wrote exports to {args.out}")


if __name__ == "__main__":
    main()
