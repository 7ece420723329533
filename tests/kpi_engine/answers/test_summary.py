"""The words beside an answer (kpi_engine/answers/summary.py), on hand-built results."""

from __future__ import annotations

from datetime import date

from kpi_engine.answers.summary import pivot_lines, summary_text, trend_verdict
from kpi_engine.query import MetricQuery
from kpi_engine.results import GroupValue, SeriesPoint
from tests.kpi_engine.answers.samples import metric_result

AS_OF = date(2026, 6, 17)


def query(**fields: object) -> MetricQuery:
    return MetricQuery(metric="mrr", as_of=AS_OF, breakdown="plan", **fields)  # type: ignore[arg-type]


def groups(*pairs: tuple[str, float | None]) -> list[GroupValue]:
    return [GroupValue(group=g, value=v) for g, v in pairs]


def test_two_groups_compared() -> None:
    result = metric_result(breakdown_dimension="plan", breakdown=groups(("team", 130.0), ("business", 450.0)))
    assert summary_text(query(groups=("team", "business")), result) == (
        "MRR: team $130 vs business $450. business is $320 (246.2%) higher than team; business is better")


def test_a_rate_compared_in_points_and_a_missing_group_named() -> None:
    result = metric_result(label="Churn", unit="percent", direction="lower", breakdown_dimension="segment",
                           breakdown=groups(("smb", 0.05), ("ent", 0.02)))
    assert summary_text(query(groups=("smb", "ent", "mid")), result) == (
        "Churn: smb 5.0% vs ent 2.0%. smb is 3.0 pp higher than ent; ent is better. No data for mid")


def test_three_groups_name_the_highest_and_lowest() -> None:
    result = metric_result(breakdown_dimension="plan", breakdown=groups(("a", 1.0), ("b", 3.0), ("c", 2.0)))
    assert summary_text(query(groups=("a", "b", "c")), result) == (
        "MRR: a $1 vs b $3 vs c $2. Highest: b ($3), lowest: a ($1)")


def test_the_winner_of_a_ranking() -> None:
    result = metric_result(breakdown_dimension="plan", breakdown=groups(("business", 450.0), ("team", 130.0)))
    assert summary_text(query(top=2, order="highest"), result) == (
        "business is the highest plan for MRR: $450; then team ($130)")


def test_verdict_compares_the_halves_of_the_complete_buckets() -> None:
    months = [(date(2026, m, 1), date(2026, m, 28 if m == 2 else 30), v) for m, v in
              [(1, 0.04), (2, 0.04), (3, 0.03), (4, 0.02), (5, 0.02), (6, 0.09)]]
    series = [SeriesPoint(start=s, end=e, value=v) for s, e, v in months]
    result = metric_result(label="Churn", unit="percent", direction="lower", granularity="month", series=series)
    # June holds the as-of day: left out. Jan–Mar mean 3.7%, Apr–May mean 2.0%: lower is better
    assert trend_verdict(result, today=AS_OF) == (
        "Churn is getting better: 2.0% on average in the last 2 months, 3.7% in the 3 before")
    flat = metric_result(granularity="month", series=[SeriesPoint(start=s, end=e, value=100.0) for s, e, _ in months])
    assert trend_verdict(flat, today=AS_OF).startswith("MRR is about steady")


def test_two_dimensions_as_a_table() -> None:
    rows = [GroupValue(group="team", subgroup="smb", value=50.0), GroupValue(group="team", subgroup="mid", value=80.0),
            GroupValue(group="basic", subgroup="smb", value=20.0)]
    result = metric_result(breakdown_dimension="plan", subgroup_dimension="segment", breakdown=rows)
    title, table = pivot_lines(result)
    assert title == "By plan and segment:"
    assert table.splitlines() == ["plan \\ segment  smb  mid", "team            $50  $80", "basic           $20"]
