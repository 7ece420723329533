"""Session metrics (KPI_SPEC §5). A session belongs to the local day of its first event, so a window of whole
local days holds exactly the sessions that started in it: `usage_days` (per user) and `daily_usage`
(totals, used without breakdown or filters) already hold the per-day sums.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, and_, distinct, func, select

from kpi_engine.compute.base import ComputeContext, grouped, register
from kpi_engine.compute.dimensions import Source
from kpi_engine.compute.usage_common import UsageRatio, by_user, is_plain, returning_users, usage
from kpi_engine.db.models.derived import DailyUsage, UsageDay

usage_days = UsageDay.__table__
daily_usage = DailyUsage.__table__
Pick = Callable[[dict[str, Any]], list[Any]]


def _session_sums(ctx: ComputeContext, pick: Pick) -> Select[Any]:
    """`pick` gets the sums sessions, events, bounces, seconds per window (and group), and `users` (the
    distinct users with a session) when broken down or filtered."""
    w = ctx.cte()
    if is_plain(ctx):
        du = daily_usage
        stmt = select().select_from(w).join(du, du.c.day.between(w.c.d0, w.c.d1))
        columns = {"sessions": du.c.sessions, "events": du.c.session_events, "bounces": du.c.bounces,
                   "seconds": du.c.session_seconds}
        return grouped(ctx, stmt, Source(), w.c.idx, *pick({key: func.sum(col) for key, col in columns.items()}))
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
    if is_plain(ctx):
        return returning_users(ctx, "session")
    return _session_sums(ctx, lambda c: [c["users"].label("value")])


register("sessions_per_user", UsageRatio(sessions, session_users))


@usage("actions_per_session")
def actions_per_session(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [c["events"].label("num"), c["sessions"].label("den")])


@usage("bounce_rate")
def bounce_rate(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [c["bounces"].label("num"), c["sessions"].label("den")])
