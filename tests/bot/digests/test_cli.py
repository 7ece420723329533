"""`kpibot digest ...` and `kpibot alert ...` end to end (the fake Slack stands in for the Web API)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from bot.cli import alert, digest
from bot.digests.repository import list_subscriptions
from tests.bot.digests.conftest import GROWTH, digest_posts
from tests.bot.support.fake_slack import FakeSlack

runner = CliRunner()
app = typer.Typer()
digest.register(app)
alert.register(app)  # bot/cli/main.py registers it once the lead wires it


@pytest.fixture
def cli_env(db_url: str, fake_slack: FakeSlack, company: None) -> dict[str, Any]:
    fake_slack.add_channel(GROWTH)
    return {"DATABASE_URL": db_url, "KPI_TIMEZONE": "UTC", "KPI_CUSTOM_METRICS_FILE": None,
            "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": fake_slack.api_url, "KPIBOT_ACCESS_FILE": None}


def kpibot(env: dict[str, Any], *args: str) -> Result:
    result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_add_preview_and_run_due(cli_env: dict[str, Any], engine: Engine, fake_slack: FakeSlack,
                                 tmp_path: Path) -> None:
    out = kpibot(cli_env, "digest", "add", "monday", "at", "9:00", "tz", "Europe/Berlin", "mrr,", "signups",
                 "--channel", GROWTH, "--created-by", "U0ALICE", "--now", "2026-03-06T12:00").output
    assert "Digest #1 for <#C0GROWTH>: Mondays at 09:00 (Europe/Berlin)." in out
    [sub] = list_subscriptions(engine)
    assert sub.metrics == ["mrr", "signups"]

    chart = tmp_path / "digest.png"
    out = kpibot(cli_env, "digest", "preview", "1", "--now", "2026-03-09T08:00", "--chart", str(chart)).output
    assert "Weekly KPIs · Mar 2 – 8, 2026 (Europe/Berlin)" in out
    assert "Signups  4  ·  ↓ 60.0% (-6) vs the week before — worse" in out
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert fake_slack.calls() == []  # a preview posts nothing

    out = kpibot(cli_env, "digest", "run-due", "--now", "2026-03-09T08:00:30").output
    assert "#1" in out and "sent" in out
    out = kpibot(cli_env, "digest", "run-due", "--now", "2026-03-09T08:01:30").output
    assert "No digest is due." in out
    assert len(digest_posts(fake_slack)) == 1
    assert "schedule · *sent*" in kpibot(cli_env, "digest", "log").output


def test_alert_cli(cli_env: dict[str, Any], fake_slack: FakeSlack) -> None:
    out = kpibot(cli_env, "alert", "add", "signups", "<", "5", "--channel", GROWTH, "--now", "2026-03-09T09:00").output
    assert "Alert #1: I'll post in <#C0GROWTH> when Signups over the last 7 days is below 5." in out
    assert "fired" in kpibot(cli_env, "alert", "check", "--now", "2026-03-09T10:00").output
    assert "No alert is due" in kpibot(cli_env, "alert", "check", "--now", "2026-03-09T10:30").output
    assert "#1 · *fired*" in kpibot(cli_env, "alert", "log").output
    assert "firing" in kpibot(cli_env, "alert", "list").output
    assert "Alert #1 removed." in kpibot(cli_env, "alert", "remove", "1").output
