"""`kpibot demo` with KPI_DATA_URL: the demo written into the columnar store derives its tables from the events it
stored there, with no Parquet copy of them (as an import into the store), and they equal the SQLite demo's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import kpi_engine.demo.build as demo_build
from kpi_engine.db.models import Event
from kpi_engine.sources.source import forget_sources
from kpi_engine.store import open_store
from tests.conftest import make_settings
from tests.kpi_engine.demo.conftest import DEMO_END, built_demo
from tests.kpi_engine.importing.test_incremental_refresh import _snapshot


def test_the_demo_in_the_store_derives_what_sqlite_does(tmp_path: Path, sqlite_template: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("duckdb_engine", reason="the DuckDB extra is not installed (pip install kpibot[duckdb])")

    def no_copy(*_args: Any) -> None:
        raise AssertionError("the store reads its own events: the demo needs no Parquet copy of them")

    settings = make_settings(f"sqlite:///{tmp_path / 'state.sqlite3'}",
                             KPI_DATA_URL=f"duckdb:///{tmp_path / 'data.duckdb'}")
    forget_sources()
    store = open_store(settings)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(demo_build, "EventsCopy", no_copy)
            demo_build.build_demo(store, settings, "tiny", DEMO_END, 42)
        in_store = _snapshot(store)
        with store.connect() as conn:
            events = conn.execute(select(func.count()).select_from(Event.__table__)).scalar_one()
    finally:
        store.dispose()
        forget_sources()
    assert events > 10_000
    assert sum(int(row[-1]) for row in in_store["sessions"]) == events  # every stored event is in one session
    with built_demo("sqlite", tmp_path, sqlite_template, "tiny") as (sqlite, _settings):
        assert in_store == _snapshot(sqlite)

