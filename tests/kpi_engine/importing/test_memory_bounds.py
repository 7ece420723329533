"""What keeps a big build's memory bounded: the derive DuckDB's memory limit and spill folder, and SQLite's page
cache held small while a bulk write runs (and given back afterwards)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from kpi_engine.db.dialect import page_cache_bounded
from kpi_engine.derive.refresh import open_duckdb


def test_the_derive_duckdb_spills_beyond_256_mb(tmp_path: Path) -> None:
    duck = open_duckdb(str(tmp_path))
    try:
        limit, folder = duck.execute("SELECT current_setting('memory_limit'), "
                                     "current_setting('temp_directory')").fetchall()[0]
    finally:
        duck.close()
    assert (limit, folder) == ("244.1 MiB", str(tmp_path))  # 256,000,000 bytes / 2**20


def test_the_sqlite_page_cache_is_bounded_during_a_write_and_restored_after(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as conn:
        before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        with page_cache_bounded(conn, 1024):
            during = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        after = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    assert (before, during, after) == (-200_000, -1024, -200_000)  # negative: KiB (the engine sets 200 MB)
