"""Derived usage tables (user_days, sessions, feature_days, usage_days, daily_usage, daily_returns,
conversion_events), kept current.

They depend on the events and on settings: the reporting zone (local days), the session gap and (only
conversion_events) the conversion event names.
`derived_state` records what they were built with; when the settings differ, they are rebuilt from
`events` entirely in SQL (INSERT ... SELECT per range of days or users, so memory stays bounded).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from kpi_engine.compute.dialect import clear_table
from kpi_engine.compute.local_days import offset_spans
from kpi_engine.compute.session_rollups import upsert_explicit_sessions, upsert_gap_sessions
from kpi_engine.compute.usage_rollups import (
    DayRange,
    day_sums,
    insert_conversion_events,
    insert_feature_days,
    insert_usage_days,
    returns,
    user_ranges,
)
from kpi_engine.db.bulk import insert_rows, upsert_rows
from kpi_engine.db.models import DerivedState, Event, Session, UserDay
from kpi_engine.db.models.derived import ConversionEvent, DailyReturn, DailyUsage, FeatureDay, UsageDay
from kpi_engine.periods import Period
from kpi_engine.settings import Settings

DERIVED_VERSION = "2"  # bump when the way the tables are built changes: stored tables are then rebuilt
CHUNK_EVENTS = 250_000  # events per unit of work (a range of days): bounds memory
CHUNK_USER_DAYS = 300_000  # user-days per range of users when reading (day, previous day) pairs
DERIVED_TABLES = [
    t.__table__ for t in (UserDay, Session, FeatureDay, UsageDay, DailyUsage, DailyReturn, ConversionEvent)
]
ROLLING_WINDOWS = (7, 30)  # wau, mau (dau is the count of the day itself)
state_table = DerivedState.__table__
events = Event.__table__


CONVERSION_KEY = "usage.conversion_events"  # only conversion_events depends on it


def conversion_names(settings: Settings) -> tuple[str, ...]:
    return tuple(dict.fromkeys((settings.kpi_conversion_from, settings.kpi_conversion_to)))


def wanted_state(settings: Settings) -> dict[str, str]:
    return {
        "usage.timezone": settings.kpi_timezone,
        "usage.session_gap_minutes": str(settings.kpi_session_gap_minutes),
        "usage.version": DERIVED_VERSION,
        CONVERSION_KEY: "\t".join(conversion_names(settings)),
    }


def built_state(conn: Connection) -> dict[str, str]:
    rows = conn.execute(select(state_table.c.key, state_table.c.value).where(state_table.c.key.like("usage.%")))
    return {key: value for key, value in rows}


def refresh_after_import(conn: Connection, settings: Settings, table: str) -> None:
    """Bring the derived tables up to date after `table` changed (inside the import's transaction).

    Only events feed them (users and accounts are joined at query time), so other tables need nothing
    unless the tables were built with other settings.
    """
    if table == "events":
        rebuild_derived(conn, settings)
    else:
        _ensure(conn, settings)


def ensure_derived_current(conn: Connection, settings: Settings) -> bool:
    """Rebuilds when the tables were built with another zone, gap or version (or never). True if rebuilt.

    Cheap when current (one small read). On a connection outside a transaction the rebuild is committed;
    inside one, the caller's commit keeps it.
    """
    if conn.in_transaction():
        return _ensure(conn, settings)
    with conn.begin():
        return _ensure(conn, settings)


def _ensure(conn: Connection, settings: Settings) -> bool:
    built, wanted = built_state(conn), wanted_state(settings)
    if built == wanted:
        return False
    if {**built, CONVERSION_KEY: ""} == {**wanted, CONVERSION_KEY: ""}:
        rebuild_conversion_events(conn, settings)  # only the conversion events changed: seconds, not minutes
    else:
        rebuild_derived(conn, settings)
    return True


def rebuild_conversion_events(conn: Connection, settings: Settings) -> None:
    conn.execute(clear_table(ConversionEvent.__table__))
    lo, hi = conn.execute(select(func.min(events.c.occurred_at), func.max(events.c.occurred_at))).one()
    if lo is not None:
        for part in day_ranges(conn, settings.tz, lo, hi):
            insert_conversion_events(conn, part, conversion_names(settings))
    upsert_rows(conn, state_table, [{"key": CONVERSION_KEY, "value": wanted_state(settings)[CONVERSION_KEY]}])


def rebuild_derived(conn: Connection, settings: Settings) -> None:
    for table in DERIVED_TABLES:
        conn.execute(clear_table(table))
    lo, hi = conn.execute(select(func.min(events.c.occurred_at), func.max(events.c.occurred_at))).one()
    if lo is not None:
        spans = offset_spans(settings.tz, lo, hi)
        parts = day_ranges(conn, settings.tz, lo, hi)
        for part in parts:  # in time order: gap sessions continue across parts
            insert_feature_days(conn, part, spans)
            insert_conversion_events(conn, part, conversion_names(settings))
            upsert_explicit_sessions(conn, part)
            upsert_gap_sessions(conn, part, settings.kpi_session_gap_minutes)
        totals = DailyTotals()
        for part in parts:
            insert_usage_days(conn, part, spans)
            totals.add_sums(day_sums(conn, part))
        for users in user_ranges(conn, CHUNK_USER_DAYS):
            totals.add_pairs(returns(conn, users))
        insert_rows(conn, DailyUsage.__table__, totals.usage_rows())
        insert_rows(conn, DailyReturn.__table__, totals.returns_rows())
    upsert_rows(conn, state_table, [{"key": k, "value": v} for k, v in wanted_state(settings).items()])


def day_ranges(conn: Connection, tz: ZoneInfo, lo: datetime, hi: datetime) -> list[DayRange]:
    """Whole local days from lo's to hi's, cut into ranges of about CHUNK_EVENTS events (on average)."""
    first, last = (utc.replace(tzinfo=UTC).astimezone(tz).date() for utc in (lo, hi))
    total = conn.execute(select(func.count()).select_from(events)).scalar() or 1
    span = (last - first).days + 1
    step = max(1, min(span, span * CHUNK_EVENTS // total))
    out: list[DayRange] = []
    day = first
    while day <= last:
        period = Period(day, min(day + timedelta(days=step - 1), last))
        out.append(DayRange(*period.instants(tz), period.start, period.end))
        day = period.end + timedelta(days=1)
    return out


class DailyTotals:
    """Sums the per-day aggregates of every range, then makes the `daily_usage` and `daily_returns` rows."""

    def __init__(self) -> None:
        self.sums: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
        self.pairs: dict[str, dict[tuple[date, date], int]] = defaultdict(lambda: defaultdict(int))

    def add_sums(self, sums: dict[str, dict[date, float]]) -> None:
        for key, by_day in sums.items():
            for day, value in by_day.items():
                self.sums[key][day] += value

    def add_pairs(self, pairs: dict[str, dict[tuple[date, date], int]]) -> None:
        for kind, by_pair in pairs.items():
            for pair, users in by_pair.items():
                self.pairs[kind][pair] += users

    def returns_rows(self) -> list[dict[str, Any]]:
        return [{"kind": kind, "day": day, "prev_day": prev, "users": users}
                for kind, by_pair in self.pairs.items() for (day, prev), users in by_pair.items()]

    def usage_rows(self) -> list[dict[str, Any]]:
        """A user active on `day` (previous active day `prev`) is in the N-day count of the days
        `max(day, prev + N)` .. `day + N - 1`: it enters there and leaves N days after `day`."""
        dau: dict[date, int] = defaultdict(int)
        enters: dict[int, dict[date, int]] = {n: defaultdict(int) for n in ROLLING_WINDOWS}
        for (day, prev), users in self.pairs["active"].items():
            dau[day] += users
            for n in ROLLING_WINDOWS:
                enters[n][max(day, prev + timedelta(days=n))] += users
        if not dau:
            return []
        first = min(min(by_day) for by_day in [dau, *self.sums.values()] if by_day)
        last = max(dau) + timedelta(days=max(ROLLING_WINDOWS) - 1)
        rolling = dict.fromkeys(ROLLING_WINDOWS, 0)
        out: list[dict[str, Any]] = []
        day = first
        while day <= last:
            for n in ROLLING_WINDOWS:
                rolling[n] += enters[n].get(day, 0) - dau.get(day - timedelta(days=n), 0)
            out.append({
                "day": day,
                "dau": dau.get(day, 0),
                "wau": rolling[7],
                "mau": rolling[30],
                **{key: int(self.sums[key].get(day, 0)) for key in ("page_views", "sessions", "session_events",
                                                                    "bounces")},
                "session_seconds": self.sums["session_seconds"].get(day, 0.0),
            })
            day += timedelta(days=1)
        return out
