"""Help, list, define, empty, unknown and ambiguous questions."""

from __future__ import annotations

import pytest

from kpi_engine.catalog import load_catalog
from tests.kpi_engine.parser.expected import LAST_MONTH, M, ask


@pytest.mark.parametrize(
    "question", ["help", "HELP!", "?", "<@U1> help", "<@U1> ?", "what can you do", "how do I use this", "help me"]
)
def test_help(question: str) -> None:
    assert ask(question).intent == "help"


@pytest.mark.parametrize(
    "question", ["list", "metrics", "list metrics", "what metrics do you have", "show me all kpis", "revenue metrics"]
)
def test_list(question: str) -> None:
    assert ask(question).intent == "list"


@pytest.mark.parametrize(
    ("question", "metric_id"),
    [
        ("define ltv", "ltv"),
        ("what does csat mean", "csat"),
        ("how is nps calculated", "nps"),
        ("how do you calculate cac", "cac"),
        ("explain dau/mau", "stickiness"),
        ("ltv formula", "ltv"),
        ("definition of net revenue retention", "nrr"),
        ("define customer_churn_rate", "customer_churn_rate"),
    ],
)
def test_define(question: str, metric_id: str) -> None:
    result = ask(question)
    assert (result.intent, result.metric_id, result.query) == ("define", metric_id, None)


@pytest.mark.parametrize(
    ("question", "expected"),
    [("what is nps", M("nps")), ("What is NPS?", M("nps")), ("what's arr", M("arr")),
     ("what are sessions", M("sessions")), ("what's churn", M("customer_churn_rate")), ("what is our mrr", M("mrr"))],
)
def test_what_is_a_metric_answers_its_value_with_the_definition(question: str, expected: object) -> None:
    result = ask(question)
    assert (result.intent, result.query, result.show_definition) == ("query", expected, True)


def test_define_with_a_typo_says_how_it_was_read() -> None:
    result = ask("define chrun")
    assert (result.intent, result.metric_id) == ("define", "customer_churn_rate")
    assert result.notes == ("I read 'chrun' as Customer churn rate",)
    assert result.confidence < 1


@pytest.mark.parametrize(
    ("question", "expected"), [("what is our nps", M("nps")), ("what is mrr last month", M("mrr", LAST_MONTH))]
)
def test_what_is_with_more_than_a_name_asks_for_the_value(question: str, expected: object) -> None:
    result = ask(question)
    assert (result.intent, result.query) == ("query", expected)


@pytest.mark.parametrize("question", ["", "   ", "<@U123>", ":wave:", "*  _ ~", "\u200b"])
def test_empty(question: str) -> None:
    result = ask(question)
    assert result.intent == "empty"
    assert result.message is not None and "`mrr by plan last month`" in result.message


def test_unknown_metric_gets_the_closest_names_and_an_example() -> None:
    result = ask("xyzzy last month")
    assert result.intent == "unknown"
    assert result.query is None
    assert result.message is not None
    assert result.message.startswith("I don't know 'xyzzy' (I understood 2026-05-01 – 2026-05-31, but not which ")
    assert result.message.endswith("Try: `mrr by plan last month`")
    assert 1 <= len(result.suggestions) <= 3
    assert all(metric_id in load_catalog() for metric_id in result.suggestions)


def test_a_typo_with_one_close_metric_is_answered_with_a_note() -> None:
    result = ask("mmr by plan")
    assert result.query == M("mrr", breakdown="plan")
    assert result.notes == ("I read 'mmr' as MRR",)
    assert result.confidence < 1


def test_a_typo_close_to_several_metrics_asks_which() -> None:
    result = ask("xau last month")  # dau, wau and mau are all one edit away
    assert result.intent == "unknown"
    assert set(result.suggestions) == {"dau", "wau", "mau"}
    assert (result.message or "").startswith("Did you mean ")
    assert "I understood 2026-05-01" in (result.message or "")


def test_define_an_unknown_word_is_unknown() -> None:
    result = ask("define xyzzy")
    assert result.intent == "unknown"
    assert "I don't know 'xyzzy'" in (result.message or "")


def test_no_metric_at_all_asks_which_metric() -> None:
    result = ask("last month by plan")
    assert result.intent == "unknown"
    assert result.message == (
        "I understood 2026-05-01 – 2026-05-31, by plan, but not which metric. "
        "Which metric? For example `mrr by plan last month`, or say `list` to see them all."
    )


def test_revenue_is_order_revenue_but_suggests_recurring_revenue() -> None:
    result = ask("revenue last month")
    assert result.query == M("revenue", LAST_MONTH)
    assert result.suggestions == ("mrr", "arr")
    assert result.confidence < 1
    assert any("MRR or ARR" in note for note in result.notes)


@pytest.mark.parametrize(
    ("question", "best", "alternative"),
    [
        ("churn", "customer_churn_rate", "gross_mrr_churn_rate"),
        ("users", "active_users", "dau"),
        ("retention", "customer_retention_rate", "nrr"),
        ("conversion", "conversion_rate", "trial_conversion_rate"),
    ],
)
def test_ambiguous_words_give_the_best_guess_and_alternatives(question: str, best: str, alternative: str) -> None:
    result = ask(question)
    assert (result.intent, result.metric_id) == ("query", best)
    assert alternative in result.suggestions
    assert result.confidence < 1


def test_two_metrics_answer_both() -> None:
    result = ask("mrr and arr last month")
    assert result.all_queries == (M("mrr", LAST_MONTH), M("arr", LAST_MONTH))
    assert result.notes == ()


def test_two_metric_names_not_joined_answer_the_first_and_suggest_the_other() -> None:
    result = ask("mrr last month arr")
    assert result.query == M("mrr", LAST_MONTH)
    assert result.suggestions == ("arr",)
    assert result.notes == ("One metric at a time: showing MRR",)


def test_a_fuzzy_match_says_how_it_was_read() -> None:
    result = ask("chrun rate by plan")
    assert result.query == M("customer_churn_rate", breakdown="plan")
    assert result.notes == ("I read 'chrun rate' as Customer churn rate",)
    assert 0.8 <= result.confidence < 1


def test_unknown_breakdowns_and_missing_dimensions_are_noted() -> None:
    assert ask("mrr by device").notes == (
        "I can't break down by 'device' (try plan, segment, channel, country, feature, ...)",
    )
    notes = ask("nps by feature").notes
    assert notes == ("NPS has no 'feature' dimension (possible: topic, plan, segment, channel, country)",)


def test_exact_names_are_fully_confident() -> None:
    result = ask("mrr by plan last month")
    assert (result.confidence, result.notes, result.suggestions) == (1.0, (), ())


def test_exclusions_are_not_turned_into_inclusions() -> None:
    result = ask("tickets by category excluding low priority")
    assert result.query == M("tickets", breakdown="category")
    assert result.notes == ("I can only include values, not exclude them: ignored 'excluding low priority'",)
    result = ask("signups except in Germany")
    assert result.query == M("signups")
    assert result.notes == ("I can only include values, not exclude them: ignored 'except in Germany'",)
