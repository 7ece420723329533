"""Fast bulk writes shared by import and the demo generator (the dialect forms live in `kpi_engine.db.dialect`
and `kpi_engine.db.dialect_bulk`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert, select

from kpi_engine.db.base import Base
from kpi_engine.db.dialect import insert_rows, upsert_rows
from kpi_engine.db.dialect_bulk import bulk_insert, load_lists, load_tuples

COPY_BATCH_ROWS = 50_000

__all__ = ["bulk_insert", "copy_tables", "insert_rows", "load_lists", "load_tuples", "upsert_rows"]


def copy_tables(read: Connection, write: Connection, names: Sequence[str]) -> int:
    """The model tables `names` of `read`'s database replace those of `write`'s, wholly; returns the rows copied."""
    copied = 0
    for name in names:
        table = Base.metadata.tables[name]
        write.execute(delete(table))
        for rows in read.execute(select(table)).mappings().partitions(COPY_BATCH_ROWS):
            write.execute(insert(table), [dict(row) for row in rows])
            copied += len(rows)
    return copied
