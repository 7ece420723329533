"""Funnel steps typed otherwise than the event names ("sign up", "purchased") are read as those events."""

from __future__ import annotations

from kpi_engine.compute.event_names import event_names, match_steps
from kpi_engine.compute.funnels import run_funnel
from kpi_engine.query import FunnelQuery
from tests.kpi_engine.compute.usage.helpers import AS_OF, days, ev, load

NAMES = ["activated", "dashboard_viewed", "page_view", "purchase", "report_created", "signup"]


def test_event_names_are_the_distinct_names(engine, settings) -> None:
    load(engine, settings, events=[ev("u1", "2026-03-01 10:00", "signup"), ev("u2", "2026-03-01 11:00", "signup"),
                                   ev("u1", "2026-03-02 10:00", "purchase"), ev("u1", "2026-03-03 10:00", "a b")])
    with engine.connect() as conn:
        assert event_names(conn) == ["a b", "purchase", "signup"]


def test_an_empty_events_table_has_no_names(engine) -> None:
    with engine.connect() as conn:
        assert event_names(conn) == []


def test_steps_are_matched_by_spelling_words_and_closeness() -> None:
    matched = match_steps(("sign_up", "Report-Created", "dashboard", "purchased", "activated"), NAMES)
    assert matched.steps == ("signup", "report_created", "dashboard_viewed", "purchase", "activated")
    assert matched.notes == [
        "Read step 'sign_up' as the event 'signup'",
        "Read step 'Report-Created' as the event 'report_created'",
        "Read step 'dashboard' as the event 'dashboard_viewed'",
        "Read step 'purchased' as the event 'purchase'",
    ]


def test_unknown_or_ambiguous_steps_stay_with_a_note() -> None:
    matched = match_steps(("viewed", "refund"), [*NAMES, "forecast_viewed"])  # two names hold "viewed"
    assert matched.steps == ("viewed", "refund")
    unknown = [note.split(" (")[0] for note in matched.notes]
    assert unknown == ["No event is named 'viewed'", "No event is named 'refund'"]


def test_a_funnel_typed_loosely_counts_like_the_exact_one(engine, settings) -> None:
    load(engine, settings, events=[
        ev("u1", "2026-03-01 10:00", "signup"), ev("u1", "2026-03-05 10:00", "purchase"),
        ev("u2", "2026-03-02 10:00", "signup"),
    ])
    march = days("2026-03-01", "2026-03-31")
    with engine.connect() as conn:
        exact = run_funnel(conn, FunnelQuery(as_of=AS_OF, period=march, steps=("signup", "purchase")), settings)
        loose = run_funnel(conn, FunnelQuery(as_of=AS_OF, period=march, steps=("sign_up", "purchased")), settings)
    assert [row[:2] for row in exact.rows] == [["signup", 2], ["purchase", 1]]
    assert loose.rows == exact.rows
    assert loose.notes[:2] == ["Read step 'sign_up' as the event 'signup'",
                               "Read step 'purchased' as the event 'purchase'"]
