"""Reporting periods (KPI_SPEC §1): sets of whole local days, their UTC instants, neighbours and buckets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

Grain = Literal["day", "week", "month", "quarter", "year"]
PeriodKind = Literal["day", "week", "month", "quarter", "year", "custom"]
GRAINS: tuple[Grain, ...] = ("day", "week", "month", "quarter", "year")


def local_midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    """`day 00:00` in the reporting zone as a naive UTC datetime (how timestamps are stored)."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The local day (in `tz`) of a naive UTC instant."""
    return instant.replace(tzinfo=UTC).astimezone(tz).date()


def grain_start(day: date, grain: Grain) -> date:
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def _span_end(start: date, grain: Grain, n: int) -> date:
    return start + grain_step(grain, n) - timedelta(days=1)


def grain_step(grain: Grain, n: int = 1) -> relativedelta:
    return {
        "day": relativedelta(days=n),
        "week": relativedelta(weeks=n),
        "month": relativedelta(months=n),
        "quarter": relativedelta(months=3 * n),
        "year": relativedelta(years=n),
    }[grain]


@dataclass(frozen=True, order=True)
class Period:
    """Whole days `[start, end]`, inclusive. `kind` says which calendar period it is, if any.

    How it was named decides its comparison period (kpi_engine.comparisons) and its words, not equality
    (two periods of the same days are equal): `span` for a period named in units (`last 3 months` is
    ("month", 3), the last 12 months to date of a trend ("month", 12)); `to_date` for a period that runs to
    the as-of day (`this month`, even on its last day; a series with no time phrase).
    """

    start: date
    end: date
    kind: PeriodKind = "custom"
    span: tuple[Grain, int] | None = field(default=None, compare=False)
    to_date: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def calendar(cls, day: date, grain: Grain) -> Period:
        start = grain_start(day, grain)
        return cls(start, start + grain_step(grain) - timedelta(days=1), grain)

    @property
    def is_whole(self) -> bool:
        """A whole calendar period (`last month`, `2026-Q1`), not one cut short at the as-of day."""
        if self.kind == "custom" or self.to_date:
            return False
        return self.start == grain_start(self.start, self.kind) and self.end == _span_end(self.start, self.kind, 1)

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def instants(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """`[s, e)` as naive UTC datetimes: s = start 00:00, e = (end + 1 day) 00:00, reporting zone."""
        return local_midnight_utc(self.start, tz), local_midnight_utc(self.end + timedelta(days=1), tz)

    def previous(self) -> Period:
        """Equal-length period just before; for calendar periods the previous one of the same kind."""
        if self.kind != "custom":
            return Period.calendar(self.start - timedelta(days=1), self.kind)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def previous_year(self) -> Period:
        return Period(self.start - relativedelta(years=1), self.end - relativedelta(years=1), self.kind)

    def buckets(self, grain: Grain) -> list[Period]:
        """Calendar buckets of `grain` covering the period, clipped to it."""
        out: list[Period] = []
        cursor = grain_start(self.start, grain)
        while cursor <= self.end:
            nxt = cursor + grain_step(grain)
            out.append(Period(max(cursor, self.start), min(nxt - timedelta(days=1), self.end), grain))
            cursor = nxt
        return out

    def trend_grain(self) -> Grain:
        """`trend`: day up to 31 days, week up to 26 weeks, month beyond."""
        if self.days <= 31:
            return "day"
        if self.days <= 26 * 7:
            return "week"
        return "month"

    def label(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} – {self.end.isoformat()}"
