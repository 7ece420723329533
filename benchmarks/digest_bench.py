"""Digest benchmark.

1. One digest of the 10 headline KPIs (values, previous week, 12-week trends, targets, anomalies, breakdowns,
   MRR movements, comments) and its composite chart, on the large demo: target ≤ 5 s.
   Database: --database-url, else DATABASE_URL, else /tmp/demo_large.sqlite3 when it exists. Read only.
2. 100 subscriptions due at the same minute, delivered through the fake Slack Web API with the real pacing
   (1 post per second per channel): all delivered exactly once, never two posts within a second in a channel,
   and two scripted 429 answers retried. Runs on a temporary tiny demo (the KPI work is shared by the
   subscriptions through the run's report cache; the first scenario measures that work on the large data).

    python benchmarks/digest_bench.py [--database-url URL] [--channels 25] [--subscriptions 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from slack_sdk import WebClient
from sqlalchemy import Engine, func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.digests.chart import digest_chart  # noqa: E402
from bot.digests.report import build_report, kpi_line  # noqa: E402
from bot.digests.repository import create_subscription  # noqa: E402
from bot.digests.runner import DigestEnvironment, run_due  # noqa: E402
from bot.digests.schedule import Schedule, next_slot, reported_week  # noqa: E402
from bot.shared.metric_names import default_kpis  # noqa: E402
from bot.shared.pacing import ChannelPacer  # noqa: E402
from bot.shared.slack_clients import with_retries  # noqa: E402
from kpi_engine.catalog import load_catalog  # noqa: E402
from kpi_engine.db import make_engine  # noqa: E402
from kpi_engine.db.engine import upgrade_schema  # noqa: E402
from kpi_engine.db.models import User  # noqa: E402
from kpi_engine.settings import Settings  # noqa: E402
from tests.bot.support.fake_slack import Call, FakeSlack, ScriptedFailure  # noqa: E402

LARGE_DEMO = Path("/tmp/demo_large.sqlite3")
DIGEST_TARGET_SECONDS = 5.0
console = Console()


class TimedFakeSlack(FakeSlack):
    """The fake Slack Web API, also noting when each call arrived and which calls it refused (scripted 429s)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[float, Call]] = []
        self.refused: set[int] = set()
        self._current = threading.local()
        self._server.socket.listen(256)  # a hundred digests connect at once: a longer accept queue than 5

    def record(self, call: Call) -> None:
        self._current.call = call
        with self.state.lock:
            self.arrivals.append((time.monotonic(), call))
        super().record(call)

    def take_failure(self, method: str) -> ScriptedFailure | None:
        failure = super().take_failure(method)
        if failure is not None:
            self.refused.add(id(self._current.call))
        return failure


def source_url(given: str | None) -> str:
    url = given or os.environ.get("DATABASE_URL")
    if url:
        return url
    if LARGE_DEMO.exists():
        return f"sqlite:///{LARGE_DEMO}"
    raise SystemExit("no database: pass --database-url, set DATABASE_URL, or build /tmp/demo_large.sqlite3 "
                     "(kpibot demo --scale large)")


def last_complete_week(engine: Engine, settings: Settings) -> date:
    """The Monday of the last complete week of the data (the data ends at the latest signup)."""
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(User.__table__.c.created_at))).scalar_one()
    if isinstance(latest, str):
        latest = datetime.fromisoformat(latest)
    return reported_week(latest + timedelta(days=1), settings.tz).start


def one_digest(url: str, runs: int) -> dict[str, object]:
    settings = Settings(_env_file=None, DATABASE_URL=url, KPI_TIMEZONE=os.environ.get("KPI_TIMEZONE", "UTC"))
    engine = make_engine(url)
    catalog = load_catalog()
    week_start = last_complete_week(engine, settings)
    week = reported_week(datetime.combine(week_start + timedelta(days=7), datetime.min.time()) + timedelta(hours=12),
                         settings.tz)
    metrics = default_kpis(catalog)
    timings: list[tuple[float, float]] = []
    for _ in range(runs):
        started = time.perf_counter()
        report = build_report(engine, settings, catalog, metrics, week, {})
        computed = time.perf_counter()
        png = digest_chart(report)
        timings.append((computed - started, time.perf_counter() - computed))
    slowest = []
    for metric_id in metrics:  # where the time goes, one KPI at a time
        started = time.perf_counter()
        kpi_line(engine, settings, catalog, catalog.get(metric_id), week, {})
        slowest.append((time.perf_counter() - started, metric_id))
    engine.dispose()
    totals = [a + b for a, b in timings]
    return {"week": week, "kpis": len(report.lines), "with_data": sum(line.has_data for line in report.lines),
            "anomalies": sum(line.anomaly is not None for line in report.lines), "png": len(png or b""),
            "first": totals[0], "median": statistics.median(totals), "report": timings[0][0], "chart": timings[0][1],
            "slowest": ", ".join(f"{name} {seconds:.2f} s" for seconds, name in sorted(slowest, reverse=True)[:3])}


def hundred_due(subscriptions: int, channels: int, workers: int) -> dict[str, object]:
    from kpi_engine.demo.build import build_demo

    fake = TimedFakeSlack().start()
    fake.add_user("U0OWNER", tz="Europe/Berlin")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/digests.sqlite3"
        settings = Settings(_env_file=None, DATABASE_URL=url, KPI_TIMEZONE="UTC")
        engine = make_engine(url)
        upgrade_schema(engine)
        build_demo(engine, settings, "tiny", end=date(2026, 6, 30))
        schedule = Schedule(timezone="Europe/Berlin", weekday=0, at_time="09:00")
        created = datetime(2026, 6, 25, 12, 0)
        due = next_slot(schedule, created)
        channel_ids = [f"C{index:07d}" for index in range(channels)]
        for channel_id in channel_ids:
            fake.add_channel(channel_id)
        for index in range(subscriptions):
            create_subscription(engine, team_id="T0TEAM", channel_id=channel_ids[index % channels], dm_user_id=None,
                                created_by="U0OWNER", schedule=schedule, metrics=default_kpis(load_catalog()),
                                filters={}, now=created, next_run_at=due)
        client = with_retries(WebClient(token="xoxb-bench", base_url=fake.api_url))
        env = DigestEnvironment(engine, settings, lambda _team: client, load_catalog(), pacer=ChannelPacer(),
                                workers=workers)
        fake.rate_limit("chat.postMessage", retry_after=1, times=2)
        started = time.perf_counter()
        outcomes = run_due(env, due + timedelta(seconds=20))
        elapsed = time.perf_counter() - started
        again = run_due(env, due + timedelta(seconds=50))
        engine.dispose()
    fake.stop()
    return {"elapsed": elapsed, "outcomes": outcomes, "again": again, **_per_channel(fake, channel_ids)}


def _per_channel(fake: TimedFakeSlack, channel_ids: list[str]) -> dict[str, object]:
    """Accepted chat.postMessage calls per channel, and the smallest gap between two of them in one channel."""
    posts: dict[str, list[float]] = defaultdict(list)
    digests = 0
    for at, call in fake.arrivals:
        if call.method != "chat.postMessage" or id(call) in fake.refused:
            continue
        if call.params.get("thread_ts") is None and str(call.params.get("text", "")).startswith("Weekly KPIs"):
            digests += 1
        posts[str(call.params.get("channel"))].append(at)
    gaps = [b - a for times in posts.values() for a, b in zip(times, times[1:], strict=False)]
    return {"digest_posts": digests, "posts": sum(len(v) for v in posts.values()), "min_gap": min(gaps, default=0.0),
            "uploads": len(fake.calls("files.completeUploadExternal")), "channels": len(channel_ids),
            "refused": len(fake.refused)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--subscriptions", type=int, default=100)
    parser.add_argument("--channels", type=int, default=25)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--only", choices=("digest", "delivery"), help="Run one scenario only.")
    args = parser.parse_args()

    table = Table(title="Digest benchmark", show_lines=False)
    for column in ("scenario", "measure", "value", "target", "ok"):
        table.add_column(column)
    if args.only != "delivery":
        single_rows(table, one_digest(source_url(args.database_url), args.runs), args.runs,
                    source_url(args.database_url))
    if args.only != "digest":
        delivery_rows(table, hundred_due(args.subscriptions, args.channels, args.workers), args.subscriptions)
    console.print(table)


def single_rows(table: Table, single: dict[str, object], runs: int, url: str) -> None:
    week = single["week"]
    table.add_row("one digest", "database", url.split("/")[-1], "", "")
    table.add_row("", "week", f"{week.start} – {week.end}", "", "")  # type: ignore[attr-defined]
    table.add_row("", "KPIs (with data / unusual)",
                  f"{single['kpis']} ({single['with_data']} / {single['anomalies']})", "10", "")
    table.add_row("", "first run: report + chart", f"{single['first']:.2f} s ({single['report']:.2f} + "
                  f"{single['chart']:.2f})", f"≤ {DIGEST_TARGET_SECONDS:.0f} s",
                  _ok(float(single["first"]) <= DIGEST_TARGET_SECONDS))  # type: ignore[arg-type]
    table.add_row("", f"median of {runs}", f"{single['median']:.2f} s", f"≤ {DIGEST_TARGET_SECONDS:.0f} s",
                  _ok(float(single["median"]) <= DIGEST_TARGET_SECONDS))  # type: ignore[arg-type]
    table.add_row("", "slowest KPIs", str(single["slowest"]), "", "")
    table.add_row("", "chart PNG", f"{int(single['png']) // 1024} kB", "", "")  # type: ignore[call-overload]


def delivery_rows(table: Table, burst: dict[str, object], subscriptions: int) -> None:
    sent = [o for o in burst["outcomes"] if o.status == "sent"]  # type: ignore[attr-defined]
    table.add_row(f"{subscriptions} due at once", "channels", str(burst["channels"]), "", "")
    table.add_row("", "digests delivered", f"{len(sent)} ({burst['digest_posts']} posts)",
                  str(subscriptions), _ok(len(sent) == subscriptions == burst["digest_posts"]))
    table.add_row("", "second run-due posts", str(len(burst["again"])), "0",  # type: ignore[arg-type]
                  _ok(not burst["again"]))
    table.add_row("", "chat.postMessage calls", str(burst["posts"]), "", "")
    table.add_row("", "chart uploads", str(burst["uploads"]), str(subscriptions),
                  _ok(burst["uploads"] == subscriptions))
    table.add_row("", "min gap in a channel", f"{burst['min_gap']:.2f} s", "≥ 1 s (Slack: 1/s/channel)",
                  _ok(float(burst["min_gap"]) >= 0.99))  # type: ignore[arg-type]
    table.add_row("", "429 answers retried", str(burst["refused"]), "2", _ok(burst["refused"] == 2))
    table.add_row("", "wall time", f"{burst['elapsed']:.1f} s", "< 60 s (one scheduler tick)",
                  _ok(float(burst["elapsed"]) < 60))  # type: ignore[arg-type]


def _ok(passed: bool) -> str:
    return "[green]yes[/green]" if passed else "[red]NO[/red]"


if __name__ == "__main__":
    main()
