"""Demo databases built once per module and backend (SQLite file, or a scratch PostgreSQL database)."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kpi_engine.db.engine import make_engine
from kpi_engine.demo import build_demo
from kpi_engine.settings import Settings
from tests.conftest import make_settings, scratch_postgres_database

DEMO_END = date(2026, 5, 15)


@contextmanager
def scratch_database(backend: str, directory: Path, template: Path) -> Iterator[str]:
    """A fresh, migrated database URL that lives as long as the context."""
    if backend == "sqlite":
        path = directory / f"demo_{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    with scratch_postgres_database("kpibot_demo") as url:
        yield url


@contextmanager
def built_demo(backend: str, directory: Path, template: Path, scale: str) -> Iterator[tuple[Engine, Settings]]:
    with scratch_database(backend, directory, template) as url:
        engine = make_engine(url)
        settings = make_settings(url)
        build_demo(engine, settings, scale, DEMO_END, 42)
        try:
            yield engine, settings
        finally:
            engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def tiny_demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              sqlite_template: Path) -> Iterator[tuple[Engine, Settings]]:
    """The tiny demo (history ending DEMO_END, seed 42) on each backend, shared by a module's tests."""
    with built_demo(request.param, tmp_path_factory.mktemp("demo"), sqlite_template, "tiny") as demo:
        yield demo


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def small_demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               sqlite_template: Path) -> Iterator[tuple[Engine, Settings]]:
    """The small demo (≈ 100k events) on each backend, shared by a module's tests."""
    with built_demo(request.param, tmp_path_factory.mktemp("demo"), sqlite_template, "small") as demo:
        yield demo
