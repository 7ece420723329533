"""Sessions: explicit session_id, or split by the inactivity gap; a session belongs to its first event's day.

u1 (plan pro), no session ids, 2026-03-01:
  10:00, 10:20, 10:50 (exactly 30 min later: same session) → s1: 3 events, 3000 s
  11:21 (31 min later)                                     → s2: 1 event (bounce), 0 s
  13:00, 13:10                                             → s3: 2 events, 600 s
u2 (user without account):
  session "abc": 03-01 23:50 and 03-02 01:30 (100 min apart, still one session, started 03-01): 2 events, 6000 s
  no session id: 03-02 09:00                               → 1 event (bounce), 0 s
Day 03-01: 4 sessions of 2 users, 8 events, 1 bounce, 9600 s. Day 03-02: 1 session, 1 event, 1 bounce. 03-03: none.
With a 60-minute gap, u1's first four events make one session (4 events, 4860 s): 03-01 has 3 sessions.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kpi_engine.db.models import Session
from kpi_engine.derived import ensure_derived_current
from tests.conftest import make_settings
from tests.kpi_engine.compute.usage.helpers import approx, ask, days, ev, groups, load, series, user

THREE_DAYS = days("2026-03-01", "2026-03-03")


@pytest.fixture
def loaded(engine, settings):
    load(
        engine,
        settings,
        plans={"A": "pro"},
        users=[user("u1", "2026-01-01 00:00", "A"), user("u2", "2026-01-01 00:00")],
        events=[
            ev("u1", "2026-03-01 10:00"), ev("u1", "2026-03-01 10:20"), ev("u1", "2026-03-01 10:50"),
            ev("u1", "2026-03-01 11:21"),
            ev("u1", "2026-03-01 13:00"), ev("u1", "2026-03-01 13:10"),
            ev("u2", "2026-03-01 23:50", session="abc"), ev("u2", "2026-03-02 01:30", session="abc"),
            ev("u2", "2026-03-02 09:00"),
        ],
    )
    return engine, settings


@pytest.mark.parametrize(("metric", "total", "daily"), [
    ("sessions", 5, [4, 1, 0]),
    ("avg_session_duration", 9600 / 5, [2400, 0, None]),
    ("sessions_per_user", 5 / 2, [2, 1, None]),
    ("actions_per_session", 9 / 5, [2, 1, None]),
    ("bounce_rate", 2 / 5, [1 / 4, 1, None]),
])
def test_session_metrics_by_day(loaded, metric, total, daily) -> None:
    result = ask(*loaded, metric, THREE_DAYS, granularity="day")
    assert approx(result.value) == approx(float(total))
    assert approx(series(result)) == approx([None if v is None else float(v) for v in daily])


@pytest.mark.parametrize(("metric", "expected"), [
    ("sessions", 0.0), ("avg_session_duration", None), ("sessions_per_user", None),
    ("actions_per_session", None), ("bounce_rate", None),
])
def test_no_sessions_means_zero_or_no_value(loaded, metric, expected) -> None:
    result = ask(*loaded, metric, THREE_DAYS)
    assert result.previous_value == expected  # 02-26 .. 02-28: nothing happened


@pytest.mark.parametrize(("metric", "by_plan"), [
    ("sessions", {"pro": 3, "(none)": 2}),
    ("avg_session_duration", {"pro": 3600 / 3, "(none)": 6000 / 2}),
    ("sessions_per_user", {"pro": 3.0, "(none)": 2.0}),
    ("actions_per_session", {"pro": 2.0, "(none)": 3 / 2}),
    ("bounce_rate", {"pro": 1 / 3, "(none)": 1 / 2}),
])
def test_session_metrics_by_plan(loaded, metric, by_plan) -> None:
    assert approx(groups(ask(*loaded, metric, THREE_DAYS, breakdown="plan"))) == approx(by_plan)


def test_filter_by_plan(loaded) -> None:
    result = ask(*loaded, "sessions", THREE_DAYS, granularity="day", filters={"plan": ["(none)"]})
    assert series(result) == [1.0, 1.0, 0.0]


def test_gap_setting_changes_the_split(loaded, db_url) -> None:
    engine, _ = loaded
    hour_gap = make_settings(db_url, KPI_SESSION_GAP_MINUTES=60)
    result = ask(engine, hour_gap, "sessions", days("2026-03-01", "2026-03-01"))
    assert result.value == 3.0
    assert ask(engine, hour_gap, "avg_session_duration", days("2026-03-01", "2026-03-01")).value == (
        (4860 + 600 + 6000) / 3
    )
    with engine.connect() as conn:
        assert ensure_derived_current(conn, hour_gap) is False
        keys = conn.execute(select(Session.session_key).where(Session.user_id == "u2")).scalars().all()
        assert sorted(keys)[0].startswith("g:2026-03-02 09:00")  # a gap session is keyed by its first event
        assert sorted(keys)[1] == "s:abc"
        assert conn.execute(select(func.count()).select_from(Session.__table__)).scalar() == 4


def test_sessions_crossing_midnight_stay_whole(engine, settings) -> None:
    """Gap sessions running across midnight, and an explicit session spread over three days, are one each."""
    load(engine, settings, events=[
        ev("u1", "2026-03-01 23:40"), ev("u1", "2026-03-02 00:05"), ev("u1", "2026-03-02 00:30"),  # one session
        ev("u1", "2026-03-02 23:59"), ev("u1", "2026-03-03 00:29"), ev("u1", "2026-03-04 00:00"),  # 3rd alone
        ev("u2", "2026-03-01 12:00", session="x"), ev("u2", "2026-03-03 12:00", session="x"),
        ev("u2", "2026-03-02 12:00"),
    ])
    result = ask(engine, settings, "sessions", days("2026-03-01", "2026-03-04"), granularity="day")
    assert series(result) == [2.0, 2.0, 0.0, 1.0]
    durations = ask(engine, settings, "avg_session_duration", days("2026-03-01", "2026-03-04"), granularity="day")
    assert series(durations) == [(50 * 60 + 2 * 86400) / 2, 30 * 60 / 2, None, 0.0]
    events_per_session = ask(engine, settings, "actions_per_session", days("2026-03-01", "2026-03-04"))
    assert events_per_session.value == 9 / 5
