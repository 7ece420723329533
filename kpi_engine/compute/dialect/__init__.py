"""The one dialect module of the query side: every construct whose SQL differs by engine.

`functions` holds the constructs with their default (PostgreSQL, DuckDB) and SQLite forms; `clickhouse`
the ClickHouse forms and the session settings its SQL needs; `duckdb` its few forms and column reflection;
`engines` the engines known and the error an operation an engine lacks raises (`EngineLacks`);
`preparation` sets an engine up (`prepare_engine`); `source_engine` and `source_columns` open a source and read
its columns in the contract's types; `locks` holds a lock on a database across processes (one refresh at a time).
"""

from kpi_engine.compute.dialect.engines import (
    KNOWN_ENGINES,
    EngineLacks,
    engine_name,
    reflect_table,
    require_known_engine,
    require_scratch_schema,
)
from kpi_engine.compute.dialect.functions import (
    add_days,
    add_seconds,
    clear_table,
    conflict_insert,
    days_between,
    distinct_values,
    greatest_of,
    least_of,
    month_number,
    seconds_between,
    shifted_date,
    sqlite_prefilter,
    typed_value,
)
from kpi_engine.compute.dialect.preparation import prepare_engine  # also registers the engines' forms

__all__ = [
    "KNOWN_ENGINES",
    "EngineLacks",
    "add_days",
    "add_seconds",
    "clear_table",
    "conflict_insert",
    "days_between",
    "distinct_values",
    "engine_name",
    "greatest_of",
    "least_of",
    "month_number",
    "prepare_engine",
    "reflect_table",
    "require_known_engine",
    "require_scratch_schema",
    "seconds_between",
    "shifted_date",
    "sqlite_prefilter",
    "typed_value",
]
