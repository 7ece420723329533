"""Follow-up queries from an answer: the trend of a value, a breakdown by a dimension."""

from __future__ import annotations

from datetime import timedelta

from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult

TREND_DAYS_FOR_A_DAY = 90  # a value at one instant (stock metrics today) trends over the last 90 days


def trend_query(query: MetricQuery, result: MetricResult) -> MetricQuery:
    """The same metric and filters as a series over the answer's period, at the `trend` grain."""
    period = result.period
    if period.days == 1:
        period = Period(period.end - timedelta(days=TREND_DAYS_FOR_A_DAY - 1), period.end)
    return query.model_copy(update={"period": period, "granularity": period.trend_grain(), "breakdown": None})


def breakdown_query(query: MetricQuery, dimension: str) -> MetricQuery:
    """The same question broken down by `dimension` (a series is dropped: one table at a time)."""
    return query.model_copy(update={"breakdown": dimension, "granularity": None})
