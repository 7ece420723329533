"""Runs a MetricQuery: resolves periods into windows, evaluates the computation, assembles the result."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, select

from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.compute.base import Cell, Computation, ComputeContext, cells_by_window, compile_sql
from kpi_engine.compute.registry import computation_for
from kpi_engine.compute.windows import make_windows
from kpi_engine.db.models import Target
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from kpi_engine.results import GroupValue, MetricResult, SeriesPoint, TargetStatus
from kpi_engine.settings import Settings


def default_period(metric: MetricDefinition, as_of: date) -> Period:
    """No time phrase: stock metrics at the end of the as-of day, others over the last 30 days."""
    if metric.kind == "stock":
        return Period(as_of, as_of, "day")
    return Period(as_of - timedelta(days=30), as_of - timedelta(days=1))


def comparison_period(query: MetricQuery, period: Period) -> Period | None:
    if query.compare_to is not None:
        return query.compare_to
    if query.comparison == "none":
        return None
    if query.comparison == "previous_year":
        return period.previous_year()
    return period.previous()


def run_metric(conn: Connection, query: MetricQuery, catalog: Catalog, settings: Settings) -> MetricResult:
    metric = catalog.get(query.metric)
    computation = computation_for(metric.id, catalog)
    period = query.period or default_period(metric, query.as_of)
    previous = comparison_period(query, period)

    periods: list[Period] = [period]
    if previous is not None:
        periods.append(previous)
    series_at = prev_series_at = 0
    if query.granularity is not None:
        buckets = period.buckets(query.granularity)
        series_at = len(periods)
        periods += buckets
        if previous is not None:
            prev_series_at = len(periods)
            periods += previous.buckets(query.granularity)
    tz = settings.tz
    ctx = ComputeContext(make_windows(periods, tz), settings, None, query.filters)
    cells = cells_by_window(computation.evaluate(conn, ctx))
    sql = [compile_sql(s, conn) for s in computation.plan(ctx)]

    current = cells.get(0) or Cell(0, None, None)
    result = MetricResult(
        metric=metric.id,
        label=metric.label,
        unit=metric.unit,
        kind=metric.kind,
        direction=metric.direction,
        definition=metric.description,
        formula=metric.formula,
        period=period,
        value=current.value,
        n=current.n,
        ci95=current.ci95,
        parts=current.parts,
        previous_period=previous,
        previous_value=cells[1].value if previous is not None and 1 in cells else None,
        filters={f.dimension: list(f.values) for f in query.filters},
        sql=sql,
    )
    if query.granularity is not None:
        result.granularity = query.granularity
        n_buckets = len(period.buckets(query.granularity))
        result.series = [_point(ctx.windows[i].period, cells.get(i)) for i in range(series_at, series_at + n_buckets)]
        if previous is not None:
            result.previous_series = [
                _point(ctx.windows[i].period, cells.get(i)) for i in range(prev_series_at, len(periods))
            ]
    if query.breakdown is not None:
        result.breakdown_dimension = query.breakdown
        groups = run_breakdown(conn, computation, query, period, previous, settings, sql)
        if metric.area == "surveys":
            groups, result.hidden_groups = hide_small_groups(groups, settings.survey_min_group_size)
        result.breakdown = groups
    result.target = target_status(conn, metric, result.value)
    return result


def run_breakdown(
    conn: Connection,
    computation: Computation,
    query: MetricQuery,
    period: Period,
    previous: Period | None,
    settings: Settings,
    sql: list[str],
) -> list[GroupValue]:
    periods = [period] if previous is None else [period, previous]
    ctx = ComputeContext(make_windows(periods, settings.tz), settings, query.breakdown, query.filters)
    cells = computation.evaluate(conn, ctx)
    sql.extend(compile_sql(s, conn) for s in computation.plan(ctx))
    before = {c.group: c.value for c in cells if c.window == 1}
    groups = [
        GroupValue(group=str(c.group), value=c.value, n=c.n, previous=before.get(c.group))
        for c in cells
        if c.window == 0
    ]
    return sorted(groups, key=lambda g: (g.value is None, -(g.value or 0.0), g.group))


def hide_small_groups(groups: list[GroupValue], min_size: int) -> tuple[list[GroupValue], int]:
    """Survey privacy: groups with fewer than `min_size` responses are not shown."""

    def size(group: GroupValue) -> float:
        return group.n if group.n is not None else (group.value or 0)

    kept = [g for g in groups if size(g) >= min_size]
    return kept, len(groups) - len(kept)


def _point(period: Period, cell: Cell | None) -> SeriesPoint:
    return SeriesPoint(start=period.start, end=period.end, value=None if cell is None else cell.value)


def target_status(conn: Connection, metric: MetricDefinition, value: float | None) -> TargetStatus | None:
    row = conn.execute(select(Target.value, Target.due).where(Target.metric_id == metric.id)).first()
    if row is None:
        return None
    status = TargetStatus(value=row.value, due=row.due)
    if value is not None and row.value:
        if metric.direction == "lower":
            status.attainment = row.value / value if value else None
            status.met = value <= row.value
        else:
            status.attainment = value / row.value
            status.met = value >= row.value
    return status
