"""Phrasing table, part 4: 100 questions as product managers type them, read on the demo company and on the
second company (other plans, segments, channels, countries). `SAME` rows read the same on both; `EACH` rows
depend on the company's values. ASK: the parser asks which dimension a word belongs to."""

from __future__ import annotations

from typing import Any

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
    YESTERDAY,
    F,
    M,
    P,
    ask,
)
from tests.support.companies import DEMO_VOCABULARY, SECOND_VOCABULARY

ASK = "ask which"
Expected = MetricQuery | tuple[MetricQuery, ...] | str

SAME: list[tuple[str, Expected]] = [
    ("hey what's our mrr right now", M("mrr")),
    ("mrr last month?", M("mrr", LAST_MONTH)),
    ("how much new mrr did we add last month", M("new_mrr", LAST_MONTH)),
    ("churn last quarter", M("customer_churn_rate", LAST_QUARTER)),
    ("whats our churn rate this year", M("customer_churn_rate", THIS_YEAR)),
    ("signups this week vs last week", M("signups", THIS_WEEK, compare_to=LAST_WEEK)),
    ("how many signups yesterday", M("signups", YESTERDAY)),
    ("dau trend", M("dau", granularity="month")),
    ("mau by country", M("mau", breakdown="country")),
    ("top 5 countries by signups", M("signups", breakdown="country", top=5, order="best")),
    ("which channel brings the most signups", M("signups", breakdown="channel", top=1, order="highest")),
    ("worst plan for churn last quarter",
     M("customer_churn_rate", LAST_QUARTER, breakdown="plan", top=1, order="worst")),
    ("best channel for trial conversion", M("trial_conversion_rate", breakdown="channel", top=1, order="best")),
    ("mrr and arr", (M("mrr"), M("arr"))),
    ("signups and trial starts last month", (M("signups", LAST_MONTH), M("trial_starts", LAST_MONTH))),
    ("customer churn vs revenue churn this quarter",
     (M("customer_churn_rate", THIS_QUARTER), M("gross_mrr_churn_rate", THIS_QUARTER))),
    ("nps this quarter", M("nps", THIS_QUARTER)),
    ("csat by plan", M("csat", breakdown="plan")),
    ("how long does it take to resolve tickets", M("resolution_time")),
    ("how long to respond to tickets last week", M("first_response_time", LAST_WEEK)),
    ("how long does it take us to ship features", M("time_to_market")),
    ("how many trials converted last month", M("trial_conversions", LAST_MONTH)),
    ("arr growth", M("mrr_growth_rate")),
    ("mrr growth this year", M("mrr_growth_rate", THIS_YEAR)),
    ("is churn getting worse", M("customer_churn_rate", granularity="month")),
    ("is nps improving?", M("nps", granularity="month")),
    ("how many customers do we have", M("paying_customers")),
    ("how many users last month", M("active_users", LAST_MONTH)),
    ("mrr by plan and segment", M("mrr", breakdown="plan", subgroup="segment")),
    ("signups by channel and country last month", M("signups", LAST_MONTH, breakdown="channel", subgroup="country")),
    ("mmr last month", M("mrr", LAST_MONTH)),
    ("revnue last month", M("revenue", LAST_MONTH)),
    ("open tickets", M("open_tickets")),
    ("ticket backlog by priority", M("open_tickets", breakdown="priority")),
    ("tickets by category this month", M("tickets", THIS_MONTH, breakdown="category")),
    ("escalation rate last 7 days", M("escalation_rate", LAST_7_DAYS)),
    ("cac by channel", M("cac", breakdown="channel")),
    ("ltv to cac ratio", M("ltv_cac_ratio")),
    ("marketing spend by channel last month", M("marketing_spend", LAST_MONTH, breakdown="channel")),
    ("roas by campaign", M("roas", breakdown="campaign")),
    ("ctr last week", M("ctr", LAST_WEEK)),
    ("aov this month", M("aov", THIS_MONTH)),
    ("revenue by product ytd", M("revenue", THIS_YEAR, breakdown="product")),
    ("gross margin last quarter", M("gross_margin", LAST_QUARTER)),
    ("weekly active users by week this quarter", M("wau", THIS_QUARTER, granularity="week")),
    ("stickiness", M("stickiness")),
    ("avg session length last month", M("avg_session_duration", LAST_MONTH)),
    ("bounce rate this week", M("bounce_rate", THIS_WEEK)),
    ("feature adoption by feature", M("feature_adoption_rate", breakdown="feature")),
    ("which features are most used", M("feature_users", breakdown="feature", top=1, order="highest")),
    ("most used features last month", M("feature_users", LAST_MONTH, breakdown="feature", order="highest")),
    ("nrr last year", M("nrr", LAST_YEAR)),
    ("net revenue retention by segment", M("nrr", breakdown="segment")),
    ("quick ratio this quarter", M("quick_ratio", THIS_QUARTER)),
    ("paying customers by plan", M("paying_customers", breakdown="plan")),
    ("new customers last month vs the month before", M("new_customers", LAST_MONTH)),
    ("churned customers this year by month", M("churned_customers", THIS_YEAR, granularity="month")),
    ("arpa by segment", M("arpa", breakdown="segment")),
    ("velocity last month", M("velocity", LAST_MONTH)),
    ("cycle time by kind", M("cycle_time", breakdown="kind")),
    ("how many bugs in production last quarter", M("production_bugs", LAST_QUARTER)),
    ("features shipped this quarter", M("features_released", THIS_QUARTER)),
    ("defect density", M("defect_density")),
    ("survey response rate last month", M("survey_response_rate", LAST_MONTH)),
    ("ces this year", M("ces", THIS_YEAR)),
    ("nps by topic last quarter", M("nps", LAST_QUARTER, breakdown="topic")),
    ("what's churn", M("customer_churn_rate")),
    ("what is nrr", M("nrr")),
    ("mrr yoy", M("mrr", comparison="previous_year")),
    ("signups mom", M("signups")),
    ("revenue last month compared to same month last year", M("revenue", LAST_MONTH, comparison="previous_year")),
    ("mrr in march", M("mrr", MARCH_2026)),
    ("signups since january", M("signups", P("2026-01-01", "2026-06-17"))),
    ("dau last 7 days", M("dau", LAST_7_DAYS)),
    ("trial starts by week last quarter", M("trial_starts", LAST_QUARTER, granularity="week")),
    ("trial conversion rate by channel last quarter", M("trial_conversion_rate", LAST_QUARTER, breakdown="channel")),
    ("how fast do we reply to customers", M("first_response_time")),
    ("how quickly do we close tickets this month", M("resolution_time", THIS_MONTH)),
    ("conversion rate last month", M("conversion_rate", LAST_MONTH)),
    ("sessions per user this week", M("sessions_per_user", THIS_WEEK)),
    ("page views yesterday", M("page_views", YESTERDAY)),
    ("top 3 campaigns by clicks", M("clicks", breakdown="campaign", top=3, order="best")),
    ("which country has the highest arpa", M("arpa", breakdown="country", top=1, order="highest")),
    ("lowest nps by plan", M("nps", breakdown="plan", order="lowest")),
    ("@kpibot mrr by plan pls", M("mrr", breakdown="plan")),
    ("can you pull signups for the last 30 days", M("signups", LAST_30_DAYS)),
    ("show me churn by segment for q1", M("customer_churn_rate", LAST_QUARTER, breakdown="segment")),
    ("what was arr at the end of last year", M("arr", LAST_YEAR)),
    ("nps vs last quarter", M("nps", compare_to=LAST_QUARTER)),
    ("signups in japan", M("signups", filters=(F("country", "JP"),))),
    ("signups DE vs FR", M("signups", breakdown="country", groups=("DE", "FR"))),
    ("mrr for the team plan", M("mrr", filters=(F("plan", "team"),))),
]

EACH: list[tuple[str, Expected, Expected]] = [
    ("mrr for enterprise", ASK, M("mrr", filters=(F("segment", "ent"),))),
    ("enterprise vs smb mrr", M("mrr", breakdown="segment", groups=("enterprise", "smb")),
     M("mrr", breakdown="segment", groups=("ent", "smb"))),
    ("team vs business arr", M("arr"), M("arr", breakdown="plan", groups=("team", "business"))),
    ("basic vs pro mrr", M("mrr", breakdown="plan", groups=("basic", "pro")), M("mrr", filters=(F("plan", "basic"),))),
    ("mau by country for ent", ASK, M("mau", breakdown="country", filters=(F("segment", "ent"),))),
    ("mrr for mid market", M("mrr", filters=(F("segment", "mid-market"),)), M("mrr", filters=(F("segment", "mid"),))),
    ("churn for small business customers", M("customer_churn_rate", filters=(F("segment", "smb"),)),
     M("customer_churn_rate", filters=(F("segment", "smb"),))),
    ("signups from ads last month", M("signups", LAST_MONTH),
     M("signups", LAST_MONTH, filters=(F("channel", "ads"),))),
    ("p1 tickets this week", M("tickets", THIS_WEEK, filters=(F("priority", "high"),)),
     M("tickets", THIS_WEEK, filters=(F("priority", "p1"),))),
    ("dau for boards", M("dau"), M("dau", filters=(F("feature", "boards"),))),
    ("signups from community vs events", M("signups"),
     M("signups", breakdown="channel", groups=("community", "events"))),
    ("mrr for busines", M("mrr"), M("mrr", filters=(F("plan", "business"),))),
    ("business vs team vs basic mrr", M("mrr", filters=(F("plan", "basic"),)),
     M("mrr", breakdown="plan", groups=("business", "team", "basic"))),
]


def _check(question: str, expected: Expected, values: Any) -> None:
    result = ask(question, values)
    if expected == ASK:
        assert result.intent == "unknown" and "Which one?" in (result.message or ""), result
        return
    assert result.intent == "query", result
    wanted = expected if isinstance(expected, tuple) else (expected,)
    assert result.all_queries == wanted


@pytest.mark.parametrize(("question", "expected"), SAME, ids=[q for q, _ in SAME])
@pytest.mark.parametrize("company", ["demo", "second"])
def test_a_pm_question_reads_the_same_on_both_companies(question: str, expected: Expected, company: str) -> None:
    _check(question, expected, DEMO_VOCABULARY if company == "demo" else SECOND_VOCABULARY)


@pytest.mark.parametrize(("question", "demo", "second"), EACH, ids=[q for q, _, _ in EACH])
def test_a_pm_question_reads_the_values_of_each_company(question: str, demo: Expected, second: Expected) -> None:
    _check(question, demo, DEMO_VOCABULARY)
    _check(question, second, SECOND_VOCABULARY)


def test_there_are_a_hundred_pm_questions() -> None:
    assert len(SAME) + len(EACH) >= 100
