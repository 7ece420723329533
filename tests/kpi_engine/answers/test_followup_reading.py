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
from kpi_engine.periods import Period
from kpi_engine.query import Filter, FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery

CATALOG = load_catalog()
AS_OF = date(2026, 6, 10)
MAY = Period.calendar(date(2026, 5, 1), "month")
FEBRUARY = Period.calendar(date(2026, 2, 1), "month")
MRR_MAY = MetricQuery(metric="mrr", as_of=AS_OF, period=MAY)
SIGNUPS_MAY = MetricQuery(metric="signups", as_of=AS_OF, period=MAY)


def read(text: str, previous=MRR_MAY) -> FollowUp | None:
    return read_followup(text, previous, as_of=AS_OF, catalog=CATALOG)


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


_WORDS = (
    "and what about how by per for in on last this year month week weekly daily monthly trend why how come plan "
    "segment country channel feature DE FR pro enterprise smb february march q1 2026 vs versus compared arr mrr "
    "signups nps churn funnel retention ? ! , . the it that drop go up down thanks ok instead same only <@U1> "
    "help list define movements bridge 0 99 2026-02-30"
)
PREVIOUS = st.sampled_from([
    None, MRR_MAY, SIGNUPS_MAY, MetricQuery(metric="mrr", as_of=AS_OF), MovementsQuery(as_of=AS_OF),
    FunnelQuery(as_of=AS_OF, steps=("signup", "purchase")), RetentionQuery(as_of=AS_OF),
    MetricQuery(metric="no_such_metric", as_of=AS_OF, breakdown="nothing", granularity="year"),
])
RELAXED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str, previous, as_of: date) -> None:
    """`_read` is what read_followup guards with a catch-all: it must not need the guard."""
    if previous is None:
        assert read_followup(text, None, as_of=as_of, catalog=CATALOG) is None
        return
    follow = followups._read(text, previous, as_of, CATALOG)
    assert follow is None or isinstance(follow, FollowUp)
    if follow is not None:
        assert follow.query.as_of == as_of
        assert follow.changes, "a follow-up changes something"


@RELAXED
@given(text=st.text(max_size=200), previous=PREVIOUS, as_of=st.dates(date(1990, 1, 1), date(2099, 12, 31)))
def test_any_text_after_any_previous_query(text: str, previous, as_of: date) -> None:
    _check(text, previous, as_of)


@RELAXED
@given(words=st.lists(st.sampled_from(_WORDS.split()), max_size=10), previous=PREVIOUS)
def test_any_mix_of_follow_up_words(words: list[str], previous) -> None:
    _check(" ".join(words), previous, AS_OF)
