"""Each user's account, signup instant and account attributes, and each account's attributes, read from the
source's users and accounts.

- `user_profiles` and `account_profiles` (usage tables kept apart from the source) are replaced wholly with them
  at every refresh;
- their digest tells a refresh that an attribute changed (a plan moved), so the per-group rollups are rebuilt
  even when no user or account was added.

Each relation is read on its own from the source and joined in the in-process DuckDB, as the usage build does.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

import pyarrow as pa
from pandas.util import hash_pandas_object
from sqlalchemy import Connection, select

from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS
from kpi_engine.db.dialect import empty_tables
from kpi_engine.db.dialect_bulk import bulk_insert
from kpi_engine.db.models.derived import AccountProfile, UserProfile
from kpi_engine.derive.relations import UsageRelations, empty_table_of, gather_table
from kpi_engine.derive.workspace import open_duckdb

user_profiles = UserProfile.__table__
account_profiles = AccountProfile.__table__
USER_TYPES = {"user_id": pa.string(), "account_id": pa.string(), "created_at": pa.timestamp("us")}
ACCOUNT_TYPES = {"account_id": pa.string(), **{d: pa.string() for d in ACCOUNT_DIMENSIONS}}


@dataclass(frozen=True)
class Profiles:
    users: pa.Table  # user_profiles' columns
    accounts: pa.Table  # account_profiles' columns

    def digest(self) -> str:
        """Changes when any user's account or any account's attribute changes (whatever the row order)."""
        parts = [self.users.select(["user_id", "account_id"]), self.accounts]
        sums = [int(hash_pandas_object(part.to_pandas(), index=False).sum()) & 0xFFFFFFFFFFFFFFFF for part in parts]
        return f"users={self.users.num_rows}:{sums[0]:016x} accounts={self.accounts.num_rows}:{sums[1]:016x}"


def read_profiles(source: Connection, relations: UsageRelations | None = None, *,
                  with_accounts: bool = True) -> Profiles:
    """One row per user and per account of `source`. `with_accounts` False: the source has no accounts."""
    relations = relations or UsageRelations()
    users = gather_table(source, select(*(relations.users.c[n] for n in USER_TYPES)), USER_TYPES)
    accounts = gather_table(source, select(*(relations.accounts.c[n] for n in ACCOUNT_TYPES)), ACCOUNT_TYPES) \
        if with_accounts else empty_table_of(ACCOUNT_TYPES)
    with tempfile.TemporaryDirectory(prefix="kpibot-duckdb-") as folder:
        duck = open_duckdb(folder)
        try:
            duck.register("kpibot_users", users)
            duck.register("kpibot_accounts", accounts)
            attributes = ", ".join(f"a.{d}" for d in ACCOUNT_DIMENSIONS)
            # the source's instants may arrive as text (SQLite): cast as the usage build casts occurred_at
            joined = duck.sql(f"SELECT u.user_id, u.account_id, CAST(u.created_at AS TIMESTAMP) AS created_at, "
                              f"{attributes} FROM kpibot_users u "
                              "LEFT JOIN kpibot_accounts a ON a.account_id = u.account_id").to_arrow_table()
        finally:
            duck.close()
    return Profiles(joined, accounts)


def write_profiles(target: Connection, profiles: Profiles | None) -> int:
    """Replaces `target`'s user_profiles and account_profiles (emptied when None); returns the users written. The
    caller commits."""
    empty_tables(target, [user_profiles, account_profiles])
    if profiles is None:
        return 0
    bulk_insert(target, account_profiles, profiles.accounts)
    return bulk_insert(target, user_profiles, profiles.users)
