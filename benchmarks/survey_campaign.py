"""Benchmark of survey campaigns against the fake Slack Web API (in this process).

1. Sending: one campaign to N channel members (default 5,000) at the configured pace (`--rate` messages a
   second), with a 429 (Retry-After 1 s) injected half-way. Reports throughput against the pace, and checks
   that every person got exactly one survey and one `survey_deliveries` row.
2. Answering: M respondents (default 1,000) click a score at the same time, each twice (a double click),
   as signed HTTP requests to the real app (Bolt, served by uvicorn). Reports ack latency and the time until
   every answer is recorded, and checks: M responses, none twice.

    python benchmarks/survey_campaign.py [--recipients 5000] [--rate 100] [--answers 1000] [--clients 32]
    python benchmarks/survey_campaign.py --postgres-url postgresql+psycopg://postgres@127.0.0.1/test
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scratch_db import scratch_postgres  # noqa: E402  (benchmarks run as scripts)

from bot.app import create_app  # noqa: E402
from bot.settings import AppSettings  # noqa: E402
from bot.surveys.campaign_service import start_campaign  # noqa: E402
from bot.surveys.listeners import register  # noqa: E402
from bot.surveys.runtime import SurveyRuntime  # noqa: E402
from kpi_engine.db import open_database  # noqa: E402
from kpi_engine.db.models import SurveyDelivery, SurveyResponse  # noqa: E402
from surveys.commands import SendCommand, parse_survey_command  # noqa: E402
from surveys.config import SurveySettings  # noqa: E402
from tests.bot.support.served_app import served  # noqa: E402
from tests.bot.support.slack_requests import SlackSender  # noqa: E402
from tests.bot.surveys.fake_survey_slack import SurveyFakeSlack  # noqa: E402

SECRET = "benchmark-signing-secret-survey"
CHANNEL = "C0BENCHMARK"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def run(url: str, args: argparse.Namespace) -> list[tuple[str, str, str]]:
    fake = SurveyFakeSlack(page_size=1000).start()
    people = [f"U0B{i:06d}" for i in range(args.recipients)]
    fake.people(*people)
    fake.members[CHANNEL] = people
    app_settings = AppSettings.load(None, DATABASE_URL=url, SLACK_SIGNING_SECRET=SECRET, SLACK_BOT_TOKEN="xoxb-bench",
                                    SLACK_API_URL=fake.api_url, KPI_TIMEZONE="UTC", KPIBOT_WORKERS=args.workers)
    settings = app_settings.data
    rules = SurveySettings(_env_file=None, KPIBOT_SURVEY_MESSAGES_PER_SECOND=args.rate,  # type: ignore[call-arg]
                           KPIBOT_SURVEY_SENDER_THREADS=args.threads, KPIBOT_SURVEY_QUIET_START="00:00",
                           KPIBOT_SURVEY_QUIET_END="00:00")
    engine = open_database(settings)
    app = create_app(app_settings, engine=engine)
    runtime = register(app, runtime=SurveyRuntime.build(engine, settings, app.client, rules=rules), start=False)
    rows: list[tuple[str, str, str]] = []
    try:
        campaign_id = send_campaign(runtime, fake, args, rows)
        answer_concurrently(app, runtime, fake, campaign_id, people[: args.answers], args, rows)
    finally:
        app.close()
        fake.stop()
        engine.dispose()
    return rows


def send_campaign(runtime: SurveyRuntime, fake: SurveyFakeSlack, args: argparse.Namespace,
                  rows: list[tuple[str, str, str]]) -> str:
    command = parse_survey_command(f"survey send nps to <#{CHANNEL}|customers>")
    assert isinstance(command, SendCommand)
    started_at = time.perf_counter()
    started = start_campaign(runtime, command, team_id="T0TEAM", created_by="U0ADMIN", bot_user_id="U0KPIBOT")
    planned = time.perf_counter() - started_at
    halfway = args.recipients / args.rate / 2
    threading.Timer(halfway, lambda: fake.rate_limit("chat.postMessage", retry_after=1)).start()
    sending_at = time.perf_counter()
    report = runtime.run_once()
    sending = time.perf_counter() - sending_at
    per_user = fake.surveys_per_user()
    duplicates = sum(n - 1 for n in per_user.values() if n > 1)
    delivered = count(runtime.engine, SurveyDelivery.__table__)
    throughput = report["sent"] / sending
    rows += [
        ("recipients (channel members, paged)", f"{args.recipients:,}", f"planned in {planned:.2f} s"),
        ("configured pace", f"{args.rate:g} msg/s", f"{args.threads} sender threads; expected ≥ "
                                                    f"{args.recipients / args.rate:.1f} s + 1 s (429)"),
        ("surveys sent", f"{report['sent']:,}", f"in {sending:.1f} s"),
        ("sending throughput", f"{throughput:.1f} msg/s", f"{100 * throughput / args.rate:.0f}% of the pace"),
        ("429s answered (Retry-After 1 s)", str(report["rate_limited"]), "paused, then continued"),
        ("people with 2+ surveys", str(duplicates), "OK" if duplicates == 0 else "DUPLICATES"),
        ("survey_deliveries rows", f"{delivered:,}", "OK" if delivered == args.recipients else "MISMATCH"),
    ]
    return started.campaign.campaign_id


def answer_concurrently(app, runtime: SurveyRuntime, fake: SurveyFakeSlack, campaign_id: str,  # type: ignore[no-untyped-def]
                        respondents: list[str], args: argparse.Namespace, rows: list[tuple[str, str, str]]) -> None:
    messages = {m["channel"]: m for m in fake.surveys_posted()}
    with served(app) as app_url:
        sender = SlackSender(app_url, SECRET)
        sender.http = __import__("httpx").Client(timeout=60, limits=__import__("httpx").Limits(
            max_connections=args.clients))
        latencies: list[float] = []
        lock = threading.Lock()

        def click(job: tuple[str, int]) -> int:
            user, score = job
            message = messages["D" + user[1:]]
            action = {"type": "button", "block_id": "survey.scores", "action_id": f"survey.score.{score}",
                      "value": message["blocks"][1]["elements"][0]["value"]}
            container = {"type": "message", "message_ts": message["ts"], "channel_id": message["channel"]}
            began = time.perf_counter()
            status = sender.block_action(action, user_id=user, channel_id=message["channel"],
                                         container=container).status_code
            with lock:
                latencies.append(time.perf_counter() - began)
            return status

        jobs = [(user, i % 11) for i, user in enumerate(respondents)] * 2  # every respondent clicks twice
        began = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            statuses = list(pool.map(click, jobs))
        acked = time.perf_counter() - began
        deadline = time.monotonic() + 300
        while app.services.pool.pending and time.monotonic() < deadline:
            time.sleep(0.05)
        recorded_after = time.perf_counter() - began
        sender.close()
    table = SurveyResponse.__table__
    with runtime.engine.connect() as conn:
        responses = int(conn.scalar(select(func.count()).select_from(table).where(table.c.campaign_id == campaign_id)))
        distinct = int(conn.scalar(select(func.count(func.distinct(table.c.respondent_id)))
                                   .where(table.c.campaign_id == campaign_id)))
    failed = sum(1 for s in statuses if s != 200)
    rows += [
        ("answer clicks (each respondent twice)", f"{len(jobs):,}", f"{args.clients} concurrent clients"),
        ("acks: p50 / p95 / max", f"{percentile(latencies, .5) * 1000:.0f} / {percentile(latencies, .95) * 1000:.0f}"
         f" / {max(latencies) * 1000:.0f} ms", f"all acked in {acked:.1f} s; {failed} non-200"),
        ("answers recorded", f"{responses:,}", f"all written {recorded_after:.1f} s after the first click"),
        ("respondents recorded twice", str(responses - distinct),
         "OK" if responses == distinct == len(respondents) else "MISMATCH"),
        ("mean ack", f"{statistics.fmean(latencies) * 1000:.0f} ms", "Slack needs < 3,000 ms"),
    ]




def print_table(backend: str, rows: list[tuple[str, str, str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print(f"\nsurvey campaign benchmark — {backend}")
    for row in rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0, help="KPIBOT_SURVEY_MESSAGES_PER_SECOND")
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients clicking")
    parser.add_argument("--workers", type=int, default=8, help="KPIBOT_WORKERS of the app")
    parser.add_argument("--threads", type=int, default=8, help="KPIBOT_SURVEY_SENDER_THREADS")
    parser.add_argument("--postgres-url", help="run against PostgreSQL (a scratch database) instead of SQLite")
    args = parser.parse_args()
    args.answers = min(args.answers, args.recipients)
    if args.postgres_url:
        with scratch_postgres(args.postgres_url, "kpibot_survey_bench") as url:
            print_table("PostgreSQL", run(url, args))
        return
    with tempfile.TemporaryDirectory() as folder:
        print_table("SQLite", run(f"sqlite:///{folder}/bench.sqlite3", args))


if __name__ == "__main__":
    main()
