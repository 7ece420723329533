"""The demo's two years of history: local days, their UTC bounds, and demand (growth × seasonality).

Instants are numpy `datetime64[s]` in UTC (naive, as stored). Times of day are drawn in the reporting
zone and moved to UTC with the offset of their local day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from dateutil.relativedelta import relativedelta

from kpi_engine.demo.config import SEASON, WEEKDAY, YEARLY_GROWTH
from kpi_engine.periods import local_midnight_utc

DAY = np.timedelta64(86_400, "s")
NEVER = np.datetime64("NaT", "s")
MONTH_SECONDS = 30.44 * 86_400


def seconds(values: np.ndarray | float) -> np.ndarray:
    """Durations in (float) seconds as `timedelta64[s]`."""
    return np.asarray(np.round(values), dtype="int64").astype("timedelta64[s]")


@dataclass(frozen=True)
class History:
    start: date  # first local day
    end: date  # last local day (inclusive)
    tz: ZoneInfo
    midnights: np.ndarray  # datetime64[s] UTC of local midnight of day 0 .. n (n+1 values)
    months: np.ndarray  # month of year (1..12) per day
    weekdays: np.ndarray  # 0 = Monday per day

    @classmethod
    def ending(cls, end: date, tz: ZoneInfo, years: int = 2) -> History:
        start = end - relativedelta(years=years) + timedelta(days=1)
        n = (end - start).days + 1
        days = [start + timedelta(days=i) for i in range(n + 1)]
        midnights = np.array([local_midnight_utc(d, tz) for d in days], dtype="datetime64[s]")
        months = np.array([d.month for d in days[:n]], dtype=np.int64)
        weekdays = np.array([d.weekday() for d in days[:n]], dtype=np.int64)
        return cls(start, end, tz, midnights, months, weekdays)

    @property
    def days(self) -> int:
        return len(self.weekdays)

    @property
    def begin(self) -> np.datetime64:
        return self.midnights[0]

    @property
    def finish(self) -> np.datetime64:
        """End of the last day (exclusive): nothing happens at or after it."""
        return self.midnights[-1]

    def day_of(self, instants: np.ndarray) -> np.ndarray:
        """Local day index of UTC instants (clipped to the history)."""
        return np.clip(np.searchsorted(self.midnights, instants, side="right") - 1, 0, self.days - 1)

    def at(self, day_index: np.ndarray, second_of_day: np.ndarray | float) -> np.ndarray:
        """UTC instants of local time `second_of_day` on local days `day_index`."""
        day_index = np.asarray(day_index, dtype=np.int64)
        offset = self.midnights[np.minimum(day_index + 1, self.days)] - self.midnights[day_index]
        base = self.midnights[day_index]
        secs = seconds(second_of_day)
        # on a DST day the local day is 23 or 25 hours long: scale the time of day onto it
        scaled = (secs.astype(np.int64) * (offset.astype(np.int64) / 86_400.0)).astype("int64")
        return base + scaled.astype("timedelta64[s]")

    def demand(self) -> np.ndarray:
        """Relative demand per day: exponential growth × month seasonality × weekday pattern."""
        t = np.arange(self.days) / 365.0
        growth = np.power(YEARLY_GROWTH, t)
        return growth * np.asarray(SEASON)[self.months - 1] * np.asarray(WEEKDAY)[self.weekdays]

    def to_datetime(self, instant: np.datetime64) -> datetime:
        return instant.astype("datetime64[s]").astype(datetime)


def draw_days(rng: np.random.Generator, weights: np.ndarray, total: int) -> np.ndarray:
    """Day indices of `about total` arrivals, Poisson per day with rate proportional to `weights`."""
    rate = weights * (total / weights.sum())
    counts = rng.poisson(rate)
    return np.repeat(np.arange(len(weights)), counts)


def office_hours(rng: np.random.Generator, n: int, mean_hour: float = 11.5, spread: float = 2.5) -> np.ndarray:
    """Seconds after local midnight, mostly during the working day."""
    hours = np.clip(rng.normal(mean_hour, spread, n), 0.0, 23.9)
    return hours * 3600.0
