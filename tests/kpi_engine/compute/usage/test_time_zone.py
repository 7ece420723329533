"""Local days in the reporting zone, and the derived tables rebuilt when KPI_TIMEZONE changes.

u1 is created and active at 2026-01-10 23:30 UTC = 2026-01-11 00:30 in Europe/Berlin (UTC+1 in winter).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kpi_engine.db.models import DerivedState, UsageDay
from kpi_engine.derived import ensure_derived_current
from tests.conftest import make_settings
from tests.kpi_engine.compute.usage.helpers import ask, days, ev, load, series, user

JAN_10 = days("2026-01-10", "2026-01-10")
JAN_10_11 = days("2026-01-10", "2026-01-11")


def _user_days(engine) -> list[tuple[str, date]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(UsageDay.user_id, UsageDay.day).order_by(UsageDay.day))]


def test_zone_moves_an_event_and_a_signup_across_midnight(engine, db_url) -> None:
    berlin = make_settings(db_url, KPI_TIMEZONE="Europe/Berlin")
    load(engine, berlin, users=[user("u1", "2026-01-10 23:30")],
         events=[ev("u1", "2026-01-10 23:30"), ev("u2", "2026-01-10 12:00")])
    assert series(ask(engine, berlin, "dau", JAN_10_11, granularity="day")) == [1.0, 1.0]  # u2 on 10th, u1 11th
    assert series(ask(engine, berlin, "signups", JAN_10_11, granularity="day")) == [0.0, 1.0]
    utc = make_settings(db_url, KPI_TIMEZONE="UTC")
    assert series(ask(engine, utc, "dau", JAN_10_11, granularity="day")) == [2.0, 0.0]
    assert series(ask(engine, utc, "signups", JAN_10_11, granularity="day")) == [1.0, 0.0]


def test_rebuild_when_the_zone_changes(engine, db_url) -> None:
    utc = make_settings(db_url, KPI_TIMEZONE="UTC")
    load(engine, utc, events=[ev("u1", "2026-01-10 23:30")])
    assert _user_days(engine) == [("u1", date(2026, 1, 10))]
    berlin = make_settings(db_url, KPI_TIMEZONE="Europe/Berlin")
    with engine.connect() as conn:
        assert ensure_derived_current(conn, berlin) is True
        assert ensure_derived_current(conn, berlin) is False  # now current: nothing to do
    assert _user_days(engine) == [("u1", date(2026, 1, 11))]
    with engine.connect() as conn:
        state = dict(conn.execute(select(DerivedState.key, DerivedState.value)).all())
    assert state["usage.timezone"] == "Europe/Berlin"
    assert state["usage.session_gap_minutes"] == "30"
    # a query with other settings rebuilds by itself
    assert ask(engine, utc, "dau", JAN_10).value == 1.0
    assert _user_days(engine) == [("u1", date(2026, 1, 10))]


def test_daylight_saving_change_inside_the_data(engine, db_url) -> None:
    """New York: EST (UTC-5) until 2026-03-08 07:00 UTC, then EDT (UTC-4)."""
    new_york = make_settings(db_url, KPI_TIMEZONE="America/New_York")
    load(engine, new_york, events=[
        ev("u1", "2026-03-08 04:30"),  # EST: 03-07 23:30
        ev("u1", "2026-03-09 04:30"),  # EDT: 03-09 00:30 (with EST it would be 03-08 23:30)
        ev("u1", "2026-11-01 05:30"),  # EDT until 06:00 UTC: 11-01 01:30
        ev("u1", "2026-11-02 04:30"),  # EST: 11-01 23:30
    ])
    assert _user_days(engine) == [("u1", date(2026, 3, 7)), ("u1", date(2026, 3, 9)), ("u1", date(2026, 11, 1))]
    with engine.connect() as conn:
        events_on_nov_1 = conn.execute(select(UsageDay.events).where(UsageDay.day == date(2026, 11, 1))).scalar()
    assert events_on_nov_1 == 2
