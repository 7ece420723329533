"""A Parquet copy of exactly the events a writer stores (an import into an empty table, the demo), so that the
whole derived build after it reads the copy instead of reading the events back from the database."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kpi_engine.derive.relations import EVENT_TYPES


class EventsCopy:
    """Appends batches of event columns (`EVENT_TYPES`' names; a missing one is all NULL) to `path`;
    `finish` closes the file and returns its path. Values must be the ones stored (instants as stored)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = pa.schema(list(EVENT_TYPES.items()))
        self.writer = pq.ParquetWriter(path, self.schema, compression="none")

    def write(self, columns: Mapping[str, Any], rows: int) -> None:
        arrays = [pa.array(columns[name], type=kind, from_pandas=True) if name in columns else pa.nulls(rows, kind)
                  for name, kind in EVENT_TYPES.items()]
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))

    def finish(self) -> Path:
        self.writer.close()
        return self.path
