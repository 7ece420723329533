"""An events import whose earliest event is at or before every stored event (a first import, or a backfill in
front of everything) builds the derived tables wholly, without the incremental reads, and gives exactly what a
rebuild gives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from kpi_engine import derived
from kpi_engine.db.models import User
from kpi_engine.derive import refresh, stored
from kpi_engine.derive.refresh import UsageRefresh
from kpi_engine.importing import import_file
from kpi_engine.settings import Settings
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.importing.test_incremental_refresh import _csv, _snapshot

START = datetime(2026, 5, 4, 10, 0)


def _rows(first_id: int, start: datetime, minutes: list[int]) -> list[dict[str, Any]]:
    return [{"event_id": f"e{first_id + i}", "user_id": "u1", "occurred_at": start + timedelta(minutes=m),
             "name": "click", "feature": "search", "session_id": ""} for i, m in enumerate(minutes)]


def _sessions_same_as_rebuilt(engine: Engine, settings: Settings) -> list[tuple[str, str]]:
    """(session key, events) of the stored sessions, once every derived table is checked against a rebuild."""
    built = _snapshot(engine)
    with engine.begin() as conn:
        derived.rebuild_derived(conn, settings)
    assert built == _snapshot(engine)
    return [(key, n) for _user, key, _started, _ended, n in built["sessions"]]


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url, KPI_SESSION_GAP_MINUTES=30)


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[UsageRefresh]:
    seen: list[UsageRefresh] = []
    rebuild = refresh.rebuild_usage

    def recorded(*args: Any, **kwargs: Any) -> UsageRefresh:
        seen.append(rebuild(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(refresh, "rebuild_usage", recorded)
    return seen


@pytest.fixture
def no_incremental_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: Any) -> None:
        raise AssertionError("a whole build reads no stored sessions")

    monkeypatch.setattr(stored, "continuing_sessions", refused)


@contextmanager
def events_not_read_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The import's own copy of the rows it stored feeds the build: the events table is not read back."""
    def refused(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the stored events are read from the import's copy")

    with monkeypatch.context() as patched:
        patched.setattr(refresh, "load_events", refused)
        yield


def test_the_first_events_import_builds_wholly(engine: Engine, settings: Settings, tmp_path: Path,
                                               reports: list[UsageRefresh], no_incremental_reads: None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    insert_rows(engine, User, [{"user_id": "u1", "account_id": None, "created_at": START}])
    # 10:00, 10:10 and 11:00 with a 30-minute gap: two sessions (2 events, 1 event); no feature on the last
    rows = _rows(0, START, [0, 10, 60])
    rows[2]["feature"] = ""
    with events_not_read_back(monkeypatch):
        import_file(engine, settings, "events", _csv(tmp_path, "first.csv", rows))
    assert [(r.full, r.first_day) for r in reports] == [(True, None)]
    assert _sessions_same_as_rebuilt(engine, settings) == \
        [("g:2026-05-04 10:00:00.000000", "2"), ("g:2026-05-04 11:00:00.000000", "1")]


def test_a_backfill_before_every_stored_event_builds_wholly(engine: Engine, settings: Settings, tmp_path: Path,
                                                            reports: list[UsageRefresh]) -> None:
    insert_rows(engine, User, [{"user_id": "u1", "account_id": None, "created_at": START}])
    import_file(engine, settings, "events", _csv(tmp_path, "later.csv", _rows(0, START + timedelta(days=2), [0])))
    import_file(engine, settings, "events", _csv(tmp_path, "earlier.csv", _rows(10, START, [0, 5])))
    assert [r.full for r in reports] == [True, True]
    assert _sessions_same_as_rebuilt(engine, settings) == \
        [("g:2026-05-04 10:00:00.000000", "2"), ("g:2026-05-06 10:00:00.000000", "1")]


def test_a_replacing_import_builds_from_its_own_rows(engine: Engine, settings: Settings, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     reports: list[UsageRefresh]) -> None:
    insert_rows(engine, User, [{"user_id": "u1", "account_id": None, "created_at": START}])
    import_file(engine, settings, "events", _csv(tmp_path, "old.csv", _rows(0, START, [0, 5, 200])))
    later = START + timedelta(days=1, microseconds=250)
    with events_not_read_back(monkeypatch):
        import_file(engine, settings, "events", _csv(tmp_path, "new.csv", _rows(50, later, [0, 40])), replace=True)
    assert [r.full for r in reports] == [True, True]
    assert _sessions_same_as_rebuilt(engine, settings) == \
        [("g:2026-05-05 10:00:00.000250", "1"), ("g:2026-05-05 10:40:00.000250", "1")]


def test_an_import_makes_a_process_that_read_the_values_read_them_again(engine: Engine, settings: Settings,
                                                                        tmp_path: Path) -> None:
    from kpi_engine.values import values_for

    insert_rows(engine, User, [{"user_id": "u1", "account_id": None, "created_at": START}])
    import_file(engine, settings, "events", _csv(tmp_path, "first.csv", _rows(0, START, [0])))
    assert values_for(engine).events == ("click",)
    signups = [{**row, "name": "signup"} for row in _rows(5, START, [1])]
    import_file(engine, settings, "events", _csv(tmp_path, "second.csv", signups))
    assert values_for(engine).events == ("click", "signup")
