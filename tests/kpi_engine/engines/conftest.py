"""The parity fixtures: the tiny demo company in SQLite (the reference), copied into a DuckDB file and into chDB.

Built once per test session. chDB opens one data directory per process at a time, so its engine is disposed
when the session ends (a test of another area that opens chDB must dispose of its engine too).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.dialect import prepare_engine
from kpi_engine.db.engine import make_engine
from kpi_engine.demo import build_demo
from kpi_engine.engine import run_query
from kpi_engine.settings import Settings
from tests.conftest import make_settings
from tests.kpi_engine.demo.conftest import DEMO_END
from tests.kpi_engine.engines.copies import export_parquet, load_clickhouse, load_duckdb
from tests.kpi_engine.engines.questions import (
    CUSTOM_IDS,
    CUSTOM_METRICS_YAML,
    Question,
    answer,
    custom_questions,
    question_set,
)

FUNNEL_STEPS = ("signup", "activated", "purchase")


@dataclass(frozen=True)
class ParityDemo:
    sqlite: Engine
    settings: Settings
    parquet: dict[str, Path]
    directory: Path


@pytest.fixture(scope="session")
def parity_demo(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[ParityDemo]:
    directory = tmp_path_factory.mktemp("engines")
    path = directory / "reference.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    custom = directory / "custom_metrics.yaml"
    custom.write_text(CUSTOM_METRICS_YAML)
    engine = make_engine(url)
    build_demo(engine, make_settings(url), "tiny", DEMO_END, 42)
    settings = make_settings(url, KPI_CUSTOM_METRICS_FILE=str(custom))
    yield ParityDemo(engine, settings, export_parquet(engine, directory / "parquet"), directory)
    engine.dispose()


def engine_copy(name: str, demo: ParityDemo) -> Engine:
    """The demo's tables in a new database of engine `name` ('duckdb' or 'clickhouse'), prepared."""
    if name == "duckdb":
        pytest.importorskip("duckdb_engine", reason="the DuckDB extra is not installed (pip install kpibot[duckdb])")
        engine = prepare_engine(create_engine(f"duckdb:///{demo.directory / 'copy.duckdb'}"))
        with engine.connect() as conn:
            load_duckdb(conn, demo.parquet)
        return engine
    pytest.importorskip("chdb", reason="the ClickHouse extra is not installed (pip install kpibot[clickhouse])")
    engine = prepare_engine(create_engine(f"clickhousedb://?interface=chdb&path={demo.directory / 'copy.chdb'}"))
    with engine.connect() as conn:
        load_clickhouse(conn, demo.parquet)
    return engine


@pytest.fixture(scope="session")
def duckdb_copy(parity_demo: ParityDemo) -> Iterator[Engine]:
    engine = engine_copy("duckdb", parity_demo)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def clickhouse_copy(parity_demo: ParityDemo) -> Iterator[Engine]:
    engine = engine_copy("clickhouse", parity_demo)
    yield engine
    engine.dispose()


@dataclass(frozen=True)
class Reference:
    """SQLite's answer to every question of the set."""

    demo: ParityDemo
    answers: dict[str, Any]


@pytest.fixture(scope="session")
def reference(parity_demo: ParityDemo) -> Reference:
    """All at once, on SQLite's own catalog (its custom metrics read SQLite's tables)."""
    catalog = load_catalog(parity_demo.settings, parity_demo.sqlite)
    with parity_demo.sqlite.connect() as conn:
        answers = {q.label: answer(run_query(conn, q.query, catalog, parity_demo.settings))
                   for q in parity_questions()}
    return Reference(parity_demo, answers)


def parity_questions() -> list[Question]:
    """The question set, built from the catalog with the custom metrics of the parity demo (no database
    is needed to list them: the custom metrics' ids are known from their YAML)."""
    return question_set(load_catalog(), DEMO_END, FUNNEL_STEPS) + custom_questions(CUSTOM_IDS, DEMO_END)
