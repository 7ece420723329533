"""Statements go to the database that holds their tables; `source init` writes a mapping that validates."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from bot.cli.main import build_app
from kpi_engine.db.models import Account, DailyUsage, UsageDay, User
from kpi_engine.sources.mapping import parse_mapping
from kpi_engine.sources.routed import CrossDatabaseQuery, RoutedConnection, table_names
from kpi_engine.sources.starter import LayoutUnknown, layout_names, starting_mapping


def test_statements_run_where_their_tables_are(tmp_path: Path) -> None:
    source = create_engine(f"sqlite:///{tmp_path / 'source.sqlite3'}")
    state = create_engine(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    with source.begin() as conn:
        conn.execute(text("CREATE TABLE users (user_id text, account_id text)"))
        conn.execute(text("INSERT INTO users VALUES ('u1', 'a1'), ('u2', 'a1')"))
    with state.begin() as conn:
        conn.execute(text("CREATE TABLE daily_usage (day date, dau integer)"))
        conn.execute(text("INSERT INTO daily_usage VALUES ('2026-01-01', 7)"))
    with source.connect() as s, state.connect() as t:
        routed = RoutedConnection(s, t)
        assert routed.scalar(select(func.count()).select_from(User.__table__)) == 2  # on the source
        assert routed.scalar(select(func.sum(DailyUsage.__table__.c.dau))) == 7  # on the state database
        joined = select(func.count()).select_from(UsageDay.__table__.join(
            User.__table__, User.__table__.c.user_id == UsageDay.__table__.c.user_id))
        with pytest.raises(CrossDatabaseQuery, match="users of the source together with the usage tables"):
            routed.execute(joined)
    assert table_names(select(Account.__table__.c.plan)) == {"accounts"}


def test_source_init_writes_a_mapping_to_edit(tmp_path: Path) -> None:
    with pytest.raises(LayoutUnknown, match="nosuch"):
        starting_mapping(["nosuch"])
    names = layout_names()
    if not names:
        pytest.skip("no ready-made layouts installed yet")
    for name in names:
        parse_mapping(starting_mapping([name]), name)  # every layout validates
    out = tmp_path / "map.yaml"
    result = CliRunner().invoke(build_app("source"), ["source", "init", *names, "--out", str(out)])
    assert result.exit_code == 0, result.output
    parse_mapping(out.read_text(encoding="utf-8"))
    again = CliRunner().invoke(build_app("source"), ["source", "init", names[0], "--out", str(out)])
    assert again.exit_code == 1 and "--force" in again.output
