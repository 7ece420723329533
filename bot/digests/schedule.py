"""When a digest goes out and which week it reports, computed in the subscription's own time zone.

Slots are local wall-clock times ("Monday 09:00 Europe/Berlin"): the next one is found on local dates and only
then turned into UTC, so a daylight-saving change keeps the local hour. A local time that does not exist
(skipped by a spring-forward change) is read with the offset before the change, e.g. 02:30 → 03:30 summer time.
Timestamps are naive UTC throughout, like the rest of the schema.

Late digests: a run up to GRACE_WINDOW (3 hours) after its slot is on time, whatever held it up (a slow database,
a restart, `kpibot digest run-due` run from an hourly cron). Only a slot missed for longer, which means the bot was
down at the slot, is posted with the "Late: I was offline then" note (`is_late`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from bot.shared.local_time import to_local, to_utc
from kpi_engine.periods import Period, grain_start

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKDAY = 0
DEFAULT_TIME = "09:00"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


GRACE_WINDOW = timedelta(hours=3)


def is_late(slot: datetime, now: datetime) -> bool:
    """A run more than GRACE_WINDOW after its slot: the slot was missed while the bot was down."""
    return now - slot > GRACE_WINDOW


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Schedule:
    """Weekly (`weekday` 0 = Monday, `at_time` "HH:MM") or a cron expression, in the zone `timezone`."""

    timezone: str
    weekday: int | None = DEFAULT_WEEKDAY
    at_time: str | None = DEFAULT_TIME
    cron: str | None = None

    def __post_init__(self) -> None:
        zone(self.timezone)
        if self.cron is not None:
            if not croniter.is_valid(self.cron):
                raise ScheduleError(f"{self.cron!r} is not a cron expression (e.g. `0 9 * * 1` for Mondays 09:00)")
            return
        if self.weekday is None or not 0 <= self.weekday <= 6:
            raise ScheduleError("a weekly schedule needs a weekday")
        if self.at_time is None or not _TIME.match(self.at_time):
            raise ScheduleError(f"{self.at_time!r} is not a time of day like 09:00")

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)

    @property
    def local_time(self) -> time:
        hours, minutes = (self.at_time or DEFAULT_TIME).split(":")
        return time(int(hours), int(minutes))

    def describe(self) -> str:
        if self.cron is not None:
            return f"cron `{self.cron}` ({self.timezone})"
        day = WEEKDAYS[self.weekday or 0].capitalize()
        return f"{day}s at {self.at_time} ({self.timezone})"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)") from exc


def next_slot(schedule: Schedule, after: datetime) -> datetime:
    """The first slot strictly after `after` (naive UTC), as naive UTC."""
    tz = schedule.tz
    local = to_local(after, tz)
    if schedule.cron is not None:
        runs = croniter(schedule.cron, local.replace(second=0, microsecond=0))
        while True:
            candidate = to_utc(runs.get_next(datetime), tz)
            if candidate > after:
                return candidate
    day = local.date() + timedelta(days=(schedule.weekday or 0) - local.weekday())
    while True:
        candidate = to_utc(datetime.combine(day, schedule.local_time), tz)
        if candidate > after:
            return candidate
        day += timedelta(days=7)


def latest_slot(schedule: Schedule, at_or_before: datetime) -> datetime:
    """The last slot at or before `at_or_before` (naive UTC): the one a late run reports on."""
    tz = schedule.tz
    local = to_local(at_or_before, tz)
    if schedule.cron is not None:
        runs = croniter(schedule.cron, local.replace(second=0, microsecond=0) + timedelta(minutes=1))
        while True:
            candidate = to_utc(runs.get_prev(datetime), tz)
            if candidate <= at_or_before:
                return candidate
    day = local.date() - timedelta(days=(local.weekday() - (schedule.weekday or 0)) % 7)
    while True:
        candidate = to_utc(datetime.combine(day, schedule.local_time), tz)
        if candidate <= at_or_before:
            return candidate
        day -= timedelta(days=7)


def slots_between(schedule: Schedule, start: datetime, end: datetime, limit: int = 1000) -> int:
    """How many slots fall in `[start, end]` (to say how many digests were missed while offline)."""
    count, cursor = 0, start - timedelta(microseconds=1)
    while count < limit:
        cursor = next_slot(schedule, cursor)
        if cursor > end:
            break
        count += 1
    return count


def reported_week(slot: datetime, tz: ZoneInfo) -> Period:
    """The last complete ISO week (Monday–Sunday) before the slot's local day."""
    local_day = to_local(slot, tz).date()
    this_monday = grain_start(local_day, "week")
    return Period.calendar(this_monday - timedelta(days=1), "week")
