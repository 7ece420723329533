"""Reading a source's columns in the contract's types, per engine (kpi_engine.sources writes each mapped table as a
SELECT of these expressions).

- `result_type_family`: the family (ts | tstz | date | text | int | num | bool) of a result column, from what the
  DB-API describes: PostgreSQL type oids, DuckDB and ClickHouse type names; SQLite describes none (None).
- `naive_utc`: a timestamp as the engine stores them, naive UTC (SOURCES.md: naive timestamps are in the table's
  zone, default UTC; timestamps with a zone are taken as given).
- `as_date`: a DATE column (that day); `as_family`: an id, text or number in the contract's type.
An engine this module does not type gets naive UTC columns passed through and anything else refused with a clear
error (UnsupportedSourceType).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from kpi_engine.compute.dialect import clickhouse
from kpi_engine.compute.dialect.duckdb import source_type_family as duckdb_family
from kpi_engine.compute.local_days import offset_spans

SQLITE_FORMAT = "'%Y-%m-%d %H:%M:%f'"  # SQLAlchemy's SQLite storage format, with microseconds below
SPAN_FROM, SPAN_TO = datetime(1970, 1, 1), datetime(2060, 1, 1)
AT_TIME_ZONE_DIALECTS = ("postgresql", "duckdb")
# PostgreSQL type oids (psycopg's cursor.description) → family
PG_FAMILIES = {1114: "ts", 1184: "tstz", 1082: "date", 25: "text", 1043: "text", 1042: "text", 20: "int",
               21: "int", 23: "int", 1700: "num", 700: "num", 701: "num", 16: "bool"}


class UnsupportedSourceType(ValueError):
    pass


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def result_type_family(dialect_name: str, type_code: Any) -> str | None:
    if dialect_name == "postgresql":
        return PG_FAMILIES.get(type_code)
    if dialect_name == "duckdb":
        return duckdb_family(str(type_code))
    if dialect_name == clickhouse.DIALECT:  # clickhouse-connect describes a column by its type's name
        return clickhouse.source_type_family(str(type_code))
    return None


def as_date(dialect_name: str, expr: str, family: str | None) -> str:
    """A DATE column: SQLite keeps its ISO text; elsewhere a date stays, anything else is cast."""
    return expr if dialect_name == "sqlite" or family == "date" else f"CAST({expr} AS DATE)"


def as_family(dialect: Dialect, expr: str, family: str | None, wanted: str, target: TypeEngine[Any]) -> str:
    """An id, text or number as `target` (of family `wanted`): SQLite compares its values as they are."""
    if dialect.name == "sqlite" or family == wanted:
        return expr
    return f"CAST({expr} AS {target.compile(dialect)})"


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
