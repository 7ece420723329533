"""Database access: engine, sessions, schema upgrades."""

from kpi_engine.db.engine import make_engine, open_database, session_scope, upgrade_schema

__all__ = ["make_engine", "open_database", "session_scope", "upgrade_schema"]
