"""`kpibot import TABLE FILE [--replace]` through the real command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli.main import app
from kpi_engine.db.models import User
from tests.conftest import insert_rows
from tests.kpi_engine.importing.helpers import table_rows, write_csv

USERS = "user_id,created_at,email\nu1,2026-01-01 09:00,ann@example.com\nu2,2026-01-02T09:00:00Z,\n"


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no developer .env
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("KPI_TIMEZONE", "Europe/Paris")
    return CliRunner()


def test_import_prints_a_one_line_summary(cli: CliRunner, engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "users.csv", USERS)

    first = cli.invoke(app, ["import", "users", str(path)])
    again = cli.invoke(app, ["import", "users", str(path)])

    assert first.exit_code == 0, first.output
    assert "users.csv into users: 2 rows read, 2 inserted, 0 updated, 0 unchanged" in first.output
    assert len(first.output.strip().splitlines()) == 1
    assert "2 rows read, 0 inserted, 0 updated, 2 unchanged" in again.output
    assert table_rows(engine, "users") == [
        ("u1", None, datetime(2026, 1, 1, 8), "ann@example.com", None),  # 09:00 in Paris is 08:00 UTC
        ("u2", None, datetime(2026, 1, 2, 9), None, None),
    ]


def test_replace_option(cli: CliRunner, engine: Engine, tmp_path: Path) -> None:
    insert_rows(engine, User, [{"user_id": "old", "created_at": datetime(2025, 1, 1)}])

    result = cli.invoke(app, ["import", "users", str(write_csv(tmp_path, "users.csv", USERS)), "--replace"])

    assert result.exit_code == 0, result.output
    assert "replaced 1 old rows" in result.output
    assert [row[0] for row in table_rows(engine, "users")] == ["u1", "u2"]


def test_bad_rows_are_listed_and_the_exit_code_is_not_zero(cli: CliRunner, engine: Engine, tmp_path: Path) -> None:
    insert_rows(engine, User, [{"user_id": "old", "created_at": datetime(2025, 1, 1)}])
    bad = "".join(f"u{n},not a date,\n" for n in range(60))
    path = write_csv(tmp_path, "users.csv", "user_id,created_at,email\n" + bad)

    result = cli.invoke(app, ["import", "users", str(path)])

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "60 problems in 60 rows for users; nothing was imported" in lines[0]
    assert lines[1].strip().startswith("line 2, column created_at: 'not a date' is not a timestamp")
    assert lines[-1].strip() == "... and 10 more"
    assert [row[0] for row in table_rows(engine, "users")] == ["old"]


@pytest.mark.parametrize(("arguments", "phrase"), [
    (["import", "nonsense", "x.csv"], "Unknown table 'nonsense'. Tables you can import: accounts"),
    (["import", "users", "does-not-exist.csv"], "File not found"),
])
def test_usage_problems_are_explained(cli: CliRunner, arguments: list[str], phrase: str) -> None:
    result = cli.invoke(app, arguments)

    assert result.exit_code == 1
    assert phrase in result.output
