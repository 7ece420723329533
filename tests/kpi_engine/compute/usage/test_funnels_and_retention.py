"""Funnel and retention tables on hand-made data."""

from __future__ import annotations

from datetime import date

import pytest

from kpi_engine.compute.funnels import run_funnel
from kpi_engine.compute.retention import run_retention
from kpi_engine.periods import Period
from kpi_engine.query import Filter, FunnelQuery, RetentionQuery
from tests.conftest import make_settings
from tests.kpi_engine.compute.usage.helpers import approx, ev, load, user

MARCH = Period.calendar(date(2026, 3, 1), "month")


@pytest.fixture
def funnel_data(engine, settings):
    """signup → activate → purchase within 7 days, March:
    u1 (pro): all three in order.                     u2 (pro): purchase before activate → 2 steps.
    u3 (basic): activate 10 days after signup → 1.    u4: activate only, never signed up → not in.
    u5 (no account): signed up in February too; enters at its first March signup (03-30), finishes in April."""
    load(
        engine,
        settings,
        plans={"A": "pro", "B": "basic"},
        users=[user("u1", "2026-01-01 00:00", "A"), user("u2", "2026-01-01 00:00", "A"),
               user("u3", "2026-01-01 00:00", "B")],
        events=[
            ev("u1", "2026-03-01 10:00", "signup"), ev("u1", "2026-03-02 10:00", "activate"),
            ev("u1", "2026-03-05 10:00", "purchase"),
            ev("u2", "2026-03-03 10:00", "signup"), ev("u2", "2026-03-04 10:00", "purchase"),
            ev("u2", "2026-03-06 10:00", "activate"),
            ev("u3", "2026-03-10 10:00", "signup"), ev("u3", "2026-03-20 10:00", "activate"),
            ev("u4", "2026-03-02 10:00", "activate"),
            ev("u5", "2026-02-27 10:00", "signup"), ev("u5", "2026-03-30 10:00", "signup"),
            ev("u5", "2026-04-02 10:00", "activate"), ev("u5", "2026-04-03 10:00", "purchase"),
        ],
    )
    return engine, settings


def _funnel(engine, settings, **options):
    query = FunnelQuery(as_of=date(2026, 6, 1), period=MARCH, steps=("signup", "activate", "purchase"),
                        window_days=7, **options)
    with engine.connect() as conn:
        return run_funnel(conn, query, settings)


def test_funnel_steps(funnel_data) -> None:
    table = _funnel(*funnel_data)
    assert table.kind == "funnel"
    assert table.columns == ["step", "users", "conversion_from_previous", "conversion_from_first"]
    assert approx(table.rows) == approx([
        ["signup", 4, None, 1.0],
        ["activate", 3, 0.75, 0.75],
        ["purchase", 2, 2 / 3, 0.5],
    ])


def test_funnel_breakdown_and_filter(funnel_data) -> None:
    table = _funnel(*funnel_data, breakdown="plan")
    assert table.columns[0] == "plan"
    assert approx(table.rows) == approx([
        ["pro", "signup", 2, None, 1.0], ["pro", "activate", 2, 1.0, 1.0], ["pro", "purchase", 1, 0.5, 0.5],
        ["basic", "signup", 1, None, 1.0], ["basic", "activate", 0, 0.0, 0.0], ["basic", "purchase", 0, None, 0.0],
        ["(none)", "signup", 1, None, 1.0], ["(none)", "activate", 1, 1.0, 1.0],
        ["(none)", "purchase", 1, 1.0, 1.0],
    ])
    basic = _funnel(*funnel_data, filters=(Filter(dimension="plan", values=("basic",)),))
    assert [row[1] for row in basic.rows] == [1, 0, 0]


def test_funnel_with_no_entries(funnel_data) -> None:
    engine, settings = funnel_data
    query = FunnelQuery(as_of=date(2026, 6, 1), period=Period.calendar(date(2025, 1, 1), "month"),
                        steps=("signup", "purchase"))
    with engine.connect() as conn:
        table = run_funnel(conn, query, settings)
    assert table.rows == [["signup", 0, None, None], ["purchase", 0, None, None]]


def test_funnel_repeated_step_needs_a_later_event(engine, settings) -> None:
    """view → view → buy: u1 viewed once (a step never reuses the previous step's event); u2 viewed twice and
    bought at the very instant of its second view (at or after counts); u3 viewed twice, bought 2 days later."""
    load(engine, settings, events=[
        ev("u1", "2026-03-01 10:00", "view"),
        ev("u2", "2026-03-01 10:00", "view"), ev("u2", "2026-03-01 11:00", "view"), ev("u2", "2026-03-01 11:00", "buy"),
        ev("u3", "2026-03-02 10:00", "view"), ev("u3", "2026-03-02 10:05", "view"), ev("u3", "2026-03-04 10:00", "buy"),
    ])
    query = FunnelQuery(as_of=date(2026, 6, 1), period=MARCH, steps=("view", "view", "buy"), window_days=1)
    with engine.connect() as conn:
        table = run_funnel(conn, query, settings)
    assert [row[1] for row in table.rows] == [3, 2, 1]


@pytest.fixture
def cohorts(engine, settings):
    """ISO weeks from Monday 2026-03-02.
    u1 signs up 03-02, active 03-03, 03-04 (week 0) and 03-10, 03-12, 03-15 (week 1);
    u2 signs up 03-04, active 03-12 (week 1) and 03-18 (week 2);
    u3 signs up 03-10 (week of 03-09), active 03-11, 03-13, 03-17, 03-24;
    u4 signs up Sunday 03-08 23:30 UTC = Monday 03-09 00:30 in Berlin, never active."""
    load(
        engine,
        settings,
        users=[user("u1", "2026-03-02 09:00"), user("u2", "2026-03-04 09:00"), user("u3", "2026-03-10 09:00"),
               user("u4", "2026-03-08 23:30")],
        events=[
            ev("u1", "2026-03-03 10:00"), ev("u1", "2026-03-04 10:00"), ev("u1", "2026-03-10 10:00"),
            ev("u1", "2026-03-12 10:00"), ev("u1", "2026-03-15 10:00"),
            ev("u2", "2026-03-12 09:00"), ev("u2", "2026-03-18 10:00"),
            ev("u3", "2026-03-11 10:00"), ev("u3", "2026-03-13 10:00"), ev("u3", "2026-03-17 10:00"),
            ev("u3", "2026-03-24 10:00"),
        ],
    )
    return engine, settings


def _retention(engine, settings, **options):
    query = RetentionQuery(as_of=date(2026, 3, 20), period=Period(date(2026, 3, 2), date(2026, 3, 15)),
                           cohort_grain="week", offsets=2, **options)
    with engine.connect() as conn:
        return run_retention(conn, query, settings)


def test_weekly_retention(cohorts) -> None:
    table = _retention(*cohorts)
    assert table.columns == ["cohort", "users", "week 0", "week 1", "week 2"]
    # the week of 03-23 starts after the as-of day: no value yet
    assert approx(table.rows) == approx([["2026-03-02", 3, 1 / 3, 2 / 3, 1 / 3], ["2026-03-09", 1, 1.0, 1.0, None]])


def test_weekly_retention_in_another_zone(cohorts, db_url) -> None:
    engine, _ = cohorts
    berlin = make_settings(db_url, KPI_TIMEZONE="Europe/Berlin")
    table = _retention(engine, berlin)
    assert approx(table.rows) == approx([["2026-03-02", 2, 0.5, 1.0, 0.5], ["2026-03-09", 2, 0.5, 0.5, None]])


def test_monthly_retention_default_period(cohorts) -> None:
    engine, settings = cohorts
    query = RetentionQuery(as_of=date(2026, 4, 15), cohort_grain="month", offsets=1)
    with engine.connect() as conn:
        table = run_retention(conn, query, settings)
    assert table.period == Period(date(2026, 3, 1), date(2026, 4, 15))
    # March cohort: 4 users, 3 active in March, none in April; the April cohort is empty
    assert table.rows == [["2026-03-01", 4, 0.75, 0.0], ["2026-04-01", 0, None, None]]
