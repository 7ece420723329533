"""Local days of UTC timestamps in SQL: the reporting zone's UTC offsets as a few constant-offset spans.

The spans are worked out in Python from zoneinfo over the data's time range; SQL joins each timestamp to its
span and takes `shifted_date(ts, minutes)`. A zone without transitions in the range needs no join at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import CTE, DateTime, Float, FromClause, Integer, and_, literal, literal_column, select, union_all

from kpi_engine.compute.dialect import shifted_date

OPEN_START = datetime(1, 1, 2)
OPEN_END = datetime(9999, 12, 30)
_SCAN_STEP = timedelta(hours=6)


@dataclass(frozen=True)
class OffsetSpan:
    s: datetime  # naive UTC, inclusive
    e: datetime  # naive UTC, exclusive
    minutes: float  # local time = UTC + minutes


def _offset_minutes(tz: ZoneInfo, instant: datetime) -> float:
    offset = instant.replace(tzinfo=UTC).astimezone(tz).utcoffset()
    return 0.0 if offset is None else offset.total_seconds() / 60


def _transition(tz: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first second in (before, after] whose offset differs from the one at `before`."""
    old = _offset_minutes(tz, before)
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        middle = middle.replace(microsecond=0)
        if middle <= before:
            middle = before + timedelta(seconds=1)
        if _offset_minutes(tz, middle) == old:
            before = middle
        else:
            after = middle
    return after


def offset_spans(tz: ZoneInfo, lo: datetime, hi: datetime) -> list[OffsetSpan]:
    """Spans of constant UTC offset covering every instant; exact between `lo` and `hi` (naive UTC)."""
    cursor = lo - timedelta(days=2)
    end = hi + timedelta(days=2)
    spans: list[OffsetSpan] = []
    start, current = OPEN_START, _offset_minutes(tz, cursor)
    while cursor < end:
        step = min(cursor + _SCAN_STEP, end)
        if _offset_minutes(tz, step) != current:
            change = _transition(tz, cursor, step)
            spans.append(OffsetSpan(start, change, current))
            start, current = change, _offset_minutes(tz, change)
            cursor = change
            continue
        cursor = step
    spans.append(OffsetSpan(start, OPEN_END, current))
    return spans


def _minutes_literal(minutes: float) -> Any:
    text = str(int(minutes)) if float(minutes).is_integer() else repr(float(minutes))
    return literal_column(text)  # inline: the same expression may be repeated in GROUP BY


def spans_cte(spans: list[OffsetSpan], name: str = "zone_offsets") -> CTE:
    number = Integer if all(float(s.minutes).is_integer() for s in spans) else Float
    rows = [
        select(
            literal(span.s, DateTime).label("s"),
            literal(span.e, DateTime).label("e"),
            literal(int(span.minutes) if number is Integer else span.minutes, number).label("minutes"),
        )
        for span in spans
    ]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte(name)


def localize(source: FromClause, ts: Any, spans: list[OffsetSpan]) -> tuple[FromClause, Any]:
    """`source` (joined to the offsets when needed) and the expression of the local date of `ts`."""
    if len(spans) == 1:
        return source, shifted_date(ts, _minutes_literal(spans[0].minutes))
    offsets = spans_cte(spans)
    joined = source.join(offsets, and_(ts >= offsets.c.s, ts < offsets.c.e))
    return joined, shifted_date(ts, offsets.c.minutes)
