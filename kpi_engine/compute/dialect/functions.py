"""The dialect-specific SQL constructs, with their SQLite forms and the default (PostgreSQL, DuckDB) forms.

Each engine with forms of its own has a module beside this one (`clickhouse.py`); an engine the package does
not know compiles the default form, and an operation it cannot express raises `EngineLacks`.
"""

from __future__ import annotations

import importlib
from typing import Any

from sqlalchemy import ColumnElement, Date, DateTime, Float, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.sqltypes import NullType

from kpi_engine.compute.dialect.engines import EngineLacks, require_default_form


class seconds_between(FunctionElement[float]):  # noqa: N801  (reads like a SQL function)
    """seconds_between(a, b) = b - a in seconds (float)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_between_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    a, b = list(element.clauses)
    return f"EXTRACT(EPOCH FROM ({compiler.process(b, **kw)} - {compiler.process(a, **kw)}))"


@compiles(seconds_between, "sqlite")
def _seconds_between_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    a, b = list(element.clauses)
    # julianday keeps ~1 ms precision: round away the float noise
    return f"round((julianday({compiler.process(b, **kw)}) - julianday({compiler.process(a, **kw)})) * 86400.0, 3)"


class shifted_date(FunctionElement[Any]):  # noqa: N801
    """shifted_date(ts, minutes): the calendar date of `ts + minutes` (local day from a UTC offset)."""

    type = Date()
    inherit_cache = True
    name = "shifted_date"


@compiles(shifted_date)
def _shifted_date_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    ts, minutes = list(element.clauses)
    return f"CAST(({compiler.process(ts, **kw)} + ({compiler.process(minutes, **kw)}) * INTERVAL '1 minute') AS DATE)"


@compiles(shifted_date, "sqlite")
def _shifted_date_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    ts, minutes = list(element.clauses)
    return f"date({compiler.process(ts, **kw)}, ({compiler.process(minutes, **kw)}) || ' minutes')"


class add_seconds(FunctionElement[Any]):  # noqa: N801
    """add_seconds(ts, seconds): a timestamp moved by a number of seconds."""

    type = DateTime()
    inherit_cache = True
    name = "add_seconds"


@compiles(add_seconds)
def _add_seconds_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    ts, seconds = list(element.clauses)
    return f"({compiler.process(ts, **kw)} + ({compiler.process(seconds, **kw)}) * INTERVAL '1 second')"


@compiles(add_seconds, "sqlite")
def _add_seconds_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    ts, seconds = list(element.clauses)
    # keep SQLAlchemy's storage format (microseconds) so string comparisons with bound values stay correct
    moved = f"{compiler.process(ts, **kw)}, ({compiler.process(seconds, **kw)}) || ' seconds'"
    return f"strftime('%Y-%m-%d %H:%M:%f000', {moved})"


class typed_value(FunctionElement[Any]):  # noqa: N801
    """A bound value with its SQL type spelled out (CAST), so compiled SQL compares like with like.

    SQLite keeps the bare value: CAST(... AS DATETIME) would turn its text timestamps into numbers.
    """

    inherit_cache = True
    name = "typed_value"

    def __init__(self, value: Any, type_: Any) -> None:
        from sqlalchemy import literal

        self.type = type_
        super().__init__(literal(value, type_))


@compiles(typed_value)
def _typed_value_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    (value,) = list(element.clauses)
    return f"CAST({compiler.process(value, **kw)} AS {compiler.dialect.type_compiler_instance.process(element.type)})"


@compiles(typed_value, "sqlite")
def _typed_value_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return compiler.process(value, **kw)


class add_days(FunctionElement[Any]):  # noqa: N801
    """add_days(day, n): a date moved by n whole days (n may be negative)."""

    type = Date()
    inherit_cache = True
    name = "add_days"


@compiles(add_days)
def _add_days_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    day, n = list(element.clauses)
    return f"(CAST({compiler.process(day, **kw)} AS DATE) + CAST({compiler.process(n, **kw)} AS INTEGER))"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    day, n = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, ({compiler.process(n, **kw)}) || ' days')"


class days_between(FunctionElement[int]):  # noqa: N801
    """days_between(a, b) = b - a in whole days, for two dates."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    a, b = list(element.clauses)
    return f"(CAST({compiler.process(b, **kw)} AS DATE) - CAST({compiler.process(a, **kw)} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    a, b = list(element.clauses)
    return f"CAST(round(julianday({compiler.process(b, **kw)}) - julianday({compiler.process(a, **kw)})) AS INTEGER)"


class month_number(FunctionElement[int]):  # noqa: N801
    """month_number(day) = 12 * year + month: consecutive months have consecutive numbers."""

    type = Integer()
    inherit_cache = True
    name = "month_number"


@compiles(month_number)
def _month_number_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    day = compiler.process(list(element.clauses)[0], **kw)
    # date_part (double precision) is about twice as fast per row on PostgreSQL as EXTRACT (numeric)
    return f"(CAST(date_part('year', {day}) AS INTEGER) * 12 + CAST(date_part('month', {day}) AS INTEGER))"


@compiles(month_number, "sqlite")
def _month_number_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    day = compiler.process(list(element.clauses)[0], **kw)
    # dates are stored as ISO text (YYYY-MM-DD): slicing is much cheaper than strftime
    return f"(CAST(substr({day}, 1, 4) AS INTEGER) * 12 + CAST(substr({day}, 6, 2) AS INTEGER))"


class greatest_of(FunctionElement[Any]):  # noqa: N801
    """greatest_of(a, b): the larger of two non-null values of the same type (dates, timestamps, numbers)."""

    inherit_cache = True
    name = "greatest_of"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = list(self.clauses)[0].type


class least_of(FunctionElement[Any]):  # noqa: N801
    """least_of(a, b): the smaller of two non-null values of the same type."""

    inherit_cache = True
    name = "least_of"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.type = list(self.clauses)[0].type


@compiles(greatest_of)
def _greatest_of_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(least_of)
def _least_of_default(element: Any, compiler: Any, **kw: Any) -> str:
    require_default_form(element, compiler)
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(greatest_of, "sqlite")
def _greatest_of_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"  # scalar max; ISO dates/timestamps order as text


@compiles(least_of, "sqlite")
def _least_of_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


# engine → the SQLAlchemy dialect whose insert() says ON CONFLICT (imported on first use: PostgreSQL's costs ~35 ms)
CONFLICT_INSERTS: dict[str, str] = {"postgresql": "postgresql", "duckdb": "postgresql", "sqlite": "sqlite"}


def conflict_insert(dialect_name: str, table: Any) -> Any:
    """An INSERT that can say ON CONFLICT (upserts, insert-if-missing); EngineLacks on an engine without one
    (ClickHouse) instead of inserting row by row and catching errors."""
    if dialect_name not in CONFLICT_INSERTS:
        raise EngineLacks("an upsert (INSERT ... ON CONFLICT)", dialect_name)
    return importlib.import_module(f"sqlalchemy.dialects.{CONFLICT_INSERTS[dialect_name]}").insert(table)


class clear_table(Executable, ClauseElement):  # noqa: N801
    """Removes every row of a table inside the current transaction (TRUNCATE where that is transactional)."""

    inherit_cache = False

    def __init__(self, table: Any) -> None:
        self.table = table


@compiles(clear_table)
def _clear_table_default(element: Any, compiler: Any, **kw: Any) -> str:
    return f"DELETE FROM {compiler.preparer.format_table(element.table)}"


@compiles(clear_table, "postgresql")
def _clear_table_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"TRUNCATE {compiler.preparer.format_table(element.table)}"


class sqlite_prefilter(ColumnElement[bool]):  # noqa: N801
    """A redundant condition (implied by the rest of the query) that pays off on SQLite, whose planner then
    discards rows early; PostgreSQL plans better without it, so there and elsewhere it is TRUE."""

    # not Boolean: SQLite would get "(condition) = 1". Deliberately untyped SQL under a bool Python type.
    type = NullType()  # type: ignore[assignment]
    inherit_cache = True

    def __init__(self, condition: Any) -> None:
        self.condition = condition

    def get_children(self, **kw: Any) -> Any:
        return [self.condition]


@compiles(sqlite_prefilter)
def _sqlite_prefilter_default(element: Any, compiler: Any, **kw: Any) -> str:
    return "1 = 1"


@compiles(sqlite_prefilter, "sqlite")
def _sqlite_prefilter_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.condition, **kw))


class distinct_values(Executable, ClauseElement):  # noqa: N801
    """SELECT the distinct non-null values of one indexed column, as one statement to execute.

    Row stores (SQLite, PostgreSQL) hop along the column's index, one seek per value, instead of scanning every
    row; column stores (`distinct_values_by_scan`) read the one column, which is what they are fast at."""

    inherit_cache = False
    name = "distinct_values"

    def __init__(self, column: Any) -> None:
        self.column = column


def index_hopping_select(column: Any) -> Any:
    from sqlalchemy import func, select

    names = select(func.min(column).label("value")).cte("distinct_values", recursive=True)
    following = select(func.min(column)).where(column > names.c.value).scalar_subquery()
    names = names.union_all(select(following.label("value")).where(names.c.value.is_not(None)))
    return select(names.c.value).where(names.c.value.is_not(None))


@compiles(distinct_values)
def _distinct_values_default(element: Any, compiler: Any, **kw: Any) -> str:
    if compiler.dialect.name != "sqlite":
        require_default_form(element, compiler)
    return str(compiler.process(index_hopping_select(element.column), **kw))


def distinct_values_by_scan(element: Any, compiler: Any, **kw: Any) -> str:
    from sqlalchemy import select

    column = element.column
    stmt = select(column.label("value")).distinct().where(column.is_not(None)).order_by(column)
    return str(compiler.process(stmt, **kw))

