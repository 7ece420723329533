"""What keeps a big build's memory bounded: the derive DuckDB's memory limit and spill folder, and SQLite's page
cache held small while a bulk write runs (and given back afterwards)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from kpi_engine.db.dialect import page_cache_bounded
from kpi_engine.derive.workspace import open_duckdb


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


def test_arrow_batches_written_to_duckdb_are_not_held_until_the_commit(tmp_path: Path) -> None:
    """An import stages its batches inside one transaction: a batch DuckDB kept a reference to (a registered view
    does, until the commit) would hold the whole file in memory, 1.4 GB at 10 M events."""
    import pyarrow as pa
    from sqlalchemy import BigInteger, Column, MetaData, String, Table, create_engine, func, select

    from kpi_engine.db.bulk import bulk_insert

    engine = create_engine(f"duckdb:///{tmp_path / 'store.duckdb'}")
    table = Table("staged", MetaData(), Column("user_id", String), Column("n", BigInteger))
    table.create(engine)
    before = pa.total_allocated_bytes()
    with engine.begin() as conn:
        for batch in range(10):
            rows = 50_000
            bulk_insert(conn, table, pa.table({"user_id": pa.array([f"user-{batch}-{i}" for i in range(rows)]),
                                               "n": pa.array(range(rows), pa.int64())}))
        held = pa.total_allocated_bytes() - before
        assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 500_000
    engine.dispose()
    assert held < 2**20  # 10 batches of about 1.3 MB of strings each were written and let go


def test_the_store_spills_beyond_its_memory_limit(tmp_path: Path) -> None:
    from kpi_engine.settings import Settings
    from kpi_engine.store import open_store

    settings = Settings(_env_file=None, DATABASE_URL=f"sqlite:///{tmp_path / 's.sqlite3'}",  # type: ignore[call-arg]
                        KPI_DATA_URL=f"duckdb:///{tmp_path / 'd.duckdb'}")
    engine = open_store(settings)
    with engine.connect() as conn:
        limit = conn.exec_driver_sql("SELECT current_setting('memory_limit')").scalar()
    engine.dispose()
    assert limit == "122.0 MiB"  # 128,000,000 bytes / 2**20


def test_the_store_is_written_without_dictionary_fsst_and_read_with_it(tmp_path: Path) -> None:
    """Writes skip DuckDB's slowest string compression (`STORE_WRITE_SETTINGS`); readers keep DuckDB's defaults."""
    from kpi_engine.settings import Settings
    from kpi_engine.sources.source import forget_sources, make_source_engine
    from kpi_engine.store import open_store

    settings = Settings(_env_file=None, DATABASE_URL=f"sqlite:///{tmp_path / 's.sqlite3'}",  # type: ignore[call-arg]
                        KPI_DATA_URL=f"duckdb:///{tmp_path / 'd.duckdb'}")
    query = "SELECT current_setting('disabled_compression_methods')"
    writer = open_store(settings)
    with writer.connect() as conn:
        written = conn.exec_driver_sql(query).scalar()
    writer.dispose()
    forget_sources()
    reader = make_source_engine(settings)
    with reader.connect() as conn:
        read = conn.exec_driver_sql(query).scalar()
    reader.dispose()
    forget_sources()
    assert (written, read) == ("DICT_FSST", "")
