"""Shared fixtures: real databases (SQLite always; PostgreSQL when KPIBOT_TEST_POSTGRES_URL is set).

`engine` is parametrised over both backends; each test gets an empty, fully migrated database.
PostgreSQL tests run in a database created for this test run and dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

from bot.settings import AppSettings
from kpi_engine.db.engine import make_engine, upgrade_schema
from kpi_engine.db.models import every_table
from kpi_engine.settings import Settings

POSTGRES_URL = os.environ.get("KPIBOT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@contextmanager
def scratch_postgres_database(prefix: str = "kpibot_test") -> Iterator[str]:
    """A migrated PostgreSQL database of its own, dropped afterwards (skips when PostgreSQL is not configured)."""
    if not POSTGRES_URL:
        pytest.skip("KPIBOT_TEST_POSTGRES_URL is not set")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    with scratch_postgres_database() as url:
        yield url


def _truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in every_table().sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "kpibot.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
        return
    url = request.getfixturevalue("postgres_database")
    yield url
    engine = make_engine(url)
    _truncate_all(engine)
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    eng = make_engine(sqlite_url)
    yield eng
    eng.dispose()


def make_settings(url: str, **overrides: Any) -> Settings:
    """Settings for a test database, ignoring the developer's environment and .env."""
    values = {"DATABASE_URL": url, "KPI_TIMEZONE": "UTC", **{k.upper(): v for k, v in overrides.items()}}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def make_app_settings(url: str, **overrides: Any) -> AppSettings:
    """The app's settings (every section) for a test database, ignoring the developer's environment and .env."""
    values = {"DATABASE_URL": url, "KPI_TIMEZONE": "UTC", **{k.upper(): v for k, v in overrides.items()}}
    return AppSettings.load(None, **values)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url)


def insert_rows(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    """Puts hand-made fixture rows straight into a table (compute tests do not depend on import)."""
    if not rows:
        return
    table = model.__table__
    keys = {key for row in rows for key in row}
    full = [{key: row.get(key, table.c[key].default.arg if table.c[key].default is not None else None)
             for key in keys} for row in rows]
    with engine.begin() as conn:
        conn.execute(insert(table), full)


def insert_small_mrr_company(engine: Engine) -> None:
    """Two accounts and an unknown one. MRR at the end of April 2026 = 100 + 50 + 7 = 157 (pro 100, basic 50,
    "(none)" 7); at the end of March and of May = 50 + 7 = 57 (the pro row runs 2026-04-01 .. 2026-05-01)."""
    from kpi_engine.db.models import Account, Subscription

    insert_rows(engine, Account, [
        {"account_id": "a", "created_at": datetime(2026, 1, 1), "plan": "pro"},
        {"account_id": "b", "created_at": datetime(2026, 1, 1), "plan": "basic"},
    ])
    insert_rows(engine, Subscription, [
        {"subscription_id": "s1", "account_id": "a", "mrr": 100, "started_at": datetime(2026, 4, 1),
         "ended_at": datetime(2026, 5, 1)},
        {"subscription_id": "s2", "account_id": "b", "mrr": 50, "started_at": datetime(2026, 3, 15)},
        {"subscription_id": "s3", "account_id": "zzz", "mrr": 7, "started_at": datetime(2026, 3, 15)},
    ])
