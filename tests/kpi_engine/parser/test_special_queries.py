"""Funnels, retention cohorts and the MRR bridge: the phrasings and the exact query each becomes."""

from __future__ import annotations

import pytest

from kpi_engine.parser.result import AnyQuery
from tests.kpi_engine.parser.expected import (
    LAST_MONTH,
    LAST_QUARTER,
    LAST_WEEK,
    MARCH_2026,
    THIS_QUARTER,
    THIS_YEAR,
    F,
    Funnel,
    Movements,
    P,
    Retention,
    ask,
)

FUNNELS: list[tuple[str, AnyQuery]] = [
    ("funnel signup > activated > purchase last month", Funnel("signup", "activated", "purchase", period=LAST_MONTH)),
    ("funnel signup -> activated -> purchase", Funnel("signup", "activated", "purchase")),
    ("funnel signup → activated → purchase by plan", Funnel("signup", "activated", "purchase", breakdown="plan")),
    ("funnel signup, activated, purchase within 7 days", Funnel("signup", "activated", "purchase", window_days=7)),
    (
        "signup > add to cart > purchase since May",
        Funnel("signup", "add_to_cart", "purchase", period=P("2026-05-01", "2026-06-17")),
    ),
    ("funnel from signup to purchase by channel", Funnel("signup", "purchase", breakdown="channel")),
    (
        "conversion funnel signup > purchase with a 14 day window last quarter",
        Funnel("signup", "purchase", period=LAST_QUARTER, window_days=14),
    ),
    ("&gt; funnel signup -&gt; purchase", Funnel("signup", "purchase")),
    (
        "<@U1> funnel signup then activated then purchase in DE",
        Funnel("signup", "activated", "purchase", filters=(F("country", "DE"),)),
    ),
    ("conversion from signup to purchase last week", Funnel("signup", "purchase", period=LAST_WEEK)),
    ("funnel signup > purchase in March", Funnel("signup", "purchase", period=MARCH_2026)),
    ("funnel signup > activated > purchase during last month",
     Funnel("signup", "activated", "purchase", period=LAST_MONTH)),
    (
        "show me the funnel page_view > signup > purchase within 2 weeks",
        Funnel("page_view", "signup", "purchase", window_days=14),
    ),
]

RETENTION: list[tuple[str, AnyQuery]] = [
    ("retention by signup month", Retention()),
    ("weekly retention", Retention(cohort_grain="week")),
    ("cohort retention", Retention()),
    ("retention by signup week over 12 weeks", Retention(cohort_grain="week", offsets=12)),
    ("monthly retention for the last 6 months", Retention(P("2025-12-01", "2026-05-31"))),
    ("cohorts since January", Retention(P("2026-01-01", "2026-06-17"))),
    ("user retention for plan pro", Retention(filters=(F("plan", "pro"),))),
    ("retention curve over 8 months", Retention(offsets=8)),
    ("show me monthly cohorts this year", Retention(THIS_YEAR)),
    ("retention table for smb in DE", Retention(filters=(F("country", "DE"), F("segment", "smb")))),
]

MOVEMENTS: list[tuple[str, AnyQuery]] = [
    ("why did mrr change last month", Movements(LAST_MONTH)),
    ("mrr movements", Movements()),
    ("mrr bridge this quarter", Movements(THIS_QUARTER)),
    ("why did MRR drop in March?", Movements(MARCH_2026)),
    ("what drove mrr growth last quarter", Movements(LAST_QUARTER)),
    ("mrr waterfall for the enterprise segment", Movements(filters=(F("segment", "enterprise"),))),
    ("how did mrr change ytd", Movements(THIS_YEAR)),
    ("why has arr gone down since May", Movements(P("2026-05-01", "2026-06-17"))),
]

TABLE = FUNNELS + RETENTION + MOVEMENTS


@pytest.mark.parametrize(("question", "expected"), TABLE, ids=[question for question, _ in TABLE])
def test_question_becomes_exactly_this_query(question: str, expected: AnyQuery) -> None:
    result = ask(question)
    assert result.intent == "query"
    assert result.query == expected


def test_movements_name_mrr_as_the_metric() -> None:
    assert ask("mrr bridge").metric_id == "mrr"


def test_a_funnel_of_one_step_asks_for_more_steps() -> None:
    result = ask("funnel signup")
    assert result.intent == "unknown"
    assert result.query is None
    assert result.message is not None and "at least two steps" in result.message


def test_retention_rate_the_metric_is_not_a_cohort_table() -> None:
    assert ask("customer retention rate last month").query == ask("customer retention rate").query.model_copy(
        update={"period": LAST_MONTH}
    )


def test_breakdowns_the_bridge_and_cohorts_cannot_do_are_explained() -> None:
    assert any("no breakdown" in note for note in ask("mrr movements by plan").notes)
    assert any("no breakdown" in note for note in ask("retention curve by plan").notes)


def test_why_did_churn_rise_is_the_churn_rate_not_the_bridge() -> None:
    assert ask("why did churn go up last month").query.kind == "metric"  # type: ignore[union-attr]
