"""The write-side dialect SQL in one place: upserts, emptying tables, the transaction of a big load and its
SQLite settings (secondary indexes, temp store, page cache). Bulk loads are in `kpi_engine.db.dialect_bulk`, reads
in Arrow batches in `kpi_engine.db.dialect_reads`; read-side SQL constructs live in `kpi_engine.compute.dialect`.

Known engines: SQLite, PostgreSQL, DuckDB (duckdb-engine). An operation whose meaning would change on another
engine (an upsert, a transactional truncate) raises `UnsupportedOperation` there instead of doing something else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Index,
    Table,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

# columnar engines: tables carry their keys only (a secondary B-tree would cost every load and speed no scan)
KEYS_ONLY = frozenset({"duckdb"})
UPSERT_INSERTS: dict[str, Callable[[Table], Any]] = {"postgresql": pg_insert, "duckdb": pg_insert,
                                                      "sqlite": sqlite_insert}


class UnsupportedOperation(NotImplementedError):
    """The database engine has no implementation of a write-side operation."""

    def __init__(self, operation: str, dialect: str) -> None:
        super().__init__(f"{operation} is not implemented for the {dialect!r} database engine "
                         f"(supported: {', '.join(sorted(UPSERT_INSERTS))})")


def upsert_insert(conn: Connection, table: Table) -> Any:
    """An INSERT construct with ON CONFLICT support for the connection's engine."""
    make = UPSERT_INSERTS.get(conn.dialect.name)
    if make is None:
        raise UnsupportedOperation("an upsert (INSERT ... ON CONFLICT)", conn.dialect.name)
    return make(table)


def upsert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *,
                update: Sequence[str] | None = None,
                only_if: Callable[[Table, Any], ColumnElement[bool]] | None = None) -> int:
    """The one upsert: insert the rows, or, where a row with the same primary key exists, update its `update`
    columns (by default every non-key column the rows carry) when `only_if(table, excluded)` holds. With
    `update=()` existing rows are left as they are (insert the missing ones). Returns the rows written."""
    if not rows:
        return 0
    stmt = upsert_insert(conn, table)
    keys = [c.name for c in table.primary_key.columns]
    names = [c.name for c in table.columns if c.name not in keys and c.name in rows[0]] if update is None \
        else list(update)
    if names:
        condition = only_if(table, stmt.excluded) if only_if is not None else None
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_={name: stmt.excluded[name] for name in names},
                                          where=condition)
    else:
        stmt = stmt.on_conflict_do_nothing()
    result = conn.execute(stmt.execution_options(preserve_rowcount=True),
                          dict(rows[0]) if len(rows) == 1 else list(rows))
    return max(result.rowcount or 0, 0)


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Executemany insert of rows that all carry the same keys."""
    if rows:
        conn.execute(insert(table), list(rows))


def empty_table(conn: Connection, table: Table) -> int:
    """Deletes every row inside the current transaction; returns how many there were."""
    if conn.dialect.name != "postgresql":
        return int(conn.execute(delete(table)).rowcount)
    existing = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    conn.execute(text(f"TRUNCATE {qualified_name(conn, table)}"))  # transactional in PG
    return existing


def empty_tables(conn: Connection, tables: Sequence[Table]) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("TRUNCATE " + ", ".join(qualified_name(conn, t) for t in tables)))
        return
    for table in tables:
        conn.execute(delete(table))


def raw_cursor(conn: Connection) -> Any:
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def duckdb_connection(conn: Connection) -> Any:
    """The DuckDB connection under `conn`, in this transaction, ready for a statement: the rest of an earlier
    SELECT's result is dropped (DuckDB keeps one open result per connection and refuses other work beside it)."""
    raw = conn.connection.driver_connection
    raw.abort()  # type: ignore[union-attr]
    return raw


@contextmanager
def secondary_indexes_dropped(conn: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """Loads into `tables` without maintaining their non-unique indexes, built again (by one sort) afterwards."""
    if conn.dialect.name in KEYS_ONLY:
        yield
        return
    dropped = [index for table in tables for index in table.indexes if not index.unique]
    for index in dropped:
        index.drop(conn, checkfirst=True)
    yield
    create_indexes(conn, dropped)


def create_indexes(conn: Connection, indexes: Sequence[Index]) -> None:
    """Builds indexes (each one sort). On SQLite with a small page cache: the sorter's helper threads (PRAGMA
    threads) each take a buffer of the cache's size, and a small one sorts no slower."""
    if conn.dialect.name in KEYS_ONLY:
        return
    with page_cache_bounded(conn, INDEX_BUILD_CACHE_KIB):
        for index in indexes:
            index.create(conn, checkfirst=True)


def qualified_name(conn: Connection, table: Table) -> str:
    """`table`'s name as this connection's statements see it (in the scratch schema when translated)."""
    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(table.schema, table.schema)
    preparer = conn.dialect.identifier_preparer
    return f"{preparer.quote_schema(schema)}.{preparer.quote(table.name)}" if schema else preparer.quote(table.name)


@contextmanager
def load_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction around a big load (all or nothing): commits when the block succeeds, else rolls back."""
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
BULK_PAGE_CACHE_KIB = 64 * 1024  # the engine's connections cache 200 MB each (kpi_engine/db/engine.py)
INDEX_BUILD_CACHE_KIB = 16 * 1024


@contextmanager
def page_cache_bounded(conn: Connection, kib: int = BULK_PAGE_CACHE_KIB) -> Iterator[None]:
    """On SQLite, the connection's page cache (and sort memory) at most `kib` KiB, the pages beyond freed now,
    for a bulk write: appends in key order need few cached pages. The connection's setting is restored after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    conn.exec_driver_sql("PRAGMA shrink_memory")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before or 0)}")
