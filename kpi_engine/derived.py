"""Derived tables (user_days, sessions) kept up to date after imports. Being written."""

from __future__ import annotations

from sqlalchemy import Connection

from kpi_engine.settings import Settings


def refresh_after_import(conn: Connection, settings: Settings, table: str) -> None:
    """Bring the derived tables up to date after `table` changed (inside the import's transaction)."""
    return None
