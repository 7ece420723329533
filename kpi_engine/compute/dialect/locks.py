"""A lock named after a database, held across processes and hosts for as long as a piece of work runs there.

- PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a connection of its own, so every replica
  reaching the database sees it; the server drops it when that connection ends (a killed process included).
- SQLite and DuckDB files: `flock` on a file beside the database (those files are local to a host); the kernel
  drops it when the process ends. It says who holds it (host, process, since when) for the message.
- An in-memory database belongs to one process: no lock is needed.
Any other engine raises EngineLacks.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, text

from kpi_engine.compute.dialect.engines import EngineLacks

POLL_SECONDS = 0.2


class LockHeld(RuntimeError):
    """Another process holds the lock; the message says which when it is known."""


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def database_lock(engine: Engine, name: str, *, wait: bool, schema: str | None = None) -> Iterator[None]:
    """Holds the lock `name` on `engine`'s database (`schema`: the part of it the work writes, when that is a file
    of its own, as a scratch schema on SQLite is). `wait`: block until it is free, else raise LockHeld at once."""
    backend = engine.dialect.name
    if backend == "postgresql":
        with _advisory_lock(engine, lock_key(f"{name}:{schema or ''}"), wait):
            yield
        return
    if backend in ("sqlite", "duckdb"):
        database = engine.url.database or ""
        if database in ("", ":memory:"):
            yield
            return
        path = Path(database.removeprefix("file:").split("?")[0]).expanduser()
        with _file_lock(path.with_name(f"{path.name}.{schema + '.' if schema else ''}{name}.lock"), wait):
            yield
        return
    raise EngineLacks(f"a lock for {name}", backend)


@contextmanager
def _advisory_lock(engine: Engine, key: int, wait: bool) -> Iterator[None]:
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if wait:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        elif not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
            holder = conn.execute(text("SELECT pid, backend_start FROM pg_stat_activity WHERE pid = (SELECT pid FROM "
                                       "pg_locks WHERE locktype = 'advisory' AND granted AND "
                                       "((classid::bigint << 32) | objid::bigint) = :key LIMIT 1)"),
                                  {"key": key}).first()
            raise LockHeld(f"PostgreSQL session {holder.pid}" if holder is not None else "another session")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


@contextmanager
def _file_lock(path: Path, wait: bool) -> Iterator[None]:
    handle: IO[str] = open(path, "a+", encoding="utf-8")  # noqa: SIM115  (held open for the lock's lifetime)
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    handle.seek(0)
                    raise LockHeld(handle.read().strip() or "another process") from None
                time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()} on {socket.gethostname()} since "
                     f"{datetime.now(UTC).isoformat(timespec='seconds')}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()
