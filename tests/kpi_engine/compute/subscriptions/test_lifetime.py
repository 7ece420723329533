"""ltv, cac, ltv_cac_ratio, cac_payback_months, including the worked examples of KPI_SPEC §10."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpi_engine.compute.dimensions import UnsupportedDimension
from kpi_engine.db.models import Account, MarketingSpend, Subscription
from kpi_engine.periods import Period
from kpi_engine.query import Filter
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.compute.subscriptions.helpers import account, ask, groups, month, sub, value

APRIL, MAY = month(2026, 4), month(2026, 5)


def spend_row(day: date, channel: str, spend: float, campaign: str = "") -> dict:
    return {"day": day, "channel": channel, "campaign": campaign, "spend": spend}


@pytest.fixture
def churn_five_percent(engine):
    """20 accounts at 100 from 2026-03-01 00:00 (none paying at March's start: March has no churn rate);
    in April c0 (pro) churns and n (pro, ads) joins: April churn 1/20 = 5%, ARPA at the end 100."""
    insert_rows(engine, Account, [account(f"c{i}", plan="pro" if i < 10 else "basic") for i in range(20)]
                + [account("n", plan="pro", channel="ads")])
    insert_rows(engine, Subscription, [sub(f"s{i}", f"c{i}", 100, datetime(2026, 3, 1),
                                           datetime(2026, 4, 10) if i == 0 else None) for i in range(20)]
                + [sub("sn", "n", 100, datetime(2026, 4, 12))])
    insert_rows(engine, MarketingSpend, [spend_row(date(2026, 4, 12), "ads", 500)])
    return engine


def test_worked_example_ltv_2000(churn_five_percent, settings) -> None:
    """ARPA 100 with monthly churn 5% → LTV 2,000."""
    assert value(churn_five_percent, settings, "arpa", APRIL) == 100
    assert value(churn_five_percent, settings, "customer_churn_rate", APRIL) == pytest.approx(0.05)
    assert value(churn_five_percent, settings, "ltv", APRIL) == pytest.approx(2000)
    assert value(churn_five_percent, settings, "customer lifetime value", APRIL) == pytest.approx(2000)
    margin = make_settings(settings.database_url, KPI_GROSS_MARGIN=0.75)
    assert value(churn_five_percent, margin, "clv", APRIL) == pytest.approx(1500)


def test_ltv_means_the_churn_of_the_last_six_complete_months(churn_five_percent, settings) -> None:
    # May: churn 0 (May) and 5% (April), March has none → mean 2.5%
    assert value(churn_five_percent, settings, "ltv", MAY) == pytest.approx(100 / 0.025)
    q2 = ask(churn_five_percent, settings, "ltv", Period.calendar(date(2026, 4, 1), "quarter"), granularity="month")
    assert [p.value for p in q2.series] == pytest.approx([2000, 4000, 100 / (0.05 / 3)])
    # stock default: the end of the as-of day; May 15 is not a complete month, so April is the last one
    default = ask(churn_five_percent, settings, "ltv", None, as_of=date(2026, 5, 15))
    assert default.period == Period(date(2026, 5, 15), date(2026, 5, 15), "day")
    assert default.value == pytest.approx(2000)
    # in March no month has a churn rate yet
    assert value(churn_five_percent, settings, "ltv", month(2026, 3)) is None


def test_ltv_breakdown_divides_within_each_group(churn_five_percent, settings) -> None:
    # pro: 1 of 10 churns → 10%, ARPA 100 → 1000; basic: churn 0 → no value
    assert groups(ask(churn_five_percent, settings, "ltv", APRIL, breakdown="plan")) == pytest.approx(
        {"pro": 1000, "basic": None})


def test_ltv_without_churn_has_no_value(engine, settings) -> None:
    insert_rows(engine, Subscription, [sub("s", "a", 100, datetime(2026, 1, 15))])
    assert value(engine, settings, "ltv", month(2026, 2)) is None  # February churn 0/1, January no value


def test_ltv_cac_ratio(churn_five_percent, settings) -> None:
    assert value(churn_five_percent, settings, "cac", APRIL) == 500  # 500 spent, 1 new customer
    assert value(churn_five_percent, settings, "ltv_cac_ratio", APRIL) == pytest.approx(4.0)
    assert value(churn_five_percent, settings, "ltv to cac", MAY) is None  # no new customer in May


@pytest.fixture
def ten_new_customers(engine):
    """10 new accounts at 500 in April (6 from ads, 4 from search); April spend 20,000 (ads 12,000,
    search 5,000, tv 3,000), plus spend just outside April."""
    insert_rows(engine, Account, [account(f"a{i}", channel="ads" if i < 6 else "search", plan="pro")
                                  for i in range(10)])
    insert_rows(engine, Subscription, [sub(f"s{i}", f"a{i}", 500, datetime(2026, 4, 5, 10)) for i in range(10)])
    insert_rows(engine, MarketingSpend, [
        spend_row(date(2026, 3, 31), "ads", 999),
        spend_row(date(2026, 4, 1), "ads", 12_000),
        spend_row(date(2026, 4, 15), "search", 2_000),
        spend_row(date(2026, 4, 30), "search", 3_000, "brand"),
        spend_row(date(2026, 4, 20), "tv", 3_000),
        spend_row(date(2026, 5, 1), "ads", 999),
    ])
    return engine


def test_worked_example_cac_payback(ten_new_customers, db_url) -> None:
    """S&M spend 20,000, new MRR 5,000 from 10 new customers, gross margin 75% → CAC payback 5.33 months."""
    settings = make_settings(db_url, KPI_GROSS_MARGIN=0.75)
    assert value(ten_new_customers, settings, "new_mrr", APRIL) == 5_000
    assert value(ten_new_customers, settings, "cac", APRIL) == 2_000
    result = ask(ten_new_customers, settings, "cac_payback_months", APRIL)
    assert result.value == pytest.approx(2_000 / (500 * 0.75))
    assert round(result.value, 2) == 5.33
    assert result.previous_value is None  # March: 999 spent, no new customer


def test_cac_by_channel(ten_new_customers, db_url) -> None:
    settings = make_settings(db_url, KPI_GROSS_MARGIN=0.75)
    assert groups(ask(ten_new_customers, settings, "cac", APRIL, breakdown="channel")) == {
        "ads": 2_000, "search": 1_250, "tv": None}
    assert groups(ask(ten_new_customers, settings, "cac payback", APRIL, breakdown="channel")) == pytest.approx(
        {"ads": 2_000 / 375, "search": 1_250 / 375, "tv": None})
    search = (Filter(dimension="channel", values=("search",)),)
    assert value(ten_new_customers, settings, "customer acquisition cost", APRIL, filters=search) == 1_250


def test_cac_only_breaks_down_by_channel(ten_new_customers, settings) -> None:
    with pytest.raises(UnsupportedDimension):
        ask(ten_new_customers, settings, "cac", APRIL, breakdown="plan")
    with pytest.raises(UnsupportedDimension):
        value(ten_new_customers, settings, "cac_payback_months", APRIL,
              filters=(Filter(dimension="plan", values=("pro",)),))


def test_zero_denominators(engine, settings) -> None:
    for metric in ("ltv", "cac", "ltv_cac_ratio", "cac_payback_months"):
        assert value(engine, settings, metric, APRIL) is None, metric
