"""`refresh_usage` with the events in one database and the derived tables in another (what `kpibot refresh`
does): the tables equal those an import into one database builds, wholly and after an appended day; events
read through a mapped SELECT; the target in a scratch schema; and the source is never written to."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, create_engine, insert, select, text

from kpi_engine import derived
from kpi_engine.db.base import Base
from kpi_engine.db.engine import make_engine, upgrade_schema
from kpi_engine.db.models import Account, DerivedState, Event, GroupDailyReturn, GroupDailyUsage, User
from kpi_engine.settings import Settings
from tests.conftest import insert_rows, make_settings, scratch_postgres_database
from tests.kpi_engine.importing.test_incremental_refresh import BASE, CUT, _events

TABLES = [*derived.DERIVED_TABLES, GroupDailyUsage.__table__, GroupDailyReturn.__table__]


def _snapshot(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    def plain(value: Any) -> Any:
        return round(value, 6) if isinstance(value, float) else str(value)

    return {table.name: sorted(tuple(plain(v) for v in row) for row in conn.execute(select(table)))
            for table in TABLES}


def _fill(engine: Engine, events: list[dict[str, Any]]) -> None:
    insert_rows(engine, Account, [{"account_id": "a1", "created_at": BASE, "plan": "pro", "country": "DE"}])
    insert_rows(engine, User, [{"user_id": f"u{i}", "account_id": "a1" if i % 2 else None, "created_at": BASE}
                               for i in range(8)])
    insert_rows(engine, Event, events)


def _migrated_sqlite(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    return engine


def _expected(tmp_path: Path, settings: Settings, events: list[dict[str, Any]]) -> dict[str, list[tuple[Any, ...]]]:
    """The tables of one database holding everything, built wholly."""
    engine = _migrated_sqlite(tmp_path / "together.sqlite3")
    _fill(engine, events)
    with engine.begin() as conn:
        derived.rebuild_derived(conn, settings)
    with engine.connect() as conn:
        snapshot = _snapshot(conn)
    engine.dispose()
    return snapshot


@pytest.fixture
def berlin(tmp_path: Path) -> Settings:
    return make_settings(f"sqlite:///{tmp_path / 'unused.sqlite3'}", KPI_TIMEZONE="Europe/Berlin",
                         KPI_SESSION_GAP_MINUTES=30)


def test_two_databases_give_the_tables_of_one_wholly_and_after_an_appended_day(tmp_path: Path,
                                                                              berlin: Settings) -> None:
    rows = _events(11)
    first = [r for r in rows if r["occurred_at"] < CUT]
    source, target = _migrated_sqlite(tmp_path / "source.sqlite3"), _migrated_sqlite(tmp_path / "target.sqlite3")
    _fill(source, first)
    with source.connect() as src, target.begin() as tgt:
        before = src.connection.driver_connection.total_changes  # type: ignore[union-attr]
        report = derived.refresh_usage(src, tgt, berlin)
        assert report.full and report.events_read == len(first)
        changes = src.connection.driver_connection.total_changes - before  # type: ignore[union-attr]
    (tmp_path / "a").mkdir()
    with target.connect() as tgt:
        assert _snapshot(tgt) == _expected(tmp_path / "a", berlin, first)
        assert derived.watermark(tgt) == max(r["occurred_at"] for r in first)
    assert changes == 0  # nothing written into the source

    insert_rows(source, Event, [r for r in rows if r["occurred_at"] >= CUT])
    with source.connect() as src, target.begin() as tgt:
        report = derived.refresh_usage(src, tgt, berlin, since=derived.watermark(tgt))
        assert not report.full and report.first_day is not None and report.first_day <= CUT.date()
        assert report.events_read < len(rows)  # only the days from the settled start on
    with target.connect() as tgt:
        (tmp_path / "b").mkdir()
        assert _snapshot(tgt) == _expected(tmp_path / "b", berlin, rows)
        assert len(_snapshot(tgt)["sessions"]) > 20
    with source.connect() as src:  # the source's own derived tables were never built
        assert src.execute(select(DerivedState.key)).first() is None
    source.dispose()
    target.dispose()


def test_events_read_through_a_mapped_select(tmp_path: Path, berlin: Settings) -> None:
    """A source whose events table has other names: `tracks(id, uid, ts, event, area, visit)`."""
    rows = _events(5)
    source = create_engine(f"sqlite:///{tmp_path / 'warehouse.sqlite3'}")
    tracks = Table("tracks", MetaData(), Column("id", String), Column("uid", String), Column("ts", DateTime),
                   Column("event", String), Column("area", String), Column("visit", String))
    people = Table("people", MetaData(), Column("pid", String), Column("company", String))
    companies = Table("companies", MetaData(), *(Column(c, String) for c in
                                                 ("cid", "tier", "segment", "channel", "country")))
    for table in (tracks, people, companies):
        table.create(source)
    with source.begin() as conn:
        conn.execute(insert(tracks), [{"id": r["event_id"], "uid": r["user_id"], "ts": r["occurred_at"],
                                       "event": r["name"], "area": r["feature"] or None,
                                       "visit": r["session_id"] or None} for r in rows])
        conn.execute(insert(people), [{"pid": f"u{i}", "company": "a1" if i % 2 else None} for i in range(8)])
        conn.execute(insert(companies), [{"cid": "a1", "tier": "pro", "country": "DE"}])
    relations = derived.UsageRelations(
        events=select(tracks.c.uid.label("user_id"), tracks.c.ts.label("occurred_at"), tracks.c.event.label("name"),
                      tracks.c.area.label("feature"), tracks.c.visit.label("session_id")).subquery("events"),
        users=select(people.c.pid.label("user_id"), people.c.company.label("account_id")).subquery("users"),
        accounts=select(companies.c.cid.label("account_id"), companies.c.tier.label("plan"), companies.c.segment,
                        companies.c.channel, companies.c.country).subquery("accounts"),
    )
    target = _migrated_sqlite(tmp_path / "target.sqlite3")
    with source.connect() as src, target.begin() as tgt:
        derived.refresh_usage(src, tgt, berlin, relations=relations)
    with target.connect() as tgt:
        assert _snapshot(tgt) == _expected(tmp_path, berlin, rows)
    source.dispose()
    target.dispose()


@pytest.mark.postgres
def test_target_in_a_scratch_schema_of_the_source(tmp_path: Path, berlin: Settings) -> None:
    rows = _events(7)
    with scratch_postgres_database("kpibot_scratch") as url:
        engine = make_engine(url)
        _fill(engine, rows)
        with engine.begin() as conn:
            conn.execute(text("CREATE SCHEMA kpi_scratch"))
        scratch = engine.execution_options(schema_translate_map={None: "kpi_scratch"})
        Base.metadata.create_all(scratch, tables=[*TABLES, DerivedState.__table__])
        with engine.connect() as src, engine.connect() as raw_target:
            tgt = raw_target.execution_options(schema_translate_map={None: "kpi_scratch"})
            with tgt.begin():
                derived.refresh_usage(src, tgt, berlin)
            cut = min(r["occurred_at"] for r in rows) + timedelta(days=6)
            with tgt.begin():
                derived.refresh_usage(src, tgt, berlin, since=cut)
            built = _snapshot(tgt)
        with engine.connect() as conn:
            assert all(not rows for rows in _snapshot(conn).values())  # the public tables stay empty
        engine.dispose()
    assert built == _expected(tmp_path, berlin, rows)
