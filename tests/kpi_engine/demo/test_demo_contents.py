"""What the demo company must contain, checked with SQL on the tiny demo (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, func, select, text

from kpi_engine.demo import DEMO_TABLES
from kpi_engine.periods import local_midnight_utc
from tests.kpi_engine.demo.conftest import DEMO_END

HISTORY_START = DEMO_END.replace(year=DEMO_END.year - 2) + timedelta(days=1)
TABLES = {t.name: t for t in DEMO_TABLES}
NO_ACCOUNT_TABLES = ("users", "orders", "tickets", "survey_responses")
# no other row of the account is active just after the row ends (MRR of the account falls to 0)
NOTHING_RIGHT_AFTER = """NOT EXISTS (SELECT 1 FROM subscriptions s3 WHERE s3.account_id = s1.account_id
    AND s3.started_at <= s1.ended_at AND (s3.ended_at IS NULL OR s3.ended_at > s1.ended_at))"""


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_every_table_has_rows(tiny_demo) -> None:
    engine, _ = tiny_demo
    empty_ok = {"sessions", "derived_state"}  # filled by the derived-table refresh
    for table in DEMO_TABLES:
        if table.name not in empty_ok:
            assert scalar(engine, f'SELECT COUNT(*) FROM "{table.name}"') > 0, table.name


def test_everything_happens_inside_the_two_years(tiny_demo) -> None:
    engine, settings = tiny_demo
    begin = local_midnight_utc(HISTORY_START, settings.tz)
    finish = local_midnight_utc(DEMO_END + timedelta(days=1), settings.tz)
    for table, column in (("events", "occurred_at"), ("orders", "ordered_at"), ("subscriptions", "started_at"),
                          ("tickets", "resolved_at"), ("survey_responses", "responded_at"), ("users", "created_at")):
        c = TABLES[table].c[column]
        with engine.connect() as conn:
            low, high = conn.execute(select(func.min(c), func.max(c))).one()
        assert begin <= low and high < finish, table
    days = scalar(engine, "SELECT COUNT(DISTINCT day) FROM marketing_spend")
    assert days == (DEMO_END - HISTORY_START).days + 1


def test_reactivated_accounts(tiny_demo) -> None:
    engine, _ = tiny_demo
    reactivated = scalar(engine, f"""SELECT COUNT(DISTINCT s1.account_id) FROM subscriptions s1
        WHERE s1.ended_at IS NOT NULL AND {NOTHING_RIGHT_AFTER}
        AND EXISTS (SELECT 1 FROM subscriptions s2 WHERE s2.account_id = s1.account_id
                    AND s2.started_at > s1.ended_at)""")
    assert reactivated >= 1


def test_upgrades_and_contractions_switch_rows_at_the_same_instant(tiny_demo) -> None:
    engine, _ = tiny_demo
    switch = """SELECT COUNT(*) FROM subscriptions s1 JOIN subscriptions s2
        ON s2.account_id = s1.account_id AND s2.started_at = s1.ended_at AND s2.plan = s1.plan AND s2.mrr {op} s1.mrr"""
    assert scalar(engine, switch.format(op="<")) > 0  # contraction (fewer seats)
    assert scalar(engine, switch.format(op=">")) > 0  # expansion
    plan_change = """SELECT COUNT(*) FROM subscriptions s1 JOIN subscriptions s2
        ON s2.account_id = s1.account_id AND s2.started_at = s1.ended_at AND s2.plan <> s1.plan"""
    assert scalar(engine, plan_change) > 0


def test_accounts_with_concurrent_subscriptions(tiny_demo) -> None:
    engine, _ = tiny_demo
    overlapping = scalar(engine, """SELECT COUNT(DISTINCT s1.account_id) FROM subscriptions s1
        JOIN subscriptions s2 ON s2.account_id = s1.account_id AND s2.subscription_id <> s1.subscription_id
        AND s1.started_at < COALESCE(s2.ended_at, '9999-12-31')
        AND s2.started_at < COALESCE(s1.ended_at, '9999-12-31')""")
    assert overlapping >= 2


def test_churned_accounts_and_trials_with_and_without_conversion(tiny_demo) -> None:
    engine, _ = tiny_demo
    churned = scalar(engine, f"SELECT COUNT(DISTINCT account_id) FROM subscriptions s1 WHERE s1.ended_at IS NOT NULL "
                             f"AND {NOTHING_RIGHT_AFTER}")
    assert churned > 5
    converted = scalar(engine, """SELECT COUNT(*) FROM trials t JOIN subscriptions s
        ON s.account_id = t.account_id AND s.started_at = t.converted_at""")
    assert converted > 5
    assert scalar(engine, "SELECT COUNT(*) FROM trials WHERE converted_at IS NULL AND ended_at IS NOT NULL") > 5


def test_a_share_of_events_has_no_session_id(tiny_demo) -> None:
    engine, _ = tiny_demo
    share = scalar(engine, "SELECT 1.0 * SUM(CASE WHEN session_id IS NULL THEN 1 ELSE 0 END) / COUNT(*) FROM events")
    assert 0.1 < share < 0.2
    assert scalar(engine, "SELECT COUNT(*) FROM (SELECT session_id FROM events WHERE session_id IS NOT NULL "
                          "GROUP BY session_id HAVING COUNT(DISTINCT user_id) > 1) x") == 0


def test_event_names(tiny_demo) -> None:
    engine, _ = tiny_demo
    with engine.connect() as conn:
        names = dict(conn.execute(text("SELECT name, COUNT(*) FROM events GROUP BY name")).all())
        users = conn.execute(text("SELECT COUNT(*) FROM users")).scalar()
        featured = conn.execute(text("SELECT COUNT(DISTINCT feature) FROM events WHERE feature IS NOT NULL")).scalar()
    assert names["signup"] == users  # once per user
    assert names["page_view"] > names["activated"] > names["purchase"] > 0
    assert featured >= 10


def test_features_launched_during_the_history_are_used_and_sold(tiny_demo) -> None:
    engine, settings = tiny_demo
    begin = local_midnight_utc(HISTORY_START, settings.tz)
    assert scalar(engine, "SELECT COUNT(*) FROM features WHERE launched_at > :b", b=begin) >= 5
    assert scalar(engine, "SELECT COUNT(*) FROM features WHERE launched_at < :b", b=begin) >= 1
    used_after_launch = scalar(engine, """SELECT COUNT(*) FROM events e JOIN features f ON f.feature = e.feature
        WHERE f.launched_at > :b""", b=begin)
    assert used_after_launch > 0
    assert scalar(engine, """SELECT COUNT(*) FROM events e JOIN features f ON f.feature = e.feature
        WHERE e.occurred_at < f.launched_at""") == 0
    sold = scalar(engine, """SELECT COUNT(*) FROM orders o JOIN features f ON f.feature = o.product
        WHERE o.ordered_at >= f.launched_at AND f.launched_at > :b""", b=begin)
    assert sold > 0


def test_rows_without_an_account(tiny_demo) -> None:
    engine, _ = tiny_demo
    for table in NO_ACCOUNT_TABLES:
        assert scalar(engine, f"SELECT COUNT(*) FROM {table} WHERE account_id IS NULL") > 0, table
    assert scalar(engine, "SELECT COUNT(*) FROM accounts WHERE plan IS NULL") > 0  # never paid


def test_surveys_answered_twice_and_deliveries_linked(tiny_demo) -> None:
    engine, _ = tiny_demo
    twice = scalar(engine, """SELECT COUNT(*) FROM (SELECT respondent_id, campaign_id FROM survey_responses
        GROUP BY respondent_id, campaign_id HAVING COUNT(*) > 1) x""")
    assert twice > 0
    with engine.connect() as conn:
        surveys = {s for (s,) in conn.execute(text("SELECT DISTINCT survey FROM survey_responses"))}
    assert surveys == {"nps", "csat", "ces"}
    linked = scalar(engine, """SELECT COUNT(*) FROM survey_deliveries d JOIN survey_responses r
        ON r.response_id = d.response_id AND r.campaign_id = d.campaign_id AND r.respondent_id = d.respondent_id
        AND r.responded_at > d.sent_at""")
    assert linked == scalar(engine, "SELECT COUNT(response_id) FROM survey_deliveries") > 0
    assert scalar(engine, "SELECT COUNT(*) FROM survey_deliveries WHERE response_id IS NULL") > 0
    assert scalar(engine, "SELECT COUNT(*) FROM survey_responses WHERE comment IS NOT NULL AND topic IS NOT NULL") > 0


def test_support_and_delivery_details(tiny_demo) -> None:
    engine, _ = tiny_demo
    assert scalar(engine, "SELECT COUNT(*) FROM tickets WHERE escalated") > 0
    assert scalar(engine, "SELECT COUNT(*) FROM tickets WHERE resolved_at IS NULL") > 0
    assert scalar(engine, "SELECT COUNT(*) FROM tickets WHERE first_response_at < opened_at "
                          "OR resolved_at < first_response_at") == 0
    assert scalar(engine, "SELECT COUNT(DISTINCT priority) FROM tickets") == 4
    assert scalar(engine, "SELECT COUNT(DISTINCT kind) FROM work_items") == 4
    assert scalar(engine, "SELECT COUNT(DISTINCT found_in) FROM work_items WHERE kind = 'bug'") == 2
    assert scalar(engine, "SELECT COUNT(*) FROM work_items WHERE done_at < started_at OR started_at < created_at") == 0
    assert scalar(engine, "SELECT COUNT(*) FROM work_items WHERE feature IS NOT NULL") > 0
    assert scalar(engine, "SELECT SUM(kloc) FROM releases") > 0


def test_marketing_by_channel_and_campaign(tiny_demo) -> None:
    engine, _ = tiny_demo
    with engine.connect() as conn:
        channels = {c for (c,) in conn.execute(text("SELECT DISTINCT channel FROM marketing_spend"))}
        account_channels = {c for (c,) in conn.execute(text("SELECT DISTINCT channel FROM accounts"))}
    assert channels == account_channels == {"organic", "paid_search", "social", "referral", "partner"}
    assert scalar(engine, "SELECT COUNT(*) FROM marketing_spend WHERE campaign = ''") > 0
    assert scalar(engine, "SELECT COUNT(*) FROM marketing_spend WHERE clicks > impressions OR spend < 0") == 0
    assert scalar(engine, "SELECT COUNT(DISTINCT country) FROM accounts") >= 6
    assert scalar(engine, "SELECT COUNT(DISTINCT segment) FROM accounts") == 3
