"""`rebuild_usage`: the derived usage tables of `target` rebuilt from the events of `source`, wholly or from
the local day of an instant on, computed in DuckDB (`workspace`: the store's own connection, or an in-process
DuckDB whose results are written to the target in bulk).

Source and target may be one database (import, demo) or two (`kpibot refresh`: the source read only, the
derived tables in DATABASE_URL or in a scratch schema of the source). No statement spans both.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, delete, select

from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS
from kpi_engine.compute.local_days import offset_spans
from kpi_engine.compute.session_rollups import settled_start
from kpi_engine.db.dialect import empty_tables, page_cache_bounded, qualified_name, secondary_indexes_dropped
from kpi_engine.db.dialect_bulk import bulk_insert, bulk_insert_batches, duckdb_select_list
from kpi_engine.db.models import Session
from kpi_engine.db.models.derived import (
    ConversionEvent,
    DailyReturn,
    DailyUsage,
    FeatureDay,
    GroupDailyReturn,
    GroupDailyUsage,
    UsageDay,
)
from kpi_engine.derive import build, stored, totals
from kpi_engine.derive.build import conversion_names
from kpi_engine.derive.relations import (
    EVENTS_DDL,
    UsageRelations,
    append_rows,
    event_bounds,
    load_events,
    load_events_file,
    load_user_groups,
)
from kpi_engine.derive.workspace import Workspace, workspace
from kpi_engine.periods import local_date
from kpi_engine.settings import Settings

OUTPUTS = {  # DuckDB table → target table
    "out_feature_days": FeatureDay.__table__, "out_conversion_events": ConversionEvent.__table__,
    "out_sessions": Session.__table__, "out_usage_days": UsageDay.__table__,
    "out_daily_returns": DailyReturn.__table__, "out_feature_returns": GroupDailyReturn.__table__,
}
USAGE_TABLES = [*OUTPUTS.values(), DailyUsage.__table__, GroupDailyUsage.__table__]
PAIR_COLUMNS = "dimension, value, day, prev_day, users"
READ_BATCH = 100_000
BIG_BUILD = 200_000  # events from which a whole build drops the secondary indexes and builds them after
USAGE_DAY_DDL = ("day DATE, user_id VARCHAR, prev_day DATE, events BIGINT, feature_events BIGINT, page_views BIGINT, "
                 "sessions BIGINT, session_events BIGINT, bounces BIGINT, session_seconds DOUBLE")


@dataclass(frozen=True)
class UsageRefresh:
    full: bool
    first_day: date | None  # the first local day rebuilt (None: every day)
    events_read: int
    seconds: float
    newest_event: datetime | None
    longest_session: timedelta | None  # the longest session written


def rebuild_usage(source: Connection, target: Connection, settings: Settings, since: datetime | None = None,
                  relations: UsageRelations | None = None, groups_too: bool = True,
                  longest: timedelta | None = None, events_file: Path | None = None) -> UsageRefresh:
    """Rebuilds the usage tables of `target`: wholly (`since` None) or from the local day holding `since` (naive
    UTC), moved earlier until no session is cut in two. `groups_too`: the account-dimension rows are rebuilt
    wholly (users or accounts changed), else from the same day. `longest`: no stored session lasts longer.
    `events_file`: Parquet holding exactly the source's events, read by a whole build instead of the source.
    The caller commits both connections."""
    started = perf_counter()
    relations = relations or UsageRelations()
    tz, gap = settings.tz, settings.kpi_session_gap_minutes
    lo, hi = event_bounds(source, relations)
    if since is not None and lo is not None and since <= lo:
        since = None  # every event is at or after `since` (a first import): a whole build, without its reads
    with tempfile.TemporaryDirectory(prefix="kpibot-duckdb-") as folder, page_cache_bounded(target), \
            workspace(source, target, folder) as ws:
        duck = ws.duck
        duck.execute(EVENTS_DDL)
        build.create_stored_state(duck)
        if lo is None or hi is None:
            _clear(target, None, None, True, ())
            return UsageRefresh(since is None, None, 0, perf_counter() - started, None, None)
        build.define_local_day(duck, offset_spans(tz, min(lo, since or lo), max(hi, since or hi)))
        start: datetime | None = None
        if since is None:
            read = load_events(duck, source, relations, None, in_source=ws.in_target) if events_file is None \
                else load_events_file(duck, events_file)
        else:
            start = settled_start(target, tz, since, longest)
            read = load_events(duck, source, relations, start, in_source=ws.in_target)
            while (earlier := stored.continuing_sessions(
                    target, start, build.first_gap_events(duck), build.explicit_keys(duck), gap)) is not None:
                moved = settled_start(target, tz, earlier, longest)
                read += load_events(duck, source, relations, moved, start, in_source=ws.in_target)
                start = moved
        first_day = None if start is None else local_date(start, tz)
        _build(duck, source, target, settings, relations, first_day)
        groups_whole = groups_too or first_day is None
        if groups_whole and first_day is not None:
            _load_stored_usage(ws, target, first_day)
            build.build_group_pairs(duck, "(SELECT * FROM stored_usage UNION ALL BY NAME "
                                          "SELECT * FROM out_usage_days)")
        else:
            build.build_group_pairs(duck, "out_usage_days")
        last_rows = {} if first_day is None else stored.last_rows(target, first_day)
        built_longest = _longest_session(duck)
        _clear(target, start, first_day, groups_whole, conversion_names(settings))
        if first_day is None and read >= BIG_BUILD:
            with secondary_indexes_dropped(target, USAGE_TABLES):
                _write(ws, target, first_day, groups_whole, last_rows)
        else:
            _write(ws, target, first_day, groups_whole, last_rows)
    return UsageRefresh(since is None, first_day, read, perf_counter() - started, hi, built_longest)


def _longest_session(duck: Any) -> timedelta | None:
    micros = duck.execute("SELECT max(epoch_us(ended_at) - epoch_us(started_at)) FROM out_sessions").fetchall()[0][0]
    return None if micros is None else timedelta(microseconds=int(micros))


def rebuild_groups(source: Connection, target: Connection, relations: UsageRelations | None = None) -> None:
    """Only the account-dimension rows, wholly, from the stored usage_days (users or accounts changed)."""
    with tempfile.TemporaryDirectory(prefix="kpibot-duckdb-") as folder, workspace(source, target, folder) as ws:
        duck = ws.duck
        build.create_stored_state(duck)
        duck.execute(f"CREATE OR REPLACE TEMP TABLE out_usage_days ({USAGE_DAY_DDL})")
        _load_stored_usage(ws, target, None)
        load_user_groups(duck, source, relations or UsageRelations())
        build.build_group_pairs(duck, "stored_usage")
        gdr = GroupDailyReturn.__table__
        target.execute(delete(gdr).where(gdr.c.dimension.in_(ACCOUNT_DIMENSIONS)))
        target.execute(delete(GroupDailyUsage.__table__))
        _write_query(ws, target, gdr, f"(SELECT {PAIR_COLUMNS} FROM out_group_pairs)")
        _write_group_usage(duck, target, None, {})


def rebuild_conversions(source: Connection, target: Connection, names: tuple[str, ...],
                        relations: UsageRelations | None = None) -> None:
    """Only conversion_events, wholly (the conversion event names changed)."""
    with tempfile.TemporaryDirectory(prefix="kpibot-duckdb-") as folder, workspace(source, target, folder) as ws:
        ws.duck.execute(EVENTS_DDL)
        load_events(ws.duck, source, relations or UsageRelations(), None, names=names, in_source=ws.in_target)
        table = ConversionEvent.__table__
        target.execute(delete(table))
        _write_query(ws, target, table, "(SELECT DISTINCT name, occurred_at, user_id FROM ev)")


def _build(duck: Any, source: Connection, target: Connection, settings: Settings, relations: UsageRelations,
           first_day: date | None) -> None:
    build.build_event_tables(duck, conversion_names(settings), settings.kpi_session_gap_minutes)
    if first_day is not None:
        users = stored.push_users(target, build.new_users(duck))
        duck.register("kpibot_prev", stored.previous_days(target, users, first_day))
        duck.execute("INSERT INTO stored_prev SELECT user_id, CAST(active AS DATE), CAST(feature AS DATE), "
                     "CAST(session AS DATE) FROM kpibot_prev")
        duck.register("kpibot_feature_prev", stored.previous_feature_days(target, build.feature_pairs(duck),
                                                                          first_day))
        duck.execute("INSERT INTO stored_feature_prev SELECT user_id, feature, CAST(prev AS DATE) "
                     "FROM kpibot_feature_prev")
    build.build_usage_days(duck)
    build.build_returns(duck)
    build.build_feature_returns(duck)
    load_user_groups(duck, source, relations)


def _load_stored_usage(ws: Workspace, target: Connection, first_day: date | None) -> None:
    """DuckDB's `stored_usage`: the target's usage_days (before `first_day`), for a whole rebuild of the groups."""
    ud, duck = UsageDay.__table__, ws.duck
    duck.execute("CREATE OR REPLACE TEMP TABLE stored_usage AS SELECT * FROM out_usage_days LIMIT 0")
    columns = [ud.c[name] for name in stored.USAGE_DAY_TYPES]
    stmt = select(*columns) if first_day is None else select(*columns).where(ud.c.day < first_day)
    append_rows(duck, target, "stored_usage", stmt, stored.USAGE_DAY_TYPES, in_source=ws.in_target)


def _clear(target: Connection, start: datetime | None, first_day: date | None, groups_whole: bool,
           conversions: tuple[str, ...]) -> None:
    """Deletes what the rebuild writes again. From `start` (settled: every stored session ending at or after it
    starts at or after it) the deletes go through keys and indexes: sessions by started_at, conversion events
    by name (the stored ones carry only the `conversions` names: an incremental build requires it)."""
    if first_day is None or start is None:
        empty_tables(target, [*USAGE_TABLES])
        return
    for table in (FeatureDay.__table__, UsageDay.__table__, DailyReturn.__table__):
        target.execute(delete(table).where(table.c.day >= first_day))
    ce, sessions = ConversionEvent.__table__, Session.__table__
    target.execute(delete(ce).where(ce.c.name.in_(conversions), ce.c.occurred_at >= start))
    target.execute(delete(sessions).where(sessions.c.started_at >= start))
    gdr, gdu = GroupDailyReturn.__table__, GroupDailyUsage.__table__
    accounts = gdr.c.dimension.in_(ACCOUNT_DIMENSIONS)
    target.execute(delete(gdr).where(gdr.c.day >= first_day, ~accounts))
    target.execute(delete(gdr).where(accounts) if groups_whole else delete(gdr).where(accounts, gdr.c.day >= first_day))
    target.execute(delete(gdu) if groups_whole else delete(gdu).where(gdu.c.day >= first_day))
    daily = DailyUsage.__table__
    target.execute(delete(daily).where(daily.c.day >= first_day))


def _write(ws: Workspace, target: Connection, first_day: date | None, groups_whole: bool,
           last_rows: totals.LastRows) -> None:
    for name, table in OUTPUTS.items():
        _write_query(ws, target, table, name)
    _write_query(ws, target, GroupDailyReturn.__table__, f"(SELECT {PAIR_COLUMNS} FROM out_group_pairs)")
    _write_daily_usage(ws.duck, target, first_day, last_rows)
    _write_group_usage(ws.duck, target, None if groups_whole else first_day, last_rows)


def _write_query(ws: Workspace, target: Connection, table: Any, relation: str) -> None:
    """Writes a DuckDB relation with `table`'s columns to `table` (on a B-tree engine, in its primary key's order)."""
    duck = ws.duck
    order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
    sql = f"SELECT {duckdb_select_list(target, table)} FROM {relation}"
    if ws.in_target:
        names = ", ".join(f'"{c.name}"' for c in table.columns)
        duck.execute(f"INSERT INTO {qualified_name(target, table)} ({names}) {sql}")
        return
    if target.dialect.name == "duckdb":
        _write_through_parquet(duck, target, table, sql)
        return
    sql += f" ORDER BY {order}"  # a B-tree is written fastest in its key's order
    batches = duck.sql(sql).to_arrow_reader(READ_BATCH)
    bulk_insert_batches(target, table, (build.plain_numbers(pa.Table.from_batches([batch])) for batch in batches))


def _write_through_parquet(duck: Any, target: Connection, table: Any, sql: str) -> None:
    """DuckDB to DuckDB: the relation written to a Parquet file in the build's temporary folder and read from it
    by the target, each side streaming in its own threads (no row passes through Python)."""
    folder = duck.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
    path = Path(folder) / f"{table.name}.parquet"
    duck.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    target.exec_driver_sql(f"INSERT INTO {qualified_name(target, table)} ({names}) "
                           f"SELECT {names} FROM read_parquet('{path}')")
    path.unlink()


def _write_daily_usage(duck: Any, target: Connection, first_day: date | None, last_rows: totals.LastRows) -> None:
    start = totals.fold_start(("", ""), last_rows, first_day)
    pairs = build.fetch(duck, "SELECT day, prev_day, users FROM out_daily_returns WHERE kind = 'active'")
    seed_from = totals.seed_start([start])
    if seed_from is not None and first_day is not None:
        pairs = pa.concat_tables([stored.stored_pairs(target, seed_from, first_day).cast(pairs.schema), pairs])
    sums = build.fetch(duck, "SELECT * FROM out_day_sums")
    rows = totals.group_rows(totals.windowed(pairs, start), sums, start)
    if rows is not None:
        target.execute(delete(DailyUsage.__table__).where(DailyUsage.__table__.c.day >= rows.column("day")[0].as_py()))
        bulk_insert(target, DailyUsage.__table__, rows)


def _write_group_usage(duck: Any, target: Connection, first_day: date | None, last_rows: totals.LastRows) -> None:
    sums = ", ".join(f"sum({key}) AS {key}" for key in build.DAY_SUMS)
    new_pairs = build.fetch(duck, "SELECT dimension, value, day, prev_day, users FROM out_group_pairs")
    new_sums = build.fetch(duck, f"SELECT dimension, value, day, {sums} FROM out_group_pairs GROUP BY ALL")
    groups = set(zip(new_pairs.column("dimension").to_pylist(), new_pairs.column("value").to_pylist(), strict=True))
    if first_day is not None:
        groups |= {group for group, (_before, last) in last_rows.items()
                   if group != ("", "") and last is not None and last >= first_day}
    starts = {group: totals.fold_start(group, last_rows, first_day) for group in groups}
    seed_from = totals.seed_start(list(starts.values()))
    all_pairs = new_pairs
    if seed_from is not None and first_day is not None:
        old = stored.stored_group_pairs(target, seed_from, first_day).cast(new_pairs.schema)
        all_pairs = pa.concat_tables([old, new_pairs])
    duck.register("kpibot_group_pairs", all_pairs)
    duck.register("kpibot_group_sums", new_sums)
    for dimension, value in sorted(groups):
        where = f"dimension = {build.quote(dimension)} AND value = {build.quote(value)}"
        pairs = build.fetch(duck, f"SELECT day, prev_day, users FROM kpibot_group_pairs WHERE {where}")
        group_sums = build.fetch(duck, f"SELECT * EXCLUDE (dimension, value) FROM kpibot_group_sums WHERE {where}")
        start = starts[(dimension, value)]
        rows = totals.group_rows(totals.windowed(pairs, start), group_sums, start)
        if rows is None:
            continue
        labels = {"dimension": pa.array([dimension] * rows.num_rows), "value": pa.array([value] * rows.num_rows)}
        bulk_insert(target, GroupDailyUsage.__table__,
                    pa.table({**labels, **{c: rows.column(c) for c in rows.column_names}}))
