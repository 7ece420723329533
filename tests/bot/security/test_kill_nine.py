"""kill -9 in the middle of real `kpibot` processes (a digest run, a campaign send), then the next run:
nothing lost, nothing twice, and the status says what really happened.

The fake Slack holds one chosen call open (after storing what it carries), so the process is killed at a known
point: with the message already in Slack, or before it exists."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.digests import repository as digests
from bot.digests.schedule import Schedule
from kpi_engine.db.models import DigestRun, DigestSend
from kpi_engine.db.models.survey_campaigns import SurveyDeliveryState
from tests.bot.surveys.fake_survey_slack import SurveyFakeSlack
from tests.conftest import insert_small_mrr_company

ROOT = Path(__file__).parents[3]
MONDAY = datetime(2026, 6, 15, 9, 0)
PEOPLE = [f"U0K{i:02d}" for i in range(6)]


class HoldingSlack(SurveyFakeSlack):
    """Answers call number `nth` of `method` only when released (the process waiting on it is killed first)."""

    def __init__(self, method: str, nth: int = 1) -> None:
        super().__init__()
        self.hold_method, self.hold_nth = method, nth
        self.seen = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        result = super().answer(method, params)
        if method == self.hold_method:
            self.seen += 1
            if self.seen == self.hold_nth:
                self.holding.set()
                self.release.wait(60)
        return result


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    return sqlite_url


def kpibot(args: list[str], url: str, fake: SurveyFakeSlack, **extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KPIBOT_", "SLACK_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": fake.api_url,
                "KPI_TIMEZONE": "UTC", "KPIBOT_SURVEY_MESSAGES_PER_SECOND": "50",
                "KPIBOT_SURVEY_SENDER_THREADS": "1", "KPIBOT_CHART_PROCESSES": "0", **extra})
    return subprocess.Popen([sys.executable, "-m", "bot.cli.main", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def kill_when_held(process: subprocess.Popen[bytes], fake: HoldingSlack) -> None:
    assert fake.holding.wait(90), process.communicate(timeout=5)[0].decode()[-2000:]
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    fake.release.set()


def finish(process: subprocess.Popen[bytes]) -> str:
    output = process.communicate(timeout=120)[0].decode()
    assert process.returncode == 0, output[-3000:]
    return output


def digest_messages(fake: SurveyFakeSlack) -> list[dict[str, Any]]:
    return [m for ms in fake.posted.values() for m in ms
            if (m.get("metadata") or {}).get("event_type") == "kpibot_digest"]


def rows(engine, model) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(model.__table__)))


@pytest.mark.parametrize(("hold", "expected_detail"), [
    ("chat.postMessage", "stopped after the message went out"),  # killed with the message in Slack
    ("files.getUploadURLExternal", None),  # killed before the message existed: sent again, once
], ids=["after-posting", "before-posting"])
def test_kill_nine_during_a_digest_run(engine, db_url, hold, expected_detail) -> None:
    insert_small_mrr_company(engine)
    fake = HoldingSlack(hold).start()
    try:
        fake.add_channel("C0GENERAL")
        sub = digests.create_subscription(engine, team_id=None, channel_id="C0GENERAL", dm_user_id=None,
                                          created_by="U0ALICE", schedule=Schedule("UTC", 0, "09:00"),
                                          metrics=["mrr"], filters={}, now=MONDAY, next_run_at=MONDAY)
        kill_when_held(kpibot(["digest", "run-due", "--now", "2026-06-15T09:01"], db_url, fake), fake)
        [run] = rows(engine, DigestRun)
        assert run.status == "claimed"
        finish(kpibot(["digest", "run-due", "--now", "2026-06-15T09:40"], db_url, fake))
        [message] = digest_messages(fake)  # exactly one digest in Slack
        [run] = rows(engine, DigestRun)
        assert (run.status, run.message_ts) == ("sent", message["ts"])
        [logged] = [d for d in rows(engine, DigestSend) if d.subscription_id == sub.id]
        assert (logged.status, logged.message_ts) == ("sent", message["ts"])
        if expected_detail:
            assert expected_detail in logged.detail
        else:
            assert logged.trigger == "schedule"  # sent again 40 minutes after its slot: within the grace window
    finally:
        fake.release.set()
        fake.stop()


def test_kill_nine_during_a_campaign_send(engine, db_url) -> None:
    fake = HoldingSlack("chat.postMessage", nth=3).start()
    try:
        fake.people(*PEOPLE, tz="UTC")
        targets = " ".join(PEOPLE)
        kill_when_held(kpibot(["survey", "send", "nps", "to", *targets.split(), "--now", "2026-06-15T12:00"],
                              db_url, fake), fake)
        states = {r.slack_user_id: r.status for r in rows(engine, SurveyDeliveryState)}
        assert list(states.values()).count("sent") == 2 and list(states.values()).count("claimed") == 1
        output = finish(kpibot(["survey", "dispatch", "--now", "2026-06-15T12:15"], db_url, fake))
        assert "recovered sent" in output
        assert fake.surveys_per_user() == {"D" + u[1:]: 1 for u in PEOPLE}  # everyone once, nobody twice
        assert {r.status for r in rows(engine, SurveyDeliveryState)} == {"sent"}
    finally:
        fake.release.set()
        fake.stop()
