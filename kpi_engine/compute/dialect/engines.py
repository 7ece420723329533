"""The engines the dialect module knows, and the error for what an engine lacks.

An engine is known by its SQLAlchemy dialect name. The default forms of `functions` are PostgreSQL's
SQL, which DuckDB also reads; SQLite and ClickHouse have forms of their own. Any other dialect is refused
with `EngineLacks` when a statement needing one of these constructs is compiled: no guessed SQL runs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Engine, MetaData, Table, inspect

# dialect name → what the engine is, for messages and docs
KNOWN_ENGINES: dict[str, str] = {
    "sqlite": "SQLite",
    "postgresql": "PostgreSQL",
    "duckdb": "DuckDB (duckdb-engine)",
    "clickhousedb": "ClickHouse (clickhouse-connect: a server, or chDB in-process)",
}
DEFAULT_FORM_ENGINES = frozenset({"postgresql", "duckdb"})  # the engines the default (PostgreSQL) forms are for
# engines whose derived tables cannot be rebuilt in place (no transactions): `kpibot refresh` builds them elsewhere
NO_SCRATCH_ENGINES = {
    "clickhousedb": "ClickHouse has no transactions to rebuild the derived tables in; leave KPI_SOURCE_SCRATCH_SCHEMA "
                    "unset and `kpibot refresh` builds them into DATABASE_URL",
}


class EngineLacks(NotImplementedError):
    """An operation has no form on this engine (said before anything runs, instead of guessing)."""

    def __init__(self, operation: str, dialect_name: str, hint: str = "") -> None:
        known = ", ".join(KNOWN_ENGINES.values())
        what = KNOWN_ENGINES.get(dialect_name, f"the SQLAlchemy dialect {dialect_name!r}")
        message = f"{operation} is not available on {what}"
        message += f": {hint}" if hint else f" (engines KPI Bot knows: {known})"
        super().__init__(message)
        self.operation = operation
        self.dialect_name = dialect_name


def engine_name(dialect_name: str) -> str:
    return KNOWN_ENGINES.get(dialect_name, dialect_name)


def require_known_engine(dialect_name: str, operation: str) -> None:
    """Raises EngineLacks unless the default (PostgreSQL) form of `operation` is right for this engine."""
    if dialect_name not in DEFAULT_FORM_ENGINES:
        raise EngineLacks(operation, dialect_name)


def require_scratch_schema(dialect_name: str) -> None:
    """Raises EngineLacks when the derived tables cannot be kept in a scratch schema of this engine."""
    if dialect_name in NO_SCRATCH_ENGINES:
        raise EngineLacks("keeping the derived tables in a scratch schema (KPI_SOURCE_SCRATCH_SCHEMA)", dialect_name,
                          NO_SCRATCH_ENGINES[dialect_name])


def require_default_form(element: Any, compiler: Any) -> None:
    require_known_engine(compiler.dialect.name, getattr(element, "name", type(element).__name__))


def reflect_table(engine: Engine, name: str, metadata: MetaData, schema: str | None = None) -> Table:
    """A table's columns (names, types, nullability) as read from the database, on every known engine.

    Only the columns: full reflection (`autoload_with`) also reads constraints through catalog queries that
    DuckDB does not answer, and the computations need nothing but the columns."""
    columns = inspect(engine).get_columns(name, schema=schema)
    return Table(name, metadata, *(Column(c["name"], c["type"], nullable=c["nullable"]) for c in columns),
                 schema=schema)
