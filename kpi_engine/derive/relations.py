"""What the usage tables are derived from, on the source database: plain SELECTs streamed into DuckDB.

Nothing here joins across databases: each relation is read on its own from `source` as Arrow batches, and
joined (users to accounts, events to users) inside the in-process DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Column, Connection, FromClause, MetaData, Table, func, insert, select
from sqlalchemy.sql import Select

from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS
from kpi_engine.db.dialect_reads import read_batches
from kpi_engine.db.models import Account, Event, User

EVENT_TYPES = {"user_id": pa.string(), "occurred_at": pa.timestamp("us"), "name": pa.string(),
               "feature": pa.string(), "session_id": pa.string()}
EVENTS_DDL = ("CREATE OR REPLACE TEMP TABLE ev (user_id VARCHAR, occurred_at TIMESTAMP, name VARCHAR, "
              "feature VARCHAR, session_id VARCHAR)")
DUCKDB_CASTS = {pa.timestamp("us"): "TIMESTAMP", pa.date32(): "DATE"}  # temporals may come as text (SQLite)


@dataclass(frozen=True)
class UsageRelations:
    """The relations of the source (each a Table, or a SELECT's `.subquery()`) with the contract's column names:
    events (user_id, occurred_at naive UTC, name, feature, session_id), users (user_id, account_id), accounts
    (account_id and the account dimensions)."""

    events: FromClause = field(default_factory=lambda: Event.__table__)
    users: FromClause = field(default_factory=lambda: User.__table__)
    accounts: FromClause = field(default_factory=lambda: Account.__table__)


def event_bounds(source: Connection, relations: UsageRelations) -> tuple[datetime | None, datetime | None]:
    """(earliest, latest occurred_at) in the source."""
    ev = relations.events
    # one aggregate per subquery: SQLite answers a lone min() or max() from an index, both together by a scan
    lo, hi = source.execute(select(select(func.min(ev.c.occurred_at)).scalar_subquery(),
                                   select(func.max(ev.c.occurred_at)).scalar_subquery())).one()
    return _instant(lo), _instant(hi)


def _instant(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def load_events(duck: Any, source: Connection, relations: UsageRelations, lo: datetime | None,
                hi: datetime | None = None, names: tuple[str, ...] | None = None, *, in_source: bool = False) -> int:
    """Appends the source's events with lo <= occurred_at < hi (either bound open when None) to DuckDB's `ev`
    (only those called one of `names`, when given). `in_source`: `duck` is the source's own connection (the
    store): one INSERT ... SELECT inside it."""
    ev = relations.events
    stmt = select(*(ev.c[name] for name in EVENT_TYPES))
    if names is not None:
        stmt = stmt.where(ev.c.name.in_(names))
    if lo is not None:
        stmt = stmt.where(ev.c.occurred_at >= lo)
    if hi is not None:
        stmt = stmt.where(ev.c.occurred_at < hi)
    return append_rows(duck, source, "ev", stmt, EVENT_TYPES, in_source=in_source)


def append_rows(duck: Any, source: Connection, into: str, stmt: Select[Any], types: dict[str, pa.DataType], *,
                in_source: bool) -> int:
    """Appends the rows of `stmt` (on `source`; its column labels and Arrow types `types`) to the DuckDB temporary
    table `into`, by name; how many. `in_source`: `duck` is `source`'s own connection, and one INSERT ... SELECT
    runs inside it; else the rows come as Arrow batches, temporals cast from the source's form."""
    before = duck.execute(f"SELECT count(*) FROM {into}").fetchall()[0][0]
    if in_source:
        source.execute(insert(Table(into, MetaData(), *(Column(name) for name in types))).from_select(list(types),
                                                                                                   stmt))
    else:
        casts = ", ".join(f"CAST({name} AS {DUCKDB_CASTS[kind]}) AS {name}" if kind in DUCKDB_CASTS else name
                          for name, kind in types.items())
        for batch in read_batches(source, stmt, types):
            duck.register("kpibot_batch", batch)
            duck.execute(f"INSERT INTO {into} BY NAME SELECT {casts} FROM kpibot_batch")
            duck.unregister("kpibot_batch")
    return int(duck.execute(f"SELECT count(*) FROM {into}").fetchall()[0][0] - before)


def load_events_file(duck: Any, path: Path) -> int:
    """Appends the events of a Parquet file with `EVENT_TYPES`' columns to DuckDB's `ev`; how many."""
    before = duck.execute("SELECT count(*) FROM ev").fetchall()[0][0]
    duck.execute("INSERT INTO ev SELECT user_id, CAST(occurred_at AS TIMESTAMP), name, feature, session_id "
                 "FROM read_parquet(?)", [str(path)])
    return int(duck.execute("SELECT count(*) FROM ev").fetchall()[0][0] - before)


def load_user_groups(duck: Any, source: Connection, relations: UsageRelations) -> None:
    """DuckDB's `user_groups`: per user, the value of each account dimension ('' when none)."""
    users, accounts = relations.users, relations.accounts
    user_types = {"user_id": pa.string(), "account_id": pa.string()}
    account_types = {"account_id": pa.string(), **{d: pa.string() for d in ACCOUNT_DIMENSIONS}}
    user_rows = gather_table(source, select(users.c.user_id, users.c.account_id), user_types)
    account_rows = gather_table(source, select(*(accounts.c[name] for name in account_types)), account_types)
    duck.register("kpibot_users", user_rows)
    duck.register("kpibot_accounts", account_rows)
    values = ", ".join(f"coalesce(CAST(a.{d} AS VARCHAR), '') AS {d}" for d in ACCOUNT_DIMENSIONS)
    duck.execute(f"CREATE OR REPLACE TEMP TABLE user_groups AS SELECT u.user_id, {values} FROM kpibot_users u "
                 "LEFT JOIN kpibot_accounts a ON a.account_id = u.account_id")
    duck.unregister("kpibot_users")
    duck.unregister("kpibot_accounts")


def gather_table(source: Connection, stmt: Any, types: dict[str, pa.DataType]) -> pa.Table:
    """A SELECT's rows as one Arrow table (column label → Arrow type)."""
    batches = list(read_batches(source, stmt, types))
    return pa.concat_tables(batches) if batches else empty_table_of(types)


def empty_table_of(types: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({n: pa.array([], t) for n, t in types.items()})
