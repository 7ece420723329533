"""A separate source without a scratch schema: the usage tables live in DATABASE_URL with each user's account and
attributes beside them (`user_profiles`, `account_profiles`), so usage broken down by an account attribute, signup
cohorts and survey answers by plan are answered without joining the source's tables, and an attribute changed in
the source is seen at the next refresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from kpi_engine.db.models.derived import UserProfile
from kpi_engine.query import Filter, MetricQuery, RetentionQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.refresh import refresh
from kpi_engine.sources.source import forget_sources
from tests.kpi_engine.demo.conftest import DEMO_END
from tests.kpi_engine.sources.conftest import Sourced, make_source
from tests.kpi_engine.sources.support import source_column, source_name
from tests.kpi_engine.sources.test_parity import QUARTER, answer

c = source_column


@pytest.fixture
def separate(reference: tuple[Engine, Settings], tmp_path: Path, sqlite_template: Path) -> Iterator[Sourced]:
    yield from make_source(reference[0], "separate", tmp_path, sqlite_template)


def by_group(result: dict[str, Any]) -> dict[str, float]:
    return {row["group"]: row["value"] for row in result["breakdown"]}


def source_scalar(url: str, sql: str) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_the_profiles_hold_one_row_per_source_user_with_its_account_plan(separate: Sourced) -> None:
    users = source_scalar(separate.source_url, f"SELECT count(*) FROM {source_name('users')}")
    with_plan = source_scalar(separate.source_url, f"SELECT count(*) FROM {source_name('users')} u JOIN "
                              f"{source_name('accounts')} a ON a.{c('account_id')} = u.{c('account_id')} "
                              f"WHERE a.{c('plan')} IS NOT NULL")
    with separate.state.connect() as conn:
        profiles = UserProfile.__table__
        assert conn.execute(select(func.count()).select_from(profiles)).scalar() == users > 0
        assert conn.execute(select(func.count()).where(profiles.c.plan.is_not(None))).scalar() == with_plan > 0


def test_usage_by_plan_and_signup_cohorts_equal_sqlite(reference: tuple[Engine, Settings], separate: Sourced) -> None:
    """The questions that read per-user rows with the user's account (before: refused, "set
    KPI_SOURCE_SCRATCH_SCHEMA") now equal the embedded database's answers."""
    questions = [
        MetricQuery(metric="sessions_per_user", as_of=DEMO_END, period=QUARTER, breakdown="plan"),
        MetricQuery(metric="conversion_rate", as_of=DEMO_END, period=QUARTER, breakdown="segment"),
        MetricQuery(metric="sessions", as_of=DEMO_END, period=QUARTER, breakdown="segment",
                    filters=(Filter(dimension="plan", values=("(none)",)),)),
        RetentionQuery(as_of=DEMO_END),
        RetentionQuery(as_of=DEMO_END, cohort_grain="week"),
    ]
    for query in questions:
        expected = answer(reference[0], query, reference[1])
        assert not isinstance(expected, str), expected
        assert answer(separate.state, query, separate.settings) == expected, query


def test_a_plan_changed_in_the_source_is_seen_after_the_next_refresh(separate: Sourced) -> None:
    """Every account on the first plan moves to the second: no user or account is added (the row counts stay), yet
    after `refresh` the second plan holds the users of both, on the per-group rollups (active users by plan), on the
    per-user rows (sessions of a plan, by segment) and on the survey answers given in Slack (kept in DATABASE_URL)."""
    active = MetricQuery(metric="active_users", as_of=DEMO_END, period=QUARTER, breakdown="plan")
    before = by_group(answer(separate.state, active, separate.settings))
    moved, kept = sorted(p for p in before if p != "(none)")[:2]

    def sessions_of(plan: str) -> float:
        query = MetricQuery(metric="sessions", as_of=DEMO_END, period=QUARTER, breakdown="segment",
                            filters=(Filter(dimension="plan", values=(plan,)),))
        return sum(by_group(answer(separate.state, query, separate.settings)).values())

    sessions_before = sessions_of(moved) + sessions_of(kept)
    responses = MetricQuery(metric="survey_responses", as_of=DEMO_END, period=QUARTER, breakdown="plan")
    responses_before = by_group(answer(separate.state, responses, separate.settings))
    assert before[moved] > 0 and before[kept] > 0 and sessions_before > 0
    engine = create_engine(separate.source_url)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {source_name('accounts')} SET {c('plan')} = :kept WHERE {c('plan')} = :moved"),
                     {"kept": kept, "moved": moved})
    engine.dispose()
    assert refresh(separate.settings).mode == "current"  # no new events: only the attributes changed
    forget_sources()
    after = by_group(answer(separate.state, active, separate.settings))
    assert moved not in after
    assert after[kept] == before[moved] + before[kept]  # a user belongs to one account: the two sets are disjoint
    assert sessions_of(kept) == sessions_before
    responses_after = by_group(answer(separate.state, responses, separate.settings))  # answers given in Slack
    assert moved not in responses_after
    assert responses_after[kept] == responses_before.get(moved, 0) + responses_before.get(kept, 0) > 0
