"""An events import rebuilds the derived tables only from the earliest instant it touched, and the result is
exactly what a rebuild from the first event gives: appended days, a backfill, a moved event, sessions (gap
and explicit) running across the cut, and a daylight-saving change in the reporting zone. On each database and on
the columnar store (whose stored state is read by grouped scans instead of index seeks)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from kpi_engine import derived
from kpi_engine.compute.session_rollups import settled_start
from kpi_engine.db import make_engine
from kpi_engine.db.models import Account, GroupDailyReturn, GroupDailyUsage, User
from kpi_engine.derive import refresh
from kpi_engine.derive.refresh import UsageRefresh
from kpi_engine.importing import import_file
from kpi_engine.settings import Settings
from kpi_engine.sources.source import forget_sources
from kpi_engine.store import open_store
from tests.conftest import insert_rows, make_settings

BASE = datetime(2026, 3, 24)  # twelve days around the change to summer time in Berlin (2026-03-29)
CUT = datetime(2026, 3, 30, 22, 5)  # local 00:05 on the 31st: sessions run across the cut and across midnight
TABLES = [*derived.DERIVED_TABLES, GroupDailyUsage.__table__, GroupDailyReturn.__table__]


def _events(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = []
    for i in range(700):
        at = BASE + timedelta(minutes=rng.randrange(12 * 24 * 60))
        if rng.random() < 0.15:  # bursts around the cut
            at = CUT + timedelta(minutes=rng.randrange(-45, 45))
        rows.append({
            "event_id": f"e{i}", "user_id": f"u{rng.randrange(8)}", "occurred_at": at,
            "name": rng.choice(["page_view", "click", "signup", "purchase"]),
            "feature": rng.choice(["", "", "search", "export"]),
            "session_id": f"s{at:%d%H}" if rng.random() < 0.2 else "",  # explicit sessions within an hour
        })
    return rows


def _csv(folder: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    lines = ["event_id,user_id,occurred_at,name,feature,session_id"]
    lines += [f"{r['event_id']},{r['user_id']},{r['occurred_at'].isoformat()}+00:00,{r['name']},{r['feature']},"
              f"{r['session_id']}" for r in rows]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    def plain(value: Any) -> Any:
        return round(value, 6) if isinstance(value, float) else str(value)

    with engine.connect() as conn:
        return {table.name: sorted(tuple(plain(v) for v in row) for row in conn.execute(select(table)))
                for table in TABLES}


def _split(rows: list[dict[str, Any]], scenario: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    first = [r for r in rows if r["occurred_at"] < CUT]
    second = [r for r in rows if r["occurred_at"] >= CUT]
    if scenario == "backfill":  # the second file also brings events of two days before the cut
        late = [r for r in first if CUT - timedelta(days=2) <= r["occurred_at"] < CUT - timedelta(days=1)]
        first = [r for r in first if r not in late]
        second += late
    if scenario == "moved":  # and moves an event of the first file by a day (a stored row is replaced)
        moved = dict(first[len(first) // 2], occurred_at=first[len(first) // 2]["occurred_at"] + timedelta(days=1))
        second.append(moved)
    return first, second


@pytest.fixture(params=["database", "store"])
def engine(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "database":
        eng = make_engine(db_url)
    elif db_url.startswith("sqlite"):
        eng = open_store(make_settings(db_url, KPI_DATA_URL=f"duckdb:///{tmp_path / 'store.duckdb'}"))
    else:
        pytest.skip("the store is tested once, beside SQLite")
    yield eng
    eng.dispose()
    forget_sources()


@pytest.fixture
def berlin(db_url: str) -> Settings:
    return make_settings(db_url, KPI_TIMEZONE="Europe/Berlin", KPI_SESSION_GAP_MINUTES=30)


@pytest.mark.parametrize("scenario", ["append", "backfill", "moved"])
def test_an_import_after_another_gives_a_full_rebuilds_tables(
    engine: Engine, berlin: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario: str
) -> None:
    insert_rows(engine, Account, [{"account_id": "a1", "created_at": BASE, "plan": "pro", "country": "DE"}])
    insert_rows(engine, User, [{"user_id": f"u{i}", "account_id": "a1" if i % 2 else None, "created_at": BASE}
                               for i in range(8)])
    first, second = _split(_events(11), scenario)
    import_file(engine, berlin, "events", _csv(tmp_path, "first.csv", first))

    reports: list[UsageRefresh] = []
    rebuild = refresh.rebuild_usage

    def recorded(*args: Any, **kwargs: Any) -> UsageRefresh:
        reports.append(rebuild(*args, **kwargs))
        return reports[-1]

    monkeypatch.setattr(refresh, "rebuild_usage", recorded)
    import_file(engine, berlin, "events", _csv(tmp_path, "second.csv", second))
    assert [r.full for r in reports] == [False]
    first_day = reports[0].first_day
    assert first_day is not None and (BASE + timedelta(days=3)).date() < first_day <= CUT.date()
    incremental = _snapshot(engine)

    with engine.begin() as conn:
        derived.rebuild_derived(conn, berlin)
    assert incremental == _snapshot(engine)
    assert len(incremental["sessions"]) > 20


def test_settled_start_goes_back_to_the_start_of_a_session_running_across(engine: Engine, berlin: Settings,
                                                                          tmp_path: Path) -> None:
    insert_rows(engine, User, [{"user_id": "u1", "account_id": None, "created_at": BASE}])
    start = datetime(2026, 3, 30, 21, 40)  # local 23:40; events until 00:10
    rows = [{"event_id": f"e{i}", "user_id": "u1", "occurred_at": start + timedelta(minutes=10 * i),
             "name": "click", "feature": "", "session_id": ""} for i in range(4)]
    import_file(engine, berlin, "events", _csv(tmp_path, "e.csv", rows))

    with engine.connect() as conn:
        # 2026-03-31 00:05 local is inside the session that began on the 30th: rebuild from the 30th (22:00 UTC)
        assert settled_start(conn, berlin.tz, datetime(2026, 3, 30, 22, 5)) == datetime(2026, 3, 29, 22, 0)
        assert settled_start(conn, berlin.tz, datetime(2026, 4, 2, 9, 0)) == datetime(2026, 4, 1, 22, 0)


def test_new_events_extending_an_earlier_days_session_rebuild_that_day(engine: Engine, berlin: Settings,
                                                                       tmp_path: Path) -> None:
    """u1's session ends at 23:50 local; an event at 00:10 the next day joins it (within the 30-minute gap), so
    the session of the 30th grows and that day's session sums change too. The session of the 28th stays: the
    latest stored session is the one continued, not the first."""
    insert_rows(engine, User, [{"user_id": "u1", "account_id": None, "created_at": BASE}])
    start = datetime(2026, 3, 30, 21, 20)  # local 23:20
    first = [{"event_id": f"e{i}", "user_id": "u1", "occurred_at": start + timedelta(minutes=15 * i), "name": "click",
              "feature": "", "session_id": ""} for i in range(3)]
    first.append({**first[0], "event_id": "e5", "occurred_at": datetime(2026, 3, 28, 10, 0)})
    later = [{**first[0], "event_id": "e9", "occurred_at": datetime(2026, 3, 30, 22, 10)}]
    import_file(engine, berlin, "events", _csv(tmp_path, "first.csv", first))
    import_file(engine, berlin, "events", _csv(tmp_path, "later.csv", later))
    incremental = _snapshot(engine)
    sessions = [(user, started, ended, n) for user, _key, started, ended, n in incremental["sessions"]]
    assert sessions == [("u1", "2026-03-28 10:00:00", "2026-03-28 10:00:00", "1"),
                        ("u1", "2026-03-30 21:20:00", "2026-03-30 22:10:00", "4")]
    with engine.begin() as conn:
        derived.rebuild_derived(conn, berlin)
    assert incremental == _snapshot(engine)
