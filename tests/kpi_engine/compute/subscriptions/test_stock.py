"""mrr, arr, paying_customers, arpa: stocks at the end of the period (fixture: the April story in conftest)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpi_engine.db.models import Account, Subscription
from kpi_engine.periods import Period
from kpi_engine.query import Filter
from tests.conftest import insert_rows
from tests.kpi_engine.compute.subscriptions.helpers import account, ask, groups, month, sub, value

Q2 = Period.calendar(date(2026, 4, 1), "quarter")


def test_stock_values_at_the_end_of_each_month(story, settings) -> None:
    # h1 runs 2026-04-01 00:00 .. 2026-05-01 00:00: it counts at the end of April only
    assert value(story, settings, "mrr", month(2026, 3)) == 295
    assert value(story, settings, "mrr", month(2026, 4)) == 480
    assert value(story, settings, "mrr", month(2026, 5)) == 280
    # f1 ends exactly at 2026-02-01 00:00, so it still counts at the end of January; b1 starts then: not yet
    assert value(story, settings, "mrr", month(2026, 1)) == 250
    assert value(story, settings, "arr", month(2026, 4)) == 12 * 480
    assert value(story, settings, "paying_customers", month(2026, 4)) == 7  # I pays 0: not paying
    assert value(story, settings, "paying_customers", month(2026, 3)) == 5
    assert value(story, settings, "arpa", month(2026, 4)) == pytest.approx(480 / 7)
    assert value(story, settings, "arpa", month(2026, 5)) == pytest.approx(280 / 6)


def test_day_periods_and_aliases(story, settings) -> None:
    assert value(story, settings, "monthly recurring revenue", Period(date(2026, 4, 30), date(2026, 4, 30))) == 480
    # end of 2026-04-09: A 100, B 80, C 40, D 60, E 20, G 10, H 200, J 15
    assert value(story, settings, "annual recurring revenue", Period(date(2026, 4, 9), date(2026, 4, 9))) == 12 * 525
    # on 2026-04-10 b2 ends at 12:00: at the end of that day it no longer counts
    assert value(story, settings, "mrr", Period(date(2026, 4, 10), date(2026, 4, 10))) == 495
    assert value(story, settings, "arpu", Period(date(2026, 4, 10), date(2026, 4, 10))) == pytest.approx(495 / 8)


def test_previous_and_series(story, settings) -> None:
    result = ask(story, settings, "mrr", Q2, granularity="month")
    assert result.value == 280
    assert result.previous_value == 295  # end of Q1
    assert [p.value for p in result.series] == [480, 280, 280]
    assert [p.value for p in result.previous_series] == [250, 295, 295]
    paying = ask(story, settings, "paying_customers", Q2, granularity="month")
    assert [p.value for p in paying.series] == [7, 6, 6]
    arpa = ask(story, settings, "arpa", Q2, granularity="month")
    assert [p.value for p in arpa.series] == pytest.approx([480 / 7, 280 / 6, 280 / 6])


def test_breakdown_by_plan_with_missing_accounts_in_none(story, settings) -> None:
    april = month(2026, 4)
    assert groups(ask(story, settings, "mrr", april, breakdown="plan")) == {
        "enterprise": 200, "pro": 175, "basic": 90, "(none)": 15}
    assert groups(ask(story, settings, "arr", april, breakdown="plan")) == {
        "enterprise": 2400, "pro": 2100, "basic": 1080, "(none)": 180}
    assert groups(ask(story, settings, "paying_customers", april, breakdown="plan")) == {
        "pro": 3, "basic": 2, "enterprise": 1, "(none)": 1}
    arpa = groups(ask(story, settings, "arpa", april, breakdown="plan"))
    assert arpa == pytest.approx({"enterprise": 200, "pro": 175 / 3, "basic": 45, "(none)": 15})
    by_channel = ask(story, settings, "mrr", april, breakdown="channel")
    # ads: A 100, B 50, E 20; search: C 70; partner: H 200; (none): F 25 (no channel), J 15 (no account), I 0
    assert groups(by_channel) == {"partner": 200, "ads": 170, "search": 70, "(none)": 40}
    assert {g.group: g.previous for g in by_channel.breakdown} == {"partner": None, "ads": 180, "search": 100,
                                                                    "(none)": 15}


def test_filters(story, settings) -> None:
    april = month(2026, 4)
    pro = (Filter(dimension="plan", values=("pro",)),)
    assert value(story, settings, "mrr", april, filters=pro) == 175
    assert value(story, settings, "paying_customers", april, filters=pro) == 3
    none = (Filter(dimension="plan", values=("(none)",)),)
    assert value(story, settings, "mrr", april, filters=none) == 15
    two = (Filter(dimension="plan", values=("pro", "enterprise")),)
    assert value(story, settings, "arr", april, filters=two) == 12 * 375
    assert value(story, settings, "arpa", april, filters=two) == pytest.approx(375 / 4)


def test_no_subscriptions_gives_zero_stocks_and_no_arpa(engine, settings) -> None:
    april = month(2026, 4)
    assert value(engine, settings, "mrr", april) == 0
    assert value(engine, settings, "paying_customers", april) == 0
    assert value(engine, settings, "arpa", april) is None
    insert_rows(engine, Account, [account("free", plan="free")])
    insert_rows(engine, Subscription, [sub("s", "free", 0, datetime(2026, 1, 1))])
    assert value(engine, settings, "paying_customers", april) == 0
    assert value(engine, settings, "arpa", april) is None  # MRR 0 over 0 paying: no value, not 0
    assert groups(ask(engine, settings, "arpa", april, breakdown="plan")) == {"free": None}


def test_worked_example_mrr_12500(engine, settings) -> None:
    """100 subscriptions at 100/month and 50 at 600/year (50/month) → MRR 12,500."""
    rows = [sub(f"m{i}", f"acct{i}", 100, datetime(2026, 1, 1)) for i in range(100)]
    rows += [sub(f"y{i}", f"acct{100 + i}", 600 / 12, datetime(2026, 1, 1)) for i in range(50)]
    insert_rows(engine, Subscription, rows)
    assert value(engine, settings, "mrr", month(2026, 4)) == pytest.approx(12_500)
    assert value(engine, settings, "arr", month(2026, 4)) == pytest.approx(150_000)


def test_worked_example_arpa_300(engine, settings) -> None:
    """MRR of five accounts 100, 100, 300, 500, 500 → ARPA 300."""
    insert_rows(engine, Subscription, [sub(f"s{i}", f"a{i}", mrr, datetime(2026, 1, 1))
                                       for i, mrr in enumerate([100, 100, 300, 500, 500])])
    assert value(engine, settings, "arpa", month(2026, 4)) == pytest.approx(300)
    assert value(engine, settings, "average revenue per user", month(2026, 4)) == pytest.approx(300)
