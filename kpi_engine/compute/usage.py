"""Product usage (KPI_SPEC §5): signups, active users, page views, feature use and conversion.

Rolling actives (dau, wau, mau, stickiness) are in `usage_rolling`, sessions in `sessions`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Integer, Select, and_, case, distinct, func, literal, literal_column, select, union_all

from kpi_engine.compute.base import ComputeContext, computes, grouped, register
from kpi_engine.compute.dialect import add_seconds
from kpi_engine.compute.dimensions import Source
from kpi_engine.compute.usage_common import (
    UsageRatio,
    by_user,
    day_totals,
    returning_users,
    usage,
    with_users,
    without_dimension,
)
from kpi_engine.db.models import User
from kpi_engine.db.models.derived import ConversionEvent, FeatureDay, UsageDay

users = User.__table__
conversion_events = ConversionEvent.__table__
feature_days = FeatureDay.__table__
usage_days = UsageDay.__table__
# inline constants, not bound parameters: SQLite plans (automatic partial indexes) depend on seeing them
ZERO, ONE = literal_column("0", Integer), literal_column("1", Integer)
USERS = Source(account_id=users.c.account_id, join_from=users)
FEATURE = {"feature": feature_days.c.feature}  # the own dimension of feature_days


@computes("signups", empty_value=0.0)
def signups(ctx: ComputeContext) -> Select[Any]:
    w = ctx.cte()
    stmt = select().select_from(w).join(users, and_(users.c.created_at >= w.c.s, users.c.created_at < w.c.e))
    return grouped(ctx, stmt, USERS, w.c.idx, func.count().label("value"))


def _count_users(per_user: Any) -> list[Any]:
    return [func.count(distinct(per_user.c.user_id)).label("value")]


def _sum_of(part: str) -> Any:
    return lambda per_user: [func.sum(per_user.c[part]).label("value")]


@usage("active_users", empty_value=0.0)
def active_users(ctx: ComputeContext) -> Select[Any]:
    if (from_rollups := returning_users(ctx, "active")) is not None:
        return from_rollups
    ud = usage_days
    w = ctx.cte()
    stmt = select().select_from(w).join(ud, ud.c.day.between(w.c.d0, w.c.d1))
    return by_user(ctx, stmt, w.c.idx, ud.c.user_id, {}, _count_users)


@usage("page_views", empty_value=0.0)
def page_views(ctx: ComputeContext) -> Select[Any]:
    w = ctx.cte()
    if (totals := day_totals(ctx)) is not None:
        du = totals.table
        stmt = select().select_from(w).join(du, and_(totals.where, du.c.day.between(w.c.d0, w.c.d1)))
        stmt = grouped(ctx, stmt, totals.source, w.c.idx, func.sum(du.c.page_views).label("value"))
        return stmt.having(func.sum(du.c.page_views) > 0)  # like per-user rows: no group without page views
    rows = feature_days if asks_feature(ctx) else usage_days  # per user-day rows unless by feature
    stmt = select().select_from(w).join(rows, and_(rows.c.day.between(w.c.d0, w.c.d1), rows.c.page_views > 0))
    parts = {"page_views": func.sum(rows.c.page_views)}
    return by_user(ctx, stmt, w.c.idx, rows.c.user_id, parts, _sum_of("page_views"), FEATURE)


@usage("feature_users", empty_value=0.0)
def feature_users(ctx: ComputeContext) -> Select[Any]:
    if (from_rollups := returning_users(ctx, "feature")) is not None:
        return from_rollups
    w = ctx.cte()
    if asks_feature(ctx):
        fd = feature_days
        with_feature = and_(fd.c.day.between(w.c.d0, w.c.d1), fd.c.feature != literal_column("''"))
        stmt = select().select_from(w).join(fd, with_feature)
        return by_user(ctx, stmt, w.c.idx, fd.c.user_id, {}, _count_users, FEATURE)
    ud = usage_days
    stmt = select().select_from(w).join(ud, and_(ud.c.day.between(w.c.d0, w.c.d1), ud.c.feature_events > 0))
    return by_user(ctx, stmt, w.c.idx, ud.c.user_id, {}, _count_users, FEATURE)


def asks_feature(ctx: ComputeContext) -> bool:
    return "feature" in {ctx.breakdown, *(f.dimension for f in ctx.filters)}


# Broken down or filtered by feature: users of the feature / all active users (a feature's reach).
register("feature_adoption_rate", UsageRatio(feature_users, active_users, without_dimension("feature")))


@usage("conversion_rate")
def conversion_rate(ctx: ComputeContext) -> Select[Any]:
    """Users with a `from` event in the window, at their first one: share with a `to` event at or after it
    and at most KPI_CONVERSION_WINDOW_DAYS later (both kinds of event are in `conversion_events`)."""
    settings = ctx.settings
    w = ctx.cte()
    lo, hi = min(win.s for win in ctx.windows), max(win.e for win in ctx.windows)
    ev = conversion_events.alias("from_event")
    from_events = (  # read once (not once per window that holds them)
        select(ev.c.user_id, ev.c.occurred_at.label("t"))
        .where(ev.c.name == settings.kpi_conversion_from, ev.c.occurred_at >= lo, ev.c.occurred_at < hi)
        .cte("from_events")
        .prefix_with("MATERIALIZED")
    )
    firsts = (
        select(w.c.idx, from_events.c.user_id, func.min(from_events.c.t).label("t"))
        .select_from(w)
        .join(from_events, and_(from_events.c.t >= w.c.s, from_events.c.t < w.c.e))
        .group_by(w.c.idx, from_events.c.user_id)
        .subquery("firsts")
    )
    # the `to` events that can matter, read once by name; each first `from` event looks for the next `to`
    # event at or after it in one pass over both, ordered per user (a `to` at the same instant follows it)
    window = timedelta(days=settings.kpi_conversion_window_days)
    later = conversion_events.alias("later")
    targets = select(
        later.c.user_id, later.c.occurred_at.label("t"), literal(None, Integer).label("idx"), ONE.label("is_to")
    ).where(
        later.c.name == settings.kpi_conversion_to,
        later.c.occurred_at >= lo,
        later.c.occurred_at <= hi + window,
    )
    starts = select(firsts.c.user_id, firsts.c.t, firsts.c.idx, ZERO.label("is_to"))
    both = union_all(starts, targets).subquery("both_events")
    next_to = func.min(case((both.c.is_to == ONE, both.c.t))).over(
        partition_by=both.c.user_id, order_by=(both.c.t, both.c.is_to), rows=(0, None)
    )
    ordered = select(both.c.idx, both.c.user_id, both.c.t, both.c.is_to, next_to.label("next_to")).subquery("ordered")
    hit = case((ordered.c.next_to <= add_seconds(ordered.c.t, window.total_seconds()), 1), else_=0)
    per_user = (
        select(ordered.c.idx, ordered.c.user_id, hit.label("hit")).where(ordered.c.is_to == ZERO).subquery("per_user")
    )
    stmt, source = with_users(select().select_from(per_user), ctx, per_user.c.user_id)
    return grouped(
        ctx,
        stmt,
        source,
        per_user.c.idx,
        func.sum(per_user.c.hit).label("num"),
        func.count().label("den"),
        func.count().label("n"),
    )
