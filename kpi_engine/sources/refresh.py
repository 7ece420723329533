"""`kpibot refresh`: the derived usage tables built from the source's events, incrementally from a watermark.

Where they live:
- KPI_SOURCE_SCRATCH_SCHEMA set: in that schema of the source (a file attached under that name on SQLite),
  beside the raw tables; the build runs entirely in the source and nothing derived leaves it.
- the source is DATABASE_URL itself (only a mapping): in DATABASE_URL, beside everything else.
- a separate source without a scratch schema: refused with a clear message for now (building into
  DATABASE_URL needs the derived build to read from one database and write to another, see NOTES.md).

The watermark is the newest `occurred_at` the last refresh saw (in `derived_state`, key
`source.watermark`): the next refresh rebuilds from the local day holding it, so events appended since,
and late events of that day, are counted. Events older than that day that arrive later need `--full`.
The build itself is kpi_engine.derived's, unchanged: the adapter makes its statements read the mapped
events and write the derived tables where they belong.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, MetaData, delete, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from kpi_engine.compute.dialect import require_scratch_schema
from kpi_engine.db.base import Base
from kpi_engine.db.bulk import upsert_rows
from kpi_engine.db.models import DerivedState, Event
from kpi_engine.settings import Settings
from kpi_engine.sources.contract import DERIVED_TABLES, SCRATCH_COPIES
from kpi_engine.sources.source import (
    Source,
    SourceUnavailable,
    describe_error,
    forget_sources,
    open_source,
    safe_url,
    source_url,
)
from kpi_engine.values import invalidate_values

WATERMARK_KEY = "source.watermark"
state_table = DerivedState.__table__
events = Event.__table__


class RefreshNotPossible(ValueError):
    pass


@dataclass(frozen=True)
class RefreshOutcome:
    mode: str  # full | incremental | current
    seconds: float
    watermark: datetime | None
    where: str  # where the derived tables are

    def line(self) -> str:
        newest = self.watermark.isoformat(sep=" ") if self.watermark else "no events"
        return f"refresh {self.mode} in {self.seconds:.1f} s into {self.where} (newest event {newest})"


def placement(source: Source) -> str:
    if source.scratch:
        return f"schema {source.scratch} of {safe_url(source.url)}"
    if source.same_as_state or _cross_database_build():
        return "DATABASE_URL"
    raise RefreshNotPossible(
        "the source is a separate database: set KPI_SOURCE_SCRATCH_SCHEMA to a schema of the source the bot may "
        "write its derived tables in (this version cannot build them into DATABASE_URL from a separate source)"
    )


def _cross_database_build() -> bool:
    """The derived build reads from one connection and writes to another (kpi_engine.derived.refresh_usage)."""
    from kpi_engine import derived

    return hasattr(derived, "refresh_usage")


def refresh(settings: Settings, *, full: bool = False) -> RefreshOutcome:
    started = time.perf_counter()
    if make_url(source_url(settings)).get_backend_name() == "duckdb":
        forget_sources()  # DuckDB opens a file once per process: the read-only engine is closed while writing
    source = open_source(settings, writable=True)
    state_engine = None
    try:
        if source.error is not None:
            raise SourceUnavailable(f"the source is not reachable: {source.error}")
        source.check_readable("events")
        where = placement(source)
        assert source.engine is not None
        if source.scratch:
            require_scratch_schema(source.engine.dialect.name)
        into_state = not source.scratch and not source.same_as_state
        if into_state:
            from kpi_engine.db.engine import make_engine

            state_engine = make_engine(settings.database_url)
        try:
            with source.engine.connect() as read, (state_engine or source.engine).begin() as write:
                create_derived_tables(write, source.scratch)
                mode, watermark = _build(read, write, settings, full, source.scratch)
                if source.scratch and not any(t in source.source_map.tables for t in SCRATCH_COPIES):
                    copy_survey_answers(settings, write)
        except SQLAlchemyError as exc:
            raise SourceUnavailable(f"refresh failed: {describe_error(exc)}") from exc
    finally:
        for engine in (source.engine, state_engine):
            if engine is not None:
                engine.dispose()
    invalidate_values()  # the parser's values (plans, countries, event names) are read again
    return RefreshOutcome(mode, time.perf_counter() - started, watermark, where)


def create_derived_tables(conn: Connection, scratch: str | None) -> None:
    """The derived tables, in the scratch schema (created by the user) or where migrations put them."""
    if scratch is None:
        return
    meta = MetaData()
    names = (*DERIVED_TABLES, *SCRATCH_COPIES)
    tables = [Base.metadata.tables[name].to_metadata(meta, schema=scratch) for name in names]
    meta.create_all(conn, tables=tables, checkfirst=True)


def copy_survey_answers(settings: Settings, write: Connection) -> int:
    """The survey answers given in Slack (the bot's own rows, in DATABASE_URL) copied whole into the scratch schema,
    where survey metrics broken down by an account attribute read them beside `accounts`."""
    from kpi_engine.db.engine import make_engine

    state = make_engine(settings.database_url)
    copied = 0
    try:
        with state.connect() as read:
            for name in SCRATCH_COPIES:
                table = Base.metadata.tables[name]
                write.execute(delete(table))
                rows = [dict(row) for row in read.execute(select(table)).mappings()]
                if rows:
                    write.execute(insert(table), rows)
                copied += len(rows)
    finally:
        state.dispose()
    return copied


def _build(read: Connection, write: Connection, settings: Settings, full: bool,
           scratch: str | None) -> tuple[str, datetime | None]:
    from kpi_engine import derived

    if _cross_database_build():
        build: Any = derived  # refresh_usage and watermark: kpi_engine.derived's entry points (ingest, issue 16)
        if scratch:  # the build's own SQL text names tables through schema_translate_map; it writes derived tables only
            write = write.execution_options(schema_translate_map={None: scratch})
        since = None if full else build.watermark(write)
        report = build.refresh_usage(read, write, settings, since)
        newest = build.watermark(write)
        if report.full:
            return "full", newest
        return ("current" if newest == since else "incremental"), newest  # current: no newer event since
    return _build_in_place(write, settings, full)


def _build_in_place(conn: Connection, settings: Settings, full: bool) -> tuple[str, datetime | None]:
    """The derived build of this code base's kpi_engine.derived, on the source's own connection."""
    from kpi_engine import derived

    newest = conn.execute(select(func.max(events.c.occurred_at))).scalar()
    stored = derived.built_state(conn)
    watermark = _watermark(conn)
    built_like = {k: v for k, v in stored.items() if k != derived.GROUPS_KEY} == derived.wanted_state(settings)
    if full or watermark is None or not built_like:
        derived.rebuild_derived(conn, settings)
        mode = "full"
    elif newest is not None and newest > watermark:
        derived.rebuild_derived_since(conn, settings, watermark)
        mode = "incremental"
    else:
        mode = "current" if not derived.ensure_derived_current(conn, settings) else "incremental"
    derived.ensure_derived_current(conn, settings)  # users or accounts changed: the per-group tables
    if newest is not None:
        upsert_rows(conn, state_table, [{"key": WATERMARK_KEY, "value": newest.isoformat()}])
    return mode, newest


def _watermark(conn: Connection) -> datetime | None:
    value = conn.execute(select(state_table.c.value).where(state_table.c.key == WATERMARK_KEY)).scalar()
    return None if value is None else datetime.fromisoformat(value)
