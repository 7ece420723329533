"""Source timestamps as the engine stores them: naive UTC (SOURCES.md: naive timestamps are in the table's zone,
default UTC; timestamps with a zone are taken as given; a DATE is that day from midnight in the table's zone).

SQL text per dialect, over a source expression whose type family the probe found (see render.py). An engine
this module does not know gets naive UTC columns passed through and anything else refused with a clear error.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kpi_engine.compute.dialect import clickhouse
from kpi_engine.compute.local_days import offset_spans

SQLITE_FORMAT = "'%Y-%m-%d %H:%M:%f'"  # SQLAlchemy's SQLite storage format, with microseconds below
SPAN_FROM, SPAN_TO = datetime(1970, 1, 1), datetime(2060, 1, 1)
AT_TIME_ZONE_DIALECTS = ("postgresql", "duckdb")


class UnsupportedSourceType(ValueError):
    pass


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def naive_utc(dialect: str, expr: str, family: str | None, zone: str) -> str:
    """SQL for `expr` as a naive UTC timestamp. `family`: ts | tstz | date | text | None (unknown: SQLite)."""
    if dialect == "sqlite":
        return _sqlite(expr, zone)
    if dialect in AT_TIME_ZONE_DIALECTS:
        if family == "tstz":
            return f"(({expr}) AT TIME ZONE 'UTC')"
        naive = expr if family == "ts" else f"CAST({expr} AS TIMESTAMP)"
        if zone == "UTC":
            return naive
        return f"((({naive}) AT TIME ZONE {quote_literal(zone)}) AT TIME ZONE 'UTC')"
    if dialect == clickhouse.DIALECT:
        return clickhouse.naive_utc_sql(expr, family, zone)
    if family in ("ts", None) and zone == "UTC":  # an engine this module does not type: taken as naive UTC
        return expr
    raise UnsupportedSourceType(f"timestamps of type {family or 'unknown'} in zone {zone} on {dialect}")


def _sqlite(expr: str, zone: str) -> str:
    """SQLite keeps timestamps as text; strftime normalises any ISO form (and applies an offset suffix)."""
    if zone == "UTC":
        return _sqlite_format(expr, 0)
    spans = offset_spans(ZoneInfo(zone), SPAN_FROM, SPAN_TO)
    cases = []
    for span in spans[:-1]:
        local_end = span.e + timedelta(minutes=span.minutes)
        cases.append(f"WHEN {_sqlite_format(expr, 0)} < '{local_end:%Y-%m-%d %H:%M:%S}' "
                     f"THEN {_sqlite_format(expr, -span.minutes)}")
    last = _sqlite_format(expr, -spans[-1].minutes)
    if not cases:
        return last
    return f"(CASE {' '.join(cases)} ELSE {last} END)"


def _sqlite_format(expr: str, minutes: float) -> str:
    shift = f", '{minutes:+.0f} minutes'" if minutes else ""
    return f"(strftime({SQLITE_FORMAT}, {expr}{shift}) || '000')"
