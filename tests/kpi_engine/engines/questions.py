"""The engine parity question set, and answers reduced to plain values that can be compared across engines.

Every metric by period with its previous period and a monthly series, every metric broken down by its
first dimension, a weekly series for one metric per area, the MRR bridge, a funnel, retention by month
and by week, and custom metrics (simple, ratio, derived, filtered and broken down).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from kpi_engine.catalog import Catalog
from kpi_engine.engine import run_query
from kpi_engine.periods import Period
from kpi_engine.query import Filter, FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery
from kpi_engine.results import MetricResult, TableResult
from kpi_engine.settings import Settings

CUSTOM_METRICS_YAML = """
metrics:
  - id: one_off_revenue
    label: One-off revenue
    type: simple
    table: orders
    aggregate: sum
    column: amount
    time_column: ordered_at
    filter: {product: [onboarding, training]}
    dimensions: [product]
    unit: currency
  - id: custom_order_count
    label: Custom order count
    type: simple
    table: orders
    aggregate: count
    time_column: ordered_at
  - id: custom_average_order
    label: Custom average order
    type: simple
    table: orders
    aggregate: avg
    column: amount
    time_column: ordered_at
    unit: currency
  - id: custom_revenue_per_order
    label: Custom revenue per order
    type: ratio
    numerator: one_off_revenue
    denominator: custom_order_count
    unit: currency
  - id: custom_mrr_less_spend
    label: Custom MRR less spend
    type: derived
    expression: "2 * mrr - marketing_spend / 3"
    unit: currency
"""
CUSTOM_IDS = ("one_off_revenue", "custom_order_count", "custom_average_order", "custom_revenue_per_order",
              "custom_mrr_less_spend")

AnyQuery = MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery


@dataclass(frozen=True)
class Question:
    label: str
    query: AnyQuery


def quarter_before(day: date) -> Period:
    return Period.calendar(Period.calendar(day, "quarter").start - timedelta(days=1), "quarter")


def question_set(catalog: Catalog, as_of: date, funnel_steps: tuple[str, ...]) -> list[Question]:
    quarter = quarter_before(as_of)
    month = Period.calendar(quarter.end, "month")
    out: list[Question] = []
    weekly_done: set[str] = set()
    for metric in catalog:
        out.append(Question(f"{metric.id} by month", MetricQuery(metric=metric.id, as_of=as_of, period=quarter,
                                                                  granularity="month")))
        if metric.dimensions:
            dimension = metric.dimensions[0]
            out.append(Question(f"{metric.id} by {dimension}", MetricQuery(
                metric=metric.id, as_of=as_of, period=quarter, breakdown=dimension)))
        if metric.area not in weekly_done:
            weekly_done.add(metric.area)
            out.append(Question(f"{metric.id} by week", MetricQuery(metric=metric.id, as_of=as_of, period=month,
                                                                     granularity="week")))
    out.append(Question("mrr for enterprise", MetricQuery(
        metric="mrr", as_of=as_of, period=quarter, filters=(Filter(dimension="segment", values=("enterprise",)),))))
    out.append(Question("movements", MovementsQuery(as_of=as_of, period=month)))
    out.append(Question("movements quarter", MovementsQuery(as_of=as_of, period=quarter)))
    out.append(Question("funnel", FunnelQuery(as_of=as_of, period=quarter, steps=funnel_steps)))
    out.append(Question("funnel by plan", FunnelQuery(as_of=as_of, period=quarter, steps=funnel_steps[:2],
                                                      window_days=7, breakdown="plan")))
    out.append(Question("retention by month", RetentionQuery(as_of=as_of, cohort_grain="month", offsets=6)))
    out.append(Question("retention by week", RetentionQuery(as_of=as_of, cohort_grain="week", offsets=8)))
    return out


def custom_questions(metric_ids: tuple[str, ...], as_of: date) -> list[Question]:
    """Each custom metric by month, the first one broken down by its own dimension and filtered by plan."""
    quarter = quarter_before(as_of)
    out = [Question(f"{m} by month", MetricQuery(metric=m, as_of=as_of, period=quarter, granularity="month"))
           for m in metric_ids]
    first = metric_ids[0]
    out.append(Question(f"{first} by product", MetricQuery(metric=first, as_of=as_of, period=quarter,
                                                            breakdown="product")))
    out.append(Question(f"{first} for pro", MetricQuery(
        metric=first, as_of=as_of, period=quarter, filters=(Filter(dimension="plan", values=("pro",)),))))
    return out


def plain(value: Any) -> Any:
    """Numbers as floats (NaN as None), containers recursively, everything else as its string."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    return str(value)


def answer(result: MetricResult | TableResult) -> dict[str, Any]:
    """What a person reads in an answer, without the SQL (which differs by dialect by design)."""
    if isinstance(result, TableResult):
        return {"title": result.title, "columns": result.columns, "rows": plain(result.rows),
                "notes": plain(result.notes)}
    return {
        "value": plain(result.value),
        "previous": plain(result.previous_value),
        "n": plain(result.n),
        "ci95": plain(result.ci95),
        "parts": plain(result.parts),
        "series": plain([[p.start, p.value] for p in result.series or []]),
        "previous_series": plain([[p.start, p.value] for p in result.previous_series or []]),
        "breakdown": plain([[g.group, g.value, g.previous, g.n] for g in result.breakdown or []]),
        "hidden_groups": result.hidden_groups,
    }


def ask_all(conn: Connection, questions: list[Question], catalog: Catalog, settings: Settings) -> dict[str, Any]:
    return {q.label: answer(run_query(conn, q.query, catalog, settings)) for q in questions}


def differences(expected: Any, actual: Any, where: str = "", rel: float = 1e-6) -> list[str]:
    """Where two plain answers differ (floats within a relative tolerance), as readable lines."""
    if isinstance(expected, float) and isinstance(actual, float):
        return [] if math.isclose(expected, actual, rel_tol=rel, abs_tol=1e-9) else [f"{where}: {expected} != {actual}"]
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in differences(e, a, f"{where}[{i}]", rel)]
    if isinstance(expected, dict) and isinstance(actual, dict) and expected.keys() == actual.keys():
        return [d for k in expected for d in differences(expected[k], actual[k], f"{where}.{k}", rel)]
    return [] if expected == actual else [f"{where}: {expected!r} != {actual!r}"]
