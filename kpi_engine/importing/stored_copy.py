"""A Parquet copy of the rows an events import stores into an empty (or replaced) table. The rows then stored
are exactly the copy's, so the whole derived build that follows reads the copy instead of the table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, literal, select

from kpi_engine.derive.relations import EVENT_TYPES
from kpi_engine.importing.specs import TableSpec


class StoredCopy:
    """Appends the event columns of valid batches to `path`; `finish` closes the file and returns it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = pa.schema(list(EVENT_TYPES.items()))
        self.writer = pq.ParquetWriter(path, self.schema, compression="none")

    def write(self, rows: pd.DataFrame) -> None:
        columns = {name: pa.Array.from_pandas(rows[name], type=kind) if name in rows
                   else pa.nulls(len(rows), kind) for name, kind in EVENT_TYPES.items()}
        self.writer.write_table(pa.table(columns, schema=self.schema))

    def finish(self) -> Path:
        self.writer.close()
        return self.path


def stored_copy(conn: Connection, spec: TableSpec, replace: bool, folder: Path) -> StoredCopy | None:
    """A copy to fill when the import leaves exactly its own rows in the events table, else None."""
    if spec.name != "events":
        return None
    if not replace and conn.execute(select(literal(1)).select_from(spec.table).limit(1)).first() is not None:
        return None
    return StoredCopy(folder / "events.parquet")
