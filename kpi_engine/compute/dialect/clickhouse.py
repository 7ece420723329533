"""ClickHouse forms of the dialect constructs, and the session settings the query SQL relies on.

ClickHouse is reached through clickhouse-connect's SQLAlchemy dialect (`clickhousedb`): a server over HTTP,
or chDB in-process (`interface=chdb`). Its SQL differs from the standard in ways that change answers, not
only spelling, so each connection gets settings that restore the standard meaning (`SESSION_SETTINGS`).

Two differences no setting restores, which the computations' SQL is written around:
- a table's own name reaches through an alias: in `FROM t AS later`, `t.x` means `later.x`, so a subquery
  comparing a table with itself aliases the outer side too (surveys: `response` and `later_response`);
- a correlated scalar `count()` over no rows is NULL, not 0 (delivery: `coalesce(count, 0)`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, DateTime, Engine
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.compiler import compiles

from kpi_engine.compute.dialect.engines import EngineLacks
from kpi_engine.compute.dialect.functions import (
    add_days,
    add_seconds,
    clear_table,
    days_between,
    distinct_values,
    distinct_values_by_scan,
    greatest_of,
    least_of,
    month_number,
    seconds_between,
    shifted_date,
    typed_value,
)

DIALECT = "clickhousedb"

SESSION_SETTINGS: dict[str, str | int] = {
    "join_use_nulls": 1,  # an outer join's missing side is NULL, not the type's default (0, '')
    "aggregate_functions_null_for_empty": 1,  # sum/avg/min/max over no rows are NULL, as in SQL
    "session_timezone": "UTC",  # timestamps are naive UTC: toDate and friends must not shift them
    "union_default_mode": "DISTINCT",  # a bare UNION means UNION DISTINCT
    "prefer_column_name_to_alias": 1,  # a SELECT alias does not shadow a column of the same name elsewhere
    "cast_keep_nullable": 1,  # CAST(NULL AS String) is NULL, not an error
}


def apply_session_settings(dbapi_connection: Any) -> None:
    """Puts SESSION_SETTINGS on a clickhouse-connect DB-API connection (its client sends them with every
    query; chDB applies them to its session)."""
    client = dbapi_connection.client
    for name, value in SESSION_SETTINGS.items():
        client.set_client_setting(name, value)


def is_chdb(engine: Engine) -> bool:
    """The engine runs chDB in this process (clickhouse-connect's `interface=chdb`), not a server."""
    return engine.url.query.get("interface") == "chdb"


def renew_chdb_after_error(context: ExceptionContext) -> None:
    """After a failed query, chDB can hand part of that query's output to the next query on the same session
    (seen with chdb 4.4: a later SELECT read blocks of the failed one). The failed connection and the idle
    ones sharing its session are dropped, so the next query opens a clean session."""
    context.is_disconnect = True
    context.invalidate_pool_on_disconnect = True


def _sql(compiler: Any, element: Any, **kw: Any) -> list[str]:
    return [compiler.process(c, **kw) for c in element.clauses]


@compiles(seconds_between, DIALECT)
def _seconds_between(element: Any, compiler: Any, **kw: Any) -> str:
    a, b = _sql(compiler, element, **kw)
    return f"(dateDiff('microsecond', toDateTime64({a}, 6), toDateTime64({b}, 6)) / 1000000.0)"


@compiles(shifted_date, DIALECT)
def _shifted_date(element: Any, compiler: Any, **kw: Any) -> str:
    ts, minutes = _sql(compiler, element, **kw)
    return f"toDate(addMinutes(toDateTime64({ts}, 6), {minutes}))"


@compiles(add_seconds, DIALECT)
def _add_seconds(element: Any, compiler: Any, **kw: Any) -> str:
    ts, seconds = _sql(compiler, element, **kw)
    return f"addMicroseconds(toDateTime64({ts}, 6), toInt64(round(({seconds}) * 1000000)))"


TYPE_NAMES = {DateTime: "DateTime64(6)", Date: "Date"}


@compiles(typed_value, DIALECT)
def _typed_value(element: Any, compiler: Any, **kw: Any) -> str:
    (value,) = _sql(compiler, element, **kw)
    for sql_type, name in TYPE_NAMES.items():
        if isinstance(element.type, sql_type):
            return f"CAST({value} AS {name})"
    return f"CAST({value} AS {compiler.dialect.type_compiler_instance.process(element.type)})"


@compiles(add_days, DIALECT)
def _add_days(element: Any, compiler: Any, **kw: Any) -> str:
    day, n = _sql(compiler, element, **kw)
    return f"addDays(toDate({day}), toInt64({n}))"


@compiles(days_between, DIALECT)
def _days_between(element: Any, compiler: Any, **kw: Any) -> str:
    a, b = _sql(compiler, element, **kw)
    return f"dateDiff('day', toDate({a}), toDate({b}))"


@compiles(month_number, DIALECT)
def _month_number(element: Any, compiler: Any, **kw: Any) -> str:
    (day,) = _sql(compiler, element, **kw)
    return f"(toYear({day}) * 12 + toMonth({day}))"


@compiles(greatest_of, DIALECT)
def _greatest_of(element: Any, compiler: Any, **kw: Any) -> str:
    return f"greatest({', '.join(_sql(compiler, element, **kw))})"


@compiles(least_of, DIALECT)
def _least_of(element: Any, compiler: Any, **kw: Any) -> str:
    return f"least({', '.join(_sql(compiler, element, **kw))})"


@compiles(clear_table, DIALECT)
def _clear_table(element: Any, compiler: Any, **kw: Any) -> str:
    raise EngineLacks("clearing a table inside a transaction", DIALECT,
                      "ClickHouse has no transactions; derived tables are kept in DATABASE_URL for it")


compiles(distinct_values, DIALECT)(distinct_values_by_scan)


# Reading a source on ClickHouse (kpi_engine.sources renders each mapped column in the contract's type)

def _unwrapped(type_name: str) -> str:
    name = type_name.strip()
    for wrapper in ("Nullable(", "LowCardinality("):
        while name.startswith(wrapper) and name.endswith(")"):
            name = name[len(wrapper):-1]
    return name


def source_type_family(type_name: str) -> str | None:
    """The family (ts | tstz | date | text | int | num | bool) of a ClickHouse result type such as
    "Nullable(DateTime64(6, 'Asia/Tokyo'))", as clickhouse-connect describes result columns."""
    name = _unwrapped(type_name)
    if name.startswith(("DateTime64", "DateTime")):
        return "tstz" if "'" in name else "ts"
    if name.startswith("Date"):
        return "date"
    if name.startswith(("String", "FixedString", "Enum", "UUID")):
        return "text"
    if name.startswith(("Int", "UInt")):
        return "int"
    if name.startswith(("Float", "Decimal")):
        return "num"
    if name.startswith("Bool"):
        return "bool"
    return None


def naive_utc_sql(expr: str, family: str | None, zone: str) -> str:
    """`expr` as a naive UTC DateTime64(6): a timestamp with a zone is taken as given; one without (or a date, or
    text) is wall-clock time in `zone`."""
    quoted = "'" + zone.replace("'", "''") + "'"
    if family == "tstz":
        return f"toTimeZone(toDateTime64({expr}, 6), 'UTC')"
    if family in ("ts", "date") and zone == "UTC":
        return f"toDateTime64({expr}, 6)"
    if family in ("ts", "date"):
        return f"toTimeZone(toDateTime64(toString({expr}), 6, {quoted}), 'UTC')"
    if family == "text":
        return f"toTimeZone(parseDateTime64BestEffort({expr}, 6, {quoted}), 'UTC')"
    raise EngineLacks(f"reading timestamps of type {family or 'unknown'}", DIALECT)


def clickhouse_read_only(dbapi_connection: Any, _record: Any) -> None:
    """A source connection that cannot write: `readonly = 2` refuses INSERT, ALTER, CREATE and DROP but still lets
    the connection set SESSION_SETTINGS (`readonly = 1` would refuse those too)."""
    dbapi_connection.client.set_client_setting("readonly", 2)
