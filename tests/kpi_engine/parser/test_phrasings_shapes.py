"""Phrasing table, part 2: time phrases inside questions, breakdowns, series, filters, comparisons."""

from __future__ import annotations

import pytest

from kpi_engine.query import MetricQuery
from tests.kpi_engine.parser.expected import (
    LAST_7_DAYS,
    LAST_30_DAYS,
    LAST_MONTH,
    LAST_QUARTER,
    LAST_WEEK,
    LAST_YEAR,
    MARCH_2026,
    THIS_MONTH,
    THIS_QUARTER,
    THIS_WEEK,
    THIS_YEAR,
    TODAY,
    F,
    M,
    P,
    ask,
)

TIME: list[tuple[str, MetricQuery]] = [
    ("signups today", M("signups", TODAY)),
    ("signups this week", M("signups", THIS_WEEK)),
    ("signups this month", M("signups", THIS_MONTH)),
    ("signups ytd", M("signups", THIS_YEAR)),
    ("signups year to date", M("signups", THIS_YEAR)),
    ("signups last year", M("signups", LAST_YEAR)),
    ("signups last 30 days", M("signups", LAST_30_DAYS)),
    ("signups in the last 30 days", M("signups", LAST_30_DAYS)),
    ("signups past 6 months", M("signups", P("2025-12-01", "2026-05-31"))),
    ("signups over the last 2 weeks", M("signups", P("2026-06-01", "2026-06-14"))),
    ("signups this month so far", M("signups", THIS_MONTH)),
    ("signups 2026-03", M("signups", MARCH_2026)),
    ("signups 2026-Q1", M("signups", LAST_QUARTER)),
    ("signups Q1 2026", M("signups", LAST_QUARTER)),
    ("signups 2026", M("signups", THIS_YEAR)),
    ("signups on 2026-03-05", M("signups", P("2026-03-05", "2026-03-05", "day"))),
    ("signups from 2026-01-01 to 2026-03-31", M("signups", P("2026-01-01", "2026-03-31"))),
    ("signups since 2026-01-01", M("signups", P("2026-01-01", "2026-06-17"))),
    ("signups in March 2026", M("signups", MARCH_2026)),
    ("signups in March", M("signups", MARCH_2026)),
    ("signups in July", M("signups", P("2025-07-01", "2025-07-31", "month"))),
    ("signups in Q3", M("signups", P("2025-07-01", "2025-09-30", "quarter"))),
    ("signups since May", M("signups", P("2026-05-01", "2026-06-17"))),
    ("signups last 3 months", M("signups", P("2026-03-01", "2026-05-31"))),
    ("signups last 1 month", M("signups", LAST_MONTH)),
    ("signups last 4 quarters", M("signups", P("2025-04-01", "2026-03-31"))),
    ("signups last 2 years", M("signups", P("2024-01-01", "2025-12-31"))),
    ("signups in 2025", M("signups", LAST_YEAR)),
    ("signups between March and May", M("signups", P("2026-03-01", "2026-05-31"))),
    ("signups 2 weeks ago", M("signups", P("2026-06-01", "2026-06-07", "week"))),
    ("mrr at the end of last quarter", M("mrr", LAST_QUARTER)),
    ("what was mrr on 2026-03-31", M("mrr", P("2026-03-31", "2026-03-31", "day"))),
]

BREAKDOWNS: list[tuple[str, MetricQuery]] = [
    ("mrr by plan", M("mrr", breakdown="plan")),
    ("churn rate per channel last quarter", M("customer_churn_rate", LAST_QUARTER, breakdown="channel")),
    ("revenue split by country", M("revenue", breakdown="country")),
    ("feature adoption broken down by feature", M("feature_adoption_rate", breakdown="feature")),
    ("nps by topic", M("nps", breakdown="topic")),
    ("tickets by priority last week", M("tickets", LAST_WEEK, breakdown="priority")),
    ("csat across plans", M("csat", breakdown="plan")),
    ("signups for each channel", M("signups", breakdown="channel")),
    ("clicks by campaign", M("clicks", breakdown="campaign")),
    ("revenue by product", M("revenue", breakdown="product")),
    ("escalation rate by category", M("escalation_rate", breakdown="category")),
    ("velocity by kind", M("velocity", breakdown="kind")),
    ("survey responses by survey", M("survey_responses", breakdown="survey")),
    ("mrr by segment", M("mrr", breakdown="segment")),
    ("active users by country this month", M("active_users", THIS_MONTH, breakdown="country")),
    ("mrr by tier", M("mrr", breakdown="plan")),
    ("arr grouped by segment", M("arr", breakdown="segment")),
    ("top plans by mrr", M("mrr", breakdown="plan")),
    ("which channels bring the most signups", M("signups", breakdown="channel")),
]

SERIES: list[tuple[str, MetricQuery]] = [
    ("weekly signups", M("signups", granularity="week")),
    ("signups by month this year", M("signups", THIS_YEAR, granularity="month")),
    ("daily active users by week last quarter", M("dau", LAST_QUARTER, granularity="week")),
    ("signups trend", M("signups", granularity="month")),  # KPI_SPEC §1: no period → 12 months to date
    ("signups over time this year", M("signups", THIS_YEAR, granularity="week")),
    # a series with no time phrase leaves the period to the engine (kpi_engine.comparisons.series_period)
    ("mrr trend", M("mrr", granularity="month")),
    ("mrr by month", M("mrr", granularity="month")),
    ("mrr weekly", M("mrr", granularity="week")),
    ("signups per day last 7 days", M("signups", LAST_7_DAYS, granularity="day")),
    ("nps quarterly this year", M("nps", THIS_YEAR, granularity="quarter")),
    ("revenue monthly in 2025", M("revenue", LAST_YEAR, granularity="month")),
    ("mrr trend last year", M("mrr", LAST_YEAR, granularity="month")),
    ("tickets over time last month", M("tickets", LAST_MONTH, granularity="day")),
    ("mrr by plan by month this year", M("mrr", THIS_YEAR, granularity="month", breakdown="plan")),
]

FILTERS: list[tuple[str, MetricQuery]] = [
    ("mrr for enterprise", M("mrr", filters=(F("segment", "enterprise"),))),
    ("mrr where plan is pro", M("mrr", filters=(F("plan", "pro"),))),
    ("mrr plan = pro", M("mrr", filters=(F("plan", "pro"),))),
    ("mrr plan:pro", M("mrr", filters=(F("plan", "pro"),))),
    ("mrr for plan pro", M("mrr", filters=(F("plan", "pro"),))),
    ("mrr on the enterprise plan", M("mrr", filters=(F("plan", "enterprise"),))),
    ("signups in DE", M("signups", filters=(F("country", "DE"),))),
    ("signups in Germany", M("signups", filters=(F("country", "DE"),))),
    ("signups in the UK", M("signups", filters=(F("country", "GB"),))),
    ("dau in DE and FR", M("dau", filters=(F("country", "DE", "FR"),))),
    ("paying customers where country in (DE, FR)", M("paying_customers", filters=(F("country", "DE", "FR"),))),
    ("mrr for smb", M("mrr", filters=(F("segment", "smb"),))),
    ("mrr for mid-market customers", M("mrr", filters=(F("segment", "mid-market"),))),
    ("mrr for pro users", M("mrr", filters=(F("plan", "pro"),))),
    ("mrr channel=organic last month", M("mrr", LAST_MONTH, filters=(F("channel", "organic"),))),
    ("tickets priority: high", M("tickets", filters=(F("priority", "high"),))),
    ("high priority tickets this week", M("tickets", THIS_WEEK, filters=(F("priority", "high"),))),
    ("mrr by plan for enterprise", M("mrr", breakdown="plan", filters=(F("segment", "enterprise"),))),
    ("mrr for plan Pro", M("mrr", filters=(F("plan", "Pro"),))),
    (
        "signups from Germany by channel last month",
        M("signups", LAST_MONTH, breakdown="channel", filters=(F("country", "DE"),)),
    ),
    ("mrr for plan pro or basic", M("mrr", filters=(F("plan", "pro", "basic"),))),
    ("mrr for plans pro, basic", M("mrr", filters=(F("plan", "pro", "basic"),))),
    (
        "churn rate for enterprise customers in the US since January by plan",
        M(
            "customer_churn_rate",
            P("2026-01-01", "2026-06-17"),
            breakdown="plan",
            filters=(F("country", "US"), F("segment", "enterprise")),
        ),
    ),
    ("mrr for enterprise in DE", M("mrr", filters=(F("country", "DE"), F("segment", "enterprise")))),
    ("nps where survey is nps and topic = pricing", M("nps", filters=(F("survey", "nps"), F("topic", "pricing")))),
]

COMPARISONS: list[tuple[str, MetricQuery]] = [
    ("mrr vs last year", M("mrr", comparison="previous_year")),
    ("mrr this quarter compared to Q1", M("mrr", THIS_QUARTER, compare_to=LAST_QUARTER)),
    ("signups this month vs last month", M("signups", THIS_MONTH, compare_to=LAST_MONTH)),
    ("signups yoy", M("signups", comparison="previous_year")),
    ("signups last month year over year", M("signups", LAST_MONTH, comparison="previous_year")),
    ("revenue this quarter vs same period last year", M("revenue", THIS_QUARTER, comparison="previous_year")),
    ("nps no comparison", M("nps", comparison="none")),
    (
        "churn rate last month compared with 2025-Q4",
        M("customer_churn_rate", LAST_MONTH, compare_to=P("2025-10-01", "2025-12-31", "quarter")),
    ),
    ("mrr vs previous period", M("mrr", comparison="previous")),
    ("compare mrr this month to last month", M("mrr", THIS_MONTH, compare_to=LAST_MONTH)),
    ("signups last week vs previous week", M("signups", LAST_WEEK, comparison="previous")),
    ("signups last month vs the month before", M("signups", LAST_MONTH, comparison="previous")),
    ("NPS for Q1 vs Q4", M("nps", LAST_QUARTER, compare_to=P("2025-10-01", "2025-12-31", "quarter"))),
    ("mrr last month by plan vs last year", M("mrr", LAST_MONTH, breakdown="plan", comparison="previous_year")),
]


TABLE = TIME + BREAKDOWNS + SERIES + FILTERS + COMPARISONS


@pytest.mark.parametrize(("question", "expected"), TABLE, ids=[question for question, _ in TABLE])
def test_question_becomes_exactly_this_query(question: str, expected: MetricQuery) -> None:
    result = ask(question)
    assert result.intent == "query"
    assert result.query == expected
