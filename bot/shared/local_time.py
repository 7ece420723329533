"""Local days and weeks from naive UTC instants (the schema's timestamps), in a given time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from kpi_engine.periods import Period


def to_local(instant: datetime, tz: ZoneInfo) -> datetime:
    """Naive UTC → naive local wall-clock time."""
    return instant.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """Naive local wall-clock time → naive UTC (fold 0 for repeated or skipped local times)."""
    return local.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def local_day(instant: datetime, tz: ZoneInfo) -> date:
    return to_local(instant, tz).date()


def history_weeks(week: Period, count: int) -> Period:
    """`count` whole ISO weeks ending with `week` (the span a digest's trends and anomaly checks look at)."""
    return Period(week.start - timedelta(weeks=count - 1), week.end)
