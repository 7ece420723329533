"""Alerts on SQLite and PostgreSQL: fire once, cooldown, still-firing note in the thread, resolution, log."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from bot.alerts.checker import AlertEnvironment, check_alerts
from bot.alerts.evaluate import evaluate
from bot.alerts.repository import get_rule
from kpi_engine.db.models import User
from kpi_engine.db.models.digests import AlertEvent
from kpi_engine.settings import Settings
from tests.bot.alerts.conftest import CATALOG, T0, add_rule
from tests.bot.digests.conftest import GROWTH
from tests.bot.support.block_check import action_ids, validate_blocks
from tests.bot.support.fake_slack import FakeSlack
from tests.conftest import insert_rows

pytestmark = pytest.mark.usefixtures("company")


def posts(fake: FakeSlack) -> list[dict[str, object]]:
    return [c.params for c in fake.calls("chat.postMessage")]


def log_kinds(engine: Engine) -> list[str]:
    table = AlertEvent.__table__
    with engine.connect() as conn:
        return [r.kind for r in conn.execute(select(table.c.kind).order_by(table.c.id))]


def test_fires_once_then_cools_down_then_notes_still_firing(engine: Engine, alert_env: AlertEnvironment,
                                                            fake_slack: FakeSlack) -> None:
    """signups < 5 over the last 7 days: 4 (03-02..03-08), then 0 (03-03..03-09): met all along."""
    rule = add_rule(engine, "signups < 5")
    assert [(o.action, o.value) for o in check_alerts(alert_env, T0)] == [("fired", 4.0)]
    [alert] = posts(fake_slack)
    assert alert["channel"] == GROWTH
    validate_blocks(alert["blocks"])  # type: ignore[arg-type]
    assert alert["blocks"][0]["text"]["text"] == (  # type: ignore[index]
        ":rotating_light: *Signups is 4 over 2026-03-02 – 2026-03-08* — below 5.")
    assert list(action_ids(alert["blocks"])) == ["alert.snooze.1d", "alert.snooze.1w"]  # type: ignore[arg-type]

    assert check_alerts(alert_env, T0 + timedelta(minutes=30)) == []  # not due: checked hourly
    hourly = [T0 + timedelta(hours=h) for h in range(1, 24)]
    for now in hourly:
        assert [o.action for o in check_alerts(alert_env, now)] == ["quiet"]
    assert len(posts(fake_slack)) == 1

    still = check_alerts(alert_env, T0 + timedelta(hours=25))
    assert [(o.action, o.value) for o in still] == [("still_firing", 0.0)]
    [first, note] = posts(fake_slack)
    assert note["thread_ts"] == get_rule(engine, rule.id).message_ts  # type: ignore[union-attr]
    assert str(note["text"]).startswith(":repeat: Still firing: Signups is 0 over 2026-03-03 – 2026-03-09 — below 5.")
    assert log_kinds(engine) == ["fired", "still_firing"]


def test_resolves_and_does_not_refire_within_the_cooldown(engine: Engine, alert_env: AlertEnvironment,
                                                          fake_slack: FakeSlack) -> None:
    add_rule(engine, "signups < 5", cooldown_minutes=24 * 60)
    check_alerts(alert_env, T0)
    insert_rows(engine, User, [{"user_id": f"new{i}", "created_at": datetime(2026, 3, 9, 12, i)} for i in range(6)])
    # 2026-03-10 11:00: the window 03-03..03-09 has the 6 new signups → back to normal
    assert [o.action for o in check_alerts(alert_env, T0 + timedelta(hours=25))] == ["resolved"]
    assert str(posts(fake_slack)[-1]["text"]).startswith(":white_check_mark: Back to normal: Signups is 6")
    # 2026-03-17: the window 03-10..03-16 is empty again → met; the last notice was 8 days ago → a new alert
    assert [o.action for o in check_alerts(alert_env, T0 + timedelta(days=8))] == ["fired"]
    assert log_kinds(engine) == ["fired", "resolved", "fired"]


def test_refiring_soon_after_resolution_is_suppressed(engine: Engine, alert_env: AlertEnvironment,
                                                      fake_slack: FakeSlack) -> None:
    """Cooldown 10 days: met at T0, cleared by six signups on 03-09, met again on 03-17 (window 03-10..03-16)."""
    add_rule(engine, "signups < 5", cooldown_minutes=10 * 24 * 60)
    check_alerts(alert_env, T0)
    insert_rows(engine, User, [{"user_id": f"new{i}", "created_at": datetime(2026, 3, 9, 12, i)} for i in range(6)])
    assert [o.action for o in check_alerts(alert_env, T0 + timedelta(hours=25))] == ["resolved"]
    assert [o.action for o in check_alerts(alert_env, T0 + timedelta(days=8))] == ["suppressed"]
    assert len(posts(fake_slack)) == 2  # the alert and its resolution; the re-fire is only logged
    assert log_kinds(engine) == ["fired", "resolved", "suppressed"]


def test_two_checkers_at_once_post_once(engine: Engine, alert_env: AlertEnvironment, fake_slack: FakeSlack) -> None:
    """A second replica that read the rule before the first took the check gets nothing to do."""
    rule = add_rule(engine, "signups < 5")
    from bot.alerts.checker import check_rule

    assert check_rule(alert_env, rule, T0).action == "fired"
    assert check_rule(alert_env, rule, T0).action == "taken"
    assert len(posts(fake_slack)) == 1


def test_rule_kinds_evaluate_to_hand_worked_numbers(engine: Engine, settings: Settings) -> None:
    def ev(text: str) -> tuple[bool | None, float | None, str]:
        from bot.alerts.commands import spec_view
        from bot.alerts.rules import parse_alert_rule

        result = evaluate(spec_view(parse_alert_rule(text, CATALOG)), engine, settings, CATALOG, T0)
        return result.met, result.value, result.summary

    assert ev("signups drop 20% vs last week") == (
        True, 4.0, "Signups is 4 over 2026-03-02 – 2026-03-08, down 60.0% from 10")
    assert ev("signups rise 20% vs last week")[0] is False
    assert ev("mrr > 120") == (True, 150.0, "MRR is $150 at the end of 2026-03-08")
    assert ev("mrr above 200")[0] is False
    assert ev("mrr plan=basic >= 50") == (True, 50.0, "MRR is $50 at the end of 2026-03-08 (plan = basic)")
    assert ev("anomaly signups")[:2] == (True, 4.0)
    assert ev("nps > 10")[:2] == (None, None)  # no responses: nothing to judge


def test_a_rate_alert_words_its_move_in_points_like_the_answers() -> None:
    from bot.alerts.evaluate import _moved_words
    from kpi_engine.periods import Period
    from kpi_engine.results import MetricResult

    day = Period(date(2026, 3, 2), date(2026, 3, 8))
    rate = MetricResult(metric="customer_churn_rate", label="Customer churn rate", unit="percent", kind="ratio",
                        direction="lower", period=day, value=0.029, previous_value=0.026)
    assert _moved_words(rate, (0.029 - 0.026) / 0.026) == "up 0.3 pp (+11.5%)"
    count = rate.model_copy(update={"unit": "count", "value": 4.0, "previous_value": 10.0})
    assert _moved_words(count, -0.6) == "down 60.0%"
