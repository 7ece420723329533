"""Delivery and quality metrics (KPI_SPEC §8) from `work_items` and `releases`. Durations are medians in days."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select

from kpi_engine.compute.base import ComputeContext, computes, grouped
from kpi_engine.compute.dialect import seconds_between
from kpi_engine.compute.dimensions import Source, UnsupportedDimension
from kpi_engine.compute.median import windowed_median
from kpi_engine.db.models import Release, WorkItem

items = WorkItem.__table__
releases = Release.__table__
WORK_ITEMS = Source(own={"kind": items.c.kind, "feature": items.c.feature})
SECONDS_PER_DAY = 86400.0
is_feature = items.c.kind == "feature"
is_bug = items.c.kind == "bug"
in_production = items.c.found_in == "production"
in_testing = items.c.found_in == "testing"


def _during(ts: Any, w: Any) -> Any:
    return and_(ts >= w.c.s, ts < w.c.e)


def _done_in_windows(ctx: ComputeContext) -> tuple[Any, Select[Any]]:
    w = ctx.cte()
    return w, select().select_from(w).join(items, _during(items.c.done_at, w))


def _bugs_created_in_windows(ctx: ComputeContext) -> tuple[Any, Select[Any]]:
    w = ctx.cte()
    return w, select().select_from(w).join(items, and_(_during(items.c.created_at, w), is_bug))


def _days(start: Any, end: Any) -> Any:
    return seconds_between(start, end) / literal(SECONDS_PER_DAY)


@computes("features_released", empty_value=0.0)
def features_released(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _done_in_windows(ctx)
    return grouped(ctx, stmt.where(is_feature), WORK_ITEMS, w.c.idx, func.count().label("value"))


@computes("time_to_market")
def time_to_market(ctx: ComputeContext) -> Select[Any]:
    """Median days created → done of the features done in the window."""
    w, stmt = _done_in_windows(ctx)
    return windowed_median(ctx, stmt.where(is_feature), WORK_ITEMS, w.c.idx, _days(items.c.created_at, items.c.done_at))


@computes("velocity", empty_value=0.0)
def velocity(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _done_in_windows(ctx)
    points = func.coalesce(func.sum(items.c.points), literal(0.0))  # items without points add nothing
    return grouped(ctx, stmt, WORK_ITEMS, w.c.idx, points.label("value"))


@computes("cycle_time")
def cycle_time(ctx: ComputeContext) -> Select[Any]:
    """Median days started → done of the items done in the window (items never started are left out)."""
    w, stmt = _done_in_windows(ctx)
    stmt = stmt.where(items.c.started_at.is_not(None))
    return windowed_median(ctx, stmt, WORK_ITEMS, w.c.idx, _days(items.c.started_at, items.c.done_at))


@computes("production_bugs", empty_value=0.0)
def production_bugs(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _bugs_created_in_windows(ctx)
    return grouped(ctx, stmt.where(in_production), WORK_ITEMS, w.c.idx, func.count().label("value"))


@computes("defect_removal_efficiency")
def defect_removal_efficiency(ctx: ComputeContext) -> Select[Any]:
    """Bugs created in the window found in testing / those found in testing or production."""
    w, stmt = _bugs_created_in_windows(ctx)
    found = func.count()
    return grouped(
        ctx, stmt.where(in_testing | in_production), WORK_ITEMS, w.c.idx,
        func.sum(case((in_testing, 1), else_=0)).label("num"),
        found.label("den"),
        found.label("n"),
    )


@computes("defect_density")
def defect_density(ctx: ComputeContext) -> Select[Any]:
    """Production bugs created in the window / kloc of the releases released in the window.

    Releases have no dimensions, so this metric cannot be broken down or filtered.
    """
    for dim in [ctx.breakdown, *(f.dimension for f in ctx.filters)]:
        if dim is not None:
            raise UnsupportedDimension(dim, [])
    w = ctx.cte()
    bug_count = (
        select(func.count())
        .where(is_bug, in_production, _during(items.c.created_at, w))
        .scalar_subquery()
    )
    bugs = func.coalesce(bug_count, 0)  # a count over no rows is 0; ClickHouse's decorrelated subquery says NULL
    kloc = select(func.sum(releases.c.kloc)).where(_during(releases.c.released_at, w)).scalar_subquery()
    return select(w.c.idx.label("w"), bugs.label("num"), kloc.label("den"))
