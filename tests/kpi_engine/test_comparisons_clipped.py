"""KPI_SPEC §1 like for like past the newest data, without a database: (question, as-of, the data's last local
day) → the comparison period and its words. As-of 2026-12-07 is a Monday, 12-05 a Saturday; every expected
period is counted by hand: the comparison keeps its start and gets as many days as the data covers."""

from __future__ import annotations

from datetime import date

import pytest

from kpi_engine.catalog import load_catalog
from kpi_engine.comparisons import Plan, clip_to_data, plan_periods
from kpi_engine.parser import parse_question
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery

CATALOG = load_catalog()
D = date
DEC2 = D(2026, 12, 2)


def plan_for(question: str, as_of: date, last_day: date | None) -> Plan:
    parsed = parse_question(question, as_of=as_of, catalog=CATALOG)
    assert isinstance(parsed.query, MetricQuery), parsed
    return plan_periods(parsed.query, CATALOG.get(parsed.query.metric).kind, last_day)


@pytest.mark.parametrize(("question", "as_of", "covered", "previous", "words"), [
    ("revenue this month", D(2026, 12, 7), (D(2026, 12, 1), DEC2), (D(2026, 11, 1), D(2026, 11, 2)),
     "Dec 1–2 vs Nov 1–2 (data to Dec 2)"),
    ("revenue this week", D(2026, 12, 5), (D(2026, 11, 30), DEC2), (D(2026, 11, 23), D(2026, 11, 25)),
     "Nov 30 – Dec 2 vs Nov 23–25 (data to Dec 2)"),
    ("revenue this quarter", D(2026, 12, 7), (D(2026, 10, 1), DEC2), (D(2026, 7, 1), D(2026, 9, 1)),
     "Oct 1 – Dec 2 vs Jul 1 – Sep 1 (data to Dec 2)"),  # 63 days each
    ("revenue this year", D(2026, 12, 7), (D(2026, 1, 1), DEC2), (D(2025, 1, 1), D(2025, 12, 2)),
     "Jan 1 – Dec 2 vs Jan 1 – Dec 2, 2025 (data to Dec 2)"),
    ("revenue last 7 days", D(2026, 12, 5), (D(2026, 11, 28), DEC2), (D(2026, 11, 21), D(2026, 11, 25)),
     "Nov 28 – Dec 2 vs Nov 21–25 (data to Dec 2)"),  # 5 days, each against the day a week before
    ("revenue this month yoy", D(2026, 12, 7), (D(2026, 12, 1), DEC2), (D(2025, 12, 1), D(2025, 12, 2)),
     "Dec 1–2 vs Dec 1–2, 2025 (data to Dec 2)"),
    ("revenue since 2026-11-01", D(2026, 12, 7), (D(2026, 11, 1), DEC2), (D(2026, 9, 25), D(2026, 10, 26)),
     "Nov 1 – Dec 2 vs Sep 25 – Oct 26 (data to Dec 2)"),  # 37 days asked (Sep 25 – Oct 31 before), 32 with data
])
def test_a_period_past_the_data_is_compared_over_the_days_with_data(
        question: str, as_of: date, covered: tuple[date, date], previous: tuple[date, date], words: str) -> None:
    plan = plan_for(question, as_of, DEC2)
    assert plan.covered is not None and (plan.covered.start, plan.covered.end) == covered
    assert plan.previous is not None and (plan.previous.start, plan.previous.end) == previous
    assert plan.comparison_text == words


@pytest.mark.parametrize(("question", "as_of"), [
    ("revenue this month", DEC2),  # the data reaches the as-of day
    ("revenue last month", D(2026, 12, 7)),  # a whole month before the data's end
    ("mrr", DEC2),
    # a stock is a state at an instant: never clipped, even past the data (a table of changes is quiet when
    # nothing changed)
    ("mrr", D(2026, 12, 7)),
    ("mrr today", D(2026, 12, 7)),
    ("mrr this month", D(2026, 12, 7)),
])
def test_data_that_covers_the_period_changes_nothing(question: str, as_of: date) -> None:
    assert plan_for(question, as_of, DEC2) == plan_for(question, as_of, None)


def test_a_flow_wholly_after_the_data_is_not_clipped() -> None:
    """`today` 5 days after the data: no data yet (MetricResult.no_data_yet); the comparison stays Dec 6."""
    plan = plan_for("revenue today", D(2026, 12, 7), DEC2)
    assert plan.covered is None and plan.previous == Period(D(2026, 12, 6), D(2026, 12, 6), "day")
    assert clip_to_data(plan.period, Period(D(2026, 12, 6), D(2026, 12, 6)), DEC2, stock=False) is None


def test_a_comparison_already_shorter_than_the_days_with_data_stays() -> None:
    """Mar 1–31 against Feb 1–28 with data to Mar 30: 30 days with data, February has 28."""
    period = Period(D(2026, 3, 1), D(2026, 3, 31), "month", to_date=True)
    clipped = clip_to_data(period, Period(D(2026, 2, 1), D(2026, 2, 28), "month"), D(2026, 3, 30), stock=False)
    assert clipped is not None and (clipped[1].start, clipped[1].end) == (D(2026, 2, 1), D(2026, 2, 28))
