"""One database transaction around a whole import (all or nothing), with SQLite tuned for big loads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine


@contextmanager
def import_transaction(engine: Engine) -> Iterator[Connection]:
    """Commits when the block succeeds, rolls everything back on any error."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                yield conn
            return
        with _sqlite_explicit_transaction(conn):
            yield conn


@contextmanager
def _sqlite_explicit_transaction(conn: Connection) -> Iterator[None]:
    # pysqlite only opens a transaction before INSERT/UPDATE/DELETE, so DDL (staging table, index rebuilds) would
    # autocommit. Driving BEGIN ourselves makes every statement part of one transaction. Temporary data (staging,
    # sorts) goes to a temp file instead of memory so that RAM stays bounded on huge files.
    raw = conn.connection.driver_connection
    assert raw is not None
    previous_isolation = raw.isolation_level
    previous_temp_store = raw.execute("PRAGMA temp_store").fetchone()[0]
    raw.isolation_level = None
    raw.execute("PRAGMA temp_store=FILE")
    try:
        with conn.begin():
            raw.execute("BEGIN IMMEDIATE")
            yield
    finally:
        if raw.in_transaction:  # pragma: no cover - conn.begin() already ended it
            raw.execute("ROLLBACK")
        raw.execute(f"PRAGMA temp_store={int(previous_temp_store)}")
        raw.isolation_level = previous_isolation
