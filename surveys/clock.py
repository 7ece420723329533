"""Time as the survey code sees it: naive UTC `now()`, a monotonic counter and `sleep` (tests inject a fake)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...  # naive UTC, like every timestamp in the database

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


def utc_from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def epoch_of(moment: datetime) -> float:
    return moment.replace(tzinfo=UTC).timestamp()


class ShiftedClock(SystemClock):
    """Real time moved to start at a given moment: `now()` is that moment plus the time elapsed since, so sleeps,
    leases and paces still work. What `--now` and KPIBOT_NOW give every scheduled command."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._started = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)


def parse_moment(text: str) -> datetime:
    """An ISO date-time (UTC unless it carries an offset) as naive UTC. Raises ValueError."""
    moment = datetime.fromisoformat(text.strip())
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def public_clock(now_setting: str | None) -> Clock:
    """The clock of every scheduled job: real time, or shifted to KPIBOT_NOW / `--now` when given."""
    return ShiftedClock(parse_moment(now_setting)) if now_setting else SystemClock()
