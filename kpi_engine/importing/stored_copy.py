"""When an events import leaves exactly its own rows in the table (empty before, or replaced), its valid rows
are copied as they are staged: the derived build reads the copy (`kpi_engine.derive.events_copy`)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, literal, select

from kpi_engine.db.dialect import KEYS_ONLY
from kpi_engine.derive.events_copy import EventsCopy
from kpi_engine.importing.specs import TableSpec


def stored_copy(conn: Connection, spec: TableSpec, replace: bool, folder: Path) -> EventsCopy | None:
    """A copy to fill when the import leaves exactly its own rows in the events table, else None."""
    if spec.name != "events" or conn.dialect.name in KEYS_ONLY:  # a columnar store is read as fast as the copy
        return None
    if not replace and conn.execute(select(literal(1)).select_from(spec.table).limit(1)).first() is not None:
        return None
    return EventsCopy(folder / "events.parquet")
