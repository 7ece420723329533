"""A small company's answers, built by hand (numbers chosen to check by eye), one per chart type.

As of 2026-11-15: MRR $167k at the end of the period against $160.1k (+4.3%); three plans; signups by week
over a year change with the last week running; NPS by month with n and its interval; a retention table with a
small cohort and cells still running; the MRR bridge from $160.1k to $167k.
"""

from __future__ import annotations

from datetime import date, timedelta

from kpi_engine.periods import Period
from kpi_engine.results import GroupValue, MetricResult, SeriesPoint, TableResult

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 15), "month")  # this month, to date
OCTOBER = Period.calendar(date(2026, 10, 1), "month")
MONTHS = [date(2025, 12, 1)] + [date(2026, m, 1) for m in range(1, 12)]
YEAR = Period(MONTHS[0], date(2026, 11, 15))
PREVIOUS_YEAR = Period(date(2024, 12, 1), date(2025, 11, 15))


def _month_end(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def mrr(**overrides: object) -> MetricResult:
    values: dict[str, object] = {
        "metric": "mrr", "label": "MRR", "unit": "currency", "kind": "stock", "direction": "higher",
        "period": NOVEMBER, "value": 167_000.0, "previous_period": OCTOBER, "previous_value": 160_100.0,
        "partial": True,
    }
    values.update(overrides)
    return MetricResult(**values)  # type: ignore[arg-type]


def mrr_by_plan() -> MetricResult:
    """pro fell from $55k to $52k (worse for MRR, higher is better); the others grew."""
    return mrr(partial=False, breakdown_dimension="plan", breakdown=[
        GroupValue(group="enterprise", value=90_000.0, previous=85_000.0),
        GroupValue(group="pro", value=52_000.0, previous=55_000.0),
        GroupValue(group="basic", value=25_000.0, previous=20_100.0),
    ])


def signups_by_week() -> MetricResult:
    """20 weeks from Mon 2025-10-13 to the running week of Mon 2026-02-23 (as of Wed 02-25): 3 signups so far."""
    starts = [date(2025, 10, 13) + timedelta(weeks=i) for i in range(20)]
    values = [100.0 + 2 * i for i in range(19)] + [3.0]
    series = [SeriesPoint(start=s, end=s + timedelta(days=6), value=v, partial=i == 19)
              for i, (s, v) in enumerate(zip(starts, values, strict=True))]
    before = [SeriesPoint(start=s - timedelta(weeks=20), end=s - timedelta(weeks=20, days=-6),
                          value=0.0 if i < 5 else 80.0) for i, s in enumerate(starts)]
    return MetricResult(metric="signups", label="Signups", unit="count", kind="flow", direction="higher",
                        period=Period(starts[0], date(2026, 2, 25)), value=2_173.0,
                        previous_period=Period(starts[0] - timedelta(weeks=20), starts[0] - timedelta(days=1)),
                        previous_value=1_200.0, granularity="week", series=series, previous_series=before,
                        partial=True)


def nps_by_month() -> MetricResult:
    """NPS 30–45 by month with 40–51 responses each; June has only 8 (drawn faint, its n shown)."""
    points = []
    for i, start in enumerate(MONTHS):
        score = 30.0 + (i % 4) * 5
        count = 8 if start.month == 6 else 40 + i
        points.append(SeriesPoint(start=start, end=_month_end(start), value=score, n=count,
                                  ci95=(score - 15, score + 15)))
    return MetricResult(metric="nps", label="NPS", unit="score", kind="score", direction="higher", period=YEAR,
                        value=36.0, previous_period=PREVIOUS_YEAR, previous_value=31.0, n=540, ci95=(30.0, 42.0),
                        granularity="month", series=points)


def nps_score() -> MetricResult:
    """KPI_SPEC §10: 60 promoters, 25 passives, 15 detractors → NPS 45 ± 14.5, up 5 points on September."""
    return MetricResult(metric="nps", label="NPS", unit="score", kind="score", direction="higher",
                        period=OCTOBER, value=45.0, previous_period=Period.calendar(date(2026, 9, 1), "month"),
                        previous_value=40.0, n=100, ci95=(30.5, 59.5),
                        parts={"promoters": 0.6, "passives": 0.25, "detractors": 0.15})


def movements() -> TableResult:
    rows = [["Starting MRR", 160_100.0, 300], ["New", 9_000.0, 20], ["Reactivation", 800.0, 2],
            ["Expansion", 2_500.0, 10], ["Contraction", -1_200.0, 5], ["Churned", -4_200.0, 9],
            ["Ending MRR", 167_000.0, 308]]
    return TableResult(kind="movements", title="MRR movements", period=OCTOBER,
                       columns=["movement", "mrr", "customers"], rows=rows, unit="currency")


def retention() -> TableResult:
    """Cohorts Jun–Nov 2026 as of 2026-11-15; Aug has 12 users (small); the last value of each row is running."""
    sizes = {6: 200, 7: 210, 8: 12, 9: 240, 10: 250, 11: 260}
    rows = []
    for month, size in sizes.items():
        shares: list[float | None] = [1.0]
        for k in range(1, 6):
            started = month + k <= 11
            running = month + k == 11
            shares.append(None if not started else 0.03 if running else round(0.5 - 0.05 * k, 2))
        rows.append([date(2026, month, 1).isoformat(), size, *shares])
    return TableResult(kind="retention", title="Retention by signup month", period=Period(date(2026, 6, 1),
                       date(2026, 11, 15)), columns=["cohort", "users", *(f"month {k}" for k in range(6))],
                       rows=rows, unit="percent")


def funnel() -> TableResult:
    return TableResult(kind="funnel", title="Funnel", period=OCTOBER, columns=["step", "users", "conversion"],
                       rows=[["signup", 1200, 1.0], ["activation", 720, 0.6], ["purchase", 180, 0.15]])


def mrr_by_plan_and_segment() -> MetricResult:
    cells = [("enterprise", "mid-market", 70_000.0), ("enterprise", "smb", 20_000.0), ("pro", "smb", 30_000.0),
             ("pro", "mid-market", 22_000.0), ("basic", "smb", 25_000.0)]
    return mrr(partial=False, breakdown_dimension="plan", subgroup_dimension="segment",
               breakdown=[GroupValue(group=g, subgroup=s, value=v) for g, s, v in cells])


def mrr_by_plan_by_month() -> MetricResult:
    def line(base: float, step: float) -> list[SeriesPoint]:
        return [SeriesPoint(start=m, end=_month_end(m), value=base + step * i, partial=i == 11)
                for i, m in enumerate(MONTHS)]

    return mrr(period=YEAR, previous_period=PREVIOUS_YEAR, granularity="month", breakdown_dimension="plan",
               group_series={"pro": line(40_000.0, 1_000.0), "enterprise": line(60_000.0, 2_500.0),
                             "basic": line(20_000.0, 400.0)})


def several_metrics() -> list[MetricResult]:
    churn = MetricResult(metric="customer_churn_rate", label="Churn rate", unit="percent", kind="ratio",
                         direction="lower", period=YEAR, value=0.031, previous_period=PREVIOUS_YEAR,
                         previous_value=0.027, granularity="month",
                         series=[SeriesPoint(start=m, end=_month_end(m), value=0.02 + 0.001 * i)
                                 for i, m in enumerate(MONTHS)])
    revenue = mrr(period=YEAR, previous_period=PREVIOUS_YEAR, previous_value=120_000.0, granularity="month",
                  series=[SeriesPoint(start=m, end=_month_end(m), value=123_000.0 + 4_000.0 * i, partial=i == 11)
                          for i, m in enumerate(MONTHS)])
    return [revenue, churn, nps_by_month()]
