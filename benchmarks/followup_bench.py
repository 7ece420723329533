"""Benchmark of follow-up merging (`kpi_engine.parser.followups.read_followup`) against the parser's 5 ms p99.

    python benchmarks/followup_bench.py [--repeat 50]

Reads each follow-up form of issue 12 (and messages that are not follow-ups) after a few previous queries,
with the demo company's values (value resolution included, as in Slack), `--repeat` times after one warm-up
pass, and prints n calls, p50 and p99 wall time, and p99 CPU time of the thread (what the reading itself
costs on a busy machine).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

from kpi_engine.catalog import load_catalog
from kpi_engine.demo import config
from kpi_engine.parser.followups import read_followup
from kpi_engine.parser.value_index import Vocabulary
from kpi_engine.periods import Period
from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery

TARGET_MS = 5.0
AS_OF = date(2026, 6, 17)
MAY = Period.calendar(date(2026, 5, 1), "month")
PREVIOUS = (
    MetricQuery(metric="mrr", as_of=AS_OF, period=MAY),
    MetricQuery(metric="signups", as_of=AS_OF, period=MAY, breakdown="plan"),
    (MetricQuery(metric="mrr", as_of=AS_OF), MetricQuery(metric="arr", as_of=AS_OF)),
    MovementsQuery(as_of=AS_OF, period=MAY),
    FunnelQuery(as_of=AS_OF, steps=("signup", "purchase")),
)
MESSAGES = (
    "and by plan?", "for enterprise", "what about february?", "last year?", "weekly", "and arr?", "why?",
    "why did it drop", "how come", "and for DE?", "for pro plan in germany", "vs last year", "trend",
    "and by plan and segment?", "enterprise vs smb?", "top 3 countries?", "and arr and nps?", "by country instead",
    "mrr by plan last month", "thanks!", "ok great", "and by region?", "help", "<@U123> and by channel?",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    catalog = load_catalog()
    values = Vocabulary.of_lists({"plan": config.PLANS, "segment": config.SEGMENTS, "channel": config.CHANNELS,
                                  "country": config.COUNTRIES})
    pairs = [(text, previous) for text in MESSAGES for previous in PREVIOUS]
    for text, previous in pairs:  # warm-up: regexes, indexes
        read_followup(text, previous, as_of=AS_OF, catalog=catalog, values=values)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(args.repeat):
        for text, previous in pairs:
            start, start_cpu = time.perf_counter(), time.thread_time()
            read_followup(text, previous, as_of=AS_OF, catalog=catalog, values=values)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
    p99 = statistics.quantiles(wall, n=100)[98]
    cpu_p99 = statistics.quantiles(cpu, n=100)[98]
    print(f"follow-ups: n={len(wall)} p50={statistics.median(wall):.3f} ms p99={p99:.3f} ms "
          f"cpu p99={cpu_p99:.3f} ms  p99/target={p99 / TARGET_MS:.2f}")


if __name__ == "__main__":
    main()
