"""The configured source: its engine (read-only where the engine allows it), the mapping and the read plan of
every contract table, built once per process and reused.

The source engine renders each contract table as its mapped subquery (adapter.py) and, when
KPI_SOURCE_SCRATCH_SCHEMA is set, the derived tables inside that schema. It never runs migrations.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from kpi_engine.compute.dialect import EngineLacks
from kpi_engine.compute.dialect.source_columns import UnsupportedSourceType
from kpi_engine.compute.dialect.source_engine import open_source_engine
from kpi_engine.settings import Settings
from kpi_engine.sources import adapter
from kpi_engine.sources.contract import MAPPABLE_TABLES, SURVEY_TABLES
from kpi_engine.sources.mapping import MappingError, SourceMap, load_mapping
from kpi_engine.sources.render import ReadPlan, read_plan

log = logging.getLogger(__name__)
RETRY_SECONDS = 30.0  # an unreachable source is tried again after this long


class SourceUnavailable(ValueError):
    """A contract table cannot be read; the message is what the user sees."""


class NoDataSource(ValueError):
    pass


def safe_url(url: str | URL) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001  (not even a URL: say so without echoing it)
        return "(an invalid URL)"


def describe_error(exc: BaseException) -> str:
    """One line: the driver's first line, without the SQL that SQLAlchemy appends."""
    inner = getattr(exc, "orig", None) or exc
    first = str(inner).strip().splitlines()[0] if str(inner).strip() else type(inner).__name__
    return first[:300]


@dataclass
class Source:
    settings: Settings
    url: str
    source_map: SourceMap
    engine: Engine | None = None
    plans: dict[str, ReadPlan] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # contract table → why it cannot be read
    absent: set[str] = field(default_factory=set)  # unmapped tables the source does not have
    error: str | None = None  # the whole source is unreachable
    opened_at: float = 0.0

    @property
    def derived_in_state(self) -> bool:
        """The derived tables live in DATABASE_URL, apart from this (separate) source."""
        return self.settings.usage_apart_from_source

    @property
    def scratch(self) -> str | None:
        return self.settings.scratch_schema

    def on_source(self, table: str) -> bool:
        """The table is read from the source (the survey tables stay in DATABASE_URL unless mapped)."""
        return table not in SURVEY_TABLES or table in self.source_map.tables

    def check_readable(self, table: str) -> None:
        if self.error is not None:
            raise SourceUnavailable(f"the source for {table} is not reachable: {self.error}")
        if table in self.problems:
            raise SourceUnavailable(f"the source for {table} is not reachable: {self.problems[table]}")
        if table in self.absent:
            raise NoDataSource(f"no data source for {table}")

    def connect(self) -> Connection:
        assert self.engine is not None
        try:
            return self.engine.connect()
        except SQLAlchemyError as exc:
            raise SourceUnavailable(f"the source is not reachable: {describe_error(exc)}") from exc


def make_source_engine(settings: Settings, *, writable: bool = False) -> Engine:
    """An engine on the source. Read-only unless `writable` (refresh into the scratch schema)."""
    engine = open_source_engine(make_url(settings.source_url), writable=writable,
                                scratch=settings.scratch_schema, owned=settings.kpi_data_url is not None)
    if not writable:  # queries use the derived tables as the last refresh left them (a query never rebuilds them)
        from kpi_engine.derived import REFRESH_OWNS_DERIVED

        return engine.execution_options(**{REFRESH_OWNS_DERIVED: True})
    return engine


def open_source(settings: Settings, *, writable: bool = False) -> Source:
    """Connects, probes every contract table and installs the table rendering. Never raises for a bad source:
    what failed is in `error` (the whole source) or `problems` (one table)."""
    try:
        source_map = load_mapping(settings.kpi_source_map)
    except MappingError as exc:
        return Source(settings, settings.source_url, SourceMap(), error=str(exc), opened_at=time.monotonic())
    source = Source(settings, settings.source_url, source_map, opened_at=time.monotonic())
    try:
        source.engine = make_source_engine(settings, writable=writable)
        with source.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            for table in MAPPABLE_TABLES:
                if not source.on_source(table):
                    continue
                if table not in source.source_map.tables and table not in names:
                    source.absent.add(table)
                    continue
                try:
                    source.plans[table] = read_plan(conn, source.source_map, table)
                except (SQLAlchemyError, UnsupportedSourceType, EngineLacks) as exc:
                    conn.rollback()
                    source.problems[table] = describe_error(exc)
    except SQLAlchemyError as exc:
        source.error = f"{safe_url(source.url)}: {describe_error(exc)}"
        log.info("source %s", source.error)
        return source
    adapter.install(source.engine, {t: p.body for t, p in source.plans.items()}, source.scratch)
    return source


_CACHE: dict[tuple[Any, ...], Source] = {}
_LOCK = threading.Lock()


def current_source(settings: Settings) -> Source:
    """The process's Source for these settings (re-opened when the mapping file changes, or after
    RETRY_SECONDS when it was unreachable)."""
    path = settings.kpi_source_map
    mtime = path.stat().st_mtime if path is not None and Path(path).exists() else None
    key = (settings.source_url, str(path), mtime, settings.scratch_schema)
    with _LOCK:
        cached = _CACHE.get(key)
        stale = cached is not None and cached.error is not None and time.monotonic() - cached.opened_at > RETRY_SECONDS
        if cached is None or stale:
            if cached is not None and cached.engine is not None:
                cached.engine.dispose()
            cached = _CACHE[key] = open_source(settings)
        return cached


def forget_sources() -> None:
    """Drop the cached sources (tests, and after a mapping is rewritten)."""
    with _LOCK:
        for source in _CACHE.values():
            if source.engine is not None:
                source.engine.dispose()
        _CACHE.clear()
