"""Shorthands for the expected queries of the phrasing tables. As-of day: Wednesday 2026-06-17."""

from __future__ import annotations

from datetime import date
from typing import Any

from kpi_engine.catalog import load_catalog
from kpi_engine.parser import ParseResult, parse_question
from kpi_engine.periods import Period
from kpi_engine.query import Filter, FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery

AS_OF = date(2026, 6, 17)  # a Wednesday: this week started Monday 2026-06-15


def P(start: str, end: str, kind: str = "custom") -> Period:  # noqa: N802
    return Period(date.fromisoformat(start), date.fromisoformat(end), kind)  # type: ignore[arg-type]


TODAY = P("2026-06-17", "2026-06-17", "day")
YESTERDAY = P("2026-06-16", "2026-06-16", "day")
THIS_WEEK = P("2026-06-15", "2026-06-17", "week")
LAST_WEEK = P("2026-06-08", "2026-06-14", "week")
THIS_MONTH = P("2026-06-01", "2026-06-17", "month")
LAST_MONTH = P("2026-05-01", "2026-05-31", "month")
THIS_QUARTER = P("2026-04-01", "2026-06-17", "quarter")
LAST_QUARTER = P("2026-01-01", "2026-03-31", "quarter")
THIS_YEAR = P("2026-01-01", "2026-06-17", "year")
LAST_YEAR = P("2025-01-01", "2025-12-31", "year")
LAST_7_DAYS = P("2026-06-10", "2026-06-16")
LAST_30_DAYS = P("2026-05-18", "2026-06-16")
MARCH_2026 = P("2026-03-01", "2026-03-31", "month")


def M(metric: str, period: Period | None = None, **fields: Any) -> MetricQuery:  # noqa: N802
    return MetricQuery(metric=metric, as_of=AS_OF, period=period, **fields)


def F(dimension: str, *values: str) -> Filter:  # noqa: N802
    return Filter(dimension=dimension, values=values)


def Funnel(*steps: str, period: Period | None = None, **fields: Any) -> FunnelQuery:  # noqa: N802
    return FunnelQuery(steps=steps, as_of=AS_OF, period=period, **fields)


def Retention(period: Period | None = None, **fields: Any) -> RetentionQuery:  # noqa: N802
    return RetentionQuery(as_of=AS_OF, period=period, **fields)


def Movements(period: Period | None = None, **fields: Any) -> MovementsQuery:  # noqa: N802
    return MovementsQuery(as_of=AS_OF, period=period, **fields)


def ask(question: str) -> ParseResult:
    return parse_question(question, as_of=AS_OF, catalog=load_catalog())
