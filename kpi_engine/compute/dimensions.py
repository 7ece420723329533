"""Breakdowns and filters (KPI_SPEC §9): how a fact table reaches its dimensions.

Account attributes come from `accounts` (current values; `account_profiles` within `accounts_from_profiles`)
through the fact's account id; own attributes are columns of the fact. Rows without a value fall in the group `(none)`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, String, cast, func, literal, or_

from kpi_engine.db.models import Account, AccountProfile

ACCOUNT_DIMENSIONS: tuple[str, ...] = ("plan", "segment", "channel", "country")
# set (kpi_engine.sources.routing) while facts kept in DATABASE_URL are computed there apart from the source's
# accounts: their attributes are then read from `account_profiles`, which `kpibot refresh` keeps beside them
_ACCOUNTS_FROM_PROFILES: ContextVar[bool] = ContextVar("kpibot_accounts_from_profiles", default=False)
ACCOUNT_ID_DIMENSION = "account"  # the account itself: "mrr by account", or a filter on one account
NONE_GROUP = "(none)"


class UnsupportedDimension(ValueError):
    def __init__(self, dimension: str, allowed: list[str]) -> None:
        self.dimension = dimension
        self.allowed = allowed
        choices = ", ".join(allowed) if allowed else "none"
        super().__init__(f"cannot break down or filter by {dimension!r} here (possible: {choices})")


@dataclass(frozen=True)
class Source:
    """A fact table as seen by breakdowns: its own dimension columns and the column giving the account.

    `join_from` is the FROM element the accounts join hangs off (the table holding `account_id`).
    """

    own: Mapping[str, ColumnElement[Any]] = field(default_factory=dict)
    account_id: ColumnElement[Any] | None = None
    join_from: FromClause | None = None

    def allowed(self) -> list[str]:
        names = list(self.own)
        if self.account_id is not None:
            names += [d for d in (*ACCOUNT_DIMENSIONS, ACCOUNT_ID_DIMENSION) if d not in self.own]
        return names


@dataclass(frozen=True)
class Applied:
    stmt: Select[Any]
    group: ColumnElement[Any] | None  # labelled "g", or None when not grouped


@contextmanager
def accounts_from_profiles() -> Iterator[None]:
    """Within: account attributes are read from `account_profiles` instead of `accounts`."""
    token = _ACCOUNTS_FROM_PROFILES.set(True)
    try:
        yield
    finally:
        _ACCOUNTS_FROM_PROFILES.reset(token)


def none_group(expr: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.coalesce(func.nullif(cast(expr, String), ""), literal(NONE_GROUP))


def apply_dimensions(
    stmt: Select[Any],
    source: Source,
    breakdown: str | None,
    filters: tuple[Any, ...] = (),
) -> Applied:
    """Adds the accounts join if needed and the filters' WHERE; returns the group expression.

    `filters` are `kpi_engine.query.Filter`s; a filter value `(none)` matches rows without a value.
    """
    needed = [d for d in [breakdown, *(f.dimension for f in filters)] if d is not None]
    allowed = source.allowed()
    for dim in needed:
        if dim not in allowed:
            raise UnsupportedDimension(dim, allowed)
    account = None
    if any(d not in source.own and d != ACCOUNT_ID_DIMENSION for d in needed):
        entity: type[Account] | type[AccountProfile] = AccountProfile if _ACCOUNTS_FROM_PROFILES.get() else Account
        account = entity.__table__.alias("acct")
        left = source.join_from if source.join_from is not None else source.account_id.table  # type: ignore[union-attr]
        stmt = stmt.join_from(left, account, account.c.account_id == source.account_id, isouter=True)

    def column(dim: str) -> ColumnElement[Any]:
        if dim in source.own:
            return source.own[dim]
        if dim == ACCOUNT_ID_DIMENSION:
            return source.account_id  # type: ignore[return-value]
        assert account is not None
        return account.c[dim]

    for flt in filters:
        expr = column(flt.dimension)
        values = [v for v in flt.values if v != NONE_GROUP]
        clauses: list[ColumnElement[bool]] = [expr.in_(values)] if values else []
        if NONE_GROUP in flt.values:
            clauses += [expr.is_(None), cast(expr, String) == ""]
        stmt = stmt.where(or_(*clauses))
    group = none_group(column(breakdown)).label("g") if breakdown else None
    return Applied(stmt, group)
