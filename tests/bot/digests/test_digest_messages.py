"""Digest messages that are never wrong (issue 14), on the fake Slack and both databases: nothing is posted when no
KPI has data, a target applies only to digests with the same filters, and "late" only past the grace window."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from bot.digests.report import build_report
from bot.digests.runner import DigestEnvironment, run_due
from bot.digests.schedule import GRACE_WINDOW, is_late, reported_week, zone
from kpi_engine.catalog import load_catalog
from kpi_engine.db import session_scope
from kpi_engine.settings import Settings
from kpi_engine.targets import set_target
from tests.bot.digests.conftest import BERLIN, DUE, GROWTH, digest_posts, subscribe
from tests.bot.support.fake_slack import FakeSlack

WEEK = reported_week(DUE, zone(BERLIN))  # Mon 2026-03-02 – Sun 03-08


def test_an_empty_database_posts_nothing(engine: Engine, env: DigestEnvironment, fake: FakeSlack,
                                         caplog: pytest.LogCaptureFixture) -> None:
    """No rows at all: MRR is $0 and signups 0 every week. That is no data, not "MRR $0 · Signups 0"."""
    subscribe(engine, metrics=["mrr", "signups", "tickets"])
    with caplog.at_level(logging.INFO, logger="bot.digests.runner"):
        [outcome] = run_due(env, DUE)
    assert (outcome.status, outcome.detail) == ("skipped",
                                                "no data: no KPI has data for this week, so nothing was posted")
    assert fake.calls("chat.postMessage") == [] and fake.calls("files.completeUploadExternal") == []
    assert any("skipped: no data" in record.getMessage() for record in caplog.records)


def test_report_has_data_only_with_rows_behind_it(engine: Engine, settings: Settings) -> None:
    empty = build_report(engine, settings, load_catalog(), ["mrr", "signups"], WEEK, {}, with_details=False)
    assert [line.value for line in empty.lines] == [0.0, 0.0]  # what the engine says for an empty database
    assert not empty.has_data


@pytest.mark.usefixtures("company")
def test_a_target_applies_only_to_the_same_filters(engine: Engine, settings: Settings, env: DigestEnvironment,
                                                   fake: FakeSlack) -> None:
    """The company-wide MRR target is $300 (conftest). For plan pro (account a, $100) it does not apply; a target
    of $200 for plan pro does: 50%."""
    catalog = load_catalog()
    pro = {"plan": ["pro"]}
    company_wide = build_report(engine, settings, catalog, ["mrr"], WEEK, {}, with_details=False)
    assert company_wide.lines[0].target is not None and company_wide.lines[0].target.value == 300.0
    for_pro = build_report(engine, settings, catalog, ["mrr"], WEEK, pro, with_details=False)
    assert for_pro.lines[0].value == 100.0 and for_pro.lines[0].target is None

    subscribe(engine, metrics=["mrr"], filters=pro)
    run_due(env, DUE)
    [post] = digest_posts(fake)
    assert "$300" not in str(post["blocks"]) and "target" not in str(post["blocks"])

    with session_scope(engine) as session:
        set_target(session, "mrr", 200.0, None, "tester", filters={"plan": ["Pro "]})  # spelled loosely
    again = build_report(engine, settings, catalog, ["mrr"], WEEK, pro, with_details=False)
    target = again.lines[0].target
    assert target is not None and (target.value, target.attainment) == (200.0, 0.5)
    company_again = build_report(engine, settings, catalog, ["mrr"], WEEK, {}, with_details=False)
    assert company_again.lines[0].target is not None and company_again.lines[0].target.value == 300.0


def test_late_only_past_the_grace_window() -> None:
    assert timedelta(hours=3) == GRACE_WINDOW
    assert not is_late(DUE, DUE + timedelta(hours=2))  # a slow or hourly run: on time
    assert not is_late(DUE, DUE + GRACE_WINDOW)
    assert is_late(DUE, DUE + GRACE_WINDOW + timedelta(minutes=1))  # missed while the bot was down


@pytest.mark.usefixtures("company")
def test_a_digest_two_hours_after_its_slot_is_not_called_late(engine: Engine, env: DigestEnvironment,
                                                              fake: FakeSlack) -> None:
    subscribe(engine)
    [outcome] = run_due(env, DUE + timedelta(hours=2))
    assert (outcome.status, outcome.trigger) == ("sent", "schedule")
    [post] = digest_posts(fake)
    assert "(late)" not in str(post["text"]) and "offline" not in str(post["blocks"])
    assert post["channel"] == GROWTH


def test_no_all_zero_movements_thread(engine: Engine, settings: Settings) -> None:
    """Signups but no subscriptions: the digest has data (signups), MRR is $0 every week and has no bridge."""
    from datetime import datetime

    from kpi_engine.db.models import User
    from tests.conftest import insert_rows

    insert_rows(engine, User, [{"user_id": f"u{i}", "created_at": datetime(2026, 3, 3, 10, i)} for i in range(3)])
    report = build_report(engine, settings, load_catalog(), ["mrr", "signups"], WEEK, {})
    assert report.has_data and [line.value for line in report.lines] == [0.0, 3.0]
    assert report.details.movements is None
