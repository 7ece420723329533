"""Where a derived build runs: inside the store's own DuckDB connection when source and target are that store,
leaving nothing behind in it; in a DuckDB of its own otherwise."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import Engine, create_engine

from kpi_engine.derive.workspace import DUCKDB_MEMORY, workspace


def _temporary_tables(duck: object) -> list[str]:
    return [name for (name,) in duck.execute(  # type: ignore[attr-defined]
        "SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1").fetchall()]


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    engine = create_engine(f"duckdb:///{tmp_path / 'store.duckdb'}",
                           connect_args={"config": {"memory_limit": "128MB"}})
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE events (user_id VARCHAR)")
        conn.exec_driver_sql("INSERT INTO events VALUES ('u1'), ('u2')")
    return engine


def test_a_build_on_the_store_runs_in_its_connection_and_leaves_nothing_behind(store: Engine, tmp_path: Path) -> None:
    with store.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE kept (x INTEGER)")  # the caller's own temporary table stays
        with workspace(conn, conn, str(tmp_path)) as ws:
            ws.duck.execute("CREATE TEMP TABLE ev AS SELECT * FROM main.events")  # the store's table, in place
            ws.duck.execute("CREATE TEMP MACRO twice(x) AS x * 2")
            ws.duck.execute("CREATE TEMP VIEW v AS SELECT twice(1) AS y")
            ws.duck.register("kpibot_batch", pa.table({"user_id": ["u9"]}))  # an Arrow table, as a build registers
            during = (_temporary_tables(ws.duck), ws.duck.execute("SELECT current_setting('memory_limit')").fetchall(),
                      ws.duck.execute("SELECT count(*), min(y) FROM ev, v").fetchall())
            ws.duck.execute("INSERT INTO main.events SELECT 'u3'")
        after = (_temporary_tables(conn.connection.driver_connection),
                 conn.exec_driver_sql("SELECT current_setting('memory_limit')").scalar(),
                 conn.exec_driver_sql("SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal").scalar(),
                 conn.exec_driver_sql("SELECT count(*) FROM duckdb_functions() WHERE database_name = 'temp' "
                                      "AND function_type = 'macro'").scalar())
    assert ws.in_target
    assert during == (["ev", "kept"], [("244.1 MiB",)], [(2, 2)])  # DUCKDB_MEMORY while it runs
    assert DUCKDB_MEMORY == "256MB"
    assert after == (["kept"], "122.0 MiB", 0, 0)
    with store.connect() as conn:  # what it wrote is in the caller's transaction, committed with it
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 3


def test_a_build_across_two_connections_runs_in_a_duckdb_of_its_own(store: Engine, tmp_path: Path) -> None:
    sqlite = create_engine(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    with store.connect() as source, sqlite.begin() as target, workspace(source, target, str(tmp_path)) as ws:
        ws.duck.execute("CREATE TEMP TABLE ev (x INTEGER)")
        tables = (_temporary_tables(ws.duck), _temporary_tables(source.connection.driver_connection))
    assert not ws.in_target
    assert tables == (["ev"], [])
    # two connections of one store: no shared workspace
    with store.connect() as one, store.connect() as other, workspace(one, other, str(tmp_path)) as apart:
        assert not apart.in_target


def test_a_failed_build_leaves_the_rollback_to_undo_it(store: Engine, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no_such_table"), store.begin() as conn, \
            workspace(conn, conn, str(tmp_path)) as ws:
        ws.duck.execute("CREATE TEMP TABLE ev AS SELECT * FROM main.events")
        ws.duck.execute("SELECT * FROM no_such_table")  # DuckDB aborts the transaction: the clean-up cannot run
    with store.connect() as conn:
        assert _temporary_tables(conn.connection.driver_connection) == []
        assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar() == 2
