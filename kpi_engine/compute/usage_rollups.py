"""INSERT ... SELECT statements that build the per-day usage rollups, one range at a time.

From `events`, ranges of whole local days (read through the occurred_at index, so an import written in time
order is read in order): `feature_days`, `conversion_events`. Once `sessions` is complete: `usage_days` and
`user_days`.
Then small per-day aggregates are read back (day sums; and, per range of users, the (day, previous day)
pairs behind `daily_returns` and the rolling counts).
`clear_from` deletes what a rebuild from a local day on writes again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, delete, func, insert, literal_column, select, true

from kpi_engine.compute.dialect import seconds_between
from kpi_engine.compute.local_days import OffsetSpan, localize
from kpi_engine.compute.rolling_counts import DAY_SUMS
from kpi_engine.compute.session_rollups import TimeRange
from kpi_engine.db.models import Event, Session, UserDay
from kpi_engine.db.models.derived import ConversionEvent, DailyReturn, DailyUsage, FeatureDay, UsageDay

events = Event.__table__
user_days = UserDay.__table__
sessions = Session.__table__
feature_days = FeatureDay.__table__
usage_days = UsageDay.__table__
conversion_events = ConversionEvent.__table__
daily_usage = DailyUsage.__table__
daily_returns = DailyReturn.__table__

PAGE_VIEW = "page_view"
# the kinds of activity of `daily_returns`: which user-days have one
RETURN_KINDS: dict[str, Callable[[Any], Any]] = {
    "active": lambda days: true(),
    "feature": lambda days: days.c.feature_events > 0,
    "session": lambda days: days.c.sessions > 0,
}
FIRST_DAY = date(1, 1, 1)  # "previous day" of a user's first day of an activity


@dataclass(frozen=True)
class DayRange(TimeRange):
    """Local days d0 .. d1 (inclusive) and their UTC instants [s, e)."""

    d0: date
    d1: date


@dataclass(frozen=True)
class UserRange:
    """User ids `lo` .. `hi` inclusive (in the database's own string order)."""

    lo: str
    hi: str

    def holds(self, column: Any) -> Any:
        return column.between(self.lo, self.hi)


def insert_feature_days(conn: Connection, part: DayRange, spans: list[OffsetSpan]) -> None:
    source, local_day = localize(events, events.c.occurred_at, spans)
    is_page_view = case((events.c.name == PAGE_VIEW, 1), else_=0)
    rows = (
        select(
            events.c.user_id,
            local_day.label("day"),
            func.coalesce(events.c.feature, literal_column("''")).label("feature"),
            is_page_view.label("page_view"),
        )
        .select_from(source)
        .where(part.holds(events.c.occurred_at))
        .subquery("localized")
    )
    grouped = select(
        rows.c.user_id, rows.c.day, rows.c.feature, func.count(), func.sum(rows.c.page_view)
    ).group_by(rows.c.user_id, rows.c.day, rows.c.feature)
    columns = ["user_id", "day", "feature", "events", "page_views"]
    conn.execute(insert(feature_days).from_select(columns, grouped))


def insert_conversion_events(conn: Connection, part: DayRange, names: tuple[str, ...]) -> None:
    ev = events
    rows = (
        select(ev.c.name, ev.c.occurred_at, ev.c.user_id)
        .where(ev.c.name.in_(names), part.holds(ev.c.occurred_at))
        .group_by(ev.c.name, ev.c.occurred_at, ev.c.user_id)
    )
    conn.execute(insert(conversion_events).from_select(["name", "occurred_at", "user_id"], rows))


def insert_usage_days(conn: Connection, part: DayRange, spans: list[OffsetSpan]) -> None:
    """Per user-day of the range: events (from feature_days) and the sessions starting that day. Run once
    every session is complete, range after range in time order. A session starts with an event, so its day
    always has events."""
    fd = feature_days
    with_feature = case((fd.c.feature != literal_column("''"), fd.c.events), else_=0)
    days = (
        select(fd.c.user_id, fd.c.day, func.sum(fd.c.events).label("events"),
               func.sum(with_feature).label("feature_events"), func.sum(fd.c.page_views).label("page_views"))
        .where(fd.c.day.between(part.d0, part.d1))
        .group_by(fd.c.user_id, fd.c.day)
        .subquery("days")
    )
    source, local_day = localize(sessions, sessions.c.started_at, spans)
    started = (
        select(
            sessions.c.user_id,
            local_day.label("day"),
            sessions.c.events,
            seconds_between(sessions.c.started_at, sessions.c.ended_at).label("seconds"),
        )
        .select_from(source)
        .where(part.holds(sessions.c.started_at))
        .subquery("started")
    )
    by_day = (
        select(
            started.c.user_id,
            started.c.day,
            func.count().label("sessions"),
            func.sum(started.c.events).label("events"),
            func.sum(case((started.c.events == 1, 1), else_=0)).label("bounces"),
            func.sum(started.c.seconds).label("seconds"),
        )
        .group_by(started.c.user_id, started.c.day)
        .subquery("session_sums")
    )
    # the previous active day: within the range, or the user's last one of the ranges before (done in order)
    earlier = usage_days.alias("earlier")
    before_range = (
        select(func.max(earlier.c.day))
        .where(earlier.c.user_id == days.c.user_id, earlier.c.day < part.d0)
        .scalar_subquery()
    )
    previous = func.lag(days.c.day).over(partition_by=days.c.user_id, order_by=days.c.day)
    rows = select(
        days.c.day,
        days.c.user_id,
        func.coalesce(previous, before_range, FIRST_DAY),
        days.c.events,
        days.c.feature_events,
        days.c.page_views,
        *(func.coalesce(by_day.c[key], 0) for key in ("sessions", "events", "bounces", "seconds")),
    ).select_from(days.outerjoin(by_day, and_(by_day.c.user_id == days.c.user_id, by_day.c.day == days.c.day)))
    columns = ["day", "user_id", "prev_day", "events", "feature_events", "page_views", "sessions",
               "session_events", "bounces", "session_seconds"]
    conn.execute(insert(usage_days).from_select(columns, rows))
    ud = usage_days
    copy = select(ud.c.user_id, ud.c.day, ud.c.events).where(ud.c.day.between(part.d0, part.d1))
    conn.execute(insert(user_days).from_select(["user_id", "day", "events"], copy))


def clear_from(conn: Connection, start: datetime, first_day: date) -> None:
    """Deletes the rows built from the events at or after `start`, the first instant of local day `first_day`.
    Sessions ending before it must not have events after it (see `settled_start`)."""
    for table in (feature_days, usage_days, user_days):
        conn.execute(delete(table).where(table.c.day >= first_day))
    conn.execute(delete(conversion_events).where(conversion_events.c.occurred_at >= start))
    conn.execute(delete(sessions).where(sessions.c.ended_at >= start))


def day_sums(conn: Connection, first_day: date | None = None) -> dict[str, dict[date, float]]:
    """Per local day (from `first_day` on, when given): page views and the session sums."""
    ud = usage_days
    stmt = select(ud.c.day, *(func.sum(ud.c[key]).label(key) for key in DAY_SUMS))
    if first_day is not None:
        stmt = stmt.where(ud.c.day >= first_day)
    return _by_key(conn.execute(stmt.group_by(ud.c.day)).mappings())


def stored_day_sums(conn: Connection, first_day: date) -> dict[str, dict[date, float]]:
    """The day sums `daily_usage` holds for the days before `first_day`."""
    du = daily_usage
    stmt = select(du.c.day, *(du.c[key] for key in DAY_SUMS)).where(du.c.day < first_day)
    return _by_key(conn.execute(stmt).mappings())


def _by_key(rows: Any) -> dict[str, dict[date, float]]:
    out: dict[str, dict[date, float]] = {}
    for row in rows:
        for key in DAY_SUMS:
            out.setdefault(key, {})[as_date(row["day"])] = float(row[key] or 0)
    return out


def stored_returns(conn: Connection, first_day: date) -> dict[str, dict[tuple[date, date], int]]:
    """The (day, previous day) pairs `daily_returns` holds for the days before `first_day`."""
    dr = daily_returns
    out: dict[str, dict[tuple[date, date], int]] = {}
    stmt = select(dr.c.kind, dr.c.day, dr.c.prev_day, dr.c.users).where(dr.c.day < first_day)
    for kind, day, prev, n in conn.execute(stmt):
        out.setdefault(kind, {})[(as_date(day), as_date(prev))] = int(n)
    return out


def returns_since(conn: Connection, first_day: date) -> dict[str, dict[tuple[date, date], int]]:
    """`returns` for the days from `first_day` on: a user's first such day there looks up its previous one
    before `first_day` (through the per-user index) instead of reading the user's whole history."""
    ud, earlier = usage_days, usage_days.alias("earlier")
    out: dict[str, dict[tuple[date, date], int]] = {}
    for kind, has_it in RETURN_KINDS.items():
        before = (
            select(func.max(earlier.c.day))
            .where(earlier.c.user_id == ud.c.user_id, earlier.c.day < first_day, has_it(earlier))
            .scalar_subquery()
        )
        previous = func.lag(ud.c.day).over(partition_by=ud.c.user_id, order_by=ud.c.day)
        lagged = (
            select(ud.c.day, func.coalesce(previous, before, FIRST_DAY).label("prev"))
            .where(ud.c.day >= first_day, has_it(ud))
            .subquery("lagged")
        )
        pairs = select(lagged.c.day, lagged.c.prev, func.count()).group_by(lagged.c.day, lagged.c.prev)
        out[kind] = {(as_date(day), as_date(prev)): int(n) for day, prev, n in conn.execute(pairs)}
    return out


def returns(conn: Connection, users: UserRange) -> dict[str, dict[tuple[date, date], int]]:
    """For each kind of activity: users per (day, previous day of that activity), FIRST_DAY when none.

    Kinds: `active` (any event), `feature` (an event with a feature), `session` (a session started).
    """
    ud = usage_days
    out: dict[str, dict[tuple[date, date], int]] = {}
    for kind, has_it in RETURN_KINDS.items():
        days = select(ud.c.user_id, ud.c.day).where(users.holds(ud.c.user_id), has_it(ud)).subquery("days")
        previous = func.lag(days.c.day).over(partition_by=days.c.user_id, order_by=days.c.day)
        lagged = select(days.c.day, previous.label("prev")).subquery("lagged")
        pairs = select(lagged.c.day, lagged.c.prev, func.count()).group_by(lagged.c.day, lagged.c.prev)
        out[kind] = {
            (as_date(day), FIRST_DAY if prev is None else as_date(prev)): int(n)
            for day, prev, n in conn.execute(pairs)
        }
    return out


def user_ranges(conn: Connection, target_rows: int) -> list[UserRange]:
    """Consecutive ranges of user ids holding about `target_rows` user-days each."""
    ud = usage_days
    stmt = select(ud.c.user_id, func.count()).group_by(ud.c.user_id).order_by(ud.c.user_id)
    ranges: list[UserRange] = []
    first: str | None = None
    last: str | None = None
    count = 0
    for user_id, n in conn.execute(stmt.execution_options(yield_per=20_000)):
        first = user_id if first is None else first
        last, count = user_id, count + n
        if count >= target_rows:
            ranges.append(UserRange(first, last))
            first, count = None, 0
    if first is not None and last is not None:
        ranges.append(UserRange(first, last))
    return ranges


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
