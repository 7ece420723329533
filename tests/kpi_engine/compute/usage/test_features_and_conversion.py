"""Signups, page views, feature users, feature adoption and conversion, worked out by hand (UTC)."""

from __future__ import annotations

from datetime import date

import pytest

from kpi_engine.periods import Period
from tests.conftest import make_settings
from tests.kpi_engine.compute.usage.helpers import approx, ask, ev, groups, load, series, user

MARCH = Period.calendar(date(2026, 3, 1), "month")
Q1 = Period.calendar(date(2026, 1, 1), "quarter")


@pytest.fixture
def features(engine, settings):
    """March: u1 (pro) page_view 03-02, page_view+search 03-03, click+export 03-03;
    u2 (basic) page_view+search 03-05, click 03-06; u3 (no account) click 03-07; u1 click 03-31 (the data reaches
    the end of March, so March is compared with all of February, KPI_SPEC §1).
    February: u4 (pro) page_view+export 02-15. Signups: u1, u2, u3 in March, u4 in February."""
    load(
        engine,
        settings,
        plans={"A": "pro", "B": "basic"},
        users=[user("u1", "2026-03-01 09:00", "A"), user("u2", "2026-03-04 09:00", "B"),
               user("u3", "2026-03-31 23:59"), user("u4", "2026-02-10 00:00", "A")],
        events=[
            ev("u1", "2026-03-02 10:00", "page_view"), ev("u1", "2026-03-03 10:00", "page_view", "search"),
            ev("u1", "2026-03-03 11:00", "click", "export"),
            ev("u2", "2026-03-05 10:00", "page_view", "search"), ev("u2", "2026-03-06 10:00", "click"),
            ev("u3", "2026-03-07 10:00", "click"), ev("u1", "2026-03-31 12:00", "click"),
            ev("u4", "2026-02-15 10:00", "page_view", "export"),
        ],
    )
    return engine, settings


def test_signups(features) -> None:
    result = ask(*features, "signups", MARCH, breakdown="plan")
    assert (result.value, result.previous_value) == (3.0, 1.0)
    assert groups(result) == {"pro": 1.0, "basic": 1.0, "(none)": 1.0}
    assert series(ask(*features, "signups", Q1, granularity="month")) == [0.0, 1.0, 3.0]


def test_page_views(features) -> None:
    result = ask(*features, "page_views", MARCH, breakdown="feature")
    assert (result.value, result.previous_value) == (3.0, 1.0)
    assert groups(result) == {"search": 2.0, "(none)": 1.0}
    assert ask(*features, "page_views", MARCH, filters={"plan": ["basic"]}).value == 1.0
    assert ask(*features, "page_views", MARCH, filters={"feature": ["(none)"]}).value == 1.0
    assert series(ask(*features, "page_views", Q1, granularity="month")) == [0.0, 1.0, 3.0]


def test_feature_users(features) -> None:
    result = ask(*features, "feature_users", MARCH, breakdown="feature")
    assert (result.value, result.previous_value) == (2.0, 1.0)
    assert groups(result) == {"search": 2.0, "export": 1.0}
    assert groups(ask(*features, "feature_users", MARCH, breakdown="plan")) == {"pro": 1.0, "basic": 1.0}
    assert ask(*features, "feature_users", MARCH, filters={"feature": ["export"]}).value == 1.0
    assert ask(*features, "active_users", MARCH).value == 3.0


def test_feature_adoption_rate(features) -> None:
    result = ask(*features, "feature_adoption_rate", MARCH, breakdown="feature", granularity="month")
    assert approx(result.value) == approx(2 / 3)
    assert result.previous_value == 1.0  # February: u4 used export, u4 was the only active user
    assert approx(groups(result)) == approx({"search": 2 / 3, "export": 1 / 3})
    by_plan = ask(*features, "feature_adoption_rate", MARCH, breakdown="plan")
    assert groups(by_plan) == {"pro": 1.0, "basic": 1.0, "(none)": 0.0}
    assert approx(ask(*features, "feature_adoption_rate", MARCH, filters={"feature": ["export"]}).value) == (
        approx(1 / 3)
    )
    assert ask(*features, "feature_adoption_rate", Period.calendar(date(2025, 1, 1), "month")).value is None


@pytest.fixture
def conversions(engine, settings):
    """A = signup, B = purchase, 30 days. March: u1 converts; u2's purchase is 33 days after its first
    signup in March (a second signup on 03-12 does not count); u4 bought before signing up; u5 converts
    after the period ends. February: u3 converts (its March purchase counts for February)."""
    load(
        engine,
        settings,
        plans={"A": "pro", "B": "basic"},
        users=[user("u1", "2026-01-01 00:00", "A"), user("u2", "2026-01-01 00:00", "A"),
               user("u4", "2026-01-01 00:00", "B")],
        events=[
            ev("u1", "2026-03-02 10:00", "signup"), ev("u1", "2026-03-20 10:00", "purchase"),
            ev("u2", "2026-03-10 10:00", "signup"), ev("u2", "2026-03-12 10:00", "signup"),
            ev("u2", "2026-04-12 10:00", "purchase"),
            ev("u3", "2026-02-25 10:00", "signup"), ev("u3", "2026-03-05 10:00", "purchase"),
            ev("u4", "2026-03-20 10:00", "signup"), ev("u4", "2026-03-19 10:00", "purchase"),
            ev("u5", "2026-03-31 23:00", "signup"), ev("u5", "2026-04-05 10:00", "purchase"),
        ],
    )
    return engine, settings


def test_conversion_rate(conversions, db_url) -> None:
    result = ask(*conversions, "conversion_rate", MARCH, breakdown="plan")
    assert (result.value, result.n, result.previous_value) == (0.5, 4, 1.0)
    assert groups(result) == {"pro": 0.5, "basic": 0.0, "(none)": 1.0}
    assert ask(*conversions, "conversion_rate", Period.calendar(date(2026, 5, 1), "month")).value is None
    longer = make_settings(db_url, KPI_CONVERSION_WINDOW_DAYS=40)
    assert ask(conversions[0], longer, "conversion_rate", MARCH).value == 0.75


def test_conversion_between_other_events(conversions, db_url) -> None:
    purchase_to_signup = make_settings(db_url, KPI_CONVERSION_FROM="purchase", KPI_CONVERSION_TO="signup")
    # March purchases: u1 (no later signup), u3 (none), u4 (signup the next day) → 1 of 3
    assert approx(ask(conversions[0], purchase_to_signup, "conversion_rate", MARCH).value) == approx(1 / 3)


def test_account_filters_and_users_missing_from_users(engine, settings) -> None:
    """a (pro) and b (no account) are users; "ghost" only has events, so it has no account either."""
    people = [user("a", "2026-01-01 00:00", "A"), user("b", "2026-01-01 00:00")]
    load(engine, settings, plans={"A": "pro"}, users=people,
         events=[ev("a", "2026-03-02 10:00", "page_view"), ev("b", "2026-03-02 10:00", "page_view"),
                 ev("ghost", "2026-03-02 10:00", "page_view"), ev("ghost", "2026-03-03 10:00", "page_view")])
    for plans, views, actives in ((["pro"], 1, 1), (["(none)"], 3, 2), (["pro", "(none)"], 4, 3), (["basic"], 0, 0)):
        assert ask(engine, settings, "page_views", MARCH, filters={"plan": plans}).value == views
        assert ask(engine, settings, "active_users", MARCH, filters={"plan": plans}).value == actives
    assert groups(ask(engine, settings, "page_views", MARCH, breakdown="plan")) == {"pro": 1.0, "(none)": 3.0}
