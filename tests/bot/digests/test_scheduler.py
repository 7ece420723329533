"""The scheduler thread `kpibot serve` starts: a round at once, then every interval; stop() ends it."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.scheduler import seconds_to_next_tick, start_scheduler
from kpi_engine.settings import Settings
from tests.bot.alerts.conftest import add_rule
from tests.bot.digests.conftest import DUE, digest_posts, subscribe
from tests.bot.support.fake_slack import FakeSlack
from tests.conftest import make_app_settings


def test_next_tick() -> None:
    assert seconds_to_next_tick(120.0, 60.0, 7.0) == 7.0
    assert seconds_to_next_tick(127.0, 60.0, 7.0) == 60.0
    assert seconds_to_next_tick(130.5, 60.0, 7.0) == pytest.approx(56.5)  # 187 = 3 × 60 + 7


@pytest.mark.usefixtures("company")
def test_rounds_send_due_digests_and_alerts_once(engine: Engine, settings: Settings, slack_client: WebClient,
                                                  fake_slack: FakeSlack) -> None:
    subscribe(engine)
    add_rule(engine, "signups < 5", now=DUE)
    app_settings = make_app_settings(settings.database_url)
    stop = start_scheduler(app_settings, engine, slack_client, interval_seconds=0.3, clock=lambda: DUE)
    try:
        fake_slack.wait_for("chat.postMessage", where=lambda c: str(c.params.get("text", "")).startswith("Alert:"))
        fake_slack.wait_for("chat.postMessage", where=lambda c: bool(c.params.get("thread_ts")))
        time.sleep(1.0)  # a few more rounds at the same moment: nothing new is due
    finally:
        stop()
    assert len(digest_posts(fake_slack)) == 1
    alerts = [c for c in fake_slack.calls("chat.postMessage") if str(c.params.get("text", "")).startswith("Alert:")]
    assert len(alerts) == 1
