"""Support metrics (KPI_SPEC §7) from `tickets`. Durations are medians in hours."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select, true

from kpi_engine.compute.base import ComputeContext, computes, grouped
from kpi_engine.compute.dialect import seconds_between
from kpi_engine.compute.dimensions import Source
from kpi_engine.compute.median import windowed_median
from kpi_engine.db.models import Ticket

tickets = Ticket.__table__
TICKETS = Source(
    own={"priority": tickets.c.priority, "category": tickets.c.category},
    account_id=tickets.c.account_id,
    join_from=tickets,
)
SECONDS_PER_HOUR = 3600.0
is_escalated = tickets.c.escalated.is_(true())


def _during(ts: Any, w: Any) -> Any:
    return and_(ts >= w.c.s, ts < w.c.e)


def _opened_in_windows(ctx: ComputeContext) -> tuple[Any, Select[Any]]:
    w = ctx.cte()
    return w, select().select_from(w).join(tickets, _during(tickets.c.opened_at, w))


@computes("tickets", empty_value=0.0)
def ticket_count(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _opened_in_windows(ctx)
    return grouped(ctx, stmt, TICKETS, w.c.idx, func.count().label("value"))


@computes("escalated_tickets", empty_value=0.0)
def escalated_tickets(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _opened_in_windows(ctx)
    return grouped(ctx, stmt.where(is_escalated), TICKETS, w.c.idx, func.count().label("value"))


@computes("escalation_rate")
def escalation_rate(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _opened_in_windows(ctx)
    return grouped(
        ctx, stmt, TICKETS, w.c.idx,
        func.sum(case((is_escalated, 1), else_=0)).label("num"),
        func.count().label("den"),
        func.count().label("n"),
    )


@computes("first_response_time")
def first_response_time(ctx: ComputeContext) -> Select[Any]:
    """Median hours opened → first response, over tickets opened in the window that have one."""
    w, stmt = _opened_in_windows(ctx)
    hours = seconds_between(tickets.c.opened_at, tickets.c.first_response_at) / literal(SECONDS_PER_HOUR)
    return windowed_median(ctx, stmt.where(tickets.c.first_response_at.is_not(None)), TICKETS, w.c.idx, hours)


@computes("resolution_time")
def resolution_time(ctx: ComputeContext) -> Select[Any]:
    """Median hours opened → resolved, over tickets resolved in the window."""
    w = ctx.cte()
    stmt = select().select_from(w).join(tickets, _during(tickets.c.resolved_at, w))
    hours = seconds_between(tickets.c.opened_at, tickets.c.resolved_at) / literal(SECONDS_PER_HOUR)
    return windowed_median(ctx, stmt, TICKETS, w.c.idx, hours)


@computes("open_tickets", empty_value=0.0)
def open_tickets(ctx: ComputeContext) -> Select[Any]:
    """Stock at e: opened before e and not resolved before e."""
    w = ctx.cte()
    still_open = and_(
        tickets.c.opened_at < w.c.e,
        or_(tickets.c.resolved_at.is_(None), tickets.c.resolved_at >= w.c.e),
    )
    stmt = select().select_from(w).join(tickets, still_open)
    return grouped(ctx, stmt, TICKETS, w.c.idx, func.count().label("value"))
