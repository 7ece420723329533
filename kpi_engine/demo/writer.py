"""Writes generated columns (numpy arrays or lists) into tables, fast on the two main backends.

SQLite: raw DBAPI `executemany` of tuples; PostgreSQL: `COPY ... FROM STDIN`; any other dialect:
`kpi_engine.db.bulk.insert_rows`. Timestamps are written as naive UTC in the exact text form SQLAlchemy
uses on SQLite (`YYYY-MM-DD HH:MM:SS.ffffff`), which PostgreSQL also parses; local days as `YYYY-MM-DD`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Table, delete, text

from kpi_engine.db.bulk import insert_rows
from kpi_engine.db.models import (
    Account,
    DerivedState,
    Event,
    Feature,
    MarketingSpend,
    Order,
    Release,
    Session,
    Subscription,
    SurveyDelivery,
    SurveyResponse,
    Ticket,
    Trial,
    User,
    UserDay,
    WorkItem,
)
from kpi_engine.demo.textcols import timestamp_text

BATCH_ROWS = 50_000
SQLITE_INSTANT = "strftime('%Y-%m-%d %H:%M:%S.000000', ?, 'unixepoch')"
DEMO_TABLES: tuple[Table, ...] = tuple(m.__table__ for m in (  # type: ignore[misc]
    Account, Subscription, User, Event, Order, MarketingSpend, Trial, Ticket, WorkItem, Release, Feature,
    SurveyResponse, SurveyDelivery, UserDay, Session, DerivedState,
))

Column = np.ndarray | Sequence[Any]


def wipe(conn: Connection) -> list[str]:
    """Empties every data table, the survey deliveries and the derived tables. Returns their names."""
    names = [t.name for t in DEMO_TABLES]
    if conn.dialect.name == "postgresql":
        conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names)))
    else:
        for table in DEMO_TABLES:
            conn.execute(delete(table))
    return names


def write(conn: Connection, table: Table, columns: Mapping[str, Column]) -> int:
    """Inserts the rows given column-wise; returns how many."""
    names = list(columns)
    n = len(columns[names[0]])
    dialect = conn.dialect.name
    for start in range(0, n, BATCH_ROWS):
        stop = min(start + BATCH_ROWS, n)
        values = [python_values(columns[c][start:stop], dialect) for c in names]
        rows = list(zip(*values, strict=True))
        if dialect == "sqlite":
            _sqlite_insert(conn, table, names, [_is_instant(columns[c]) for c in names], rows)
        elif dialect == "postgresql":
            _postgres_copy(conn, table, names, rows)
        else:
            insert_rows(conn, table, [dict(zip(names, r, strict=True)) for r in rows])
    return n


def _is_instant(column: Column) -> bool:
    return isinstance(column, np.ndarray) and column.dtype.kind == "M" and np.datetime_data(column.dtype)[0] != "D"


def python_values(column: Column, dialect: str) -> list[Any]:
    """Plain Python values for the driver, None for NaT/NaN. Instants: epoch seconds on SQLite (formatted by
    SQLite itself), text on PostgreSQL, datetimes elsewhere. Days: ISO text, or dates elsewhere."""
    if not isinstance(column, np.ndarray):
        return list(column)
    kind = column.dtype.kind
    if kind == "M":
        if not _is_instant(column):
            values = np.datetime_as_string(column).tolist() if dialect in ("sqlite", "postgresql") \
                else column.astype(object).tolist()
        elif dialect == "sqlite":
            values = column.astype("datetime64[s]").astype(np.int64).tolist()
        elif dialect == "postgresql":
            values = timestamp_text(column)
        else:
            values = column.astype("datetime64[us]").astype(object).tolist()
        missing = np.isnat(column)
    elif kind == "f":
        values = column.tolist()
        missing = np.isnan(column)
    else:
        return column.tolist()
    if missing.any():
        for i in np.flatnonzero(missing):
            values[i] = None
    return values


def _sqlite_insert(conn: Connection, table: Table, names: list[str], instants: list[bool],
                   rows: list[tuple[Any, ...]]) -> None:
    """Instants arrive as epoch seconds; SQLite writes them in SQLAlchemy's text form (NULL stays NULL)."""
    marks = [SQLITE_INSTANT if instant else "?" for instant in instants]
    sql = f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({", ".join(marks)})'
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def _postgres_copy(conn: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f'COPY "{table.name}" ({", ".join(names)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


@contextmanager
def indexes_dropped(engine: Engine, table: Table) -> Iterator[None]:
    """Bulk-load `table` without maintaining its secondary indexes; they are (re)built afterwards, also
    after a failure, and created if missing (as declared on the model, with the migration's names)."""
    with engine.begin() as conn:
        for index in table.indexes:
            index.drop(conn, checkfirst=True)
    try:
        yield
    finally:
        with engine.begin() as conn, temp_store_on_disk(conn):
            for index in table.indexes:
                index.create(conn, checkfirst=True)


@contextmanager
def temp_store_on_disk(conn: Connection) -> Iterator[None]:
    """On SQLite, big sorts (index builds, GROUP BYs) spill to temporary files instead of growing memory
    (the engine keeps temporary tables in memory); the connection's setting is restored afterwards."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA temp_store").scalar()
    conn.exec_driver_sql("PRAGMA temp_store=FILE")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA temp_store={int(before or 0)}")
