"""Subscription revenue metrics (KPI_SPEC §3)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, or_, select

from kpi_engine.compute.base import ComputeContext, computes, grouped
from kpi_engine.compute.dimensions import Source
from kpi_engine.db.models import Subscription

subs = Subscription.__table__
SUBSCRIPTIONS = Source(account_id=subs.c.account_id, join_from=subs)


def active_at(instant: Any) -> Any:
    """A row is active at t when started_at < t <= coalesce(ended_at, +inf)."""
    return and_(subs.c.started_at < instant, or_(subs.c.ended_at.is_(None), subs.c.ended_at >= instant))


@computes("mrr", empty_value=0.0)
def mrr(ctx: ComputeContext) -> Select[Any]:
    w = ctx.cte()
    stmt = select().select_from(w).join(subs, active_at(w.c.e))
    return grouped(ctx, stmt, SUBSCRIPTIONS, w.c.idx, func.sum(subs.c.mrr).label("value"))
