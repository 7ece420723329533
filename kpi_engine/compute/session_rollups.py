"""Where a rebuild of `sessions` from a local day on may start without cutting a stored session in two.

Explicit sessions share a session_id (key `s:<session_id>`); gap sessions split a user's events without one
where consecutive events are more than the gap apart (key `g:<first event>`). Both are built by
`kpi_engine.derive`; a rebuild from an instant on starts at the first instant of a local day such that every
stored session ending at or after it also starts at or after it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from kpi_engine.db.models import Session
from kpi_engine.periods import local_date, local_midnight_utc

sessions = Session.__table__


def settled_start(conn: Connection, tz: ZoneInfo, since: datetime, longest: timedelta | None = None) -> datetime:
    """The first instant of the latest local day, at or before `since`'s, from which the sessions can be rebuilt:
    every session ending at or after it also starts at or after it (none is cut in two). `longest`: no stored
    session lasts longer (then only sessions starting that long before are read, through the started_at index)."""
    start = local_day_start(tz, since)
    while True:
        ending = select(func.min(sessions.c.started_at)).where(sessions.c.ended_at >= start)
        if longest is not None:
            ending = ending.where(sessions.c.started_at >= start - longest)
        earliest = conn.execute(ending).scalar()
        if earliest is None or earliest >= start:
            return start
        start = local_day_start(tz, earliest)


def local_day_start(tz: ZoneInfo, instant: datetime) -> datetime:
    """The first instant (naive UTC) of the local day holding the naive-UTC `instant`."""
    return local_midnight_utc(local_date(instant, tz), tz)
