"""Where a per-user row of the usage tables finds its user's account, signup instant and account attributes.

Usually `users` (the account attributes then through `accounts`, joined by `apply_dimensions`). When the usage
tables live in DATABASE_URL apart from a separate source, `user_profiles` beside them, which `kpibot refresh`
rebuilds from the source's users and accounts: a statement over the usage tables never names the source's
tables, so nothing joins across the two databases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, or_, select

from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS, NONE_GROUP, Source
from kpi_engine.db.models import Account, User
from kpi_engine.db.models.derived import UserProfile
from kpi_engine.query import Filter
from kpi_engine.settings import Settings


@dataclass(frozen=True)
class UserAttributes:
    table: Table
    on_table: Mapping[str, ColumnElement[Any]]  # account dimensions read on `table` itself (no accounts join)

    @property
    def user_id(self) -> ColumnElement[Any]:
        return self.table.c.user_id

    @property
    def created_at(self) -> ColumnElement[Any]:
        return self.table.c.created_at

    def source(self, own: Mapping[str, ColumnElement[Any]] | None = None) -> Source:
        """The Source of a fact joined to `table`: `own` dimensions first, then the account's."""
        return Source(own={**self.on_table, **(own or {})}, account_id=self.table.c.account_id, join_from=self.table)

    def users_kept_by(self, user_id: ColumnElement[Any], flt: Filter) -> ColumnElement[bool]:
        """True for the users an account filter keeps. Users missing from `table` have no account: "(none)"."""
        users_of: Select[Any] = select(self.user_id)
        if flt.dimension in self.on_table:
            value = self.on_table[flt.dimension]
        else:
            account = Account.__table__.alias("filter_acct")
            value = account.c[flt.dimension]
            users_of = users_of.outerjoin(account, account.c.account_id == self.table.c.account_id)
        values = [v for v in flt.values if v != NONE_GROUP]
        if NONE_GROUP not in flt.values:
            return user_id.in_(users_of.where(value.in_(values)))
        kept = or_(value.is_(None), value == "", *([value.in_(values)] if values else []))
        return user_id.not_in(users_of.where(~kept))


def user_attributes(settings: Settings) -> UserAttributes:
    if settings.usage_apart_from_source:
        profiles = UserProfile.__table__
        return UserAttributes(profiles, {d: profiles.c[d] for d in ACCOUNT_DIMENSIONS})
    return UserAttributes(User.__table__, {})
