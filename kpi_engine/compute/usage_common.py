"""What the usage computations (KPI_SPEC §5) share.

- They read the derived tables, so evaluating first makes sure those match the settings.
- Account dimensions reach per-user rows through the user's account (`kpi_engine.compute.user_attributes`; a
  user missing there has no account).
- Without breakdown or filters, day totals come from `daily_usage` instead of per-user rows; broken down or
  filtered by one account dimension only, from `group_daily_usage` (`day_totals`). Same for the distinct
  active users, from `daily_returns` and `group_daily_returns` (`returning_users`), which also holds the
  distinct users per feature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Select, and_, func, select, true

from kpi_engine.compute.base import Cell, Computation, ComputeContext, SqlComputation, grouped, ratio, register
from kpi_engine.compute.dialect import sqlite_prefilter
from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS, Source
from kpi_engine.compute.group_rollups import FEATURE
from kpi_engine.compute.user_attributes import user_attributes
from kpi_engine.db.models.derived import DailyReturn, DailyUsage, GroupDailyReturn, GroupDailyUsage
from kpi_engine.derived import ensure_derived_current

daily_returns = DailyReturn.__table__
daily_usage = DailyUsage.__table__
group_daily_usage = GroupDailyUsage.__table__
group_daily_returns = GroupDailyReturn.__table__
Builder = Callable[[ComputeContext], Select[Any]]
# (dimension, kind of activity) pairs that `group_daily_returns` holds
GROUP_RETURNS = {*((dim, "active") for dim in ACCOUNT_DIMENSIONS), (FEATURE, "feature")}


def is_plain(ctx: ComputeContext) -> bool:
    """No breakdown and no filter: totals over everyone."""
    return ctx.breakdown is None and not ctx.filters


def single_dimension(ctx: ComputeContext) -> str | None:
    """The dimension the breakdown and filters ask for, when they ask for exactly one."""
    asked = {dim for dim in [ctx.breakdown, *(f.dimension for f in ctx.filters)] if dim is not None}
    return asked.pop() if len(asked) == 1 else None


def account_dimension(ctx: ComputeContext) -> str | None:
    """The one account dimension (plan, segment, channel, country) asked for: the per-group rollups hold
    the answer."""
    dimension = single_dimension(ctx)
    return dimension if dimension in ACCOUNT_DIMENSIONS else None


@dataclass(frozen=True)
class DayTotals:
    """A table of per-day totals for ctx: its rows to read (`where`) and how breakdowns and filters see it."""

    table: Any
    where: Any
    source: Source


def day_totals(ctx: ComputeContext) -> DayTotals | None:
    """`daily_usage` (plain), `group_daily_usage` (one account dimension) or None: per-user rows needed."""
    if is_plain(ctx):
        return DayTotals(daily_usage, true(), Source())
    dimension = account_dimension(ctx)
    if dimension is None:
        return None
    gdu = group_daily_usage
    return DayTotals(gdu, gdu.c.dimension == dimension, Source(own={dimension: gdu.c.value}))


def with_users(
    stmt: Select[Any], ctx: ComputeContext, user_id: Any, own: Mapping[str, Any] | None = None
) -> tuple[Select[Any], Source]:
    """Joins the user's attributes (outer) when an account dimension is asked for; the Source for `grouped`."""
    own = dict(own or {})
    attributes = user_attributes(ctx.settings)
    asked = [ctx.breakdown, *(f.dimension for f in ctx.filters)]
    if any(dim is not None and dim not in own for dim in asked):
        stmt = stmt.join(attributes.table, attributes.user_id == user_id, isouter=True)
    return stmt, attributes.source(own)


def by_user(
    ctx: ComputeContext,
    stmt: Select[Any],
    window_idx: Any,
    user_id: Any,
    parts: Mapping[str, Any],
    outer: Callable[[Any], list[Any]],
    own: Mapping[str, Any] | None = None,
) -> Select[Any]:
    """A windowed aggregate done in two steps: `parts` per (window, user[, own dimensions asked for]), then
    `outer(per_user)` per window and group, so users and accounts are joined once per user, not per row."""
    asked = {dim for dim in [ctx.breakdown, *(f.dimension for f in ctx.filters)] if dim is not None}
    own_used = {dim: col for dim, col in (own or {}).items() if dim in asked}
    for flt in ctx.filters:
        if flt.dimension in ACCOUNT_DIMENSIONS and flt.dimension not in (own or {}):
            stmt = stmt.where(sqlite_prefilter(user_attributes(ctx.settings).users_kept_by(user_id, flt)))
    keys = [window_idx, user_id, *own_used.values()]
    labels = [window_idx.label("idx"), user_id.label("user_id"), *(col.label(d) for d, col in own_used.items())]
    per_user = (
        stmt.with_only_columns(*labels, *(expr.label(name) for name, expr in parts.items()))
        .group_by(*keys)
        .subquery("per_user")
    )
    outer_own = {dim: per_user.c[dim] for dim in own_used}
    own_allowed = {dim: per_user.c[dim] if dim in outer_own else col for dim, col in (own or {}).items()}
    grouped_stmt, source = with_users(select().select_from(per_user), ctx, per_user.c.user_id, own_allowed)
    return grouped(ctx, grouped_stmt, source, per_user.c.idx, *outer(per_user))


def returning_users(ctx: ComputeContext, kind: str) -> Select[Any] | None:
    """Distinct users with an activity in each window, each counted on its first day there; None when ctx
    needs per-user rows. Served: no breakdown or filter; one account dimension (kind `active`); the feature
    (kind `feature`)."""
    w = ctx.cte()
    dimension = single_dimension(ctx)
    if is_plain(ctx):
        dr, rows, source = daily_returns, daily_returns.c.kind == kind, Source()
    elif dimension is not None and (dimension, kind) in GROUP_RETURNS:
        dr = group_daily_returns
        rows, source = dr.c.dimension == dimension, Source(own={dimension: dr.c.value})
    else:
        return None
    in_window = and_(rows, dr.c.day.between(w.c.d0, w.c.d1), dr.c.prev_day < w.c.d0)
    stmt = select().select_from(w).join(dr, in_window)
    return grouped(ctx, stmt, source, w.c.idx, func.sum(dr.c.users).label("value"))


class UsageSql(SqlComputation):
    """A SqlComputation over the derived usage tables."""

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        ensure_derived_current(conn, ctx.settings)
        return super().evaluate(conn, ctx)


def usage(*metric_ids: str, **options: Any) -> Callable[[Builder], Builder]:
    """Decorator: registers a Select builder over the derived tables for one or more metrics."""

    def wrap(build: Builder) -> Builder:
        for metric_id in metric_ids:
            register(metric_id, UsageSql(build, **options))
        return build

    return wrap


class UsageRatio(Computation):
    """numerator / denominator from two Selects (each with `w`, `g`, `value`).

    `denominator_ctx` may drop dimensions the denominator does not have (e.g. feature): its cells then
    serve every group of the numerator. A group or window missing on one side counts as 0 there.
    """

    def __init__(
        self,
        numerator: Builder,
        denominator: Builder,
        denominator_ctx: Callable[[ComputeContext], ComputeContext] = lambda ctx: ctx,
    ) -> None:
        self.numerator = UsageSql(numerator, empty_value=0.0)
        self.denominator = UsageSql(denominator, empty_value=0.0)
        self.denominator_ctx = denominator_ctx

    def plan(self, ctx: ComputeContext) -> list[Select[Any]]:
        return self.numerator.plan(ctx) + self.denominator.plan(ctx.once(self.denominator_ctx))

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        den_ctx = ctx.once(self.denominator_ctx)
        nums = {(c.window, c.group): c.value for c in self.numerator.evaluate(conn, ctx)}
        dens = {(c.window, c.group): c.value for c in self.denominator.evaluate(conn, den_ctx)}
        shared_den = den_ctx.breakdown is None and ctx.breakdown is not None
        keys = set(nums) if shared_den else set(nums) | set(dens)
        cells = []
        for window, group in sorted(keys, key=lambda k: (k[0], str(k[1]))):
            den = dens.get((window, None if shared_den else group))
            cells.append(Cell(window, group, ratio(nums.get((window, group)) or 0.0, den)))
        return cells


def without_dimension(dimension: str) -> Callable[[ComputeContext], ComputeContext]:
    """The context with a dimension (breakdown and filters) removed, for a side that does not have it."""

    def strip(ctx: ComputeContext) -> ComputeContext:
        return replace(
            ctx,
            breakdown=None if ctx.breakdown == dimension else ctx.breakdown,
            filters=tuple(f for f in ctx.filters if f.dimension != dimension),
        )

    return strip
