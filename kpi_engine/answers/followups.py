"""Follow-up queries from an answer: the trend of a value, a breakdown by a dimension."""

from __future__ import annotations

from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult


def trend_query(query: MetricQuery, result: MetricResult) -> MetricQuery:
    """The same metric and filters as a series over the answer's period, at the `trend` grain. An answer
    with no time phrase, or about one day, trends like `trend` with no period (KPI_SPEC §1): the last 12
    months to date by month, ending on that day."""
    period = result.period
    if query.period is None or period.days == 1:
        return query.model_copy(update={"period": None, "as_of": period.end, "granularity": "month",
                                        "breakdown": None})
    return query.model_copy(update={"period": period, "granularity": period.trend_grain(), "breakdown": None})


def breakdown_query(query: MetricQuery, dimension: str) -> MetricQuery:
    """The same question broken down by `dimension` (a series is dropped: one table at a time)."""
    return query.model_copy(update={"breakdown": dimension, "granularity": None})
