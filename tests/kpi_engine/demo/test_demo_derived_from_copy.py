"""The demo's derived tables are built from its own copy of the events it wrote (not read back from the
database): they are exactly what a rebuild from the stored events gives, on each backend."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from kpi_engine import derived
from kpi_engine.db.models import Event
from kpi_engine.settings import Settings
from tests.kpi_engine.importing.test_incremental_refresh import _snapshot


def test_the_derived_tables_equal_a_rebuild_from_the_stored_events(tiny_demo: tuple[Engine, Settings]) -> None:
    engine, settings = tiny_demo
    built = _snapshot(engine)
    with engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(Event.__table__)).scalar_one()
    assert events > 10_000
    assert sum(int(n) for *_key, n in built["sessions"]) == events  # every event is in one session
    with engine.begin() as conn:
        derived.rebuild_derived(conn, settings)
    assert built == _snapshot(engine)
