"""The only dialect-specific SQL: small constructs compiled per dialect (SQLite, PostgreSQL, default).

To support a warehouse dialect, add its `@compiles` variants here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, DateTime, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class seconds_between(FunctionElement[float]):  # noqa: N801  (reads like a SQL function)
    """seconds_between(a, b) = b - a in seconds (float)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_between_default(element: Any, compiler: Any, **kw: Any) -> str:
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
    (value,) = list(element.clauses)
    return f"CAST({compiler.process(value, **kw)} AS {compiler.dialect.type_compiler_instance.process(element.type)})"


@compiles(typed_value, "sqlite")
def _typed_value_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    (value,) = list(element.clauses)
    return compiler.process(value, **kw)
