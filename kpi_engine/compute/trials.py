"""Trial metrics (KPI_SPEC §4). A trial resolves at `converted_at` when set, else at `ended_at`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, select

from kpi_engine.compute.base import ComputeContext, computes, grouped
from kpi_engine.compute.dimensions import Source
from kpi_engine.db.models import Trial

trials = Trial.__table__
TRIALS = Source(account_id=trials.c.account_id, join_from=trials)
resolved_at = func.coalesce(trials.c.converted_at, trials.c.ended_at)


@computes("trial_starts", empty_value=0.0)
def trial_starts(ctx: ComputeContext) -> Select[Any]:
    w = ctx.cte()
    stmt = select().select_from(w).join(trials, and_(trials.c.started_at >= w.c.s, trials.c.started_at < w.c.e))
    return grouped(ctx, stmt, TRIALS, w.c.idx, func.count().label("value"))


@computes("trial_conversions", empty_value=0.0)
def trial_conversions(ctx: ComputeContext) -> Select[Any]:
    """Trials with `converted_at` in the window (KPI_SPEC §4)."""
    w = ctx.cte()
    converted = trials.c.converted_at
    stmt = select().select_from(w).join(trials, and_(converted >= w.c.s, converted < w.c.e))
    return grouped(ctx, stmt, TRIALS, w.c.idx, func.count().label("value"))


def _resolving_share(converted: bool) -> Any:
    """Share of the trials resolving in the window that converted (or did not)."""

    def build(ctx: ComputeContext) -> Select[Any]:
        w = ctx.cte()
        stmt = select().select_from(w).join(trials, and_(resolved_at >= w.c.s, resolved_at < w.c.e))
        outcome = trials.c.converted_at.is_not(None) if converted else trials.c.converted_at.is_(None)
        return grouped(
            ctx, stmt, TRIALS, w.c.idx,
            func.sum(case((outcome, 1), else_=0)).label("num"),
            func.count().label("den"),
            func.count().label("n"),
        )

    build.__name__ = "trial_conversion_rate" if converted else "trial_dropoff_rate"
    return build


trial_conversion_rate = computes("trial_conversion_rate")(_resolving_share(converted=True))
trial_dropoff_rate = computes("trial_dropoff_rate")(_resolving_share(converted=False))
