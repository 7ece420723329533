"""Period arithmetic of KPI_SPEC §1: instants in the reporting zone, previous periods, buckets, trend grain."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kpi_engine.compute.windows import make_windows
from kpi_engine.periods import Period


def test_instants_follow_the_reporting_zone_across_dst() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 2026-03-29: clocks go from +01:00 to +02:00
    s, e = Period(date(2026, 3, 29), date(2026, 3, 29)).instants(berlin)
    assert s == datetime(2026, 3, 28, 23, 0)
    assert e == datetime(2026, 3, 29, 22, 0)  # a 23-hour day
    s, e = Period(date(2026, 6, 1), date(2026, 6, 30)).instants(ZoneInfo("UTC"))
    assert (s, e) == (datetime(2026, 6, 1), datetime(2026, 7, 1))


@pytest.mark.parametrize(("period", "previous"), [
    (Period.calendar(date(2026, 3, 10), "month"), Period(date(2026, 2, 1), date(2026, 2, 28), "month")),
    (Period(date(2026, 11, 1), date(2026, 11, 22), "month"), Period(date(2026, 10, 1), date(2026, 10, 31), "month")),
    (Period.calendar(date(2026, 1, 5), "quarter"), Period(date(2025, 10, 1), date(2025, 12, 31), "quarter")),
    (Period.calendar(date(2026, 6, 17), "week"), Period(date(2026, 6, 8), date(2026, 6, 14), "week")),
    (Period(date(2026, 6, 10), date(2026, 6, 16)), Period(date(2026, 6, 3), date(2026, 6, 9))),
    (Period(date(2026, 6, 17), date(2026, 6, 17), "day"), Period(date(2026, 6, 16), date(2026, 6, 16), "day")),
])
def test_previous_period(period: Period, previous: Period) -> None:
    assert period.previous() == previous


def test_previous_year_keeps_the_kind() -> None:
    assert Period.calendar(date(2026, 2, 3), "month").previous_year() == Period(
        date(2025, 2, 1), date(2025, 2, 28), "month")


def test_buckets_are_calendar_aligned_and_clipped() -> None:
    buckets = Period(date(2026, 1, 15), date(2026, 3, 10)).buckets("month")
    assert [(b.start, b.end) for b in buckets] == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 10)),
    ]
    weeks = Period(date(2026, 6, 17), date(2026, 6, 30)).buckets("week")
    assert [(b.start, b.end) for b in weeks] == [
        (date(2026, 6, 17), date(2026, 6, 21)), (date(2026, 6, 22), date(2026, 6, 28)),
        (date(2026, 6, 29), date(2026, 6, 30)),
    ]
    assert sum(b.days for b in Period.calendar(date(2026, 5, 1), "year").buckets("day")) == 365


@pytest.mark.parametrize(("days", "grain"), [(1, "day"), (31, "day"), (32, "week"), (182, "week"), (183, "month")])
def test_trend_grain(days: int, grain: str) -> None:
    start = date(2026, 1, 1)
    assert Period(start, date.fromordinal(start.toordinal() + days - 1)).trend_grain() == grain


def test_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2026, 2, 2), date(2026, 2, 1))


def test_windows_number_periods_in_order() -> None:
    windows = make_windows([Period.calendar(date(2026, 6, 1), "month"), Period.calendar(date(2026, 5, 1), "month")],
                           ZoneInfo("America/New_York"))
    assert [w.idx for w in windows] == [0, 1]
    assert windows[0].s == datetime(2026, 6, 1, 4, 0) and windows[0].e == datetime(2026, 7, 1, 4, 0)
