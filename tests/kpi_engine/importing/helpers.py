"""Shared helpers for import tests: write files, read whole tables back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine, select

from kpi_engine.db.base import Base


def write_csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_parquet(folder: Path, name: str, columns: dict[str, pa.Array | list[Any]]) -> Path:
    path = folder / name
    pq.write_table(pa.table(columns), path)
    return path


def table_rows(engine: Engine, table_name: str) -> list[tuple[Any, ...]]:
    """Every row of a table, ordered by its key, as plain tuples."""
    table = Base.metadata.tables[table_name]
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
