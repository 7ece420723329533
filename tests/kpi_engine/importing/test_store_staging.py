"""An import into the columnar store stages its valid rows as Parquet parts (one per batch, written on a helper
thread while the next batch is validated) under a temporary view: every batch arrives, keys are checked across
batches, and a part that cannot be written fails the import with nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from kpi_engine.importing import ImportFailed, import_file, staging
from kpi_engine.settings import Settings
from kpi_engine.sources.source import forget_sources
from kpi_engine.store import open_store
from tests.conftest import make_settings
from tests.kpi_engine.importing.helpers import write_csv, write_parquet


@pytest.fixture
def store_settings(tmp_path: Path) -> Settings:
    return make_settings(f"sqlite:///{tmp_path / 'state.sqlite3'}", KPI_DATA_URL=f"duckdb:///{tmp_path / 'd.duckdb'}",
                         KPIBOT_IMPORT_BATCH_SIZE=3)


@pytest.fixture
def store(store_settings: Settings, tmp_path: Path) -> Iterator[Engine]:
    engine = open_store(store_settings)
    users = "".join(f"u{n},2026-01-01T00:00:00Z\n" for n in range(4))
    import_file(engine, store_settings, "users", write_csv(tmp_path, "users.csv", f"user_id,created_at\n{users}"))
    yield engine
    engine.dispose()
    forget_sources()


def _events(folder: Path, name: str, count: int, duplicate_of: int | None = None) -> Path:
    """Parquet: read in batches of exactly KPIBOT_IMPORT_BATCH_SIZE rows (a small CSV is one block)."""
    ids, users = [f"e{n}" for n in range(count)], [f"u{n % 4}" for n in range(count)]
    times = [f"2026-01-02T10:{n:02d}:00Z" for n in range(count)]
    if duplicate_of is not None:
        ids, users, times = ids + [f"e{duplicate_of}"], users + ["u0"], times + ["2026-01-03T10:00:00Z"]
    return write_parquet(folder, name, {"event_id": ids, "user_id": users, "occurred_at": times,
                                        "name": ["click"] * len(ids)})


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_every_batch_is_staged_and_the_derived_tables_built(store: Engine, store_settings: Settings,
                                                            tmp_path: Path) -> None:
    report = import_file(store, store_settings, "events", _events(tmp_path, "events.parquet", 11))
    assert (report.rows_read, report.inserted) == (11, 11)  # four batches of 3, 3, 3 and 2 rows
    assert _count(store, "SELECT count(DISTINCT event_id) FROM events") == 11
    # one event per minute per user, 4 minutes apart: one 30-minute-gap session per user
    assert _count(store, "SELECT count(*) FROM sessions") == 4
    assert _count(store, "SELECT sum(events) FROM usage_days") == 11


def test_a_duplicate_in_a_later_batch_is_found_with_its_lines(store: Engine, store_settings: Settings,
                                                              tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failure:
        import_file(store, store_settings, "events", _events(tmp_path, "events.parquet", 7, duplicate_of=1))
    # row 8 is in the third batch of 3 rows, row 2 in the first
    assert "row 8, column event_id: 'e1' is a duplicate key: event_id must be unique within the file " \
           "(first on row 2)" in str(failure.value)
    assert _count(store, "SELECT count(*) FROM events") == 0


def test_a_part_that_cannot_be_written_fails_the_import_and_stores_nothing(
        store: Engine, store_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[str] = []
    real_write = staging.pq.write_table

    def failing_write(table: Any, where: Any, **options: Any) -> None:
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(str(where))
        real_write(table, where, **options)

    monkeypatch.setattr(staging.pq, "write_table", failing_write)
    with pytest.raises(OSError, match="No space left on device"):
        import_file(store, store_settings, "events", _events(tmp_path, "events.parquet", 11))
    monkeypatch.undo()
    assert len(written) == 2
    assert _count(store, "SELECT count(*) FROM events") == 0
    assert _count(store, "SELECT count(*) FROM sessions") == 0
    report = import_file(store, store_settings, "events", _events(tmp_path, "again.parquet", 11))
    assert report.inserted == 11  # the store was left as it was: the same file imports whole
