"""Follow-up queries: trend of an answer, breakdown by a dimension."""

from __future__ import annotations

from datetime import date

from kpi_engine.answers.followups import breakdown_query, trend_query
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MetricQuery
from tests.kpi_engine.answers.samples import APRIL, metric_result

PLAN_PRO = (Filter(dimension="plan", values=("pro",)),)


def test_trend_of_a_month_is_daily_and_keeps_filters() -> None:
    query = MetricQuery(metric="mrr", as_of=date(2026, 5, 10), period=APRIL, breakdown="plan", filters=PLAN_PRO)
    trend = trend_query(query, metric_result())
    assert (trend.period, trend.granularity, trend.breakdown, trend.filters) == (APRIL, "day", None, PLAN_PRO)


def test_trend_of_an_answer_with_no_period_is_the_no_period_trend() -> None:
    """KPI_SPEC §1: `trend` with no time phrase is the last 12 months to date by month (the engine fills the
    period in: kpi_engine.comparisons.series_period)."""
    today = Period(date(2026, 5, 10), date(2026, 5, 10), "day")
    trend = trend_query(MetricQuery(metric="mrr", as_of=date(2026, 5, 10)), metric_result(period=today))
    assert (trend.period, trend.granularity, trend.as_of) == (None, "month", date(2026, 5, 10))


def test_trend_of_a_year_is_monthly() -> None:
    year = Period.calendar(date(2025, 6, 1), "year")
    trend = trend_query(MetricQuery(metric="mrr", as_of=date(2026, 5, 10), period=year), metric_result(period=year))
    assert trend.granularity == "month"


def test_breakdown_replaces_a_series() -> None:
    query = MetricQuery(metric="mrr", as_of=date(2026, 5, 10), period=APRIL, granularity="week")
    broken = breakdown_query(query, "country")
    assert (broken.breakdown, broken.granularity, broken.period) == ("country", None, APRIL)
