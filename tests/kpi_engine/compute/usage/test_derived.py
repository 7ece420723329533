"""The derived tables themselves: zone offsets, rolling counts, pairs, state and refresh rules."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from kpi_engine.compute.local_days import offset_spans
from kpi_engine.compute.usage_rollups import FIRST_DAY
from kpi_engine.db.models import DerivedState, Session
from kpi_engine.db.models.derived import ConversionEvent, DailyReturn, DailyUsage, UsageDay
from kpi_engine.derived import DailyTotals, ensure_derived_current, refresh_after_import
from tests.conftest import make_settings
from tests.kpi_engine.compute.usage.helpers import ev, load


def test_offset_spans_of_berlin_in_2026() -> None:
    spans = offset_spans(ZoneInfo("Europe/Berlin"), datetime(2026, 1, 10), datetime(2026, 12, 1))
    # CET until 2026-03-29 01:00 UTC, CEST until 2026-10-25 01:00 UTC, then CET
    assert [(s.e, s.minutes) for s in spans[:-1]] == [(datetime(2026, 3, 29, 1), 60), (datetime(2026, 10, 25, 1), 120)]
    assert spans[-1].minutes == 60
    assert len(offset_spans(ZoneInfo("UTC"), datetime(2020, 1, 1), datetime(2026, 1, 1))) == 1


def test_rolling_counts_from_day_pairs() -> None:
    """u1 active 03-01 and 03-03, u2 active 03-03: dau 1, 0, 2; both are in the 7-day count until 03-09 and in
    the 30-day count until 04-01 (29 days after 03-03), the last row."""
    totals = DailyTotals()
    totals.add_pairs({"active": {(date(2026, 3, 1), FIRST_DAY): 1, (date(2026, 3, 3), date(2026, 3, 1)): 1,
                                 (date(2026, 3, 3), FIRST_DAY): 1}})
    rows = {r["day"]: r for r in totals.usage_rows()}
    assert [rows[date(2026, 3, d)]["dau"] for d in range(1, 5)] == [1, 0, 2, 0]
    assert [rows[date(2026, 3, d)]["wau"] for d in (1, 2, 3, 9, 10)] == [1, 1, 2, 2, 0]
    assert [rows[date(2026, 3, d)]["mau"] for d in (1, 2, 3, 31)] == [1, 1, 2, 2]
    assert max(rows) == date(2026, 4, 1)
    assert rows[date(2026, 4, 1)]["mau"] == 2


def test_tables_and_state_after_an_import(engine, settings) -> None:
    load(engine, settings, events=[
        ev("u1", "2026-03-01 10:00", "page_view", "search"), ev("u1", "2026-03-01 10:10"),
        ev("u1", "2026-03-03 10:00", session="s1"),
    ])
    with engine.connect() as conn:
        usage = conn.execute(select(UsageDay.day, UsageDay.prev_day, UsageDay.events, UsageDay.feature_events,
                                    UsageDay.sessions).order_by(UsageDay.day)).all()
        assert [tuple(r) for r in usage] == [(date(2026, 3, 1), FIRST_DAY, 2, 1, 1),
                                             (date(2026, 3, 3), date(2026, 3, 1), 1, 0, 1)]
        returns = conn.execute(select(DailyReturn.kind, DailyReturn.day, DailyReturn.prev_day, DailyReturn.users)
                               .order_by(DailyReturn.kind, DailyReturn.day)).all()
        assert [tuple(r) for r in returns] == [
            ("active", date(2026, 3, 1), FIRST_DAY, 1), ("active", date(2026, 3, 3), date(2026, 3, 1), 1),
            ("feature", date(2026, 3, 1), FIRST_DAY, 1),
            ("session", date(2026, 3, 1), FIRST_DAY, 1), ("session", date(2026, 3, 3), date(2026, 3, 1), 1),
        ]
        daily = conn.execute(select(DailyUsage.day, DailyUsage.page_views, DailyUsage.sessions, DailyUsage.bounces)
                             .where(DailyUsage.day <= date(2026, 3, 3)).order_by(DailyUsage.day)).all()
        assert [tuple(r) for r in daily] == [(date(2026, 3, 1), 1, 1, 0), (date(2026, 3, 2), 0, 0, 0),
                                             (date(2026, 3, 3), 0, 1, 1)]
        assert conn.execute(select(func.count()).select_from(UsageDay.__table__)).scalar() == 2
        assert conn.execute(select(func.count()).select_from(Session.__table__)).scalar() == 2
        assert ensure_derived_current(conn, settings) is False


def test_other_imports_keep_current_tables(engine, settings) -> None:
    load(engine, settings, events=[ev("u1", "2026-03-01 10:00")])
    with engine.begin() as conn:
        conn.execute(UsageDay.__table__.delete())  # a rebuild would bring the row back
        refresh_after_import(conn, settings, "users")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(UsageDay.__table__)).scalar() == 0
        version = conn.execute(select(DerivedState.value).where(DerivedState.key == "usage.version")).scalar()
    assert version is not None


def test_empty_database_builds_empty_tables(engine, settings) -> None:
    with engine.connect() as conn:
        assert ensure_derived_current(conn, settings) is True
        assert conn.execute(select(func.count()).select_from(DailyUsage.__table__)).scalar() == 0
        assert ensure_derived_current(conn, settings) is False


def test_other_conversion_events_rebuild_only_their_table(engine, settings, db_url) -> None:
    load(engine, settings, events=[ev("u1", "2026-03-01 10:00", "signup"), ev("u1", "2026-03-02 10:00", "trial")])
    with engine.begin() as conn:
        conn.execute(UsageDay.__table__.delete())  # a full rebuild would bring the row back
    trial = make_settings(db_url, KPI_CONVERSION_TO="trial")
    with engine.connect() as conn:
        assert ensure_derived_current(conn, trial) is True
        names = conn.execute(select(ConversionEvent.name).order_by(ConversionEvent.name)).scalars().all()
        assert names == ["signup", "trial"]
        assert conn.execute(select(func.count()).select_from(UsageDay.__table__)).scalar() == 0
