"""Phrasing table, part 5 (demo company): groups compared, rankings, several metrics, two dimensions, intent
words and typos → exactly this query (or these queries)."""

from __future__ import annotations

import pytest

from kpi_engine.query import MetricQuery
from tests.kpi_engine.parser.expected import (
    LAST_MONTH,
    LAST_QUARTER,
    LAST_WEEK,
    LAST_YEAR,
    THIS_MONTH,
    THIS_YEAR,
    F,
    M,
    P,
    ask,
)

SEGMENTS = ("smb", "mid-market", "enterprise")
OCTOBER_2025 = P("2025-10-01", "2025-10-31", "month")

GROUPS: list[tuple[str, MetricQuery]] = [
    ("enterprise vs smb mrr", M("mrr", breakdown="segment", groups=("enterprise", "smb"))),
    ("compare enterprise vs smb mrr", M("mrr", breakdown="segment", groups=("enterprise", "smb"))),
    ("compare enterprise to smb mrr", M("mrr", breakdown="segment", groups=("enterprise", "smb"))),
    ("mrr enterprise compared to smb", M("mrr", breakdown="segment", groups=("enterprise", "smb"))),
    ("smb, mid-market and enterprise arr", M("arr", breakdown="segment", groups=SEGMENTS)),
    ("basic vs pro churn", M("customer_churn_rate", breakdown="plan", groups=("basic", "pro"))),
    ("pro vs basic mrr last month", M("mrr", LAST_MONTH, breakdown="plan", groups=("pro", "basic"))),
    ("enterprise vs pro mrr", M("mrr", breakdown="plan", groups=("enterprise", "pro"))),
    ("DE vs FR signups", M("signups", breakdown="country", groups=("DE", "FR"))),
    ("Germany vs France signups this year", M("signups", THIS_YEAR, breakdown="country", groups=("DE", "FR"))),
    ("US, DE and GB mau", M("mau", breakdown="country", groups=("US", "DE", "GB"))),
    ("organic vs paid search signups", M("signups", breakdown="channel", groups=("organic", "paid_search"))),
    ("referral versus partner trial conversion rate",
     M("trial_conversion_rate", breakdown="channel", groups=("referral", "partner"))),
    ("high vs urgent tickets", M("tickets", breakdown="priority", groups=("high", "urgent"))),
    ("billing vs integration tickets last month",
     M("tickets", LAST_MONTH, breakdown="category", groups=("billing", "integration"))),
    ("dashboards vs reports feature users", M("feature_users", breakdown="feature", groups=("dashboards", "reports"))),
    ("pricing vs performance nps", M("nps", breakdown="topic", groups=("pricing", "performance"))),
    ("smb vs enterprise churn yoy",
     M("customer_churn_rate", breakdown="segment", groups=("smb", "enterprise"), comparison="previous_year")),
    ("enterprise vs smb mrr by plan", M("mrr", breakdown="segment", groups=("enterprise", "smb"), subgroup="plan")),
    ("ent vs smb mrr", M("mrr", breakdown="segment", groups=("enterprise", "smb"))),
    ("mrr for enterprise plan vs pro plan", M("mrr", breakdown="plan", groups=("enterprise", "pro"))),
    ("pro plan vs basic plan churn", M("customer_churn_rate", breakdown="plan", groups=("pro", "basic"))),
    ("mrr for pro or basic", M("mrr", filters=(F("plan", "pro", "basic"),))),
    ("signups in DE and FR", M("signups", filters=(F("country", "DE", "FR"),))),
]

RANKINGS: list[tuple[str, MetricQuery]] = [
    ("top 3 countries by revenue", M("revenue", breakdown="country", top=3, order="best")),
    ("top 3 countries by revenue last month", M("revenue", LAST_MONTH, breakdown="country", top=3, order="best")),
    ("bottom 2 channels by signups", M("signups", breakdown="channel", top=2, order="worst")),
    ("3 best channels for trial conversion",
     M("trial_conversion_rate", breakdown="channel", top=3, order="best")),
    ("which plan has the most mrr", M("mrr", breakdown="plan", top=1, order="highest")),
    ("which plan has the highest churn", M("customer_churn_rate", breakdown="plan", top=1, order="highest")),
    ("worst plan for churn", M("customer_churn_rate", breakdown="plan", top=1, order="worst")),
    ("best channel for signups", M("signups", breakdown="channel", top=1, order="best")),
    ("which features are most used", M("feature_users", breakdown="feature", top=1, order="highest")),
    ("most used features", M("feature_users", breakdown="feature", order="highest")),
    ("least used features last month", M("feature_users", LAST_MONTH, breakdown="feature", order="lowest")),
    ("top campaigns by roas", M("roas", breakdown="campaign", order="best")),
    ("which country has the lowest nps", M("nps", breakdown="country", top=1, order="lowest")),
    ("biggest plan by mrr", M("mrr", breakdown="plan", top=1, order="highest")),
    ("top 10 products by revenue this year", M("revenue", THIS_YEAR, breakdown="product", top=10, order="best")),
    ("which priority has the longest resolution time",
     M("resolution_time", breakdown="priority", top=1, order="highest")),
    ("highest arpa by segment", M("arpa", breakdown="segment", order="highest")),
    ("revenue by country top 5", M("revenue", breakdown="country", top=5, order="best")),
    ("top five segments by nrr", M("nrr", breakdown="segment", top=5, order="best")),
]

SEVERAL: list[tuple[str, tuple[MetricQuery, ...]]] = [
    ("mrr, arr and arpa", (M("mrr"), M("arr"), M("arpa"))),
    ("dau and mau this month", (M("dau", THIS_MONTH), M("mau", THIS_MONTH))),
    ("nps and csat last quarter", (M("nps", LAST_QUARTER), M("csat", LAST_QUARTER))),
    ("new mrr vs churned mrr last month", (M("new_mrr", LAST_MONTH), M("churned_mrr", LAST_MONTH))),
    ("signups, trial starts, trial conversions and paying customers",
     (M("signups"), M("trial_starts"), M("trial_conversions"), M("paying_customers"))),
    ("mrr and arr by plan", (M("mrr", breakdown="plan"), M("arr", breakdown="plan"))),
    ("tickets and escalation rate by priority",
     (M("tickets", breakdown="priority"), M("escalation_rate", breakdown="priority"))),
    ("mrr & arr for smb", (M("mrr", filters=(F("segment", "smb"),)), M("arr", filters=(F("segment", "smb"),)))),
]

SHAPES: list[tuple[str, MetricQuery]] = [
    ("signups by channel and country", M("signups", breakdown="channel", subgroup="country")),
    ("churn by segment and plan last quarter",
     M("customer_churn_rate", LAST_QUARTER, breakdown="segment", subgroup="plan")),
    ("mrr by plan by segment", M("mrr", breakdown="plan", subgroup="segment")),
    ("mau by country for smb", M("mau", breakdown="country", filters=(F("segment", "smb"),))),
    ("mau by country for the enterprise plan", M("mau", breakdown="country", filters=(F("plan", "enterprise"),))),
    ("how long to resolve tickets", M("resolution_time")),
    ("how long do tickets take to resolve", M("resolution_time")),
    ("how long does a ticket take to get resolved", M("resolution_time")),
    ("how long does it take to respond", M("first_response_time")),
    ("how long to ship a feature", M("time_to_market")),
    ("how quickly do we finish work items", M("cycle_time")),
    ("how many trials converted in october", M("trial_conversions", OCTOBER_2025)),
    ("trials converted last month", M("trial_conversions", LAST_MONTH)),
    ("arr growth last quarter", M("mrr_growth_rate", LAST_QUARTER)),
    ("annual recurring revenue growth", M("mrr_growth_rate")),
    ("paying customers growth", M("paying_customers")),
    ("is churn getting better", M("customer_churn_rate", granularity="month")),
    ("are signups going up", M("signups", granularity="month")),
    ("is mrr growing", M("mrr", granularity="month")),
    ("is mrr trending down this year", M("mrr", THIS_YEAR, granularity="month")),
    ("how many customers", M("paying_customers")),
    ("how many users", M("active_users")),
    ("chrun by plan", M("customer_churn_rate", breakdown="plan")),
    ("signpus last week", M("signups", LAST_WEEK)),
    ("nsp last year", M("nps", LAST_YEAR)),
]

TABLE = GROUPS + RANKINGS + SHAPES


@pytest.mark.parametrize(("question", "expected"), TABLE, ids=[q for q, _ in TABLE])
def test_question_becomes_exactly_this_query(question: str, expected: MetricQuery) -> None:
    result = ask(question)
    assert result.intent == "query", result
    assert (result.query, result.queries) == (expected, ())


@pytest.mark.parametrize(("question", "expected"), SEVERAL, ids=[q for q, _ in SEVERAL])
def test_several_metrics_become_one_query_each(question: str, expected: tuple[MetricQuery, ...]) -> None:
    assert ask(question).all_queries == expected


def test_more_than_four_metrics_keep_the_first_four() -> None:
    result = ask("mrr, arr, arpa, nrr and grr")
    assert [q.metric for q in result.all_queries] == ["mrr", "arr", "arpa", "nrr"]  # type: ignore[union-attr]
    assert "Up to 4 metrics at a time: showing the first 4" in result.notes


def test_a_word_of_two_dimensions_is_settled_by_the_metric_or_asked() -> None:
    assert ask("mrr by plan for enterprise").query == M("mrr", breakdown="plan", filters=(F("segment", "enterprise"),))
    asked = ask("mrr for enterprise")
    assert asked.intent == "unknown"
    assert asked.message == ("'enterprise' could be a plan or a segment. Which one? "
                             "Say 'enterprise plan' or 'enterprise segment'.")


def test_how_a_loose_value_was_read_is_noted() -> None:
    assert "I read 'paid' as channel paid_search" in ask("signups for paid last month").notes


def test_growth_of_arr_and_of_another_stock_say_how_they_are_read() -> None:
    assert "ARR grows at the MRR growth rate (ARR is 12 × MRR)" in ask("arr growth").notes
    assert "Growth of Paying customers: its change against the previous period" in ask("paying customers growth").notes


def test_a_ranking_without_a_metric_says_what_it_understood() -> None:
    result = ask("best performing campaign")
    assert result.intent == "unknown"
    assert (result.message or "").startswith("I understood the best campaign, but not which metric. Which metric?")


def test_a_trend_question_asks_for_a_verdict() -> None:
    assert ask("is churn getting worse").verdict
    assert not ask("churn trend").verdict
