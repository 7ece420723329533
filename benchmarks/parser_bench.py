"""Benchmark of the question parser (`kpi_engine.parser.parse_question`) against its 5 ms p99 target.

    python benchmarks/parser_bench.py [--repeat 25] [--as-of 2026-06-17] [--database URL]

Parses 240 varied questions (exact names, typos, time phrases, breakdowns, filters, comparisons, funnels,
cohorts, the MRR bridge, help/define, unknown words, Slack markup) `--repeat` times after one warm-up pass,
and prints per group of questions: n calls, p50 and p99 wall time in ms, p99 CPU time of the thread (what
the parser itself costs on a busy machine), and p99 wall / target. Also times `parse_period` and the
one-off build of the catalog name index. Every parse includes value resolution: the values of the demo
company (or, with `--database`, `values_for(engine)` read from that database and fetched from its cache on
every call, as `answer_question` does), so bare values, compared groups and ambiguous words are looked up.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable
from datetime import date

from kpi_engine.catalog import load_catalog
from kpi_engine.demo import config
from kpi_engine.parser import parse_period, parse_question
from kpi_engine.parser.metric_index import MetricIndex
from kpi_engine.parser.value_index import ValueIndex, Vocabulary

TARGET_MS = 5.0

HAND_WRITTEN: dict[str, tuple[str, ...]] = {
    "names and question forms": (
        "mrr", "monthly recurring revenue", "arr", "arpu", "daily actives", "DAU/MAU", "nps score",
        "customer satisfaction", "lifetime value", "time to market", "test effectiveness", "what was mrr last month",
        "how many signups last week", "how's nps looking this quarter", "show me arr by plan", "mrr?",
        "what's our churn rate", "how many customers do we have", "how many customers churned last month",
        "give me tickets yesterday", "can you show me the ltv to cac ratio please", "revenue per customer this year",
    ),
    "typos and ambiguity": (
        "chrun rate", "lifetim value", "monthly recuring revenue", "stickyness", "defect removal efficency",
        "revenue last month", "churn by plan", "users last week", "retention", "conversion this month",
        "mrr and arr last month", "mmr by plan", "xyzzy", "the frobnication index by plan",
    ),
    "time phrases": (
        "signups today", "signups this week", "signups ytd", "signups year to date", "signups last 30 days",
        "signups past 6 months", "signups over the last 2 weeks", "signups this month so far", "signups 2026-03",
        "signups 2026-Q1", "signups Q1 2026", "signups on 2026-03-05", "signups from 2026-01-01 to 2026-03-31",
        "signups since 2026-01-01", "signups in March 2026", "signups in March", "signups in Q3", "signups since May",
        "signups between March and May", "signups 2 weeks ago", "mrr at the end of last quarter",
    ),
    "breakdowns, series, filters, comparisons": (
        "mrr by plan last month", "churn rate per channel last quarter", "revenue split by country",
        "feature adoption broken down by feature", "weekly signups", "signups by month this year", "mrr trend",
        "daily active users by week last quarter", "mrr for enterprise", "mrr where plan is pro", "mrr plan:pro",
        "signups in Germany", "dau in DE and FR", "paying customers where country in (DE, FR)",
        "high priority tickets this week", "mrr vs last year", "mrr this quarter compared to Q1",
        "signups this month vs last month", "signups yoy", "nps where survey is nps and topic = pricing",
    ),
    "funnels, cohorts, bridge, intents": (
        "funnel signup > activated > purchase last month", "funnel signup -> activated -> purchase by plan",
        "funnel signup, activated, purchase within 7 days", "conversion from signup to purchase last week",
        "retention by signup month", "weekly retention over 12 weeks", "cohorts since January",
        "why did mrr change last month", "mrr movements", "mrr bridge this quarter", "help", "list metrics",
        "define ltv", "what is nps", "what does csat mean", "how is nps calculated",
    ),
    "groups, rankings, several metrics, intents": (
        "enterprise vs smb mrr", "compare pro to basic churn last quarter", "DE, FR and US signups",
        "organic vs paid search signups this year", "top 3 countries by revenue", "which plan has the most mrr",
        "worst plan for churn", "best channel for signups", "which features are most used", "lowest nps by plan",
        "mrr and arr", "customer churn vs revenue churn", "signups and trial starts last month",
        "mrr, arr, arpa and nrr by plan", "mrr by plan and segment", "mau by country for smb",
        "how long to resolve tickets", "how many trials converted in october", "arr growth", "what's churn",
        "is churn getting worse", "are signups going up this year", "mmr last month", "signups for paid last month",
        "p1 tickets this week", "mrr for mid market", "ent vs smb mrr by plan", "how fast do we reply to customers",
        "3 best channels for trial conversion", "top 10 products by revenue this year",
    ),
    "slack markup": (
        "<@U123ABC> mrr by plan last month", "<@U123ABC|kpibot> what's the churn rate?", "@KPI Bot signups yesterday",
        "*MRR* by _plan_", "`nps` this quarter :chart_with_upwards_trend:", "&gt; funnel signup -&gt; purchase",
        "<https://example.com/dash|MRR> last week", "",
    ),
}  # fmt: skip
METRIC_WORDS = (
    "mrr", "net revenue retention", "customer churn rate", "new customers", "dau", "stickiness", "avg session length",
    "bounce rate", "csat", "first response time", "open tickets", "cycle time", "cac", "trial conversion", "aov",
)  # fmt: skip
TIME_WORDS = ("last month", "this quarter", "since March", "past 6 months", "in 2025", "ytd", "last 7 days", "")
EXTRA_WORDS = ("by plan", "by channel", "weekly", "for enterprise", "in DE", "vs last year", "", "trend")
PERIOD_PHRASES = (
    "today", "yesterday", "this week", "last month", "last 7 days", "past 6 months", "2026-Q1", "in March",
    "since May", "from 2026-01-01 to 2026-03-31", "Q3", "year to date", "not a period", "mrr last month",
)  # fmt: skip


def questions(count: int = 240) -> dict[str, list[str]]:
    groups = {name: list(items) for name, items in HAND_WRITTEN.items()}
    combos = itertools.product(METRIC_WORDS, TIME_WORDS, EXTRA_WORDS)
    needed = count - sum(len(items) for items in groups.values())
    step = max(1, len(METRIC_WORDS) * len(TIME_WORDS) * len(EXTRA_WORDS) // max(needed, 1))
    generated = [" ".join(w for w in combo if w) for combo in itertools.islice(combos, 0, None, step)]
    groups["generated metric × time × extra"] = generated[:needed]
    return groups


def timed(calls: list[Callable[[], object]], repeat: int) -> tuple[list[float], list[float]]:
    for call in calls:  # warm-up: regex compilation, name index, imports
        call()
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        for call in calls:
            w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            call()
            cpu.append((time.thread_time_ns() - c0) / 1e6)
            wall.append((time.perf_counter_ns() - w0) / 1e6)
    return wall, cpu


def percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(round(share * 100)) - 1]


def row(operation: str, wall: list[float], cpu: list[float]) -> str:
    p50, p99, p99_cpu = percentile(wall, 0.50), percentile(wall, 0.99), percentile(cpu, 0.99)
    return f"{operation:<52} {len(wall):>7} {p50:>8.3f} {p99:>8.3f} {p99_cpu:>10.3f} {p99 / TARGET_MS:>8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 6, 17))
    parser.add_argument("--database", help="read the values from this database (values_for) instead of the demo's")
    args = parser.parse_args()
    catalog = load_catalog()
    values = values_source(args.database)
    groups = questions()
    total = sum(len(items) for items in groups.values())
    print(f"{total} questions × {args.repeat} runs, as of {args.as_of}, target p99 ≤ {TARGET_MS:g} ms\n")
    print(f"{'operation':<52} {'n':>7} {'p50 ms':>8} {'p99 ms':>8} {'p99 cpu ms':>10} {'ratio':>8}")
    all_wall: list[float] = []
    all_cpu: list[float] = []
    for name, items in groups.items():
        calls = [lambda q=q: parse_question(q, as_of=args.as_of, catalog=catalog, values=values()) for q in items]
        wall, cpu = timed(calls, args.repeat)
        all_wall += wall
        all_cpu += cpu
        print(row(f"parse_question: {name}", wall, cpu))
    print(row("parse_question: all", all_wall, all_cpu))
    period_calls = [lambda p=p: parse_period(p, args.as_of) for p in PERIOD_PHRASES]
    print(row("parse_period", *timed(period_calls, args.repeat * 10)))
    print(row("name index build (once per catalog)", *timed([lambda: MetricIndex(catalog)], args.repeat)))
    vocabulary = values()
    print(row("value index build (once per data change)",
              *timed([lambda: ValueIndex(vocabulary.values)], args.repeat)))


def values_source(url: str | None) -> Callable[[], Vocabulary]:
    """The vocabulary each parse gets: the demo's values, or values_for(engine) (its cache) for a database."""
    if url is None:
        demo = Vocabulary.of_lists({
            "plan": (*config.PLANS, config.ADDON_PLAN), "segment": config.SEGMENTS, "channel": config.CHANNELS,
            "country": config.COUNTRIES, "feature": [f.feature for f in config.FEATURES],
            "priority": config.TICKET_PRIORITIES, "category": config.TICKET_CATEGORIES, "topic": config.SURVEY_TOPICS,
        })
        return lambda: demo
    from kpi_engine.db.engine import make_engine
    from kpi_engine.values import values_for

    engine = make_engine(url)
    return lambda: values_for(engine)


if __name__ == "__main__":
    main()
