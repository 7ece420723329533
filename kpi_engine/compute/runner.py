"""Runs a MetricQuery: resolves periods into windows, evaluates the computation, assembles the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from kpi_engine import comparisons
from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.comparisons import change_interval
from kpi_engine.compute.base import Cell, Computation, ComputeContext, cells_by_window, compile_sql
from kpi_engine.compute.breakdowns import breakdown_groups
from kpi_engine.compute.registry import computation_for
from kpi_engine.compute.windows import make_windows
from kpi_engine.freshness import apply_freshness, metric_range
from kpi_engine.periods import Grain, Period
from kpi_engine.query import MetricQuery
from kpi_engine.results import GroupValue, MetricResult, SeriesPoint, TargetStatus
from kpi_engine.settings import Settings


def default_period(metric: MetricDefinition, as_of: date) -> Period:
    """No time phrase: stock metrics at the end of the as-of day, others over the last 30 days."""
    return comparisons.default_period(metric.kind, as_of)


def comparison_period(query: MetricQuery, period: Period, kind: str = "flow") -> Period | None:
    """The like-for-like comparison period of `period` for this query (kpi_engine.comparisons)."""
    return comparisons.plan_periods(query.model_copy(update={"period": period}), kind).previous


@dataclass(frozen=True)
class Evaluated:
    """The cells of one evaluation: the period (0), the comparison (1), then the series buckets."""

    ctx: ComputeContext
    cells: dict[int, Cell]
    sql: list[str]
    series_at: int
    prev_series_at: int
    n_buckets: int


def evaluate_periods(conn: Connection, computation: Computation, query: MetricQuery, period: Period,
                     previous: Period | None, grain: Grain | None, settings: Settings) -> Evaluated:
    periods: list[Period] = [period]
    if previous is not None:
        periods.append(previous)
    series_at = prev_series_at = n_buckets = 0
    if grain is not None:
        buckets = period.buckets(grain)
        series_at, n_buckets = len(periods), len(buckets)
        periods += buckets
        if previous is not None:
            prev_series_at = len(periods)
            periods += previous.buckets(grain)
    ctx = ComputeContext(make_windows(periods, settings.tz), settings, None, query.filters)
    sql = [compile_sql(s, conn) for s in computation.plan(ctx)]  # the Selects `evaluate` then runs
    cells = cells_by_window(computation.evaluate(conn, ctx))
    return Evaluated(ctx, cells, sql, series_at, prev_series_at, n_buckets)


def run_metric(
    conn: Connection, query: MetricQuery, catalog: Catalog, settings: Settings, state: Connection | None = None
) -> MetricResult:
    """`state`: the bot's own database (targets) when the data is read from a source; default `conn`."""
    metric = catalog.get(query.metric)
    computation = computation_for(metric.id, catalog)
    data = metric_range(conn, metric.tables, settings.tz)  # read first: the comparison is clipped to it
    plan = comparisons.plan_periods(query, metric.kind, data.last_day if data is not None else None)
    period, previous = plan.period, plan.previous
    grain = query.granularity
    ev = evaluate_periods(conn, computation, query, period, previous, grain, settings)
    notes: list[str] = []
    if grain is not None and metric.kind == "score":
        grain, ev, note = coarsen_survey_series(conn, computation, query, plan, grain, ev, settings)
        notes += [note] if note else []
    cells = ev.cells
    current = cells.get(0) or Cell(0, None, None)
    before = cells.get(1) if previous is not None else None
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
        previous_value=before.value if before is not None else None,
        filters={f.dimension: list(f.values) for f in query.filters},
        sql=ev.sql,
        period_text=plan.period_text,
        comparison_text=plan.comparison_text,
        change_ci95=change_interval(current.value, current.ci95, before.value, before.ci95) if before else None,
        notes=notes,
    )
    if grain is not None:
        result.granularity = grain
        windows = ev.ctx.windows
        result.series = [_point(windows[i].period, cells.get(i))
                         for i in range(ev.series_at, ev.series_at + ev.n_buckets)]
        if previous is not None:
            result.previous_series = [_point(windows[i].period, cells.get(i))
                                      for i in range(ev.prev_series_at, len(windows))]
        if metric.kind == "score":
            hide_small_buckets(result, settings.survey_min_group_size)
    if query.breakdown is not None:
        result.breakdown_dimension = query.breakdown
        groups = breakdown_groups(conn, computation, query, metric, period, previous, settings, result.sql,
                                  run_breakdown)
        result.subgroup_dimension = query.subgroup
        if metric.area == "surveys":
            groups, result.hidden_groups = hide_small_groups(groups, settings.survey_min_group_size)
        result.breakdown = groups
    apply_freshness(result, data, query.as_of, settings.tz)
    told = None if result.no_data_yet else result.value  # no attainment for a period after the data
    result.target = target_status(state if state is not None else conn, metric, told, result.filters)
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
    sql.extend(compile_sql(s, conn) for s in computation.plan(ctx))  # the Selects `evaluate` then runs
    cells = computation.evaluate(conn, ctx)
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


ADVERBS: dict[Grain, str] = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly"}
COARSER: dict[Grain, Grain] = {"day": "week", "week": "month", "month": "quarter", "quarter": "year"}


def coarsen_survey_series(conn: Connection, computation: Computation, query: MetricQuery,
                          plan: comparisons.Plan, grain: Grain, ev: Evaluated, settings: Settings,
                          ) -> tuple[Grain, Evaluated, str | None]:
    """A survey score's series is never finer than its answers support: while most buckets hold fewer than
    the minimum responses and a coarser grain still gives two buckets or more, use the coarser grain."""
    first = grain
    minimum = settings.survey_min_group_size
    total = ev.cells[0].n if 0 in ev.cells else None
    while grain in COARSER and (total or 0) >= minimum:
        sizes = [(ev.cells[i].n or 0) if i in ev.cells else 0 for i in range(ev.series_at, ev.series_at + ev.n_buckets)]
        if sum(size < minimum for size in sizes) * 2 <= len(sizes):
            break
        coarser = COARSER[grain]
        if len(plan.period.buckets(coarser)) < 2:
            break
        grain = coarser
        ev = evaluate_periods(conn, computation, query, plan.period, plan.previous, grain, settings)
    if grain == first:
        return grain, ev, None
    return grain, ev, f"By {grain}: too few answers per {first} for a {ADVERBS[first]} series"


def hide_small_buckets(result: MetricResult, minimum: int) -> None:
    """A bucket with fewer than `minimum` responses is no point on the line: its value reads "too few answers"."""
    for point in [*(result.series or []), *(result.previous_series or [])]:
        point.n = point.n or 0
        if point.n < minimum:
            point.value, point.ci95 = None, None


def _point(period: Period, cell: Cell | None) -> SeriesPoint:
    if cell is None:
        return SeriesPoint(start=period.start, end=period.end, value=None)
    return SeriesPoint(start=period.start, end=period.end, value=cell.value, n=cell.n, ci95=cell.ci95)


def target_status(conn: Connection, metric: MetricDefinition, value: float | None,
                  filters: dict[str, list[str]] | None = None) -> TargetStatus | None:
    from kpi_engine.targets import find_target

    row = find_target(conn, metric.id, filters)  # only the target set for these same filters
    if row is None:
        return None
    return attained(TargetStatus(value=row.value, due=row.due), value, metric.direction)


def attained(target: TargetStatus | None, value: float | None, direction: str) -> TargetStatus | None:
    """The target with its attainment for `value` (for lower-is-better metrics: target / value)."""
    if target is None:
        return None
    status = TargetStatus(value=target.value, due=target.due)
    if value is not None and target.value:
        if direction == "lower":
            status.attainment = target.value / value if value else None
            status.met = value <= target.value
        else:
            status.attainment = value / target.value
            status.met = value >= target.value
    return status
