"""Each user's account, signup instant and account attributes, read from the source's users and accounts.

- `user_profiles` (usage tables kept apart from the source) is replaced wholly with them at every refresh;
- their digest tells a refresh that an attribute changed (a plan moved), so the per-group rollups are rebuilt
  even when no user or account was added.

Each relation is read on its own from the source and joined in the in-process DuckDB, as the usage build does.
"""

from __future__ import annotations

import tempfile
from typing import Any

import pyarrow as pa
from pandas.util import hash_pandas_object
from sqlalchemy import Connection, Select, select

from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS
from kpi_engine.db.dialect import empty_table
from kpi_engine.db.dialect_bulk import bulk_insert
from kpi_engine.db.models.derived import UserProfile
from kpi_engine.derive.refresh import open_duckdb
from kpi_engine.derive.relations import UsageRelations, empty_table_of, gather_table

profiles = UserProfile.__table__
USER_TYPES = {"user_id": pa.string(), "account_id": pa.string(), "created_at": pa.timestamp("us")}
ACCOUNT_TYPES = {"account_id": pa.string(), **{d: pa.string() for d in ACCOUNT_DIMENSIONS}}


def read_profiles(source: Connection, relations: UsageRelations | None = None, *,
                  with_accounts: bool = True) -> pa.Table:
    """One row per user of `source` with `user_profiles`' columns. `with_accounts` False: the source has no
    accounts (no attributes)."""
    relations = relations or UsageRelations()
    users, accounts = relations.users, relations.accounts
    account_rows = select(*(accounts.c[n] for n in ACCOUNT_TYPES)) if with_accounts else None
    with tempfile.TemporaryDirectory(prefix="kpibot-duckdb-") as folder:
        duck = open_duckdb(folder)
        try:
            _register(duck, "kpibot_users", source, select(*(users.c[n] for n in USER_TYPES)), USER_TYPES)
            _register(duck, "kpibot_accounts", source, account_rows, ACCOUNT_TYPES)
            attributes = ", ".join(f"a.{d}" for d in ACCOUNT_DIMENSIONS)
            # the source's instants may arrive as text (SQLite): cast as the usage build casts occurred_at
            return duck.sql(f"SELECT u.user_id, u.account_id, CAST(u.created_at AS TIMESTAMP) AS created_at, "
                            f"{attributes} FROM kpibot_users u "
                            "LEFT JOIN kpibot_accounts a ON a.account_id = u.account_id").to_arrow_table()
        finally:
            duck.close()


def profiles_digest(rows: pa.Table) -> str:
    """Changes when any user's account or attribute changes (whatever the row order)."""
    frame = rows.select(["user_id", "account_id", *ACCOUNT_DIMENSIONS]).to_pandas()
    return f"{len(frame)}:{int(hash_pandas_object(frame, index=False).sum()) & 0xFFFFFFFFFFFFFFFF:016x}"


def write_profiles(target: Connection, rows: pa.Table) -> int:
    """Replaces `target`'s user_profiles with `rows`; returns how many. The caller commits."""
    empty_table(target, profiles)
    return bulk_insert(target, profiles, rows)


def _register(duck: Any, name: str, source: Connection, stmt: Select[Any] | None,
              types: dict[str, pa.DataType]) -> None:
    duck.register(name, gather_table(source, stmt, types) if stmt is not None else empty_table_of(types))
