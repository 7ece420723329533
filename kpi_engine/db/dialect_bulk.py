"""Bulk loads in Arrow batches, per engine: COPY on PostgreSQL, multi-row INSERTs on SQLite, Arrow scans on
DuckDB; the values each driver takes (SQLite's text instants). Reads in Arrow batches are in
`kpi_engine.db.dialect_reads`; the rest of the write side (upserts, emptying, the load's transaction) in
`kpi_engine.db.dialect`.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Date, DateTime, Table

from kpi_engine.db.dialect import duckdb_connection, insert_rows, qualified_name, raw_cursor

WRITE_BATCH_ROWS = 200_000
SQLITE_ROWS_PER_INSERT = 200  # rows per multi-row INSERT on SQLite
SQLITE_TIMESTAMP = "%Y-%m-%d %H:%M:%S"  # Arrow's %S of a timestamp[us] has the microseconds: SQLAlchemy's text form


def load_tuples(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                value_sql: Sequence[str] | None = None) -> None:
    """Fastest plain load of positional rows: COPY on PostgreSQL, a raw executemany elsewhere.

    Values must already be in a form the database parses for the column (timestamps may be ISO strings).
    `value_sql` (not PostgreSQL): an SQL expression per column around its `?` (e.g. formatting epoch seconds).
    """
    load_tuples_into(conn, qualified_name(conn, table), columns, rows, value_sql)


def load_tuples_into(conn: Connection, target: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                     value_sql: Sequence[str] | None = None) -> None:
    """`load_tuples` into the table named `target` (already quoted)."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        _sqlite_insert(conn, target, columns, SqliteParams.of_rows(rows, len(columns)), value_sql)
        return
    if conn.dialect.name == "duckdb" and value_sql is None:
        data = pa.table({name: list(values) for name, values in zip(columns, zip(*rows, strict=True), strict=True)})
        _duckdb_insert(conn, target, data)
        return
    names = ", ".join(conn.dialect.identifier_preparer.quote(name) for name in columns)
    cursor = raw_cursor(conn)
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # the DB-API's own placeholder: %s for format/pyformat drivers, ? for the others (DuckDB)
        mark = "%s" if conn.dialect.paramstyle in ("format", "pyformat") else "?"
        group = f"({', '.join(value_sql or [mark] * len(columns))})"
        cursor.executemany(f"INSERT INTO {target} ({names}) VALUES {group}", rows)
    finally:
        cursor.close()


def load_lists(conn: Connection, table: Table, columns: Sequence[str], values: Sequence[list[Any]],
               value_sql: Sequence[str] | None = None) -> None:
    """`load_tuples` of rows given column by column (lists of one length): on SQLite the statements'
    parameters are laid out straight from the columns, without a tuple per row."""
    if conn.dialect.name == "sqlite":
        _sqlite_insert(conn, qualified_name(conn, table), columns, SqliteParams.of_lists(values), value_sql)
    elif conn.dialect.name == "duckdb" and value_sql is None:
        _duckdb_insert(conn, qualified_name(conn, table), pa.table(dict(zip(columns, values, strict=True))))
    else:
        load_tuples(conn, table, columns, list(zip(*values, strict=True)), value_sql)


@dataclass(frozen=True)
class SqliteParams:
    """Rows as one flat list of values, row after row (`width` values each): what multi-row INSERTs bind."""

    flat: list[Any]
    width: int

    @classmethod
    def of_rows(cls, rows: Sequence[Sequence[Any]], width: int) -> SqliteParams:
        return cls(list(chain.from_iterable(rows)), width)

    @classmethod
    def of_lists(cls, values: Sequence[list[Any]]) -> SqliteParams:
        width = len(values)
        flat: list[Any] = [None] * (len(values[0]) * width if values else 0)
        for position, column in enumerate(values):
            flat[position::width] = column
        return cls(flat, width)

    @property
    def rows(self) -> int:
        return len(self.flat) // self.width if self.width else 0


def _sqlite_insert(conn: Connection, target: str, columns: Sequence[str], params: SqliteParams,
                   value_sql: Sequence[str] | None) -> None:
    """Inserts whole groups of `SQLITE_ROWS_PER_INSERT` rows, each group one statement (about twice as fast as
    an executemany of single rows: the per-statement work is paid once a group), then the rows left over."""
    if not params.rows:
        return
    names = ", ".join(conn.dialect.identifier_preparer.quote(name) for name in columns)
    group = f"({', '.join(value_sql or ['?'] * len(columns))})"
    cursor = raw_cursor(conn)
    try:
        marks = max(group.count("?"), 1)
        limit = cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(1, min(SQLITE_ROWS_PER_INSERT, limit // marks))
        step = per * params.width
        whole = params.rows // per * step
        flat = params.flat
        if whole:
            sql = f"INSERT INTO {target} ({names}) VALUES " + ", ".join([group] * per)
            for start in range(0, whole, step):
                cursor.execute(sql, flat[start:start + step])
        if whole < len(flat):
            width = params.width
            rest = [flat[start:start + width] for start in range(whole, len(flat), width)]
            cursor.executemany(f"INSERT INTO {target} ({names}) VALUES {group}", rest)
    finally:
        cursor.close()


SQLITE_INSTANT = "strftime('%Y-%m-%d %H:%M:%S.000000', ?, 'unixepoch')"  # epoch seconds → stored text


ColumnValues = np.ndarray | Sequence[Any]


def load_columns(conn: Connection, table: Table, columns: Mapping[str, ColumnValues], batch_rows: int) -> int:
    """Inserts rows given column-wise (numpy arrays or lists); returns how many. SQLite: instants go as epoch
    seconds and SQLite writes them in SQLAlchemy's text form; PostgreSQL: COPY of text; others: executemany."""
    names = list(columns)
    n = len(columns[names[0]])
    dialect = conn.dialect.name
    for start in range(0, n, batch_rows):
        stop = min(start + batch_rows, n)
        if dialect == "duckdb":  # columnar: NaN and NaT are NULL, as driver_values makes them
            data = pa.table({c: pa.array(columns[c][start:stop], from_pandas=True) for c in names})
            _duckdb_insert(conn, qualified_name(conn, table), data)
            continue
        values = [driver_values(columns[c][start:stop], dialect) for c in names]
        if dialect == "sqlite":
            marks = [SQLITE_INSTANT if _is_instant(columns[c]) else "?" for c in names]
            load_lists(conn, table, names, values, marks)
            continue
        rows = list(zip(*values, strict=True))
        if dialect == "postgresql":
            load_tuples(conn, table, names, rows)
        else:
            insert_rows(conn, table, [dict(zip(names, r, strict=True)) for r in rows])
    return n


def stored_instants(column: np.ndarray, dialect: str) -> np.ndarray:
    """Instants as `load_columns` stores them on `dialect`: whole seconds on SQLite and PostgreSQL (the forms
    `driver_values` sends), microseconds elsewhere."""
    return column.astype("datetime64[s]" if dialect in ("sqlite", "postgresql") else "datetime64[us]")


def _is_instant(column: ColumnValues) -> bool:
    return isinstance(column, np.ndarray) and column.dtype.kind == "M" and np.datetime_data(column.dtype)[0] != "D"


def driver_values(column: ColumnValues, dialect: str) -> list[Any]:
    """Plain Python values for the driver, None for NaT/NaN. Instants: epoch seconds on SQLite (formatted by
    SQLite itself), text on PostgreSQL, datetimes elsewhere. Days: ISO text, or dates elsewhere."""
    from kpi_engine.demo.textcols import timestamp_text

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


def _as_sqlite_values(column: pa.ChunkedArray | pa.Array) -> list[Any]:
    kind = column.type
    if pa.types.is_timestamp(kind):
        return pc.strftime(column, format=SQLITE_TIMESTAMP).to_pylist()
    if pa.types.is_date(kind):
        return pc.strftime(column, format="%Y-%m-%d").to_pylist()
    return column.to_pylist()


def bulk_insert(conn: Connection, table: Table, data: pa.Table) -> int:
    """Inserts an Arrow table whose column names are `table`'s; returns the rows written.

    SQLite: multi-row INSERTs (temporals as SQLAlchemy's text forms); PostgreSQL: COPY in CSV form;
    DuckDB: straight from Arrow; any other engine: SQLAlchemy's executemany.
    """
    return bulk_insert_batches(conn, table, [data])


def bulk_insert_batches(conn: Connection, table: Table, batches: Iterable[pa.Table]) -> int:
    """`bulk_insert` of a stream of Arrow tables; returns the rows written. On SQLite the next batch is read and
    laid out as statement parameters on a helper thread while this one's INSERTs run (SQLite releases the GIL
    while it writes): `batches` is consumed on that thread, one batch ahead."""
    dialect = conn.dialect.name
    if dialect != "sqlite":
        return sum(_insert_batch(conn, table, data) for data in batches)
    written = 0
    target = qualified_name(conn, table)
    for names, params in prefetched(_sqlite_parts(batches)):
        _sqlite_insert(conn, target, names, params, None)
        written += params.rows
    return written


def _sqlite_parts(batches: Iterable[pa.Table]) -> Iterator[tuple[list[str], SqliteParams]]:
    for data in batches:
        for start in range(0, data.num_rows, WRITE_BATCH_ROWS):
            part = data.slice(start, WRITE_BATCH_ROWS)
            yield part.column_names, SqliteParams.of_lists([_as_sqlite_values(part.column(n))
                                                            for n in part.column_names])


_END = object()


def prefetched(items: Iterable[Any]) -> Iterator[Any]:
    """Yields `items`, making the next one on a helper thread while the caller works on the current one."""
    iterator = iter(items)
    with ThreadPoolExecutor(1, thread_name_prefix="kpibot-prefetch") as pool:
        pending = pool.submit(next, iterator, _END)
        while (item := pending.result()) is not _END:
            pending = pool.submit(next, iterator, _END)
            yield item


def _insert_batch(conn: Connection, table: Table, data: pa.Table) -> int:
    if data.num_rows == 0:
        return 0
    if conn.dialect.name == "duckdb":
        _duckdb_insert(conn, qualified_name(conn, table), data)
        return data.num_rows
    for start in range(0, data.num_rows, WRITE_BATCH_ROWS):
        part = data.slice(start, WRITE_BATCH_ROWS)
        if conn.dialect.name == "postgresql":
            _postgres_copy_csv(conn, table, part)
        else:
            insert_rows(conn, table, part.to_pylist())
    return data.num_rows


def _duckdb_insert(conn: Connection, target: str, data: pa.Table) -> None:
    """An Arrow table into the DuckDB table named `target` (quoted), by name, in one scan. The table is found by
    DuckDB's scan of this frame's variables: a registered view would keep its buffers until the commit."""
    raw = duckdb_connection(conn)
    kpibot_bulk_batch = data  # noqa: F841  (read by name in the statement)
    quoted = ", ".join(f'"{n}"' for n in data.column_names)
    raw.execute(f"INSERT INTO {target} ({quoted}) SELECT {quoted} FROM kpibot_bulk_batch")


def _postgres_copy_csv(conn: Connection, table: Table, part: pa.Table) -> None:
    buffer = io.BytesIO()
    # quoting every string tells an empty string ("") from NULL (nothing) in PostgreSQL's CSV format
    pacsv.write_csv(part, buffer, pacsv.WriteOptions(include_header=False, quoting_style="all_valid"))
    names = ", ".join(conn.dialect.identifier_preparer.quote(n) for n in part.column_names)
    cursor = raw_cursor(conn)
    try:
        target = qualified_name(conn, table)
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN (FORMAT csv)") as copy:
            copy.write(buffer.getvalue())
    finally:
        cursor.close()


def duckdb_select_list(conn: Connection, table: Table) -> str:
    """A DuckDB select list of `table`'s columns in the form `bulk_insert` writes fastest on this engine
    (SQLite: temporals as the text SQLAlchemy stores, formatted by DuckDB rather than row by row)."""
    out = []
    for column in table.columns:
        name = f'"{column.name}"'
        kind = column.type
        if conn.dialect.name == "sqlite" and isinstance(kind, DateTime):
            out.append(f"strftime({name}, '%Y-%m-%d %H:%M:%S.%f') AS {name}")
        elif conn.dialect.name == "sqlite" and isinstance(kind, Date):
            out.append(f"CAST({name} AS VARCHAR) AS {name}")
        else:
            out.append(name)
    return ", ".join(out)


def create_temp_keys(conn: Connection, name: str, data: pa.Table) -> str:
    """A temporary table `name` of text columns holding `data`'s distinct rows (its key; dropped at commit on
    PostgreSQL); its quoted name.

    Created with plain SQL so that a schema translation of the connection (scratch schema) leaves it alone."""
    preparer = conn.dialect.identifier_preparer
    quoted = preparer.quote(name)
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {quoted}")
    if conn.dialect.name == "duckdb":  # no index to probe there: the distinct rows, by one scan of the Arrow table
        kpibot_keys = data  # noqa: F841  (read by name in the statement)
        texts = ", ".join(f"CAST({preparer.quote(c)} AS VARCHAR) AS {preparer.quote(c)}" for c in data.column_names)
        duckdb_connection(conn).execute(f"CREATE TEMPORARY TABLE {quoted} AS SELECT DISTINCT {texts} FROM kpibot_keys")
        return quoted
    columns = ", ".join(f"{preparer.quote(c)} VARCHAR(240)" for c in data.column_names)
    columns += f", PRIMARY KEY ({', '.join(preparer.quote(c) for c in data.column_names)})"
    on_commit = " ON COMMIT DROP" if conn.dialect.name == "postgresql" else ""
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {quoted} ({columns}){on_commit}")
    if data.num_rows:
        rows = list(zip(*(data.column(c).to_pylist() for c in data.column_names), strict=True))
        load_tuples_into(conn, quoted, data.column_names, rows)
    return quoted
