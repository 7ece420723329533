"""Checks made when posting (a channel that became shared, a metric no longer allowed there), the survey privacy
and clock fixes, and the Retry-After pause shared through the database."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.access_groups import GroupRules
from bot.alerts.checker import check_alerts
from bot.surveys.pacing import Pacer, SharedPause
from kpi_engine.db.models import AlertEvent
from kpi_engine.db.models.slack_app import SlackAuditEntry
from surveys.campaigns import get_campaign
from surveys.clock import SystemClock, public_clock
from surveys.privacy import forget_respondent
from tests.bot.alerts.conftest import T0, add_rule, alert_env, company, slack_client  # noqa: F401  (fixtures)
from tests.bot.digests.conftest import GROWTH
from tests.surveys.support import new_campaign


def alert_log(engine) -> list[tuple[str, str | None]]:
    table = AlertEvent.__table__
    with engine.connect() as conn:
        return [(r.kind, r.error) for r in conn.execute(select(table).order_by(table.c.id))]


def test_an_alert_is_not_posted_in_a_channel_that_became_externally_shared(engine, alert_env, fake_slack,  # noqa: F811
                                                                           company) -> None:  # noqa: F811
    add_rule(engine, "signups < 5")
    fake_slack.add_channel(GROWTH, is_ext_shared=True)  # shared with another organisation after the rule was made
    assert [o.action for o in check_alerts(alert_env, T0)] == ["refused"]
    assert fake_slack.calls("chat.postMessage") == []
    assert alert_log(engine) == [("refused", "externally_shared")]
    with engine.connect() as conn:
        [audited] = conn.execute(select(SlackAuditEntry.__table__)).all()
    assert (audited.outcome, audited.detail) == ("refused", "externally_shared")
    assert [o.action for o in check_alerts(alert_env, T0 + timedelta(hours=1))] == ["refused"]
    assert alert_log(engine) == [("refused", "externally_shared")]  # said once, not every hour

    fake_slack.add_channel(GROWTH)  # no longer shared: the next check fires
    assert [o.action for o in check_alerts(alert_env, T0 + timedelta(hours=2))] == ["fired"]


def test_an_alert_whose_metric_is_no_longer_allowed_in_its_channel_is_not_posted(engine, alert_env, fake_slack,  # noqa: F811
                                                                                 company) -> None:  # noqa: F811
    add_rule(engine, "mrr > 1")
    alert_env.rules = GroupRules.model_validate({"groups": {"finance": {"channels": ["C0FINANCE"]}}})
    assert [o.action for o in check_alerts(alert_env, T0)] == ["refused"]
    assert fake_slack.calls("chat.postMessage") == []
    assert alert_log(engine) == [("refused", "metric_not_allowed_here")]


def test_forget_reaches_the_campaign_audience_texts(engine) -> None:
    now = datetime(2026, 6, 1, 12)
    campaign = new_campaign(engine, ["U0FORGET1", "U0KEEP01"], now)
    with engine.begin() as conn:
        from kpi_engine.db.models.survey_campaigns import SurveyCampaign

        conn.execute(SurveyCampaign.__table__.update().values(
            audience="<@U0FORGET1|ann> <@U0KEEP01> U0FORGET1 ann@example.com",
            unresolved="<mailto:ann@example.com|ann@example.com> (users_not_found)"))
    from kpi_engine.db.models import User

    with engine.begin() as conn:
        conn.execute(User.__table__.insert().values(user_id="p1", email="ann@example.com", slack_user_id="U0FORGET1",
                                                    created_at=now))
    gone = forget_respondent(engine, "U0FORGET1")
    assert gone.audience_texts == 1
    stored = get_campaign(engine, campaign.campaign_id)
    assert "U0FORGET1" not in stored.audience and "ann@example.com" not in stored.audience
    assert "<@U0KEEP01>" in stored.audience
    assert "ann@example.com" not in (stored.unresolved or "")


def test_a_retry_after_pause_holds_for_every_process_on_the_database(engine) -> None:
    first = Pacer(SystemClock(), 100.0, 0.0, shared=SharedPause(engine))
    second = Pacer(SystemClock(), 100.0, 0.0, shared=SharedPause(engine))  # another process: its own memory
    first.pause(1.0)  # Slack said 429, Retry-After: 1
    started = time.monotonic()
    second.wait_turn("C0GENERAL")
    assert time.monotonic() - started >= 0.9


def test_one_public_clock_for_scheduled_commands(engine, db_url) -> None:
    moved = public_clock("2031-01-01T00:00").now()
    assert datetime(2031, 1, 1) <= moved < datetime(2031, 1, 1, 0, 1)
    assert abs((public_clock(None).now() - SystemClock().now()).total_seconds()) < 5

    campaign = new_campaign(engine, ["U0CLOCK01"], datetime(2026, 6, 1, 12))
    from bot.cli.main import build_app

    env = {"DATABASE_URL": db_url, "KPI_TIMEZONE": "UTC", "SLACK_BOT_TOKEN": "xoxb-test-token",
           "SLACK_API_URL": "http://127.0.0.1:9/api/"}
    runner = CliRunner()
    before = runner.invoke(build_app("survey"), ["survey", "status", campaign.campaign_id, "--now",
                                                 "2026-06-02T12:00"], env=env)
    assert before.exit_code == 0, before.output
    after = runner.invoke(build_app("survey"), ["survey", "dispatch", "--now", "2031-01-01T12:00"], env=env)
    assert after.exit_code == 0, after.output
    assert get_campaign(engine, campaign.campaign_id).status == "expired"  # expiry judged at --now
    bad = runner.invoke(build_app("survey"), ["survey", "status", "--now", "soon"], env=env)
    assert bad.exit_code == 2 and "--now must be" in bad.output


@pytest.mark.parametrize(("text", "utc"), [("2026-06-01", datetime(2026, 6, 1)),
                                          ("2026-06-01T08:00+02:00", datetime(2026, 6, 1, 6))])
def test_the_clock_reads_iso_moments_as_utc(text: str, utc: datetime) -> None:
    assert utc <= public_clock(text).now() < utc + timedelta(minutes=1)
