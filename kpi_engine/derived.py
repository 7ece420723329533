"""Derived usage tables (sessions, feature_days, usage_days, daily_usage, daily_returns,
conversion_events, group_daily_usage, group_daily_returns), kept current.

They depend on the events and on settings: the reporting zone (local days), the session gap and the
conversion event names; the per-group rows also on users and accounts. `derived_state` records what they were
built with; when the settings differ they are rebuilt wholly. `refresh_usage` is the one entry point (import,
demo, `kpibot refresh`): the tables are computed in DuckDB from the source's events (`kpi_engine.derive`): in the
store's own connection when the store is both source and target, else in an in-process DuckDB whose results are
written to the target in bulk (`kpi_engine.derive.workspace`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, FromClause, func, select

from kpi_engine.db.models import Account, DerivedState, Session, User
from kpi_engine.db.models.derived import ConversionEvent, DailyReturn, DailyUsage, FeatureDay, UsageDay
from kpi_engine.derive.build import conversion_names
from kpi_engine.settings import Settings

if TYPE_CHECKING:  # the build (DuckDB, Arrow) is imported when a build runs, not by every question
    from kpi_engine.derive.refresh import UsageRefresh
    from kpi_engine.derive.relations import UsageRelations

DERIVED_VERSION = "4"  # bump when the way the tables are built changes: stored tables are then rebuilt
GROUPS_VERSION = "2"
DERIVED_TABLES = [
    t.__table__ for t in (Session, FeatureDay, UsageDay, DailyUsage, DailyReturn, ConversionEvent)
]
state_table = DerivedState.__table__

REFRESH_OWNS_DERIVED = "kpi_refresh_owns_derived"  # execution option of a source's query connections
CONVERSION_KEY = "usage.conversion_events"  # only conversion_events depends on it
GROUPS_KEY = "usage.groups"  # only the per-group rollups depend on it (and on users and accounts)
ATTRIBUTES_KEY = "usage.attributes"  # digest of the users' accounts and attributes a source refresh last saw
LONGEST_KEY = "usage.longest_session_seconds"  # no stored session lasts longer (bounds the settle query)
WATERMARK_KEY = "usage.watermark"  # the newest event instant the tables were built from (ISO, naive UTC)

__all__ = ["UsageRefresh", "UsageRelations", "refresh_usage", "watermark"]


def __getattr__(name: str) -> Any:
    if name == "UsageRefresh":
        from kpi_engine.derive.refresh import UsageRefresh

        return UsageRefresh
    if name == "UsageRelations":
        from kpi_engine.derive.relations import UsageRelations

        return UsageRelations
    raise AttributeError(name)


def groups_fingerprint(source: Connection, users: FromClause | None = None, accounts: FromClause | None = None) -> str:
    """Changes when users or accounts are added or removed: the per-group tables are then rebuilt."""
    # each count fetched before the next statement runs: a DuckDB cursor is reused by the next execute
    n_users = source.execute(select(func.count()).select_from(users if users is not None else User.__table__)).scalar()
    n_accounts = source.execute(select(func.count()).select_from(accounts if accounts is not None
                                                                  else Account.__table__)).scalar()
    return f"v{GROUPS_VERSION} users={n_users} accounts={n_accounts}"


def _save_state(target: Connection, state: dict[str, str]) -> None:
    from kpi_engine.db.dialect import upsert_rows

    upsert_rows(target, state_table, [{"key": k, "value": v} for k, v in state.items()])


def wanted_state(settings: Settings) -> dict[str, str]:
    return {
        "usage.timezone": settings.kpi_timezone,
        "usage.session_gap_minutes": str(settings.kpi_session_gap_minutes),
        "usage.version": DERIVED_VERSION,
        CONVERSION_KEY: "\t".join(conversion_names(settings)),
    }


def built_state(conn: Connection) -> dict[str, str]:
    rows = conn.execute(select(state_table.c.key, state_table.c.value).where(state_table.c.key.like("usage.%")))
    return {key: value for key, value in rows}


def watermark(target: Connection) -> datetime | None:
    """The newest event instant (naive UTC) the target's tables were built from; None before any build."""
    value = built_state(target).get(WATERMARK_KEY)
    return datetime.fromisoformat(value) if value else None


def _built_like(built: dict[str, str], settings: Settings) -> bool:
    return {k: v for k, v in built.items() if k in wanted_state(settings)} == wanted_state(settings)


def refresh_usage(source: Connection, target: Connection, settings: Settings, since: datetime | None = None,
                  relations: UsageRelations | None = None, events_file: Path | None = None,
                  attributes_digest: str | None = None) -> UsageRefresh:
    """Brings the usage tables of `target` up to date with the events of `source` (may be the same connection).

    `since`: the earliest event instant (naive UTC) that changed, when known: the tables are rebuilt from its
    local day on, else (or when they were built with other settings) wholly. The per-group rows are rebuilt
    wholly when users or accounts changed. `events_file`: a Parquet file holding exactly the source's events
    (an import into an empty table): a whole build reads it instead of the source. `attributes_digest`: of the
    users' accounts and attributes (`kpibot refresh`): the per-group rows are also rebuilt when it changed. The
    caller commits.
    """
    from kpi_engine.derive.refresh import rebuild_usage
    from kpi_engine.derive.relations import UsageRelations

    relations = relations or UsageRelations()
    built = built_state(target)
    fingerprint = groups_fingerprint(source, relations.users, relations.accounts)
    incremental = since is not None and _built_like(built, settings)
    attributes_changed = attributes_digest is not None and built.get(ATTRIBUTES_KEY) != attributes_digest
    stored_longest = timedelta(seconds=float(built[LONGEST_KEY])) if built.get(LONGEST_KEY) else None
    report = rebuild_usage(source, target, settings, since if incremental else None, relations,
                           groups_too=built.get(GROUPS_KEY) != fingerprint or attributes_changed,
                           longest=stored_longest if incremental else None, events_file=events_file)
    state = {**wanted_state(settings), GROUPS_KEY: fingerprint}
    if attributes_digest is not None:
        state[ATTRIBUTES_KEY] = attributes_digest
    newest = report.newest_event
    state[WATERMARK_KEY] = newest.isoformat(sep=" ") if newest is not None else ""
    known = [v for v in (report.longest_session, stored_longest if incremental else None) if v is not None]
    state[LONGEST_KEY] = str(max(known).total_seconds()) if known else ""
    _save_state(target, state)
    return report


def refresh_after_import(conn: Connection, settings: Settings, table: str, since: datetime | None = None,
                         events_file: Path | None = None) -> None:
    """Bring the derived tables up to date after `table` changed (inside the import's transaction).

    Events feed them all; users and accounts only the per-group rollups; other tables need nothing unless the
    tables were built with other settings. `since`: the earliest instant (naive UTC) of an event the import
    added or changed (old or new time), when known. `events_file`: see `refresh_usage`.
    """
    if table == "events":
        refresh_usage(conn, conn, settings, since, events_file=events_file)
        return
    if table in ("users", "accounts"):
        refresh_group_rollups(conn, settings)
    _ensure(conn, settings)


def refresh_group_rollups(conn: Connection, settings: Settings, relations: UsageRelations | None = None) -> None:
    """The account-dimension rows again, wholly (users or accounts changed; the other tables stay)."""
    from kpi_engine.derive.refresh import rebuild_groups
    from kpi_engine.derive.relations import UsageRelations

    if not _built_like(built_state(conn), settings):
        refresh_usage(conn, conn, settings, relations=relations)
        return
    relations = relations or UsageRelations()
    rebuild_groups(conn, conn, relations)
    _save_state(conn, {GROUPS_KEY: groups_fingerprint(conn, relations.users, relations.accounts)})


def ensure_derived_current(conn: Connection, settings: Settings) -> bool:
    """Rebuilds when the tables were built with other settings, version or users and accounts (or never).
    True if rebuilt. Cheap when current (two small reads). Outside a transaction the rebuild is committed;
    inside one, the caller's commit keeps it.
    """
    if conn.get_execution_options().get(REFRESH_OWNS_DERIVED):
        return False  # a source's derived tables are kept by `kpibot refresh`, never rebuilt by a query
    if conn.in_transaction():
        return _ensure(conn, settings)
    with conn.begin():
        return _ensure(conn, settings)


def _ensure(conn: Connection, settings: Settings) -> bool:
    built = built_state(conn)
    wanted = wanted_state(settings)
    if _built_like({**built, CONVERSION_KEY: wanted[CONVERSION_KEY]}, settings) \
            and built.get(CONVERSION_KEY) != wanted[CONVERSION_KEY]:  # only the conversion names changed
        from kpi_engine.derive.refresh import rebuild_conversions

        rebuild_conversions(conn, conn, conversion_names(settings))
        _save_state(conn, {CONVERSION_KEY: wanted[CONVERSION_KEY]})
        built = built_state(conn)
        changed = True
    else:
        changed = False
    if not _built_like(built, settings):
        refresh_usage(conn, conn, settings)
        return True
    if built.get(GROUPS_KEY) != groups_fingerprint(conn):
        refresh_group_rollups(conn, settings)
        return True
    return changed


def rebuild_derived(conn: Connection, settings: Settings) -> None:
    """Every derived table wholly from the events (same database)."""
    refresh_usage(conn, conn, settings)


class DailyTotals:
    """Sums per-day aggregates and (day, previous day) pairs, then makes `daily_usage` and `daily_returns` rows
    (the dictionary form of the fold, for small callers and tests)."""

    def __init__(self) -> None:
        self.sums: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
        self.pairs: dict[str, dict[tuple[date, date], int]] = defaultdict(lambda: defaultdict(int))

    def add_sums(self, sums: dict[str, dict[date, float]]) -> None:
        for key, by_day in sums.items():
            for day, value in by_day.items():
                self.sums[key][day] += value

    def add_pairs(self, pairs: dict[str, dict[tuple[date, date], int]]) -> None:
        for kind, by_pair in pairs.items():
            for pair, users in by_pair.items():
                self.pairs[kind][pair] += users

    def returns_rows(self) -> list[dict[str, Any]]:
        return [{"kind": kind, "day": day, "prev_day": prev, "users": users}
                for kind, by_pair in self.pairs.items() for (day, prev), users in by_pair.items()]

    def usage_rows(self) -> list[dict[str, Any]]:
        from kpi_engine.compute.rolling_counts import daily_rows

        return daily_rows(self.pairs["active"], self.sums)
