"""Quiet hours in the respondent's own zone (21:00–08:00 by default), worked out by hand."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from surveys.quiet import quiet_until, zone_of

NIGHT = (time(21), time(8))


@pytest.mark.parametrize("utc_now, zone, expected", [
    # Paris is UTC+1 in January: 19:30 UTC = 20:30 local, before the night
    (datetime(2026, 1, 15, 19, 30), "Europe/Paris", None),
    # 20:00 UTC = 21:00 local: quiet until 08:00 local tomorrow = 07:00 UTC
    (datetime(2026, 1, 15, 20, 0), "Europe/Paris", datetime(2026, 1, 16, 7, 0)),
    # 05:00 UTC = 06:00 local: quiet until 08:00 local today
    (datetime(2026, 1, 16, 5, 0), "Europe/Paris", datetime(2026, 1, 16, 7, 0)),
    # 07:00 UTC = 08:00 local: the night is over
    (datetime(2026, 1, 16, 7, 0), "Europe/Paris", None),
    # New York, UTC−4 in summer: 02:00 UTC = 22:00 local → 08:00 local = 12:00 UTC
    (datetime(2026, 7, 1, 2, 0), "America/New_York", datetime(2026, 7, 1, 12, 0)),
    # Night across the DST change: Paris springs forward on 2026-03-29; 08:00 local that day is 06:00 UTC
    (datetime(2026, 3, 28, 22, 0), "Europe/Paris", datetime(2026, 3, 29, 6, 0)),
    # Tokyo (UTC+9): 13:00 UTC = 22:00 local → 08:00 local next day = 23:00 UTC
    (datetime(2026, 5, 4, 13, 0), "Asia/Tokyo", datetime(2026, 5, 4, 23, 0)),
])
def test_overnight_window(utc_now: datetime, zone: str, expected: datetime | None) -> None:
    assert quiet_until(utc_now, zone_of(zone, "UTC"), *NIGHT) == expected


def test_window_within_a_day_and_no_window() -> None:
    utc = zone_of(None, "UTC")
    assert quiet_until(datetime(2026, 1, 1, 12, 30), utc, time(12), time(14)) == datetime(2026, 1, 1, 14)
    assert quiet_until(datetime(2026, 1, 1, 14, 0), utc, time(12), time(14)) is None
    assert quiet_until(datetime(2026, 1, 1, 23, 0), utc, time(0), time(0)) is None


def test_unknown_zone_falls_back() -> None:
    assert zone_of("Mars/Olympus", "Europe/Berlin").key == "Europe/Berlin"
    assert zone_of(None, "nope").key == "UTC"
