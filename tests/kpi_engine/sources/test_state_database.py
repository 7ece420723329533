"""open_database migrates DATABASE_URL only when it is behind, and never touches a source."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from kpi_engine.db import engine as db_engine
from kpi_engine.db.engine import at_head, open_database
from tests.conftest import make_settings


def test_upgrade_is_skipped_at_head(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    calls: list[str] = []
    real = db_engine.upgrade_schema
    monkeypatch.setattr(db_engine, "upgrade_schema", lambda engine: calls.append("upgrade") or real(engine))
    first = open_database(settings)
    assert calls == ["upgrade"] and at_head(first)
    open_database(settings).dispose()
    assert calls == ["upgrade"]  # already at head: no Alembic run
    with first.begin() as conn:  # behind (or ahead): not at head, so open_database would run Alembic
        conn.execute(text("UPDATE alembic_version SET version_num = '0009_security'"))
    assert not at_head(first)
    first.dispose()
