"""Quiet hours: nobody gets a survey or a reminder during their night, in their own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_of(name: str | None, fallback: str) -> ZoneInfo:
    for candidate in (name, fallback, "UTC"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def quiet_until(now: datetime, zone: ZoneInfo, start: time, end: time) -> datetime | None:
    """None when `now` (naive UTC) is outside the quiet hours [start, end) local time; else when they end
    (naive UTC). A window whose start is after its end spans midnight (21:00–08:00)."""
    if start == end:
        return None
    local = now.replace(tzinfo=UTC).astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start > end:
        if clock >= start:
            end_day = local.date() + timedelta(days=1)
        elif clock < end:
            end_day = local.date()
        else:
            return None
    elif start <= clock < end:
        end_day = local.date()
    else:
        return None
    ends = datetime.combine(end_day, end, tzinfo=zone)
    return ends.astimezone(UTC).replace(tzinfo=None)
