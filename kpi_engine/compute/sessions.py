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
from kpi_engine.compute.usage_common import UsageRatio, is_plain, returning_users, usage, with_users
from kpi_engine.db.models.derived import DailyUsage, UsageDay

usage_days = UsageDay.__table__
daily_usage = DailyUsage.__table__
Pick = Callable[[dict[str, Any]], list[Any]]


def _session_sums(ctx: ComputeContext, pick: Pick) -> Select[Any]:
    """`pick` gets the columns sessions, events, bounces, seconds (and user_id when broken down or filtered)."""
    w = ctx.cte()
    if is_plain(ctx):
        du = daily_usage
        stmt = select().select_from(w).join(du, du.c.day.between(w.c.d0, w.c.d1))
        columns = {"sessions": du.c.sessions, "events": du.c.session_events, "bounces": du.c.bounces,
                   "seconds": du.c.session_seconds}
        return grouped(ctx, stmt, Source(), w.c.idx, *pick(columns))
    ud = usage_days
    stmt = select().select_from(w).join(ud, and_(ud.c.day.between(w.c.d0, w.c.d1), ud.c.sessions > 0))
    stmt, source = with_users(stmt, ctx, ud.c.user_id)
    columns = {"sessions": ud.c.sessions, "events": ud.c.session_events, "bounces": ud.c.bounces,
               "seconds": ud.c.session_seconds, "user_id": ud.c.user_id}
    return grouped(ctx, stmt, source, w.c.idx, *pick(columns))


@usage("sessions", empty_value=0.0)
def sessions(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [func.sum(c["sessions"]).label("value")])


@usage("avg_session_duration")
def avg_session_duration(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [func.sum(c["seconds"]).label("num"), func.sum(c["sessions"]).label("den")])


def session_users(ctx: ComputeContext) -> Select[Any]:
    """Distinct users who started a session in the window."""
    if is_plain(ctx):
        return returning_users(ctx, "session")
    return _session_sums(ctx, lambda c: [func.count(distinct(c["user_id"])).label("value")])


register("sessions_per_user", UsageRatio(sessions, session_users))


@usage("actions_per_session")
def actions_per_session(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [func.sum(c["events"]).label("num"), func.sum(c["sessions"]).label("den")])


@usage("bounce_rate")
def bounce_rate(ctx: ComputeContext) -> Select[Any]:
    return _session_sums(ctx, lambda c: [func.sum(c["bounces"]).label("num"), func.sum(c["sessions"]).label("den")])
