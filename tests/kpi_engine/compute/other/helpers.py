"""Shared helpers for the order, marketing, trial, survey, support and delivery metric tests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MetricQuery
from kpi_engine.results import MetricResult
from kpi_engine.settings import Settings

AS_OF = date(2026, 6, 30)
FEBRUARY = Period.calendar(date(2026, 2, 1), "month")
MARCH = Period.calendar(date(2026, 3, 1), "month")
APRIL = Period.calendar(date(2026, 4, 1), "month")


def ts(text: str) -> datetime:
    """'2026-04-01 10:00' → naive UTC datetime (how timestamps are stored)."""
    return datetime.fromisoformat(text)


def ask(engine: Engine, settings: Settings, metric: str, period: Period = APRIL, **query: Any) -> MetricResult:
    """Runs a metric query through the runner; `filters={"dim": ["v"]}` is accepted for brevity."""
    filters = tuple(Filter(dimension=d, values=tuple(v)) for d, v in query.pop("filters", {}).items())
    metric_query = MetricQuery(metric=metric, as_of=AS_OF, period=period, filters=filters, **query)
    with engine.connect() as conn:
        return run_metric(conn, metric_query, load_catalog(), settings)


def groups(result: MetricResult) -> list[tuple[str, float | None]]:
    return [(g.group, g.value) for g in result.breakdown or []]


def series(result: MetricResult) -> list[float | None]:
    return [p.value for p in result.series or []]
