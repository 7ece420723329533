"""The next day's import reads the stored events and derived tables through keys and indexes: no statement
scans one of them (SQLite's query plans), so its cost follows the new rows, not the stored ones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from kpi_engine.db.engine import make_engine
from kpi_engine.db.models import User
from kpi_engine.importing import import_file
from kpi_engine.settings import Settings
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.importing.test_incremental_refresh import _csv

BIG = ("events", "sessions", "feature_days", "usage_days", "conversion_events")
START = datetime(2026, 6, 1, 8, 0)


def _day(first_id: int, day: int) -> list[dict[str, Any]]:
    return [{"event_id": f"e{first_id + i}", "user_id": f"u{i % 3}",
             "occurred_at": START + timedelta(days=day, minutes=7 * i), "name": ("click", "signup")[i % 2],
             "feature": ("search", "", "export")[i % 3], "session_id": f"s{day}" if i % 4 == 0 else ""}
            for i in range(12)]


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


def test_the_next_days_import_scans_no_stored_table(sqlite_engine: Engine, sqlite_url: str, tmp_path: Path) -> None:
    settings: Settings = make_settings(sqlite_url, KPI_SESSION_GAP_MINUTES=30)
    insert_rows(sqlite_engine, User, [{"user_id": f"u{i}", "account_id": None, "created_at": START} for i in range(3)])
    for day in range(3):
        import_file(sqlite_engine, settings, "events", _csv(tmp_path, f"day{day}.csv", _day(100 * day, day)))

    plans: list[tuple[str, str]] = []

    def explain(_conn: Any, cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        first_row = "LIMIT ? OFFSET ?" in statement and tuple(parameters)[-2:] == (1, 0)  # stops at a row
        if not many and not first_row and statement.lstrip().upper().startswith(("SELECT", "DELETE", "UPDATE",
                                                                                  "INSERT")):
            for row in cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters or ()).fetchall():
                plans.append((statement, row[-1]))

    event.listen(sqlite_engine, "before_cursor_execute", explain)
    try:
        import_file(sqlite_engine, settings, "events", _csv(tmp_path, "next.csv", _day(900, 3)))
    finally:
        event.remove(sqlite_engine, "before_cursor_execute", explain)

    scans = [(statement, step) for statement, step in plans
             if step.startswith("SCAN") and step.split()[1] in BIG]
    assert len(plans) > 20
    assert any("feature_days" in step for _statement, step in plans)
    assert scans == []
