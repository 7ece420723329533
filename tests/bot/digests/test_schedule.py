"""Schedule math in the subscription's zone: next and latest slots, DST, cron, the reported week."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.digests.schedule import (
    Schedule,
    ScheduleError,
    latest_slot,
    next_slot,
    reported_week,
    slots_between,
)
from kpi_engine.periods import Period

BERLIN = "Europe/Berlin"
MONDAY_9 = Schedule(timezone=BERLIN, weekday=0, at_time="09:00")


def test_next_slot_is_strictly_after() -> None:
    assert next_slot(MONDAY_9, datetime(2026, 3, 9, 7, 59)) == datetime(2026, 3, 9, 8, 0)
    assert next_slot(MONDAY_9, datetime(2026, 3, 9, 8, 0)) == datetime(2026, 3, 16, 8, 0)


def test_spring_forward_keeps_nine_local() -> None:
    """Berlin: CET (UTC+1) until Sunday 2026-03-29 02:00, then CEST (UTC+2)."""
    assert next_slot(MONDAY_9, datetime(2026, 3, 23, 8, 0)) == datetime(2026, 3, 30, 7, 0)


def test_fall_back_keeps_nine_local() -> None:
    """Back to CET on Sunday 2026-10-25."""
    assert next_slot(MONDAY_9, datetime(2026, 10, 19, 7, 0)) == datetime(2026, 10, 26, 8, 0)


def test_new_york_changes_on_another_sunday() -> None:
    """New York moves on 2026-03-08: Monday 09:00 is 14:00 UTC before and 13:00 UTC after."""
    ny = Schedule(timezone="America/New_York", weekday=0, at_time="09:00")
    assert next_slot(ny, datetime(2026, 3, 2, 14, 0)) == datetime(2026, 3, 9, 13, 0)


def test_skipped_local_time_reads_with_the_offset_before_the_change() -> None:
    """Sunday 02:30 does not exist in Berlin on 2026-03-29; it is read as 02:30 CET = 01:30 UTC (03:30 CEST)."""
    sunday = Schedule(timezone=BERLIN, weekday=6, at_time="02:30")
    assert next_slot(sunday, datetime(2026, 3, 28, 12, 0)) == datetime(2026, 3, 29, 1, 30)


def test_latest_slot_for_catch_up() -> None:
    assert latest_slot(MONDAY_9, datetime(2026, 3, 11, 14, 0)) == datetime(2026, 3, 9, 8, 0)
    assert latest_slot(MONDAY_9, datetime(2026, 3, 9, 8, 0)) == datetime(2026, 3, 9, 8, 0)
    assert latest_slot(MONDAY_9, datetime(2026, 3, 9, 7, 59)) == datetime(2026, 3, 2, 8, 0)


def test_cron_in_local_time() -> None:
    weekdays = Schedule(timezone=BERLIN, weekday=None, at_time=None, cron="30 8 * * 1-5")
    assert next_slot(weekdays, datetime(2026, 3, 27, 7, 30)) == datetime(2026, 3, 30, 6, 30)  # Fri → Mon, CEST
    assert latest_slot(weekdays, datetime(2026, 3, 29, 12, 0)) == datetime(2026, 3, 27, 7, 30)
    assert slots_between(weekdays, datetime(2026, 3, 23, 0, 0), datetime(2026, 3, 29, 0, 0)) == 5


def test_reported_week_is_the_last_complete_iso_week_in_the_zone() -> None:
    assert reported_week(datetime(2026, 3, 9, 8, 0), MONDAY_9.tz) == Period(date(2026, 3, 2), date(2026, 3, 8), "week")
    # Sunday 23:30 UTC is already Monday 00:30 in Berlin: the week that just ended is complete there.
    assert reported_week(datetime(2026, 3, 8, 23, 30), MONDAY_9.tz).start == date(2026, 3, 2)
    # ... but not yet in Los Angeles (Sunday afternoon): the week before.
    la = Schedule(timezone="America/Los_Angeles").tz
    assert reported_week(datetime(2026, 3, 8, 23, 30), la).start == date(2026, 2, 23)


@pytest.mark.parametrize("kwargs", [
    {"timezone": "Mars/Olympus"},
    {"timezone": BERLIN, "at_time": "25:00"},
    {"timezone": BERLIN, "weekday": 7},
    {"timezone": BERLIN, "cron": "every monday"},
])
def test_invalid_schedules_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ScheduleError):
        Schedule(**kwargs)  # type: ignore[arg-type]


def test_describe() -> None:
    assert MONDAY_9.describe() == "Mondays at 09:00 (Europe/Berlin)"
    assert Schedule(timezone="UTC", cron="0 8 * * 1").describe() == "cron `0 8 * * 1` (UTC)"
