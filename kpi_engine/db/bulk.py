"""Fast bulk writes shared by import and the demo generator (the dialect forms live in `kpi_engine.db.dialect`
and `kpi_engine.db.dialect_bulk`)."""

from __future__ import annotations

from kpi_engine.db.dialect import insert_rows, upsert_rows
from kpi_engine.db.dialect_bulk import bulk_insert, load_lists, load_tuples

__all__ = ["bulk_insert", "insert_rows", "load_lists", "load_tuples", "upsert_rows"]
