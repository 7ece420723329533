"""Builds `sessions` from `events`, one range of time at a time (in time order), by INSERT ... SELECT.

Explicit sessions (a shared session_id) are merged with what earlier ranges already wrote (upsert on the key
`s:<session_id>`). Events without a session_id are split where consecutive events of a user are more than
the gap apart; a range's first events continue the user's latest gap session (key `g:<first event>`) when
they are close enough to its last event, so sessions crossing range boundaries come out whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, String, and_, case, cast, func, literal_column, or_, select

from kpi_engine.compute.dialect import greatest_of, least_of, seconds_between, upsert_from_select
from kpi_engine.db.models import Event, Session
from kpi_engine.periods import local_date, local_midnight_utc

events = Event.__table__
sessions = Session.__table__
COLUMNS = ["user_id", "session_key", "started_at", "ended_at", "events"]
# keys of gap sessions sort between these bounds (explicit ones start with "s:"), in any collation
GAP_KEYS_ABOVE, GAP_KEYS_BELOW = "g:", "h"


@dataclass(frozen=True)
class TimeRange:
    """UTC instants [s, e)."""

    s: datetime
    e: datetime

    def holds(self, column: Any) -> Any:
        return and_(column >= self.s, column < self.e)


def blank(column: Any) -> Any:
    return or_(column.is_(None), column == literal_column("''"))


def _merge(excluded: Any) -> dict[str, Any]:
    return {
        "started_at": least_of(sessions.c.started_at, excluded.started_at),
        "ended_at": greatest_of(sessions.c.ended_at, excluded.ended_at),
        "events": sessions.c.events + excluded.events,
    }


def upsert_explicit_sessions(conn: Connection, part: TimeRange) -> None:
    ev = events
    rows = (
        select(
            ev.c.user_id,
            (literal_column("'s:'", String) + ev.c.session_id).label("session_key"),
            func.min(ev.c.occurred_at),
            func.max(ev.c.occurred_at),
            func.count(),
        )
        .where(part.holds(ev.c.occurred_at), ~blank(ev.c.session_id))
        .group_by(ev.c.user_id, ev.c.session_id)
    )
    conn.execute(upsert_from_select(conn.dialect.name, sessions, COLUMNS, rows, _merge))


def upsert_gap_sessions(conn: Connection, part: TimeRange, gap_minutes: int) -> None:
    ev = events
    gap_events = (
        select(ev.c.user_id, ev.c.occurred_at)
        .where(part.holds(ev.c.occurred_at), blank(ev.c.session_id))
        .cte("gap_events")
    )
    tails = _latest_gap_sessions(select(gap_events.c.user_id).distinct().cte("range_users"))
    previous = func.lag(gap_events.c.occurred_at).over(
        partition_by=gap_events.c.user_id, order_by=gap_events.c.occurred_at
    )
    marked = (
        select(
            gap_events.c.user_id,
            gap_events.c.occurred_at,
            func.coalesce(previous, tails.c.tail_end).label("prev"),
            tails.c.tail_key,
        )
        .select_from(gap_events.outerjoin(tails, tails.c.user_id == gap_events.c.user_id))
        .subquery("marked")
    )
    opens = or_(marked.c.prev.is_(None), seconds_between(marked.c.prev, marked.c.occurred_at) > gap_minutes * 60)
    flagged = select(
        marked.c.user_id, marked.c.occurred_at, marked.c.tail_key, case((opens, 1), else_=0).label("opens")
    ).subquery("flagged")
    run = func.sum(flagged.c.opens).over(partition_by=flagged.c.user_id, order_by=flagged.c.occurred_at,
                                         rows=(None, 0))
    numbered = select(flagged.c.user_id, flagged.c.occurred_at, flagged.c.tail_key, run.label("run")).subquery()
    first = func.min(numbered.c.occurred_at)
    # run 0: events continuing the latest gap session of an earlier range
    key = case((numbered.c.run == 0, func.max(numbered.c.tail_key)),
               else_=literal_column("'g:'", String) + cast(first, String))
    rows = (
        select(numbered.c.user_id, key.label("session_key"), first, func.max(numbered.c.occurred_at), func.count())
        .where(numbered.c.user_id.is_not(None))
        .group_by(numbered.c.user_id, numbered.c.run)
    )
    conn.execute(upsert_from_select(conn.dialect.name, sessions, COLUMNS, rows, _merge))


def _latest_gap_sessions(range_users: Any) -> Any:
    """Per user of the range: key and end of the latest gap session written so far (keys sort by start)."""
    latest = sessions.alias("latest")
    latest_key = (
        select(func.max(latest.c.session_key))
        .where(
            latest.c.user_id == range_users.c.user_id,
            latest.c.session_key > GAP_KEYS_ABOVE,
            latest.c.session_key < GAP_KEYS_BELOW,
        )
        .scalar_subquery()
    )
    tail = sessions.alias("tail")
    return (
        select(range_users.c.user_id, tail.c.session_key.label("tail_key"), tail.c.ended_at.label("tail_end"))
        .select_from(range_users)
        .join(tail, and_(tail.c.user_id == range_users.c.user_id, tail.c.session_key == latest_key))
        .cte("tails")
    )


def settled_start(conn: Connection, tz: ZoneInfo, since: datetime) -> datetime:
    """The first instant of the latest local day, at or before `since`'s, from which the sessions can be rebuilt:
    every session ending at or after it also starts at or after it (none is cut in two)."""
    start = local_day_start(tz, since)
    while True:
        earliest = conn.execute(select(func.min(sessions.c.started_at)).where(sessions.c.ended_at >= start)).scalar()
        if earliest is None or earliest >= start:
            return start
        start = local_day_start(tz, earliest)


def local_day_start(tz: ZoneInfo, instant: datetime) -> datetime:
    """The first instant (naive UTC) of the local day holding the naive-UTC `instant`."""
    return local_midnight_utc(local_date(instant, tz), tz)
