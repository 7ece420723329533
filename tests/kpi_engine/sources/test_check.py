"""`kpibot source check` and bad sources: one clear line each naming what failed, never a traceback; in
answers, the metrics of a failing table say the source is not reachable while the others keep working."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli.main import build_app
from kpi_engine.answers.ask import answer_question
from kpi_engine.db.engine import make_engine
from kpi_engine.sources.source import forget_sources
from tests.conftest import POSTGRES_URL, make_settings

ROWS = """
create table companies (company_id integer primary key, created text, tier text);
insert into companies values (1, '2026-01-05 09:00:00', 'Pro'), (2, '2026-02-01T10:00:00+09:00', 'Basic');
create table subs (id text, customer integer, cents integer, start_at text, end_at text);
insert into subs values ('s1', 1, 10000, '2026-01-05 18:00:00', null), ('s2', 2, 5000, '2026-02-01 09:00:00', null),
                        ('s3', 2, 2500, '2026-03-01 09:00:00', '2026-03-10 09:00:00');
create table tickets_empty (ticket_id text, opened_at text);
"""
MAPPING = {"tables": {
    "accounts": {"table": "companies", "columns": {"account_id": "company_id", "created_at": "created",
                                                   "plan": "lower(tier)"}},
    "subscriptions": {"sql": "select id as subscription_id, customer as account_id, cents / 100.0 as mrr, "
                             "start_at as started_at, end_at as ended_at from subs", "timezone": "Asia/Tokyo"},
}}


@pytest.fixture(autouse=True)
def _fresh_sources() -> None:
    forget_sources()


@pytest.fixture
def source_file(tmp_path: Path) -> Path:
    path = tmp_path / "crm.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(ROWS)
    return path


def run(tmp_path: Path, sqlite_template: Path, mapping: dict, url: str, *args: str) -> tuple[int, str]:  # type: ignore[type-arg]
    state = tmp_path / "state.sqlite3"
    state.write_bytes(sqlite_template.read_bytes())
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    env = {"DATABASE_URL": f"sqlite:///{state}", "KPI_SOURCE_URL": url, "KPI_SOURCE_MAP": str(tmp_path / "map.yaml"),
           "KPI_TIMEZONE": "UTC", "COLUMNS": "200"}
    result = CliRunner().invoke(build_app("source"), ["source", *args], env=env)
    return result.exit_code, result.output


def test_check_prints_rows_and_newest_per_table(tmp_path: Path, sqlite_template: Path, source_file: Path) -> None:
    code, out = run(tmp_path, sqlite_template, MAPPING, f"sqlite:///{source_file}", "check")
    assert code == 0, out
    # account 2 was created at 10:00 in +09:00 → 01:00 UTC; the newest subscription starts 09:00 Tokyo → 00:00 UTC
    assert "ok   accounts" in out and "2 rows, newest 2026-02-01 01:00:00  (companies)" in out
    assert "3 rows, newest 2026-03-01 00:00:00  (sql)" in out
    assert "absent" in out.split("users")[1].splitlines()[0]  # not mapped, no table named users


def test_each_problem_is_one_line_naming_table_and_column(tmp_path: Path, sqlite_template: Path,
                                                          source_file: Path) -> None:
    mapping = yaml.safe_load(yaml.safe_dump(MAPPING))
    mapping["tables"]["accounts"]["columns"]["segment"] = "size_band"  # no such column
    mapping["tables"]["orders"] = {"sql": "select amount from nowhere"}  # a failing SELECT
    mapping["tables"]["tickets"] = {"table": "tickets_empty"}  # an empty table
    code, out = run(tmp_path, sqlite_template, mapping, f"sqlite:///{source_file}", "check")
    assert code == 1
    fails = [line for line in out.splitlines() if line.startswith("FAIL")]
    assert fails == [
        "FAIL accounts.segment (source column size_band of companies): no such column: size_band",
        "FAIL orders (sql): no such table: nowhere",
        "FAIL tickets (tickets_empty): the table is empty",
    ]
    assert "Traceback" not in out


def test_required_nulls_duplicate_keys_and_dangling_references(tmp_path: Path, sqlite_template: Path,
                                                              source_file: Path) -> None:
    with sqlite3.connect(source_file) as conn:
        conn.execute("insert into subs values ('s3', 9, null, '2026-03-02 09:00:00', null)")
    code, out = run(tmp_path, sqlite_template, MAPPING, f"sqlite:///{source_file}", "check")
    assert code == 1
    assert "FAIL subscriptions.mrr (source column mrr): 1 rows are null (required)" in out
    key = "subscriptions.subscription_id (source column subscription_id)"
    assert f"FAIL {key}: 1 key values appear more than once (the key must be unique)" in out
    assert "FAIL subscriptions.account_id (source column account_id): 1 rows whose account_id is not in accounts" in out


def test_unreadable_timestamps_are_named(tmp_path: Path, sqlite_template: Path, source_file: Path) -> None:
    with sqlite3.connect(source_file) as conn:
        conn.execute("insert into companies values (3, 'last tuesday', 'Pro')")
    code, out = run(tmp_path, sqlite_template, MAPPING, f"sqlite:///{source_file}", "check")
    assert code == 1
    assert "FAIL accounts.created_at (source column created): 1 values do not read as timestamps" in out


def test_unreachable_source_is_one_line_without_the_password(tmp_path: Path, sqlite_template: Path) -> None:
    code, out = run(tmp_path, sqlite_template, MAPPING, "postgresql+psycopg://kpi:s3cret@127.0.0.1:1/crm", "check")
    assert code == 1
    assert "s3cret" not in out and "Traceback" not in out
    assert out.startswith("source postgresql+psycopg://kpi:***@127.0.0.1:1/crm: connection failed")


@pytest.mark.postgres
def test_wrong_credentials_are_one_line(tmp_path: Path, sqlite_template: Path) -> None:
    if not POSTGRES_URL:
        pytest.skip("KPIBOT_TEST_POSTGRES_URL is not set")
    url = POSTGRES_URL.replace("postgres@", "no_such_role:pw@")
    code, out = run(tmp_path, sqlite_template, MAPPING, url, "check")
    assert code == 1 and "no_such_role" in out and ":pw@" not in out and "Traceback" not in out


def test_a_failing_table_answers_not_reachable_and_others_work(tmp_path: Path, sqlite_template: Path,
                                                                source_file: Path) -> None:
    mapping = yaml.safe_load(yaml.safe_dump(MAPPING))
    mapping["tables"]["subscriptions"]["sql"] = "select id from missing_subs"
    state = tmp_path / "state.sqlite3"
    state.write_bytes(sqlite_template.read_bytes())
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    settings = make_settings(f"sqlite:///{state}", kpi_source_url=f"sqlite:///{source_file}",
                             kpi_source_map=str(tmp_path / "map.yaml"))
    engine = make_engine(settings.database_url)
    mrr = answer_question("mrr", engine=engine, settings=settings)
    assert mrr.error == "the source for subscriptions is not reachable: no such table: missing_subs"
    orders = answer_question("revenue last month", engine=engine, settings=settings)
    assert orders.error == "no data source for orders"
    engine.dispose()


def test_metrics_of_absent_tables_leave_the_list_but_still_answer(tmp_path: Path, sqlite_template: Path,
                                                                  source_file: Path) -> None:
    from kpi_engine.answers.ask import resolve_catalog

    state = tmp_path / "state.sqlite3"
    state.write_bytes(sqlite_template.read_bytes())
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(MAPPING), encoding="utf-8")
    settings = make_settings(f"sqlite:///{state}", kpi_source_url=f"sqlite:///{source_file}",
                             kpi_source_map=str(tmp_path / "map.yaml"))
    engine = make_engine(settings.database_url)
    catalog = resolve_catalog(engine, settings)
    listed = {m.id for metrics in catalog.by_area().values() for m in metrics}
    assert "mrr" in listed and "nps" in listed  # subscriptions mapped; survey answers live in DATABASE_URL
    assert "revenue" not in listed and "tickets" not in listed and catalog.find("revenue") is not None
    engine.dispose()
