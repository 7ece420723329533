"""Follow-ups answered on real databases: the merged query runs, "why?" picks the breakdown that moved most,
and the first note says how the follow-up was read."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from kpi_engine.answers.followups import answer_in_conversation, explain_change
from kpi_engine.catalog import load_catalog
from kpi_engine.db.models import Account, Subscription
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MetricQuery, MovementsQuery
from kpi_engine.results import MetricResult, TableResult
from kpi_engine.settings import Settings
from tests.conftest import insert_rows, insert_small_mrr_company

AS_OF = date(2026, 6, 10)
MAY = Period.calendar(date(2026, 5, 1), "month")
CATALOG = load_catalog()


@pytest.fixture
def company(engine: Engine) -> Engine:
    """insert_small_mrr_company (a: pro 100 in April only, b: basic 50, an unknown account 7) with segments
    a = smb, b = enterprise, plus d: basic, smb, 20 from 2026-05-10.
    ARR at the end of April = 12 × (100 + 50 + 7) = 1,884; at the end of May = 12 × (50 + 20 + 7) = 924.
    By plan: basic 600 → 840 (+240), (none) 84 → 84; pro (1,200 → 0) is not among May's groups.
    By segment: smb 1,200 → 240 (−960), enterprise 600 → 600, (none) 84 → 84.
    Channel and country are unknown for everyone: one group (none), 1,884 → 924 (−960), a tie that the
    first dimension in the catalog's order (segment) wins."""
    insert_small_mrr_company(engine)
    with engine.begin() as conn:
        table = Account.__table__
        conn.execute(table.update().where(table.c.account_id == "a").values(segment="smb"))
        conn.execute(table.update().where(table.c.account_id == "b").values(segment="enterprise"))
    insert_rows(engine, Account, [{"account_id": "d", "created_at": datetime(2026, 5, 1), "plan": "basic",
                                   "segment": "smb"}])
    insert_rows(engine, Subscription, [{"subscription_id": "s5", "account_id": "d", "mrr": 20,
                                        "started_at": datetime(2026, 5, 10)}])
    return engine


def ask(text: str, previous, engine: Engine, settings: Settings):
    return answer_in_conversation(text, previous, engine=engine, settings=settings, catalog=CATALOG, as_of=AS_OF)


def test_and_by_plan_breaks_the_previous_answer_down(company: Engine, settings: Settings) -> None:
    first = ask("arr last month", None, company, settings)
    assert isinstance(first.result, MetricResult) and first.result.value == 924
    second = ask("and by plan?", first.query, company, settings)
    assert isinstance(second.result, MetricResult)
    assert [(g.group, g.value) for g in second.result.breakdown or []] == [("basic", 840), ("(none)", 84)]
    assert second.notes[0] == "I read “and by plan?” as ARR by plan, May 2026"


def test_a_complete_question_starts_afresh(company: Engine, settings: Settings) -> None:
    first = ask("arr by plan last month", None, company, settings)
    again = ask("mrr in april", first.query, company, settings)
    assert isinstance(again.result, MetricResult)
    assert (again.result.metric, again.result.value, again.result.breakdown) == ("mrr", 157, None)
    assert not any(note.startswith("I read") for note in again.notes)


def test_why_after_mrr_is_its_bridge_for_the_same_period(company: Engine, settings: Settings) -> None:
    previous = MetricQuery(metric="mrr", as_of=AS_OF, period=MAY)
    why = ask("why?", previous, company, settings)
    assert isinstance(why.query, MovementsQuery) and why.query.period == MAY
    assert isinstance(why.result, TableResult) and why.result.kind == "movements"
    rows = {row[0]: row[1] for row in why.result.rows}
    assert rows[why.result.rows[0][0]] == 157 and rows[why.result.rows[-1][0]] == 77  # start and end MRR
    assert why.notes[0] == "I read “why?” as the MRR bridge, May 2026"


def test_why_after_arr_breaks_it_down_by_the_dimension_whose_groups_moved_most(company: Engine,
                                                                              settings: Settings) -> None:
    why = ask("why?", MetricQuery(metric="arr", as_of=AS_OF, period=MAY), company, settings)
    assert isinstance(why.query, MetricQuery) and why.query.breakdown == "segment"
    assert isinstance(why.result, MetricResult)
    assert {g.group: (g.value, g.previous) for g in why.result.breakdown or []}["smb"] == (240, 1200)
    assert why.notes[0] == "I read “why?” as ARR by segment, May 2026"
    assert why.notes[1] == "Of all ARR breakdowns, the segment groups changed most: smb -$960"


def test_explaining_a_filtered_question_skips_the_dimension_filtered_to_one_value(company: Engine,
                                                                                 settings: Settings) -> None:
    """ARR for plan basic: by segment, smb (d alone) 0 → 240 (+240) moved, enterprise 600 → 600 did not;
    by channel and country one group (none), 684 → 924 (+240): a tie the segment wins."""
    query = MetricQuery(metric="arr", as_of=AS_OF, period=MAY, filters=(Filter(dimension="plan", values=("basic",)),))
    explanation = explain_change(query, engine=company, settings=settings, catalog=CATALOG)
    assert explanation.query.breakdown == "segment"
    assert explanation.note == "Of all ARR breakdowns, the segment groups changed most: smb +$240"


def test_a_follow_up_that_fails_says_so_without_raising(company: Engine, settings: Settings) -> None:
    previous = MetricQuery(metric="arr", as_of=AS_OF, period=MAY)
    answer = ask("and by priority?", previous, company, settings)  # ARR has no priority dimension
    assert answer.error is not None and "priority" in answer.error


def test_why_when_nothing_changed_says_so(company: Engine, settings: Settings) -> None:
    """ARR at the end of 2026-05-09 = 12 × (50 + 7) = 684, as the day before (pro ended May 1, d starts May 10):
    no subscription started or ended in between. (Not `arr` as of June 10: the data ends on May 10, so that
    compares the end of May 10 with the end of April 10, and ARR did change.)"""
    day = Period(date(2026, 5, 9), date(2026, 5, 9), "day")
    why = ask("why?", MetricQuery(metric="arr", as_of=AS_OF, period=day), company, settings)
    assert isinstance(why.result, MetricResult) and why.result.value == 684 and why.result.change == 0
    assert why.notes[1] == "ARR did not change against 2026-05-08: nothing to explain"


FOLLOW_UP_WORDS = ("and by plan segment country for smb enterprise what about february last year weekly arr nps why "
                   "? vs top 2 plans team business how come thanks")


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(FOLLOW_UP_WORDS.split()), max_size=6),
       previous=st.sampled_from([None, (), MetricQuery(metric="arr", as_of=AS_OF, period=MAY),
                                 MovementsQuery(as_of=AS_OF)]))
def test_any_follow_up_with_or_without_a_state_is_answered_without_raising(company: Engine, settings: Settings,
                                                                           words: list[str], previous) -> None:
    """A missing state (None) and an expired one (the store returns nothing: ()) make a new question."""
    answer = ask(" ".join(words), previous, company, settings)
    assert answer.ok or answer.error or answer.intent in ("help", "list", "define")
    if not previous:
        assert not any(note.startswith("I read “") for note in answer.notes)
