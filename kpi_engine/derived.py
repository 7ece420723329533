"""Derived usage tables (user_days, sessions, feature_days, usage_days, daily_usage, daily_returns,
conversion_events, group_daily_usage, group_daily_returns), kept current.

They depend on the events and on settings: the reporting zone (local days), the session gap and (only
conversion_events) the conversion event names.
`derived_state` records what they were built with; when the settings differ, they are rebuilt from
`events` entirely in SQL (INSERT ... SELECT per range of days or users, so memory stays bounded).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from kpi_engine.compute.dialect import clear_table
from kpi_engine.compute.group_rollups import groups_fingerprint, rebuild_feature_returns, rebuild_group_rollups
from kpi_engine.compute.local_days import offset_spans
from kpi_engine.compute.rolling_counts import daily_rows
from kpi_engine.compute.session_rollups import settled_start, upsert_explicit_sessions, upsert_gap_sessions
from kpi_engine.compute.usage_rollups import (
    DayRange,
    clear_from,
    day_sums,
    insert_conversion_events,
    insert_feature_days,
    insert_usage_days,
    returns,
    returns_since,
    stored_day_sums,
    stored_returns,
    user_ranges,
)
from kpi_engine.db.bulk import insert_rows, upsert_rows
from kpi_engine.db.models import DerivedState, Event, Session, UserDay
from kpi_engine.db.models.derived import ConversionEvent, DailyReturn, DailyUsage, FeatureDay, UsageDay
from kpi_engine.periods import Period, local_date
from kpi_engine.settings import Settings

DERIVED_VERSION = "3"  # bump when the way the tables are built changes: stored tables are then rebuilt
CHUNK_EVENTS = 250_000  # events per unit of work (a range of days): bounds memory
CHUNK_USER_DAYS = 300_000  # user-days per range of users when reading (day, previous day) pairs
DERIVED_TABLES = [
    t.__table__ for t in (UserDay, Session, FeatureDay, UsageDay, DailyUsage, DailyReturn, ConversionEvent)
]
state_table = DerivedState.__table__
events = Event.__table__


REFRESH_OWNS_DERIVED = "kpi_refresh_owns_derived"  # execution option of a source's query connections
CONVERSION_KEY = "usage.conversion_events"  # only conversion_events depends on it
GROUPS_KEY = "usage.groups"  # only the per-group rollups depend on it (and on users and accounts)


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


def refresh_after_import(conn: Connection, settings: Settings, table: str, since: datetime | None = None) -> None:
    """Bring the derived tables up to date after `table` changed (inside the import's transaction).

    Events feed them all; users and accounts only the per-group rollups (other tables are joined at query
    time), so other tables need nothing unless the tables were built with other settings.
    `since`: the earliest instant (naive UTC) of an event the import added or changed (old or new time), when
    known; the tables are then rebuilt from there on rather than from the first event.
    """
    if table == "events":
        if since is not None and _built_like(conn, settings):
            rebuild_derived_since(conn, settings, since)
        else:
            rebuild_derived(conn, settings)
        return
    if table in ("users", "accounts"):
        refresh_group_rollups(conn)
    _ensure(conn, settings)


def _built_like(conn: Connection, settings: Settings) -> bool:
    """The tables were built with these settings (apart from the per-group part, rebuilt anyway)."""
    built = {key: value for key, value in built_state(conn).items() if key != GROUPS_KEY}
    return built == wanted_state(settings)


def ensure_derived_current(conn: Connection, settings: Settings) -> bool:
    """Rebuilds when the tables were built with another zone, gap or version (or never). True if rebuilt.

    Cheap when current (one small read). On a connection outside a transaction the rebuild is committed;
    inside one, the caller's commit keeps it.
    """
    if conn.get_execution_options().get(REFRESH_OWNS_DERIVED):
        return False  # a source's derived tables are kept by `kpibot refresh`, never rebuilt by a query
    if conn.in_transaction():
        return _ensure(conn, settings)
    with conn.begin():
        return _ensure(conn, settings)


def _ensure(conn: Connection, settings: Settings) -> bool:
    built = built_state(conn)
    wanted = {**wanted_state(settings), GROUPS_KEY: groups_fingerprint(conn)}
    if built == wanted:
        return False
    partial = (CONVERSION_KEY, GROUPS_KEY)  # parts rebuilt on their own: seconds, not minutes

    def rest(state: dict[str, str]) -> dict[str, str]:
        return {key: value for key, value in state.items() if key not in partial}

    if rest(built) != rest(wanted):
        rebuild_derived(conn, settings)
        return True
    if built.get(CONVERSION_KEY) != wanted[CONVERSION_KEY]:
        rebuild_conversion_events(conn, settings)
    if built.get(GROUPS_KEY) != wanted[GROUPS_KEY]:
        refresh_group_rollups(conn)
    return True


def refresh_group_rollups(conn: Connection, first_day: date | None = None) -> None:
    rebuild_group_rollups(conn, first_day)
    upsert_rows(conn, state_table, [{"key": GROUPS_KEY, "value": groups_fingerprint(conn)}])


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
    lo = conn.execute(select(func.min(events.c.occurred_at))).scalar()
    if lo is not None:
        _build_from_events(conn, settings, lo)
    _build_from_usage_days(conn)
    upsert_rows(conn, state_table, [{"key": k, "value": v} for k, v in wanted_state(settings).items()])


def rebuild_derived_since(conn: Connection, settings: Settings, since: datetime) -> None:
    """After events changed only at or after `since` (naive UTC): the per-event tables are rebuilt from the
    local day holding it (or earlier, so that no session is cut in two), and the day tables from that day on."""
    tz = settings.tz
    start = settled_start(conn, tz, since)
    while True:
        clear_from(conn, start, local_date(start, tz))
        _build_from_events(conn, settings, start)
        # new events can extend a session of an earlier day: then that day is rebuilt too
        earlier = settled_start(conn, tz, start)
        if earlier == start:
            break
        start = earlier
    _build_from_usage_days(conn, local_date(start, tz))


def _build_from_events(conn: Connection, settings: Settings, lo: datetime) -> None:
    """The per-event tables from the local day of `lo` (naive UTC) to the last event, range after range in time
    order (gap sessions continue across ranges; each user-day's previous active day comes from earlier ones)."""
    hi = conn.execute(select(func.max(events.c.occurred_at))).scalar()
    if hi is None or hi < lo:
        return
    spans = offset_spans(settings.tz, lo, hi)
    parts = day_ranges(conn, settings.tz, lo, hi)
    for part in parts:
        insert_feature_days(conn, part, spans)
        insert_conversion_events(conn, part, conversion_names(settings))
        upsert_explicit_sessions(conn, part)
        upsert_gap_sessions(conn, part, settings.kpi_session_gap_minutes)
    for part in parts:
        insert_usage_days(conn, part, spans)


def _build_from_usage_days(conn: Connection, first_day: date | None = None) -> None:
    """`daily_usage`, `daily_returns` and the per-group tables from `usage_days` and `feature_days`: wholly, or
    keeping what they hold for the days before `first_day` and reading the per-user tables from it on."""
    totals = DailyTotals()
    if first_day is None:
        for users in user_ranges(conn, CHUNK_USER_DAYS):
            totals.add_pairs(returns(conn, users))
    else:
        totals.add_pairs(stored_returns(conn, first_day))
        totals.add_sums(stored_day_sums(conn, first_day))
        totals.add_pairs(returns_since(conn, first_day))
    totals.add_sums(day_sums(conn, first_day))
    for table in (DailyUsage.__table__, DailyReturn.__table__):
        conn.execute(clear_table(table))
    insert_rows(conn, DailyUsage.__table__, totals.usage_rows())
    insert_rows(conn, DailyReturn.__table__, totals.returns_rows())
    rebuild_feature_returns(conn, first_day)
    groups_current = built_state(conn).get(GROUPS_KEY) == groups_fingerprint(conn)
    refresh_group_rollups(conn, first_day if groups_current else None)


def day_ranges(conn: Connection, tz: ZoneInfo, lo: datetime, hi: datetime) -> list[DayRange]:
    """Whole local days from lo's to hi's, cut into ranges of about CHUNK_EVENTS events (on average)."""
    first, last = local_date(lo, tz), local_date(hi, tz)
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
        return daily_rows(self.pairs["active"], self.sums)
