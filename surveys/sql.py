"""The few dialect-specific writes the survey code needs (PostgreSQL and SQLite; other dialects fall back)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError


def _dialect_insert(conn: Connection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return pg_insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite_insert(table)
    return None


def insert_missing(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts the rows whose primary key is not there yet; the others are left as they are."""
    if not rows:
        return
    stmt = _dialect_insert(conn, table)
    if stmt is not None:
        conn.execute(stmt.on_conflict_do_nothing(), list(rows))
        return
    for row in rows:  # pragma: no cover - other dialects
        try:
            with conn.begin_nested():
                conn.execute(insert(table), row)
        except IntegrityError:
            pass


def upsert_where(conn: Connection, table: Table, row: dict[str, Any], update: Sequence[str],
                 only_if: Any | None = None) -> int:
    """Insert the row, or update the `update` columns of the existing one (when `only_if`, a condition on the
    table and `excluded`, holds). `only_if` is a callable (table, excluded) → condition. Returns rows written."""
    stmt = _dialect_insert(conn, table)
    if stmt is None:  # pragma: no cover - other dialects
        raise NotImplementedError(f"upsert on {conn.dialect.name}")
    keys = [c.name for c in table.primary_key.columns]
    condition: ColumnElement[bool] | None = only_if(table, stmt.excluded) if only_if is not None else None
    stmt = stmt.on_conflict_do_update(index_elements=keys, set_={name: stmt.excluded[name] for name in update},
                                      where=condition)
    return conn.execute(stmt, row).rowcount or 0
