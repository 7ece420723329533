"""Hand-built results shared by the answer, chart and Block Kit tests (numbers chosen to check by eye)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kpi_engine.periods import Period
from kpi_engine.results import GroupValue, MetricResult, SeriesPoint, TableResult, TargetStatus

APRIL = Period.calendar(date(2026, 4, 1), "month")
MARCH = APRIL.previous()


def metric_result(**overrides: Any) -> MetricResult:
    values: dict[str, Any] = {
        "metric": "mrr", "label": "MRR", "unit": "currency", "kind": "stock", "direction": "higher",
        "definition": "Monthly recurring revenue at the end of the period.",
        "formula": "sum(mrr) of active subscriptions", "period": APRIL, "value": 12500.0,
        "previous_period": MARCH, "previous_value": 12000.0, "sql": ["SELECT 1 AS value"],
    }
    values.update(overrides)
    return MetricResult(**values)


def series_result() -> MetricResult:
    """Three weeks of April-ish buckets with a gap, the previous period shorter by one bucket."""
    weeks = [Period(date(2026, 4, 1), date(2026, 4, 5)), Period(date(2026, 4, 6), date(2026, 4, 12)),
             Period(date(2026, 4, 13), date(2026, 4, 19))]
    return metric_result(
        granularity="week",
        series=[SeriesPoint(start=p.start, end=p.end, value=v) for p, v in zip(weeks, [100.0, None, 300.0],
                                                                               strict=True)],
        previous_series=[SeriesPoint(start=date(2026, 3, 2), end=date(2026, 3, 8), value=90.0),
                         SeriesPoint(start=date(2026, 3, 9), end=date(2026, 3, 15), value=95.0)],
        target=TargetStatus(value=400.0, attainment=0.75, met=False),
    )


def breakdown_result(groups: int = 3) -> MetricResult:
    names = ["pro", "basic", "(none)"] + [f"country number {i} with a long name" for i in range(groups)]
    values = [100.0, 50.0, 7.0] + [5.0 - i * 0.01 for i in range(groups)]
    return metric_result(
        breakdown_dimension="plan",
        breakdown=[GroupValue(group=g, value=v, previous=v - 10) for g, v in
                   zip(names[:groups], values[:groups], strict=True)],
    )


def nps_result() -> MetricResult:
    """KPI_SPEC §10: 60 promoters, 25 passives, 15 detractors → NPS 45 ± 14.5."""
    return metric_result(metric="nps", label="NPS", unit="score", kind="score", value=45.0, previous_value=40.0,
                         n=100, ci95=(30.5, 59.5), parts={"promoters": 0.6, "passives": 0.25, "detractors": 0.15},
                         definition="Net promoter score.", formula="100 × (share 9–10 − share 0–6)")


def movements_table() -> TableResult:
    """Same shape as compute.movements.run_movements: signed amounts, totals first and last."""
    rows = [["Starting MRR", 1000.0, 10], ["New", 200.0, 2], ["Reactivation", 0.0, 0], ["Expansion", 50.0, 1],
            ["Contraction", -30.0, 1], ["Churned", -120.0, 1], ["Ending MRR", 1100.0, 11]]
    return TableResult(kind="movements", title="MRR movements", period=APRIL,
                       columns=["movement", "mrr", "customers"], rows=rows, unit="currency",
                       notes=["Net new MRR: +100.00"], sql=["SELECT 2"])


def funnel_table() -> TableResult:
    return TableResult(kind="funnel", title="Funnel", period=APRIL, columns=["step", "users", "conversion"],
                       rows=[["signup", 200, 1.0], ["activation", 120, 0.6], ["purchase", 30, 0.15]])


def grouped_funnel_table() -> TableResult:
    rows = [[plan, step, count] for plan, counts in (("basic", (10, 5)), ("pro", (40, 30)))
            for step, count in zip(("signup", "purchase"), counts, strict=True)]
    return TableResult(kind="funnel", title="Funnel", period=APRIL, columns=["plan", "step", "users"], rows=rows)


def retention_table() -> TableResult:
    return TableResult(kind="retention", title="Retention", period=APRIL,
                       columns=["cohort", "users", "month 0", "month 1", "month 2"],
                       rows=[["2026-01", 100, 1.0, 0.5, 0.25], ["2026-02", 80, 1.0, 0.4, None],
                             ["2026-03", 40, 1.0, None, None]])
