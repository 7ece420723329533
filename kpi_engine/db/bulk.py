"""Fast bulk writes shared by import and the demo generator (the dialect forms live in `kpi_engine.db.dialect`)."""

from __future__ import annotations

from kpi_engine.db.dialect import bulk_insert, insert_rows, load_tuples, upsert_rows

__all__ = ["bulk_insert", "insert_rows", "load_tuples", "upsert_rows"]
