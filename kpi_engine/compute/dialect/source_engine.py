"""An engine on a source, per engine: read-only unless it is to write (a refresh into the scratch schema), with
the scratch schema where the engine needs help to have one, and prepared for the computations' SQL.

- SQLite: opened as a read-only URI (`mode=ro`); it has no schemas, so the scratch schema is a file beside the
  source (`<name>.<schema>.sqlite3`), attached under the schema's name;
- DuckDB: `read_only`, so several processes can read one file; the bot's own store (KPI_DATA_URL) is closed as
  soon as it is idle, so an import in another process can take it between two answers, and an opening waits while
  another process writes it (DuckDB locks the file: one writing process, or any number reading);
- PostgreSQL: read-only sessions (`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`);
- ClickHouse: `readonly = 2` (clickhouse.clickhouse_read_only).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from kpi_engine.compute.dialect.clickhouse import DIALECT as CLICKHOUSE
from kpi_engine.compute.dialect.clickhouse import clickhouse_read_only
from kpi_engine.compute.dialect.preparation import prepare_engine

log = logging.getLogger(__name__)


STORE_MEMORY = "128MB"  # DuckDB's memory for the store (it spills beyond that to a temporary folder)
STORE_WAIT_SECONDS = 300.0  # an opening of the store waits this long for another process's import to end
STORE_IDLE_SECONDS = 0.5  # a reader closes the store once unused this long (one answer's queries share it)
# DuckDB's dictionary-FSST string compression halves the store's file but doubles the cost of every write (1 M events
# and their derived tables: 1.6 s against 0.9 s written, 60 MB against 148 MB); answers stay fast (docs/sources.md)
STORE_WRITE_SETTINGS = "SET disabled_compression_methods = 'dict_fsst'"


def open_source_engine(url: URL, *, writable: bool, scratch: str | None, owned: bool = False) -> Engine:
    """`owned`: the bot's own store (KPI_DATA_URL), which `kpibot import` writes from another process."""
    backend = url.get_backend_name()
    database = url.database or ""
    kwargs: dict[str, Any] = {}
    if backend == "sqlite":
        if not writable and database and database != ":memory:":
            url = url.set(database=f"file:{Path(database).expanduser()}?mode=ro", query={**url.query, "uri": "true"})
        kwargs["connect_args"] = {"timeout": 30, **({"uri": True} if "uri" in url.query else {})}
    elif backend == "duckdb":
        kwargs["connect_args"] = {"read_only": not writable}
        if owned:
            kwargs["connect_args"]["config"] = {"memory_limit": STORE_MEMORY, "preserve_insertion_order": False}
    else:
        kwargs["pool_pre_ping"] = True
    engine = prepare_engine(create_engine(url, **kwargs))
    if backend == "duckdb" and owned:
        event.listen(engine, "do_connect", _wait_for_the_writer)
        if not writable:  # let go of when idle: an import in another process may take the file
            IdleRelease(engine, STORE_IDLE_SECONDS)
        else:
            event.listen(engine, "connect", lambda dbapi_connection, _record: dbapi_connection.execute(
                STORE_WRITE_SETTINGS))
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


class IdleRelease:
    """Closes an engine's pooled connections once none has been used for `seconds` (the connections checked out
    are never touched: a pool's dispose closes only those waiting in it)."""

    def __init__(self, engine: Engine, seconds: float) -> None:
        self.engine, self.seconds = engine, seconds
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.returned_at = 0.0
        event.listen(engine, "checkin", self.returned)

    def returned(self, _dbapi_connection: Any, _record: Any) -> None:
        with self.lock:
            self.returned_at = time.monotonic()
            if self.timer is None:
                self._arm(self.seconds)

    def _arm(self, seconds: float) -> None:
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True
        self.timer.start()

    def _fire(self) -> None:
        with self.lock:
            self.timer = None
            idle = time.monotonic() - self.returned_at
            if idle < self.seconds:  # used again since: wait for the rest
                self._arm(self.seconds - idle)
                return
        self.engine.pool.dispose()


def _wait_for_the_writer(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Opens the DuckDB file, waiting (up to STORE_WAIT_SECONDS) while another process holds its lock."""
    import duckdb

    deadline = time.monotonic() + STORE_WAIT_SECONDS
    pause, told = 0.05, False
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            if not told:
                holder = str(exc).split("Conflicting lock is held in ")[-1].split(". See")[0]
                log.warning("the data store is in use by another process (%s): waiting up to %.0f s",
                            holder, STORE_WAIT_SECONDS)
                told = True
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


def _postgres_read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.commit()


def readers_block_writers(url: URL) -> bool:
    """DuckDB opens a file once per process, read-only or for writing: this process's read-only engines on it
    must be closed before it is opened to write."""
    return url.get_backend_name() == "duckdb"
