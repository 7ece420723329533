"""An engine on a source, per engine: read-only unless it is to write (a refresh into the scratch schema), with
the scratch schema where the engine needs help to have one, and prepared for the computations' SQL.

- SQLite: opened as a read-only URI (`mode=ro`); it has no schemas, so the scratch schema is a file beside the
  source (`<name>.<schema>.sqlite3`), attached under the schema's name;
- DuckDB: `read_only`, so several processes can read one file;
- PostgreSQL: read-only sessions (`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`);
- ClickHouse: `readonly = 2` (clickhouse.clickhouse_read_only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from kpi_engine.compute.dialect.clickhouse import DIALECT as CLICKHOUSE
from kpi_engine.compute.dialect.clickhouse import clickhouse_read_only
from kpi_engine.compute.dialect.preparation import prepare_engine


def open_source_engine(url: URL, *, writable: bool, scratch: str | None) -> Engine:
    backend = url.get_backend_name()
    database = url.database or ""
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        if not writable and database and database != ":memory:":
            url = url.set(database=f"file:{Path(database).expanduser()}?mode=ro", query={**url.query, "uri": "true"})
        kwargs["connect_args"] = {"timeout": 30, **({"uri": True} if "uri" in url.query else {})}
    elif backend == "duckdb":
        kwargs["connect_args"] = {"read_only": not writable}
    else:
        kwargs["pool_pre_ping"] = True
    engine = prepare_engine(create_engine(url, **kwargs))
    if backend == "postgresql" and not writable:
        event.listen(engine, "connect", _postgres_read_only)
    if backend == CLICKHOUSE and not writable:
        event.listen(engine, "connect", clickhouse_read_only)
    if backend == "sqlite" and scratch:
        _attach_sqlite_scratch(engine, database, scratch, writable)
    return engine


def sqlite_scratch_file(database: str, schema: str) -> str:
    """SQLite has no schemas: the scratch schema is a file beside the source, attached under that name."""
    path = Path(database.removeprefix("file:").split("?")[0]).expanduser()
    return str(path.with_name(f"{path.stem}.{schema}{path.suffix or '.sqlite3'}"))


def _attach_sqlite_scratch(engine: Engine, database: str, schema: str, writable: bool) -> None:
    scratch_file = sqlite_scratch_file(database, schema)
    if not writable and not Path(scratch_file).exists():
        return  # nothing refreshed yet: the derived tables are simply not there
    target = scratch_file if writable else f"file:{scratch_file}?mode=ro"

    def attach(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"ATTACH DATABASE '{target}' AS \"{schema}\"")

    event.listen(engine, "connect", attach)


def _postgres_read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.commit()


def readers_block_writers(url: URL) -> bool:
    """DuckDB opens a file once per process, read-only or for writing: this process's read-only engines on it
    must be closed before it is opened to write."""
    return url.get_backend_name() == "duckdb"
