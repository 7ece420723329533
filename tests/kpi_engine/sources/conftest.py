"""A tiny demo imported into SQLite (the reference) and the same data as a "source" in someone else's shape
(support.py) on SQLite, PostgreSQL or DuckDB, read through a mapping with the derived tables refreshed into
a scratch schema; the bot's state is a separate, migrated SQLite file holding the survey answers."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from kpi_engine.db.engine import make_engine
from kpi_engine.db.models import SurveyDelivery, SurveyResponse
from kpi_engine.settings import Settings
from kpi_engine.sources.refresh import refresh
from kpi_engine.sources.source import forget_sources
from tests.conftest import POSTGRES_URL, make_settings
from tests.kpi_engine.demo.conftest import built_demo
from tests.kpi_engine.sources.support import export_source, write_mapping

SCRATCH = "kpi"
# "same": no KPI_SOURCE_URL, only a mapping over tables of DATABASE_URL itself (derived tables there too)
SOURCE_BACKENDS = ["sqlite", "same", pytest.param("postgres", marks=pytest.mark.postgres), "duckdb"]


@dataclass
class Sourced:
    backend: str
    source_url: str
    state: Engine
    settings: Settings
    refreshed: bool = True  # False: this engine's derived build is not there yet (usage questions are left out)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[tuple[Engine, Settings]]:
    with built_demo("sqlite", tmp_path_factory.mktemp("reference"), sqlite_template, "tiny") as demo:
        yield demo


@contextmanager
def empty_postgres_database() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("KPIBOT_TEST_POSTGRES_URL is not set")
    name = f"kpibot_source_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def source_database(backend: str, directory: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'source.sqlite3'}"
    elif backend == "same":
        yield f"sqlite:///{directory / 'state.sqlite3'}"
    elif backend == "duckdb":
        pytest.importorskip("duckdb_engine")
        yield f"duckdb:///{directory / 'source.duckdb'}"
    else:
        with empty_postgres_database() as url:
            yield url


def make_source(reference: Engine, backend: str, directory: Path, template: Path) -> Iterator[Sourced]:
    state_path = directory / "state.sqlite3"
    shutil.copy(template, state_path)
    with source_database(backend, directory) as url:
        writer = create_engine(url)
        export_source(reference, writer)
        if backend not in ("sqlite", "same"):  # the user creates the scratch schema and grants the bot write on it
            with writer.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {SCRATCH}"))
        writer.dispose()
        state = make_engine(f"sqlite:///{state_path}")
        copy_survey_answers(reference, state)
        where = {} if backend == "same" else {"kpi_source_url": url, "kpi_source_scratch_schema": SCRATCH}
        settings = make_settings(f"sqlite:///{state_path}", kpi_source_map=str(write_mapping(directory / "map.yaml")),
                                 **where)
        refreshed = True
        try:
            refresh(settings)
        except NotImplementedError:  # the derived build's upserts on this engine: engines/ingest
            refreshed = False
        forget_sources()
        try:
            yield Sourced(backend, url, state, settings, refreshed)
        finally:
            forget_sources()
            state.dispose()


def copy_survey_answers(reference: Engine, state: Engine) -> None:
    """The survey answers live in the bot's own database (given in Slack)."""
    with reference.connect() as read, state.begin() as write:
        for model in (SurveyResponse, SurveyDelivery):
            rows = [dict(r) for r in read.execute(select(model.__table__)).mappings()]
            if rows:
                write.execute(insert(model.__table__), rows)


@pytest.fixture(scope="module", params=SOURCE_BACKENDS)
def sourced(request: pytest.FixtureRequest, reference: tuple[Engine, Settings],
            tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Sourced]:
    yield from make_source(reference[0], request.param, tmp_path_factory.mktemp(f"source_{request.param}"),
                           sqlite_template)
