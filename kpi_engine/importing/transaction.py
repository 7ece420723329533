"""One database transaction around a whole import (all or nothing), with SQLite tuned for big loads."""

from __future__ import annotations

from kpi_engine.db.dialect import load_transaction as import_transaction

__all__ = ["import_transaction"]
