"""`kpibot import` with the columnar store (KPI_DATA_URL): what goes where, and the refusals of a store that is
not one, or of two places for the same tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from bot.cli.main import build_app
from kpi_engine.sources.source import forget_sources

ACCOUNTS = "account_id,name,plan,segment,country,created_at\na1,Acme,gold,big,FR,2026-01-05T10:00:00Z\n" \
           "a2,Bolt,tin,small,DE,2026-02-01T09:30:00Z\n"
ANSWERS = "response_id,survey,score,account_id,responded_at\nr1,nps,9,a1,2026-03-01T12:00:00Z\n" \
          "r2,nps,3,a2,2026-03-02T12:00:00Z\nr3,nps,10,a1,2026-03-03T12:00:00Z\n"


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    forget_sources()
    result = CliRunner().invoke(build_app(args[0]), list(args), env={"KPI_TIMEZONE": "UTC", "COLUMNS": "200", **env})
    forget_sources()
    return result.exit_code, " ".join(result.output.split())  # as one line, however the console wrapped it


def store_env(folder: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{folder / 'state.sqlite3'}", "KPI_DATA_URL": f"duckdb:///{folder / 'd.duckdb'}"}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"accounts": tmp_path / "accounts.csv", "survey_responses": tmp_path / "answers.csv"}
    paths["accounts"].write_text(ACCOUNTS)
    paths["survey_responses"].write_text(ANSWERS)
    return paths


def test_data_goes_to_the_store_and_survey_answers_to_database_url(tmp_path: Path, files: dict[str, Path]) -> None:
    env = store_env(tmp_path)
    code, output = run(env, "import", "accounts", str(files["accounts"]))
    assert code == 0, output
    assert "2 inserted" in output
    code, output = run(env, "import", "survey_responses", str(files["survey_responses"]))
    assert code == 0, output
    assert "3 inserted" in output
    with duckdb.connect(str(tmp_path / "d.duckdb"), read_only=True) as store:
        assert store.execute("SELECT account_id, plan FROM accounts ORDER BY 1").fetchall() == [("a1", "gold"),
                                                                                               ("a2", "tin")]
        assert store.execute("SELECT count(*) FROM survey_responses").fetchone() == (0,)
    state = create_engine(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    with state.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM survey_responses")).scalar_one() == 3
        assert conn.execute(text("SELECT count(*) FROM accounts")).scalar_one() == 0
    state.dispose()
    # re-importing the same file changes nothing; a changed plan is one update
    code, output = run(env, "import", "accounts", str(files["accounts"]))
    assert "0 inserted, 0 updated, 2 unchanged" in output, output
    files["accounts"].write_text(ACCOUNTS.replace(",tin,", ",steel,"))
    code, output = run(env, "import", "accounts", str(files["accounts"]))
    assert "0 inserted, 1 updated, 1 unchanged" in output, output
    with duckdb.connect(str(tmp_path / "d.duckdb"), read_only=True) as store:
        assert store.execute("SELECT plan FROM accounts WHERE account_id = 'a2'").fetchone() == ("steel",)
        assert store.execute("SELECT count(*) FROM accounts").fetchone() == (2,)


def test_nps_answered_from_the_store_counts_the_answers_kept_in_database_url(tmp_path: Path,
                                                                             files: dict[str, Path]) -> None:
    env = store_env(tmp_path)
    for table in ("accounts", "survey_responses"):
        assert run(env, "import", table, str(files[table]))[0] == 0
    code, output = run(env, "ask", "nps in march 2026", "--as-of", "2026-03-31")
    assert code == 0, output
    assert "33.3" in output  # 2 promoters, 1 detractor of 3: (2 - 1) / 3 × 100


def test_a_store_that_is_not_duckdb_is_refused(tmp_path: Path, files: dict[str, Path]) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'state.sqlite3'}", "KPI_DATA_URL": f"sqlite:///{tmp_path / 'd.db'}"}
    code, output = run(env, "import", "accounts", str(files["accounts"]))
    assert code == 2
    assert "KPI_DATA_URL is a DuckDB file (duckdb:///path/data.duckdb), not sqlite" in output


def test_a_store_and_a_source_at_once_are_refused(tmp_path: Path, files: dict[str, Path]) -> None:
    env = {**store_env(tmp_path), "KPI_SOURCE_URL": f"sqlite:///{tmp_path / 'theirs.sqlite3'}"}
    code, output = run(env, "import", "accounts", str(files["accounts"]))
    assert code == 2
    assert "are two places for the same tables: set one" in output
    assert not (tmp_path / "d.duckdb").exists()


def test_a_failed_import_leaves_the_store_as_it_was(tmp_path: Path, files: dict[str, Path]) -> None:
    """All or nothing, as on SQLite: a bad row aborts the import, and neither its rows nor its staging table
    (a plain table in the store, inside the import's transaction) remain."""
    env = store_env(tmp_path)
    assert run(env, "import", "accounts", str(files["accounts"]))[0] == 0
    bad = tmp_path / "more_accounts.csv"
    bad.write_text(ACCOUNTS.splitlines()[0] + "\na3,Cirq,gold,big,FR,2026-03-05T10:00:00Z\n"
                   "a4,Dune,gold,big,FR,not a time\n")
    code, output = run(env, "import", "accounts", str(bad))
    assert code == 1
    assert "1 problem in 2 rows for accounts; nothing was imported" in output, output
    with duckdb.connect(str(tmp_path / "d.duckdb"), read_only=True) as store:
        assert store.execute("SELECT account_id FROM accounts ORDER BY 1").fetchall() == [("a1",), ("a2",)]
        tables = {row[0] for row in store.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not any(name.startswith("kpibot_import") for name in tables)
    code, output = run(env, "import", "accounts", str(files["accounts"]), "--replace")
    assert code == 0 and "replaced 2 old rows" in output, output
