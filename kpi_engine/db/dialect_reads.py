"""Reading a SELECT as Arrow tables, per engine: SQLite's raw cursor (its stored text for temporals), DuckDB's own
Arrow record batches, SQLAlchemy's partitions elsewhere. Bulk writes are in `kpi_engine.db.dialect_bulk`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, select, type_coerce
from sqlalchemy import String as SqlString
from sqlalchemy.sql import Select

from kpi_engine.db.dialect import duckdb_connection, raw_cursor

READ_BATCH_ROWS = 200_000


def read_batches(conn: Connection, stmt: Select[Any], types: dict[str, pa.DataType],
                 batch_rows: int = READ_BATCH_ROWS) -> Iterator[pa.Table]:
    """Streams a SELECT as Arrow tables (column label → Arrow type, in the SELECT's order), in bounded memory.

    Temporals are read without SQLAlchemy's per-value conversion: SQLite's stored text comes as strings (the
    caller casts them, e.g. in DuckDB), other drivers give datetimes. SQLite is read on its raw cursor.
    """
    names = list(types)
    plain = select(*(type_coerce(c, SqlString).label(c.name) if _temporal(t) else c
                     for c, t in zip(stmt.selected_columns, types.values(), strict=True)))
    plain = stmt.with_only_columns(*plain.selected_columns)
    if conn.dialect.name == "sqlite":
        yield from _sqlite_batches(conn, plain, types, batch_rows)
        return
    if conn.dialect.name == "duckdb":
        yield from _duckdb_batches(conn, plain, types, batch_rows)
        return
    result = conn.execute(plain, execution_options={"stream_results": True, "yield_per": batch_rows})
    try:
        for rows in result.partitions(batch_rows):
            yield _rows_table(rows, names, types)
    finally:
        result.close()


def _rows_table(rows: Sequence[Sequence[Any]], names: list[str], types: dict[str, pa.DataType]) -> pa.Table:
    columns = list(zip(*rows, strict=True))
    return pa.table({name: _arrow_column(values, types[name]) for name, values in zip(names, columns, strict=True)})


def _sqlite_batches(conn: Connection, stmt: Select[Any], types: dict[str, pa.DataType],
                    batch_rows: int) -> Iterator[pa.Table]:
    translate = conn.get_execution_options().get("schema_translate_map")
    sql = str(stmt.compile(dialect=conn.dialect, schema_translate_map=translate,
                           render_schema_translate=translate is not None, compile_kwargs={"literal_binds": True}))
    cursor = raw_cursor(conn)
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch_rows):
            yield _rows_table(rows, list(types), types)
    finally:
        cursor.close()


def _duckdb_relation(conn: Connection, stmt: Any) -> Any:
    """`stmt` (a SELECT or a `text()` query) as a DuckDB relation on the connection under `conn`."""
    translate = conn.get_execution_options().get("schema_translate_map")
    compiled = stmt.compile(dialect=conn.dialect, schema_translate_map=translate,
                            render_schema_translate=translate is not None)
    params = [compiled.params[name] for name in compiled.positiontup or []]
    return duckdb_connection(conn).sql(str(compiled), params=params)


def _duckdb_batches(conn: Connection, stmt: Select[Any], types: dict[str, pa.DataType],
                    batch_rows: int) -> Iterator[pa.Table]:
    """DuckDB hands its result over as Arrow record batches (no Python row in between), in `types`. The result is
    read to its end before the connection runs anything else (DuckDB keeps one open result per connection)."""
    schema = pa.schema([(name, types[name]) for name in types])
    for batch in _duckdb_relation(conn, stmt).to_arrow_reader(batch_rows):
        yield pa.Table.from_batches([batch]).rename_columns(list(types)).cast(schema)


def fetch_table(conn: Connection, stmt: Any, types: dict[str, pa.DataType]) -> pa.Table:
    """All rows of a small statement (e.g. a `text()` query) as one Arrow table with `types`' names."""
    if conn.dialect.name == "duckdb":  # DuckDB's own Arrow result: no Python row in between
        found = _duckdb_relation(conn, stmt).to_arrow_table()
        return found.rename_columns(list(types)).cast(pa.schema(list(types.items())))
    rows = conn.execute(stmt).all()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in types]
    return pa.table({name: _arrow_column(list(values), kind)
                     for (name, kind), values in zip(types.items(), columns, strict=True)})


def _temporal(kind: pa.DataType) -> bool:
    return pa.types.is_timestamp(kind) or pa.types.is_date(kind)


def _arrow_column(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    if _temporal(kind) and isinstance(next((v for v in values if v is not None), None), str):
        return pa.array(values, pa.string())
    return pa.array(values, kind)
