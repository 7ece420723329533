"""`kpibot demo`: says what it wipes, fills DATABASE_URL, prints the summary and a first question."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli.main import app
from kpi_engine.db.engine import make_engine


def test_demo_command_fills_the_database(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("KPI_TIMEZONE", "Europe/Berlin")
    result = CliRunner().invoke(app, ["demo", "--scale", "tiny", "--end", "2026-03-31", "--seed", "3"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "Wiping and refilling these tables: accounts, subscriptions, users, events" in output
    assert "ending 2026-03-31, seed 3" in output
    assert 'kpibot ask "mrr by plan"' in output
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        events = conn.execute(text("SELECT COUNT(*) FROM events")).scalar()
        last_day = conn.execute(text("SELECT MAX(day) FROM marketing_spend")).scalar()
    engine.dispose()
    assert f"events │ {events:,}" in output.replace("┃", "│")
    assert last_day == "2026-03-31"


def test_demo_command_rejects_unknown_scale_and_bad_day(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--scale", "huge"])
    assert result.exit_code == 2 and "--scale must be one of small, medium, large" in result.output
    result = runner.invoke(app, ["demo", "--scale", "tiny", "--end", "31.03.2026"])
    assert result.exit_code == 2 and "--end must be a date" in result.output
