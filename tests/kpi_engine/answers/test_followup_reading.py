"""Reading a follow-up: which part of the previous query each form changes, what starts afresh, and that no
input (nor a missing or unreadable previous query) makes the reader fail."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_engine.catalog import load_catalog
from kpi_engine.parser import followups
from kpi_engine.parser.followups import FollowUp, read_followup
from kpi_engine.parser.value_index import EMPTY_VOCABULARY, Vocabulary
from kpi_engine.periods import Period
from kpi_engine.query import Filter, FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery
from tests.support.companies import DEMO_VOCABULARY, SECOND_VOCABULARY

CATALOG = load_catalog()
AS_OF = date(2026, 6, 10)
MAY = Period.calendar(date(2026, 5, 1), "month")
FEBRUARY = Period.calendar(date(2026, 2, 1), "month")
MRR_MAY = MetricQuery(metric="mrr", as_of=AS_OF, period=MAY)
SIGNUPS_MAY = MetricQuery(metric="signups", as_of=AS_OF, period=MAY)


def read(text: str, previous=MRR_MAY, values: Vocabulary = SECOND_VOCABULARY) -> FollowUp | None:
    """Values from the second company's data: plans basic/team/business, segments smb/mid/ent, countries JP/MX/SE."""
    return read_followup(text, previous, as_of=AS_OF, catalog=CATALOG, values=values)


def test_and_by_plan_adds_a_breakdown_and_keeps_the_rest() -> None:
    follow = read("and by plan?")
    assert follow is not None and follow.changes == ("breakdown",)
    assert follow.query == MRR_MAY.model_copy(update={"breakdown": "plan"})


def test_a_breakdown_replaces_a_series() -> None:
    weekly = MRR_MAY.model_copy(update={"granularity": "week"})
    follow = read("by country", weekly)
    assert follow is not None and (follow.query.breakdown, follow.query.granularity) == ("country", None)


def test_for_a_value_adds_a_filter_and_another_value_of_it_replaces_it() -> None:
    follow = read("for DE")
    assert follow is not None and follow.changes == ("filters",)
    assert follow.query.filters == (Filter(dimension="country", values=("DE",)),)
    again = read("what about in FR?", follow.query)
    assert again is not None and again.query.filters == (Filter(dimension="country", values=("FR",)),)


def test_a_filter_on_another_dimension_is_added_to_the_ones_there() -> None:
    in_germany = MRR_MAY.model_copy(update={"filters": (Filter(dimension="country", values=("DE",)),)})
    follow = read("for plan pro", in_germany)
    assert follow is not None
    assert follow.query.filters == (Filter(dimension="country", values=("DE",)),
                                    Filter(dimension="plan", values=("pro",)))


@pytest.mark.parametrize(("text", "period"), [
    ("what about february?", FEBRUARY),
    ("and in feb", FEBRUARY),
    ("last year?", Period.calendar(date(2025, 1, 1), "year")),
    ("how about Q1 2026", Period.calendar(date(2026, 1, 1), "quarter")),
])
def test_a_time_phrase_changes_the_period_only(text: str, period: Period) -> None:
    follow = read(text, MRR_MAY.model_copy(update={"breakdown": "plan"}))
    assert follow is not None and follow.changes == ("period",)
    assert (follow.query.period, follow.query.breakdown) == (period, "plan")


def test_weekly_makes_a_series_over_the_same_period() -> None:
    follow = read("weekly", MRR_MAY.model_copy(update={"breakdown": "plan"}))
    assert follow is not None and follow.changes == ("granularity",)
    assert (follow.query.period, follow.query.granularity, follow.query.breakdown) == (MAY, "week", None)


def test_monthly_without_a_period_leaves_the_period_to_the_engine() -> None:
    """As a full question does ("mrr by month"): the engine covers the last buckets to date (KPI_SPEC §1)."""
    follow = read("monthly", MetricQuery(metric="mrr", as_of=AS_OF))
    assert follow is not None and (follow.query.period, follow.query.granularity) == (None, "month")


def test_trend_without_a_period_is_by_month() -> None:
    follow = read("trend", MetricQuery(metric="mrr", as_of=AS_OF))
    assert follow is not None and (follow.query.period, follow.query.granularity) == (None, "month")


def test_trend_picks_the_grain_from_the_period() -> None:
    follow = read("trend?")
    assert follow is not None and follow.query.granularity == "day"  # a month: by day


def test_and_arr_changes_the_metric_and_keeps_period_breakdown_and_filters() -> None:
    previous = MRR_MAY.model_copy(update={"breakdown": "plan", "filters": (Filter(dimension="country",
                                                                                  values=("DE",)),)})
    follow = read("and arr?", previous)
    assert follow is not None and follow.changes == ("metric",)
    assert follow.query == previous.model_copy(update={"metric": "arr"})


def test_another_metric_drops_a_breakdown_and_filter_it_does_not_have_and_says_so() -> None:
    """Tickets break down by priority; MRR does not (plan, segment, channel, country)."""
    tickets = MetricQuery(metric="tickets", as_of=AS_OF, period=MAY, breakdown="priority",
                          filters=(Filter(dimension="category", values=("billing",)),))
    follow = read("and mrr?", tickets)
    assert follow is not None and (follow.query.metric, follow.query.breakdown, follow.query.filters) == (
        "mrr", None, ())
    assert follow.notes == ("MRR has no 'priority' breakdown: showing the total",
                            "MRR cannot be filtered by 'category': filter dropped")


def test_vs_last_year_changes_the_comparison() -> None:
    follow = read("vs last year")
    assert follow is not None and (follow.changes, follow.query.comparison) == (("comparison",), "previous_year")


def test_why_after_mrr_is_its_bridge_over_the_same_period_and_filters() -> None:
    previous = MRR_MAY.model_copy(update={"filters": (Filter(dimension="plan", values=("pro",)),)})
    follow = read("why?", previous)
    assert follow is not None and not follow.explain
    assert follow.query == MovementsQuery(as_of=AS_OF, period=MAY, filters=previous.filters)


def test_why_after_mrr_today_is_the_bridge_over_its_default_period() -> None:
    follow = read("why did it drop?", MetricQuery(metric="mrr", as_of=AS_OF))
    assert follow is not None and follow.query == MovementsQuery(as_of=AS_OF)


@pytest.mark.parametrize("text", ["why?", "how come", "and why is that", "what happened?", "why did it go up"])
def test_why_after_another_metric_asks_for_an_explanation(text: str) -> None:
    follow = read(text, SIGNUPS_MAY.model_copy(update={"granularity": "week"}))
    assert follow is not None and follow.explain and "why" in follow.changes
    assert follow.query == SIGNUPS_MAY  # explained over the whole period, without its series


def test_why_in_march_explains_march() -> None:
    follow = read("why in march?", SIGNUPS_MAY)
    assert follow is not None and follow.explain
    assert follow.query.period == Period.calendar(date(2026, 3, 1), "month")


def test_a_follow_up_after_the_bridge() -> None:
    bridge = MovementsQuery(as_of=AS_OF, period=MAY)
    earlier = read("what about february", bridge)
    assert earlier is not None and earlier.query == MovementsQuery(as_of=AS_OF, period=FEBRUARY)
    by_plan = read("and by plan?", bridge)
    assert by_plan is not None and by_plan.query == MRR_MAY.model_copy(update={"breakdown": "plan"})


def test_funnels_and_cohorts_take_a_new_period() -> None:
    funnel = FunnelQuery(as_of=AS_OF, steps=("signup", "purchase"), period=MAY)
    follow = read("what about february?", funnel)
    assert follow is not None and follow.query == funnel.model_copy(update={"period": FEBRUARY})
    cohorts = RetentionQuery(as_of=AS_OF)
    follow = read("for DE", cohorts)
    assert follow is not None and follow.query.filters == (Filter(dimension="country", values=("DE",)),)


def test_a_later_day_answers_as_of_that_day() -> None:
    follow = read_followup("by plan", MetricQuery(metric="mrr", as_of=date(2026, 6, 9)), as_of=AS_OF,
                           catalog=CATALOG)
    assert follow is not None and follow.query.as_of == AS_OF


@pytest.mark.parametrize("text", [
    "arr last year", "mrr by plan", "signups in february", "help", "list metrics", "what's churn",
    "funnel signup > purchase", "mrr movements last month", "thanks!", "ok", "", "   ", "and by region?",
    "great, talk later", "who is on call",
])
def test_complete_questions_and_chatter_are_not_follow_ups(text: str) -> None:
    assert read(text) is None


def test_nothing_to_follow_without_a_previous_query() -> None:
    assert read("and by plan?", None) is None


def test_a_value_from_the_data_alone_is_a_filter_of_its_dimension() -> None:
    follow = read("for ent")
    assert follow is not None and follow.query.filters == (Filter(dimension="segment", values=("ent",)),)
    team = read("and for team?")
    assert team is not None and team.query.filters == (Filter(dimension="plan", values=("team",)),)


def test_the_same_word_follows_the_data_of_each_company() -> None:
    """The demo company has a plan and a segment called `enterprise`: which one? The second company's
    segment is `ent` (a synonym), and it has no such plan."""
    demo = read("for enterprise", values=DEMO_VOCABULARY)
    assert demo is not None and demo.question is not None and "plan or a segment" in demo.question
    second = read("for enterprise")
    assert second is not None and second.query.filters == (Filter(dimension="segment", values=("ent",)),)


def test_groups_compared_as_a_follow_up() -> None:
    follow = read("team vs business?")
    assert follow is not None
    assert (follow.query.breakdown, follow.query.groups) == ("plan", ("team", "business"))


def test_a_ranking_as_a_follow_up() -> None:
    follow = read("and the top 2 plans?")
    assert follow is not None
    assert (follow.query.breakdown, follow.query.top, follow.query.order) == ("plan", 2, "best")


def test_a_second_dimension_as_a_follow_up() -> None:
    follow = read("and by plan and segment?")
    assert follow is not None and (follow.query.breakdown, follow.query.subgroup) == ("plan", "segment")


def test_a_new_breakdown_forgets_the_groups_of_the_old_one() -> None:
    compared = MRR_MAY.model_copy(update={"breakdown": "plan", "groups": ("team", "business")})
    follow = read("by country", compared)
    assert follow is not None and (follow.query.breakdown, follow.query.groups) == ("country", ())


def test_a_follow_up_of_several_metrics_changes_each_and_naming_a_metric_keeps_that_one() -> None:
    arr_may = MRR_MAY.model_copy(update={"metric": "arr"})
    follow = read("for JP", (MRR_MAY, arr_may))
    assert follow is not None and [q.metric for q in follow.queries] == ["mrr", "arr"]
    assert all(q.filters == (Filter(dimension="country", values=("JP",)),) for q in follow.queries)
    nps = read("and nps?", (MRR_MAY, arr_may))
    assert nps is not None and [q.metric for q in nps.queries] == ["nps"]


def test_several_metrics_named_in_a_follow_up_each_take_the_previous_question() -> None:
    follow = read("and arr and signups?", MRR_MAY.model_copy(update={"breakdown": "plan"}))
    assert follow is not None and [(q.metric, q.breakdown, q.period) for q in follow.queries] == [
        ("arr", "plan", MAY), ("signups", "plan", MAY)]


def test_a_word_of_two_dimensions_asks_which() -> None:
    both = Vocabulary.of_lists({"plan": ("pilot",), "segment": ("pilot",)})
    follow = read("for pilot", values=both)
    assert follow is not None and follow.question is not None and "plan" in follow.question


_WORDS = (
    "and what about how by per for in on last this year month week weekly daily monthly trend why how come plan "
    "segment country channel feature DE FR pro enterprise smb february march q1 2026 vs versus compared arr mrr "
    "signups nps churn funnel retention ? ! , . the it that drop go up down thanks ok instead same only <@U1> "
    "help list define movements bridge 0 99 2026-02-30 team business basic ent mid top 3 best worst which most "
    "ads JP boards p1"
)
PREVIOUS = st.sampled_from([
    None, MRR_MAY, SIGNUPS_MAY, MetricQuery(metric="mrr", as_of=AS_OF), MovementsQuery(as_of=AS_OF),
    FunnelQuery(as_of=AS_OF, steps=("signup", "purchase")), RetentionQuery(as_of=AS_OF),
    MetricQuery(metric="no_such_metric", as_of=AS_OF, breakdown="nothing", granularity="year"),
])
RELAXED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


VOCABULARIES = st.sampled_from([EMPTY_VOCABULARY, DEMO_VOCABULARY, SECOND_VOCABULARY])


def _check(text: str, previous, as_of: date, vocabulary: Vocabulary) -> None:
    """`_read` is what read_followup guards with a catch-all: it must not need the guard. A missing state
    (None), like an expired one (the store returns none), is never a follow-up."""
    if previous is None:
        assert read_followup(text, None, as_of=as_of, catalog=CATALOG, values=vocabulary) is None
        assert read_followup(text, (), as_of=as_of, catalog=CATALOG, values=vocabulary) is None
        return
    follow = followups._read(text, (previous,), as_of, CATALOG, vocabulary.index)
    assert follow is None or isinstance(follow, FollowUp)
    if follow is not None:
        assert all(query.as_of == as_of for query in follow.queries)
        assert follow.changes or follow.question, "a follow-up changes something or asks which"


@RELAXED
@given(text=st.text(max_size=200), previous=PREVIOUS, as_of=st.dates(date(1990, 1, 1), date(2099, 12, 31)),
       vocabulary=VOCABULARIES)
def test_any_text_after_any_previous_query(text: str, previous, as_of: date, vocabulary: Vocabulary) -> None:
    _check(text, previous, as_of, vocabulary)


@RELAXED
@given(words=st.lists(st.sampled_from(_WORDS.split()), max_size=10), previous=PREVIOUS, vocabulary=VOCABULARIES)
def test_any_mix_of_follow_up_words(words: list[str], previous, vocabulary: Vocabulary) -> None:
    _check(" ".join(words), previous, AS_OF, vocabulary)
