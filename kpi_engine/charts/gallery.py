"""Every chart type drawn from the current database (`kpibot gallery DIR`): the README pictures and a visual check.

Queries are built from the catalog (metric ids and their first dimensions) and from the data (the most frequent
event names for the funnel), never from a company's vocabulary. Shapes the engine does not answer in one query yet
(a series per group, a two-dimension breakdown) are assembled from single-dimension queries with a filter each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, func, select

from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.charts import Answer, render_chart
from kpi_engine.engine import run_query
from kpi_engine.periods import Period, grain_start
from kpi_engine.query import Filter, FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery
from kpi_engine.results import GroupValue, MetricResult, TableResult
from kpi_engine.settings import Settings

TOP_GROUPS = 4


@dataclass(frozen=True)
class GalleryChart:
    name: str  # file stem, e.g. "line"
    result: Answer
    png: bytes


class Gallery:
    def __init__(self, engine: Engine, settings: Settings, catalog: Catalog, as_of: date) -> None:
        self.engine, self.settings, self.catalog, self.as_of = engine, settings, catalog, as_of

    def run(self, query: MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery) -> MetricResult | TableResult:
        with self.engine.connect() as conn:
            return run_query(conn, query, self.catalog, self.settings)

    def metric(self, metric: str, **fields: object) -> MetricResult:
        result = self.run(MetricQuery(metric=metric, as_of=self.as_of, **fields))  # type: ignore[arg-type]
        assert isinstance(result, MetricResult)
        return result

    def year(self) -> Period:
        """The last 12 months to date."""
        return Period(_months_back(grain_start(self.as_of, "month"), 11), self.as_of)

    def month(self) -> Period:
        """This month to date (compared like for like with the same days of last month)."""
        return Period(grain_start(self.as_of, "month"), self.as_of, "month")

    def last_month(self) -> Period:
        return Period.calendar(grain_start(self.as_of, "month") - timedelta(days=1), "month")

    def top_groups(self, metric: str, dimension: str) -> list[str]:
        result = self.metric(metric, breakdown=dimension, comparison="none", period=self.month())
        return [g.group for g in (result.breakdown or []) if g.value][:TOP_GROUPS]

    def group_series(self, metric: MetricDefinition, dimension: str) -> MetricResult:
        """`metric by dimension by month` from one filtered series per top group."""
        base = self.metric(metric.id, period=self.year(), granularity="month")
        series = {}
        for group in self.top_groups(metric.id, dimension):
            one = self.metric(metric.id, period=self.year(), granularity="month", comparison="none",
                              filters=(Filter(dimension=dimension, values=(group,)),))
            series[group] = one.series or []
        return base.model_copy(update={"group_series": series, "breakdown_dimension": dimension, "series": None})

    def two_dimensions(self, metric: MetricDefinition, first: str, second: str) -> MetricResult:
        base = self.metric(metric.id, period=self.month())
        cells: list[GroupValue] = []
        for group in self.top_groups(metric.id, first):
            one = self.metric(metric.id, breakdown=second, comparison="none", period=self.month(),
                              filters=(Filter(dimension=first, values=(group,)),))
            cells += [GroupValue(group=group, subgroup=g.group, value=g.value) for g in one.breakdown or []]
        return base.model_copy(update={"breakdown": cells, "breakdown_dimension": first, "subgroup_dimension": second})

    def frequent_events(self, count: int = 3) -> list[str]:
        from kpi_engine.db.models import Event

        with self.engine.connect() as conn:
            rows = conn.execute(select(Event.name, func.count()).group_by(Event.name)
                                .order_by(func.count().desc()).limit(count)).all()
        return [str(row[0]) for row in rows]


def has_numbers(result: Answer) -> bool:
    """Some value other than 0 or none (an empty database gives $0 and 0 everywhere: nothing to show)."""
    if isinstance(result, TableResult):
        return any(isinstance(v, int | float) and not isinstance(v, bool) and v for row in result.rows for v in row[1:])
    if not isinstance(result, MetricResult):
        return any(has_numbers(r) for r in result)
    if result.data_to is not None:
        return True
    values = [result.value, *(p.value for p in result.series or []), *(g.value for g in result.breakdown or []),
              *(p.value for points in (result.group_series or {}).values() for p in points)]
    return any(v for v in values)


def _months_back(start: date, months: int) -> date:
    year, month = divmod(start.year * 12 + start.month - 1 - months, 12)
    return date(year, month + 1, 1)


def _first(catalog: Catalog, wanted: tuple[str, ...], unit: str | None = None) -> MetricDefinition | None:
    for metric_id in wanted:
        metric = catalog.find(metric_id)
        if metric is not None and (unit is None or metric.unit == unit):
            return metric
    return None


def gallery_charts(engine: Engine, settings: Settings, catalog: Catalog, as_of: date,
                   only: set[str] | None = None) -> list[GalleryChart]:
    """One chart per type; a type whose metric or data is missing is left out."""
    g = Gallery(engine, settings, catalog, as_of)
    revenue = _first(catalog, ("mrr",))
    flow = _first(catalog, ("signups", "new_mrr"))
    score = _first(catalog, ("nps", "csat"))
    rate = _first(catalog, ("customer_churn_rate",))
    plans: list[tuple[str, Callable[[], Answer | None]]] = []
    if flow is not None:
        plans.append(("line", lambda: g.metric(flow.id, granularity="week",
                                               period=Period(as_of - timedelta(weeks=60), as_of))))
    if revenue is not None and revenue.dimensions:
        dims = revenue.dimensions
        plans.append(("bars", lambda: g.metric(revenue.id, breakdown=dims[0], period=g.month())))
        plans.append(("comparison", lambda: g.metric(revenue.id, period=g.month())))
        plans.append(("group_series", lambda: g.group_series(revenue, dims[0])))
        if len(dims) > 1:
            plans.append(("two_dimensions", lambda: g.two_dimensions(revenue, dims[0], dims[1])))
        plans.append(("waterfall", lambda: g.run(MovementsQuery(as_of=as_of, period=g.last_month()))))
    if score is not None:
        plans.append(("score_series", lambda: g.metric(score.id, granularity="month", period=g.year())))
        plans.append(("score", lambda: g.metric(score.id, period=Period(as_of - timedelta(days=89), as_of))))
    plans.append(("retention", lambda: g.run(RetentionQuery(as_of=as_of, offsets=6))))
    plans.append(("funnel", lambda: _funnel(g)))
    several = [m for m in (revenue, rate, score) if m is not None]
    if len(several) > 1:
        plans.append(("several_metrics", lambda: [g.metric(m.id, granularity="month", period=g.year())
                                                  for m in several]))
    charts: list[GalleryChart] = []
    for name, make in plans:
        if only is not None and name not in only:
            continue
        result = make()
        if result is None or not has_numbers(result):
            continue
        png = render_chart(result, currency=settings.kpi_currency_symbol)
        if png is not None:
            charts.append(GalleryChart(name, result, png))
    return charts


def _funnel(g: Gallery) -> TableResult | None:
    steps = g.frequent_events()
    if len(steps) < 2:
        return None
    result = g.run(FunnelQuery(as_of=g.as_of, steps=tuple(steps), period=g.last_month()))
    return result if isinstance(result, TableResult) else None
