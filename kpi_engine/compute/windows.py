"""Windows: the periods one query computes at once (current, previous, series buckets) as a CTE.

Every computation joins its facts to this CTE, so the reporting time zone is handled in Python (the
instants are exact UTC bounds) and the SQL stays dialect-neutral.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import CTE, Date, DateTime, Integer, literal, select, union_all

from kpi_engine.compute.dialect import typed_value
from kpi_engine.periods import Period


@dataclass(frozen=True)
class Window:
    idx: int
    period: Period
    s: datetime  # naive UTC, inclusive
    e: datetime  # naive UTC, exclusive

    @property
    def first_day(self) -> date:
        return self.period.start

    @property
    def last_day(self) -> date:
        return self.period.end


def make_windows(periods: Sequence[Period], tz: ZoneInfo) -> tuple[Window, ...]:
    return tuple(Window(i, p, *p.instants(tz)) for i, p in enumerate(periods))


def windows_cte(windows: Sequence[Window], name: str = "windows") -> CTE:
    """Columns: idx, s, e (UTC instants, [s, e)), d0, d1 (local dates, inclusive)."""
    rows = [
        select(
            literal(w.idx, Integer).label("idx"),
            typed_value(w.s, DateTime()).label("s"),
            typed_value(w.e, DateTime()).label("e"),
            typed_value(w.period.start, Date()).label("d0"),
            typed_value(w.period.end, Date()).label("d1"),
        )
        for w in windows
    ]
    if not rows:
        raise ValueError("at least one window is needed")
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte(name)
