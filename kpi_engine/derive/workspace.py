"""Where a derived build runs: a DuckDB connection holding the build's temporary tables (`ev`, `out_*`, ...).

When source and target are one DuckDB database (the store, on import or demo), the build runs in the target's own
connection, inside its transaction: events are read and the results written without leaving the engine. Otherwise
(SQLite, PostgreSQL, ClickHouse, or two databases) an in-process DuckDB in memory does the work and the results are
written to the target in bulk. Either way DuckDB spills beyond `DUCKDB_MEMORY` to a temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import duckdb
from sqlalchemy import Connection

from kpi_engine.db.dialect import duckdb_connection

DUCKDB_MEMORY = "256MB"  # DuckDB spills to a temporary folder beyond this: peak memory stays bounded


@dataclass(frozen=True)
class Workspace:
    duck: Any  # a DuckDB connection
    in_target: bool  # `duck` is the target's (and source's) own connection


def open_duckdb(folder: str) -> Any:
    return duckdb.connect(":memory:", config={"memory_limit": DUCKDB_MEMORY, "temp_directory": folder,
                                              "preserve_insertion_order": False})


@contextmanager
def workspace(source: Connection, target: Connection, folder: str) -> Iterator[Workspace]:
    """The build's DuckDB for `source` → `target`; its temporary tables and macros are dropped after."""
    if source is not target or target.dialect.name != "duckdb":
        duck = open_duckdb(folder)
        try:
            yield Workspace(duck, False)
        finally:
            duck.close()
        return
    duck = duckdb_connection(target)
    before = _temporary_objects(duck)
    limit = duck.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    duck.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
    try:
        yield Workspace(duck, True)
    except BaseException:
        with suppress(duckdb.Error):  # a failed transaction refuses statements: its rollback drops the build's tables
            _clean(duck, before, limit)
        raise
    _clean(duck, before, limit)


def _clean(duck: Any, before: set[tuple[str, str]], limit: str) -> None:
    for kind, name in sorted(_temporary_objects(duck) - before):
        duck.execute(f'DROP {kind} IF EXISTS temp.main."{name}"')
    duck.execute(f"SET memory_limit = '{limit}'")


def _temporary_objects(duck: Any) -> set[tuple[str, str]]:
    rows = duck.execute("SELECT 'TABLE', table_name FROM duckdb_tables() WHERE temporary UNION ALL "
                        "SELECT 'VIEW', view_name FROM duckdb_views() WHERE temporary AND NOT internal UNION ALL "
                        "SELECT 'MACRO', function_name FROM duckdb_functions() "
                        "WHERE database_name = 'temp' AND function_type = 'macro'").fetchall()
    return {(kind, name) for kind, name in rows}
