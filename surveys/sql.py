"""The few upserts the survey code writes (its tables live in DATABASE_URL: SQLite or PostgreSQL).

The ON CONFLICT form comes from the dialect module; an engine without one raises EngineLacks (no row-by-row
fallback that would hide it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table

from kpi_engine.compute.dialect import conflict_insert


def insert_missing(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts the rows whose primary key is not there yet; the others are left as they are."""
    if not rows:
        return
    conn.execute(conflict_insert(conn.dialect.name, table).on_conflict_do_nothing(), list(rows))


def upsert_where(conn: Connection, table: Table, row: dict[str, Any], update: Sequence[str],
                 only_if: Any | None = None) -> int:
    """Insert the row, or update the `update` columns of the existing one (when `only_if`, a condition on the
    table and `excluded`, holds). `only_if` is a callable (table, excluded) → condition. Returns rows written."""
    stmt = conflict_insert(conn.dialect.name, table)
    keys = [c.name for c in table.primary_key.columns]
    condition: ColumnElement[bool] | None = only_if(table, stmt.excluded) if only_if is not None else None
    stmt = stmt.on_conflict_do_update(index_elements=keys, set_={name: stmt.excluded[name] for name in update},
                                      where=condition)
    return conn.execute(stmt, row).rowcount or 0
