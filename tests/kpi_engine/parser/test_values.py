"""Values of the user's data in questions: exact, synonym, prefix and typo matches; a word of two dimensions
settled by what the metric supports or asked; a company where `enterprise` is a plan."""

from __future__ import annotations

from kpi_engine.parser.value_index import Vocabulary
from tests.kpi_engine.parser.expected import F, M, ask

PLAN_COMPANY = Vocabulary.of_lists({"plan": ["starter", "enterprise"], "segment": ["small", "large"],
                                    "country": ["Germany", "France"]})
CAMPAIGN_AND_CHANNEL = Vocabulary.of_lists({"channel": ["webinar", "seo"], "campaign": ["webinar", "spring_sale"]})


def test_enterprise_as_a_plan_is_read_as_the_plan() -> None:
    assert ask("mau by country for enterprise", PLAN_COMPANY).query == M(
        "mau", breakdown="country", filters=(F("plan", "enterprise"),))


def test_a_word_of_two_dimensions_goes_to_the_one_the_metric_has() -> None:
    assert ask("signups for webinar", CAMPAIGN_AND_CHANNEL).query == M("signups", filters=(F("channel", "webinar"),))
    asked = ask("clicks for webinar", CAMPAIGN_AND_CHANNEL)  # marketing metrics have both channel and campaign
    assert asked.intent == "unknown"
    assert "'webinar' could be a channel or a campaign" in (asked.message or "")


def test_countries_stored_as_names() -> None:
    assert ask("signups in DE", PLAN_COMPANY).query == M("signups", filters=(F("country", "Germany"),))
    assert ask("Germany vs France signups", PLAN_COMPANY).query == M(
        "signups", breakdown="country", groups=("Germany", "France"))


def test_prefix_synonym_and_typo() -> None:
    index = PLAN_COMPANY.index
    assert [(c.value, c.match) for c in index.lookup("enterp")] == [("enterprise", "prefix")]
    assert [(c.value, c.match) for c in index.lookup("star")] == [("starter", "prefix")]
    # the synonym table says "ent" and "large" both mean enterprise: here a plan and a segment
    assert {(c.dimension, c.value) for c in index.lookup("ent")} == {("plan", "enterprise"), ("segment", "large")}
    assert [(c.value, c.match) for c in index.lookup("basic")] == [("starter", "synonym")]
    assert [(c.value, c.match) for c in index.lookup("entreprise")] == [("enterprise", "fuzzy")]
    assert index.lookup("last") == ()  # time and question words are never loose values
    assert ask("mrr for the starter plan", PLAN_COMPANY).query == M("mrr", filters=(F("plan", "starter"),))
    assert ask("mrr for plan basic", PLAN_COMPANY).query == M("mrr", filters=(F("plan", "starter"),))


def test_an_explicit_value_not_in_the_data_is_kept_with_a_note() -> None:
    result = ask("mrr for plan gold", PLAN_COMPANY)
    assert result.query == M("mrr", filters=(F("plan", "gold"),))
    assert "No plan 'gold' in the data (plans: starter, enterprise)" in result.notes


def test_without_values_only_explicit_filters_are_read() -> None:
    empty = Vocabulary()
    assert ask("mrr for plan pro", empty).query == M("mrr", filters=(F("plan", "pro"),))
    assert ask("mrr on the pro plan", empty).query == M("mrr", filters=(F("plan", "pro"),))
    assert ask("mrr for pro", empty).query == M("mrr")


def test_a_funnel_without_steps_shows_the_data_s_own_events() -> None:
    events = Vocabulary.of_lists({}, events=["account_opened", "board_created"])
    assert ask("funnel", events).message == (
        "A funnel needs at least two steps, e.g. `funnel account_opened > board_created last month`. "
        "Your events: account_opened, board_created.")
