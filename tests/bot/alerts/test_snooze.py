"""The Snooze button through Bolt (signed HTTP): the alert stays quiet until the snooze ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from bot.alerts.checker import AlertEnvironment, check_alerts
from bot.alerts.repository import get_rule
from bot.app import KpiBotApp
from bot.shared.command import utc_now
from tests.bot.alerts.conftest import T0, add_rule
from tests.bot.digests.conftest import GROWTH
from tests.bot.support.fake_slack import FakeSlack
from tests.bot.support.slack_requests import SlackSender


@pytest.mark.usefixtures("company")
def test_snooze_is_honoured(bot_app: KpiBotApp, slack: SlackSender, fake_slack: FakeSlack, engine: Engine,
                            alert_env: AlertEnvironment) -> None:
    rule = add_rule(engine, "signups < 5")
    assert [o.action for o in check_alerts(alert_env, T0)] == ["fired"]
    ts = get_rule(engine, rule.id).message_ts  # type: ignore[union-attr]
    clicked_at = utc_now()
    response = slack.block_action(
        {"type": "button", "action_id": "alert.snooze.1d", "value": f"{rule.id}:1440"}, channel_id=GROWTH,
        container={"type": "message", "message_ts": ts, "channel_id": GROWTH, "is_ephemeral": False},
        response_url=fake_slack.response_url("snooze"))
    assert response.status_code == 200
    [note] = fake_slack.wait_for("chat.postMessage", where=lambda c: c.params.get("thread_ts") == ts)
    assert str(note.params["text"]).startswith(":zzz: <@U0ALICE> snoozed this alert until ")
    until = get_rule(engine, rule.id).snoozed_until  # type: ignore[union-attr]
    assert until is not None
    assert clicked_at + timedelta(hours=24) <= until <= utc_now() + timedelta(hours=24)

    # a day later the condition still holds and the cooldown is over, but the snooze keeps it quiet
    assert [o.action for o in check_alerts(alert_env, T0 + timedelta(hours=25))] == ["snoozed"]
    assert [o.action for o in check_alerts(alert_env, until - timedelta(minutes=1))] == ["snoozed"]
    posted = len(fake_slack.calls("chat.postMessage"))
    # after the snooze: the window before `until` has no signups → still below 5 → one "still firing" note
    assert [o.action for o in check_alerts(alert_env, until + timedelta(hours=1))] == ["still_firing"]
    assert len(fake_slack.calls("chat.postMessage")) == posted + 1
