"""How far a metric's data reaches (KPI_SPEC §1 "Freshness"): the first and newest timestamp of its table.

Each contract table has one time column, indexed, so `min` and `max` are two index look-ups. They are
written as ordinary SQLAlchemy Core over the contract model tables so that a source engine (SOURCES.md)
can rewrite them to read the mapped tables like every other statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Connection, func, select

from kpi_engine.comparisons import day_words
from kpi_engine.db.base import Base
from kpi_engine.periods import Period, local_date, local_midnight_utc
from kpi_engine.results import MetricResult

# the time columns of each contract table (all indexed): the first says where its data starts, the newest
# value of any of them how far it reaches (a subscription's end is news as much as a new one)
TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "subscriptions": ("started_at", "ended_at"),
    "orders": ("ordered_at",),
    "marketing_spend": ("day",),
    "trials": ("started_at", "converted_at", "ended_at"),
    "users": ("created_at",),
    "events": ("occurred_at",),
    "tickets": ("opened_at", "resolved_at"),
    "survey_responses": ("responded_at",),
    "survey_deliveries": ("sent_at",),
    "work_items": ("created_at", "done_at"),
    "releases": ("released_at",),
    "accounts": ("created_at",),
}


@dataclass(frozen=True)
class DataRange:
    """The first and newest instants of a table's data (naive UTC) and their local days. `whole_days`: the
    time column holds days (data then reaches the end of its last day)."""

    table: str
    first: datetime
    last: datetime
    first_day: date
    last_day: date
    whole_days: bool = False


def time_columns(table: str) -> list[Column[object]]:
    model_table = Base.metadata.tables.get(table)
    if model_table is None:
        return []
    return [model_table.c[name] for name in TIME_COLUMNS.get(table, ())]


def table_range(conn: Connection, table: str, tz: ZoneInfo) -> DataRange | None:
    """min of the table's first time column and max of each (scalar subqueries in one statement: each one an
    index look-up, also on SQLite, whose min/max optimisation needs a query of its own); None for an empty or
    unknown table."""
    columns = time_columns(table)
    if not columns:
        return None
    row = conn.execute(select(select(func.min(columns[0])).scalar_subquery(),
                              *(select(func.max(c)).scalar_subquery() for c in columns))).one()
    first = row[0]
    newest = [value for value in row[1:] if value is not None]
    if first is None or not newest:
        return None
    last = max(newest, key=str) if isinstance(first, str) else max(newest)
    if isinstance(first, str):  # a timestamp read back as text (some drivers)
        first, last = datetime.fromisoformat(first), datetime.fromisoformat(last)
    if isinstance(first, datetime):
        return DataRange(table, first, last, local_date(first, tz), local_date(last, tz))
    # a DATE column: the day from local midnight; data reaches the end of its last day
    return DataRange(table, local_midnight_utc(first, tz),
                     local_midnight_utc(last + timedelta(days=1), tz) - timedelta(seconds=1), first, last,
                     whole_days=True)


def metric_range(conn: Connection, tables: tuple[str, ...], tz: ZoneInfo) -> DataRange | None:
    """The range of the table a metric is computed from: the first one its definition lists. Read before the
    computation (the comparison is clipped to it), so outside a transaction it leaves none open: a rebuild of
    the derived tables that follows (kpi_engine.derived.ensure_derived_current) then commits itself."""
    if not tables:
        return None
    if conn.in_transaction():
        return table_range(conn, tables[0], tz)
    with conn.begin():
        return table_range(conn, tables[0], tz)


def is_partial(period: Period, as_of: date, last_day: date | None) -> bool:
    """KPI_SPEC §1: a period or bucket that holds the as-of day, or reaches past the newest data, is partial."""
    return period.holds(as_of) or (last_day is not None and period.end > last_day)


def moment_words(data: DataRange, tz: ZoneInfo, ref_year: int) -> str:
    """`Nov 30, 14:02` (local time), `Nov 30` for a table of days, with the year outside the reference year."""
    day = day_words(data.last_day, ref_year)
    if data.whole_days:
        return day
    local = data.last.replace(tzinfo=UTC).astimezone(tz)
    return f"{day}, {local.strftime('%H:%M')}"


def _before_data(period: Period, kind: str, first_day: date) -> bool:
    """A flow over a period that starts before the first row is incomplete; a stock (a state at the end of
    the period) is unknown only when the period ends before the first row."""
    return (period.end if kind == "stock" else period.start) < first_day


def apply_freshness(result: MetricResult, data: DataRange | None, as_of: date, tz: ZoneInfo) -> None:
    """Sets `data_to`, the partial flags, the first day of data when the comparison starts before it, and the
    notes that say so ("data up to Nov 30, 14:02", "no data before Mar 3, 2025")."""
    last_day = data.last_day if data is not None else None
    result.partial = is_partial(result.period, as_of, last_day)
    for point in result.series or []:
        point.partial = is_partial(Period(point.start, point.end), as_of, last_day)
    if data is None:
        return
    result.data_to, result.data_table, result.data_last_day = data.last, data.table, data.last_day
    ref = as_of.year
    if result.previous_period is not None and _before_data(result.previous_period, result.kind, data.first_day):
        result.data_from = data.first_day
    elif _before_data(result.period, result.kind, data.first_day):
        result.notes.append(f"no data before {day_words(data.first_day, ref)}")
    when = moment_words(data, tz, ref)
    if as_of > data.last_day:
        result.notes.append(f"data up to {when}; nothing newer as of {day_words(as_of, ref)}")
    elif result.partial and result.period.instants(tz)[1] > data.last:
        result.notes.append(f"data up to {when}")

