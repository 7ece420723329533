"""Session metrics (KPI_SPEC §5). A session belongs to the local day of its first event, so a window of whole
local days holds exactly the sessions that started in it: `usage_days` (per user), `daily_usage` (totals,
used without breakdown or filters) and `group_daily_usage` (per value of one account dimension) already
hold the per-day sums.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, and_, distinct, func, select

from kpi_engine.compute.base import ComputeContext, grouped, register
from kpi_engine.compute.usage_common import UsageRatio, by_user, day_totals, returning_users, usage
from kpi_engine.db.models.derived import UsageDay

usage_days = UsageDay.__table__
Pick = Callable[[dict[str, Any]], list[Any]]


def _session_sums(ctx: ComputeContext, pick: Pick, *, users: bool = False) -> Select[Any]:
    """`pick` gets the sums sessions, events, bounces, seconds per window (and group), and with `users` the
    distinct users with a session (read from per-user rows)."""
    w = ctx.cte()
    if not users and (totals := day_totals(ctx)) is not None:
        du = totals.table
        stmt = select().select_from(w).join(du, and_(totals.where, du.c.day.between(w.c.d0, w.c.d1)))
        columns = {"sessions": du.c.sessions, "events": du.c.session_events, "bounces": du.c.bounces,
                   "seconds": du.c.session_seconds}
        sums = pick({key: func.sum(col) for key, col in columns.items()})
        stmt = grouped(ctx, stmt, totals.source, w.c.idx, *sums)
        return stmt.having(func.sum(du.c.sessions) > 0)  # like per-user rows: no group without sessions
    ud = usage_days
    stmt = select().select_from(w).join(ud, and_(ud.c.day.between(w.c.d0, w.c.d1), ud.c.sessions > 0))
    parts = {"sessions": func.sum(ud.c.sessions), "events": func.sum(ud.c.session_events),
             "bounces": func.sum(ud.c.bounces), "seconds": func.sum(ud.c.session_seconds)}

    def outer(per_user: Any) -> list[Any]:
        columns = {key: func.sum(per_user.c[key]) for key in parts}
        return pick({**columns, "users": func.count(distinct(per_user.c.user_id))})

    return by_user(ctx, stmt, w.c.idx, ud.c.user_id, parts, outer)


@usage("sessions", empty_value=0.0)
def sessions(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [c["sessions"].label("value")])


@usage("avg_session_duration")
def avg_session_duration(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [c["seconds"].label("num"), c["sessions"].label("den")])


def session_users(ctx: ComputeContext) -> Select[Any]:
    """Distinct users who started a session in the window."""
    if (from_rollups := returning_users(ctx, "session")) is not None:
        return from_rollups
    return _session_sums(ctx, lambda c: [c["users"].label("value")], users=True)


register("sessions_per_user", UsageRatio(sessions, session_users))


@usage("actions_per_session")
def actions_per_session(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [c["events"].label("num"), c["sessions"].label("den")])


@usage("bounce_rate")
def bounce_rate(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [c["bounces"].label("num"), c["sessions"].label("den")])
