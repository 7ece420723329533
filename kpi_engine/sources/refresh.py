"""`kpibot refresh`: the derived usage tables built from the source's events, incrementally from a watermark.

Where they live:
- KPI_SOURCE_SCRATCH_SCHEMA set: in that schema of the source (a file attached under that name on SQLite),
  beside the raw tables; the build runs entirely in the source and nothing derived leaves it.
- the source is DATABASE_URL itself (only a mapping): in DATABASE_URL, beside everything else.
- a separate source without a scratch schema: in DATABASE_URL (the build reads the source, writes the state),
  with `user_profiles` and `account_profiles` (each user's account, signup instant and account attributes; each
  account's attributes) beside them, so breakdowns, filters and signup cohorts over the usage tables, and survey
  answers given in Slack by an account attribute, never join the source's users and accounts.

The watermark is the newest `occurred_at` the last refresh saw (kpi_engine.derived keeps it with the derived
tables). The next refresh rebuilds from the local day holding the watermark less KPI_REFRESH_LOOKBACK_HOURS, so
events appended since, and late events (stamped before the watermark, arrived after the refresh) within the
lookback, are counted; a late event older than that needs `--full`.

One refresh of a target at a time, across processes and replicas: a lock named after the target
(kpi_engine.compute.dialect.locks) is held for the whole build; a second refresh skips with a line saying who
holds it (`wait=True`: waits for it instead).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from kpi_engine.compute.dialect import require_scratch_schema
from kpi_engine.compute.dialect.locks import LockHeld, database_lock
from kpi_engine.compute.dialect.source_engine import readers_block_writers
from kpi_engine.db.base import Base
from kpi_engine.settings import Settings
from kpi_engine.sources.contract import DERIVED_TABLES, SCRATCH_COPIES
from kpi_engine.sources.source import (
    Source,
    SourceUnavailable,
    describe_error,
    forget_sources,
    open_source,
    safe_url,
)
from kpi_engine.values import invalidate_values

if TYPE_CHECKING:
    from kpi_engine.derive.profiles import Profiles


class RefreshNotPossible(ValueError):
    pass


@dataclass(frozen=True)
class RefreshOutcome:
    mode: str  # full | incremental (newer events) | current (none newer; the lookback re-read) | skipped
    seconds: float
    watermark: datetime | None
    where: str  # where the derived tables are
    holder: str = ""  # skipped: who holds the target's refresh lock

    def line(self) -> str:
        if self.mode == "skipped":
            return f"refresh skipped: another refresh of {self.where} is running ({self.holder})"
        newest = self.watermark.isoformat(sep=" ") if self.watermark else "no events"
        return f"refresh {self.mode} in {self.seconds:.1f} s into {self.where} (newest event {newest})"


def placement(source: Source) -> str:
    if source.scratch:
        return f"schema {source.scratch} of {safe_url(source.url)}"
    return "DATABASE_URL"


def refresh(settings: Settings, *, full: bool = False, wait: bool = False) -> RefreshOutcome:
    """Brings the derived tables up to date. `wait`: when another process is refreshing the same target, wait for
    it to finish (then refresh) instead of skipping."""
    started = time.perf_counter()
    if readers_block_writers(make_url(settings.source_url)):
        forget_sources()  # the read-only engine is closed while writing
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
        into_state = source.derived_in_state
        if into_state:
            from kpi_engine.db.engine import make_engine

            state_engine = make_engine(settings.database_url)
        target = state_engine or source.engine
        try:
            with database_lock(target, "kpibot-refresh", wait=wait, schema=source.scratch), \
                    source.engine.connect() as read, target.begin() as write:
                create_derived_tables(write, source.scratch)
                profiles = user_profiles(source, read)
                mode, watermark = _build(read, write, settings, full, source.scratch,
                                         None if profiles is None else profiles.digest())
                if into_state:
                    from kpi_engine.derive.profiles import write_profiles

                    write_profiles(write, profiles)
                if source.scratch and not any(t in source.source_map.tables for t in SCRATCH_COPIES):
                    copy_survey_answers(settings, write)
        except LockHeld as exc:
            return RefreshOutcome("skipped", time.perf_counter() - started, None, where, str(exc))
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


def user_profiles(source: Source, read: Connection) -> Profiles | None:
    """Each user's account, signup and attributes, and each account's attributes, from the source; None when it
    has no users."""
    from kpi_engine.derive.profiles import read_profiles

    def readable(name: str) -> bool:
        return name not in source.absent and name not in source.problems

    if not readable("users"):
        return None
    return read_profiles(read, with_accounts=readable("accounts"))


def copy_survey_answers(settings: Settings, write: Connection) -> int:
    """The survey answers given in Slack (the bot's own rows, in DATABASE_URL) copied whole into the scratch schema,
    where survey metrics broken down by an account attribute read them beside `accounts`."""
    from kpi_engine.db.bulk import copy_tables
    from kpi_engine.db.engine import make_engine

    state = make_engine(settings.database_url)
    try:
        with state.connect() as read:
            return copy_tables(read, write, SCRATCH_COPIES)
    finally:
        state.dispose()


def _build(read: Connection, write: Connection, settings: Settings, full: bool,
           scratch: str | None, attributes: str | None) -> tuple[str, datetime | None]:
    from kpi_engine import derived

    if scratch:  # the build's own SQL text names tables through schema_translate_map; it writes derived tables only
        write = write.execution_options(schema_translate_map={None: scratch})
    previous = None if full else derived.watermark(write)
    since = None if previous is None else previous - timedelta(hours=settings.kpi_refresh_lookback_hours)
    report = derived.refresh_usage(read, write, settings, since, attributes_digest=attributes)
    newest = derived.watermark(write)
    if report.full:
        return "full", newest
    return ("current" if newest == previous else "incremental"), newest
