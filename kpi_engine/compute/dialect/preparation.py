"""Setting an engine up for the computations' SQL (the one place that knows each engine's module)."""

from __future__ import annotations

from sqlalchemy import Engine, event

from kpi_engine.compute.dialect.clickhouse import apply_session_settings, is_chdb, renew_chdb_after_error
from kpi_engine.compute.dialect.duckdb import prepare_duckdb


def prepare_engine(engine: Engine) -> Engine:
    """Sets an engine up the way the query SQL expects (ClickHouse: session settings on each new connection for
    NULLs from outer joins, UTC, NULL aggregates over no rows; DuckDB: column reflection that works).
    Idempotent; returns the engine. Every engine that runs computations passes through here."""
    if getattr(engine, "_kpibot_prepared", False):
        return engine
    if engine.dialect.name == "clickhousedb":
        engine.dialect.div_is_floordiv = False  # ClickHouse's `/` divides exactly: `//` must say FLOOR
        event.listen(engine, "connect", lambda dbapi_connection, _record: apply_session_settings(dbapi_connection))
        if is_chdb(engine):
            event.listen(engine, "handle_error", renew_chdb_after_error)
    elif engine.dialect.name == "duckdb":
        prepare_duckdb(engine)
    engine._kpibot_prepared = True  # type: ignore[attr-defined]
    return engine
