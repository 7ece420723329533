"""Benchmark of `kpibot ask`: question → answer → chart → Block Kit, against the 1.5 s target.

    DATABASE_URL=sqlite:////tmp/demo_large.sqlite3 python benchmarks/ask_bench.py
    python benchmarks/ask_bench.py --as-of 2026-03-31 --repeat 7 "mrr by plan last month" "dau by week"

Prints, per question: p50 and p95 wall time in milliseconds over `--repeat` runs (after one warm-up
answer that pays for imports), the share spent in the query vs the chart, and p95 / target.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from bot.blocks.answers import answer_blocks
from kpi_engine.answers.ask import answer_question, resolve_catalog
from kpi_engine.charts import render_chart
from kpi_engine.db import make_engine
from kpi_engine.settings import Settings

TARGET_MS = 1500.0
QUESTIONS: tuple[str, ...] = (
    "mrr",
    "mrr by plan last month",
    "mrr by month this year",
    "arpa last quarter",
    "new mrr last month",
    "customer churn rate by plan last quarter",
    "why did mrr change last month",
    "signups last 30 days",
    "dau last month",
    "dau by week this quarter",
    "mau by country last month",
    "mau for enterprise by month this year",
    "active users by plan last quarter",
    "feature adoption by feature last month",
    "stickiness last month",
    "sessions last week",
    "avg session duration last month",
    "bounce rate by channel last month",
    "conversion rate last month",
    "nps this quarter",
    "csat by plan last quarter",
    "first response time last month",
    "ltv",
    "cac by channel last quarter",
    "funnel signup > purchase last month",
    "monthly retention cohorts",
)


@dataclass(frozen=True)
class Timing:
    question: str
    total_ms: list[float]
    chart_ms: list[float]
    outcome: str


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(share * 100) - 1]


def time_question(question: str, *, repeat: int, settings: Settings, as_of: date, engine: Engine) -> Timing:
    catalog = resolve_catalog(engine, settings)
    totals: list[float] = []
    charts: list[float] = []
    outcome = ""
    for _ in range(repeat):
        start = time.perf_counter()
        answer = answer_question(question, engine=engine, settings=settings, catalog=catalog, as_of=as_of)
        drawn = time.perf_counter()
        if answer.result is not None:
            render_chart(answer.result, currency=answer.currency)
        charted = time.perf_counter()
        answer_blocks(answer, chart_file_id="F0" if answer.result is not None else None)
        totals.append((time.perf_counter() - start) * 1000)
        charts.append((charted - drawn) * 1000)
        outcome = answer.error or answer.intent
    return Timing(question, totals, charts, "ok" if outcome == "query" else outcome[:40])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="*", help="questions to time (default: a representative list)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per question (default 5)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="the as-of day (default: today)")
    args = parser.parse_args()

    settings = Settings()
    engine = make_engine(settings.database_url)  # read only: no migration of the measured database
    as_of = args.as_of or date.today()
    questions = args.questions or list(QUESTIONS)
    print(f"database: {engine.url.render_as_string(hide_password=True)}   as of {as_of}   runs: {args.repeat}")
    time_question("mrr", repeat=1, settings=settings, as_of=as_of, engine=engine)  # imports, caches

    width = max(len(q) for q in questions) + 2
    print(f"{'question':<{width}}{'p50 ms':>9}{'p95 ms':>9}{'chart ms':>10}{'p95/1.5s':>10}  outcome")
    worst = 0.0
    for question in questions:
        timing = time_question(question, repeat=args.repeat, settings=settings, as_of=as_of, engine=engine)
        p50, p95 = percentile(timing.total_ms, 0.5), percentile(timing.total_ms, 0.95)
        worst = max(worst, p95)
        print(f"{question:<{width}}{p50:>9.0f}{p95:>9.0f}{statistics.median(timing.chart_ms):>10.0f}"
              f"{p95 / TARGET_MS:>10.2f}  {timing.outcome}")
    print(f"worst p95: {worst:.0f} ms ({worst / TARGET_MS:.2f} × the {TARGET_MS / 1000:.1f} s target)")
    engine.dispose()


if __name__ == "__main__":
    main()
