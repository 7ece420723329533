"""What `kpibot serve` does with a source: the check at start (warnings, never a refusal), the refresh on the
interval, freshness for /healthz."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
import yaml

from kpi_engine.sources import health
from kpi_engine.sources.source import forget_sources
from tests.conftest import make_settings
from tests.kpi_engine.sources.test_check import MAPPING, ROWS


@pytest.fixture
def settings(tmp_path: Path, sqlite_template: Path):  # type: ignore[no-untyped-def]
    forget_sources()
    source = tmp_path / "crm.sqlite3"
    with sqlite3.connect(source) as conn:
        conn.executescript(ROWS)
    state = tmp_path / "state.sqlite3"
    state.write_bytes(sqlite_template.read_bytes())
    mapping = yaml.safe_load(yaml.safe_dump(MAPPING))
    mapping["tables"]["tickets"] = {"table": "tickets_empty"}
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    health.STATUS = health.SourceStatus()
    yield make_settings(f"sqlite:///{state}", kpi_source_url=f"sqlite:///{source}",
                        kpi_source_map=str(tmp_path / "map.yaml"), kpi_refresh_minutes=5)
    forget_sources()


def test_start_check_warns_and_healthz_shows_freshness(settings, caplog) -> None:  # type: ignore[no-untyped-def]
    jobs = health.SourceJobs(settings)
    with caplog.at_level(logging.WARNING, logger="kpi_engine.sources.health"):
        jobs.run_due(monotonic_now=0.0)
        assert jobs.worker is not None
        jobs.worker.join(timeout=60)
    warnings = [r.getMessage() for r in caplog.records]
    assert "source check: tickets (tickets_empty): the table is empty" in warnings
    assert any(w.startswith("refresh: no data source for events") for w in warnings)  # no events mapped
    payload = health.health_payload(settings)
    assert payload is not None and payload["ok"] is False and payload["refresh_ok"] is False
    assert payload["tables"]["accounts"] == {"rows": 2, "newest": "2026-02-01T01:00:00", "ok": True}
    assert payload["tables"]["tickets"]["ok"] is False
    first = jobs.worker
    jobs.run_due(monotonic_now=60.0)  # the interval (5 minutes) has not passed: nothing runs
    assert jobs.worker is first
    jobs.run_due(monotonic_now=301.0)  # now it has: a refresh (the check ran once, at start)
    assert jobs.worker is not first
    jobs.worker.join(timeout=60)
    assert health.health_payload(make_settings(settings.database_url)) is None  # no source: no section


def test_with_the_store_serve_checks_at_start_and_refreshes_only_on_the_interval(tmp_path: Path,
                                                                               sqlite_template: Path) -> None:
    """The store's imports keep its derived tables current: no refresh holds its file while the first answers
    wait; the scheduled refresh (copying the answers given in Slack into it) comes after KPI_REFRESH_MINUTES."""
    from kpi_engine.store import open_store

    state = tmp_path / "state.sqlite3"
    state.write_bytes(sqlite_template.read_bytes())
    settings = make_settings(f"sqlite:///{state}", kpi_data_url=f"duckdb:///{tmp_path / 'd.duckdb'}",
                             kpi_refresh_minutes=5)
    open_store(settings).dispose()
    forget_sources()
    health.STATUS = health.SourceStatus()
    jobs = health.SourceJobs(settings)
    try:
        jobs.run_due(monotonic_now=0.0)
        assert jobs.worker is not None
        jobs.worker.join(timeout=60)
        assert health.STATUS.checked_at is not None and health.STATUS.refreshed_at is None
        jobs.run_due(monotonic_now=301.0)
        jobs.worker.join(timeout=60)
        assert health.STATUS.refreshed_at is not None
    finally:
        forget_sources()
