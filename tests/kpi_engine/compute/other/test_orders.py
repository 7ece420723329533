"""Order metrics (KPI_SPEC §4) on both backends, with hand-worked numbers."""

from __future__ import annotations

import pytest

from kpi_engine.db.models import Account, Feature, Order
from tests.conftest import insert_rows
from tests.kpi_engine.compute.other.helpers import FEBRUARY, ask, groups, series, ts

# April: o1 100 (new feature, 17 days), o2 50 (feature launched exactly 90 days before), o3 200,
# o4 50 (no account, new feature, 46 days), o7 100 (feature launched after the order), o8 100 (91 days).
ORDERS = [
    {"order_id": "o1", "account_id": "a", "ordered_at": ts("2026-04-01 00:00"), "amount": 100, "cost": 40,
     "product": "f_new"},
    {"order_id": "o2", "account_id": "a", "ordered_at": ts("2026-04-10 00:00"), "amount": 50, "product": "f_edge"},
    {"order_id": "o3", "account_id": "b", "ordered_at": ts("2026-04-20 00:00"), "amount": 200, "cost": 150},
    {"order_id": "o4", "account_id": None, "ordered_at": ts("2026-04-30 23:59:59"), "amount": 50, "cost": 10,
     "product": "f_new"},
    {"order_id": "o5", "account_id": "b", "ordered_at": ts("2026-05-01 00:00"), "amount": 1000, "cost": 0},
    {"order_id": "o6", "account_id": "a", "ordered_at": ts("2026-03-31 23:59"), "amount": 30},
    {"order_id": "o7", "account_id": "b", "ordered_at": ts("2026-04-15 00:00"), "amount": 100, "cost": 0,
     "product": "f_late"},
    {"order_id": "o8", "account_id": "a", "ordered_at": ts("2026-04-11 00:00"), "amount": 100, "product": "f_edge"},
]


@pytest.fixture
def shop(engine):
    insert_rows(engine, Account, [
        {"account_id": "a", "created_at": ts("2025-01-01 00:00"), "plan": "pro"},
        {"account_id": "b", "created_at": ts("2025-01-01 00:00"), "plan": "basic"},
    ])
    insert_rows(engine, Feature, [
        {"feature": "f_new", "launched_at": ts("2026-03-15 00:00")},
        {"feature": "f_edge", "launched_at": ts("2026-01-10 00:00")},
        {"feature": "f_late", "launched_at": ts("2026-04-20 00:00")},
    ])
    insert_rows(engine, Order, ORDERS)
    return engine


def test_revenue_and_orders_with_previous_and_weekly_series(shop, settings) -> None:
    revenue = ask(shop, settings, "revenue", granularity="week")
    assert revenue.value == 600
    assert revenue.previous_value == 30  # o6, one minute before April
    # weeks clipped to April: 1-5, 6-12, 13-19, 20-26, 27-30
    assert series(revenue) == [100, 150, 100, 200, 50]
    assert sum(series(revenue)) == revenue.value
    orders = ask(shop, settings, "number of orders", granularity="week")
    assert (orders.value, orders.previous_value) == (6, 1)
    assert series(orders) == [1, 2, 1, 1, 1]


def test_aov_and_revenue_per_customer(shop, settings) -> None:
    aov = ask(shop, settings, "average order value")
    assert aov.value == pytest.approx(100.0)
    assert aov.n == 6
    per_customer = ask(shop, settings, "revenue_per_customer")
    assert per_customer.value == pytest.approx(300.0)  # 600 over accounts a and b
    assert per_customer.previous_value == pytest.approx(30.0)


def test_gross_margin_counts_only_orders_with_a_cost(shop, settings) -> None:
    # o1 100/40, o3 200/150, o4 50/10, o7 100/0 → (450 − 200) / 450
    assert ask(shop, settings, "gross margin").value == pytest.approx(250 / 450)


def test_new_feature_revenue_share_uses_the_90_days_before_the_order(shop, settings) -> None:
    # o1 100 + o2 50 (exactly 90 days) + o4 50; not o7 (launched later) nor o8 (91 days)
    assert ask(shop, settings, "new_feature_revenue_share").value == pytest.approx(200 / 600)


def test_breakdowns_put_orders_without_account_or_product_in_none(shop, settings) -> None:
    assert groups(ask(shop, settings, "revenue", breakdown="plan")) == [
        ("basic", 300), ("pro", 250), ("(none)", 50)]
    assert groups(ask(shop, settings, "orders", breakdown="product")) == [
        ("f_edge", 2), ("f_new", 2), ("(none)", 1), ("f_late", 1)]
    by_plan = dict(groups(ask(shop, settings, "revenue_per_customer", breakdown="plan")))
    assert by_plan == {"basic": pytest.approx(300.0), "pro": pytest.approx(250.0), "(none)": None}  # one account each


def test_filters(shop, settings) -> None:
    assert ask(shop, settings, "revenue", filters={"product": ["f_new"]}).value == 150
    assert ask(shop, settings, "revenue", filters={"plan": ["(none)"]}).value == 50


def test_empty_period_counts_are_zero_and_ratios_have_no_value(shop, settings) -> None:
    assert ask(shop, settings, "revenue", period=FEBRUARY).value == 0
    assert ask(shop, settings, "orders", period=FEBRUARY).value == 0
    for metric in ("aov", "revenue_per_customer", "gross_margin", "new_feature_revenue_share"):
        assert ask(shop, settings, metric, period=FEBRUARY).value is None, metric


def test_zero_revenue_has_no_margin(engine, settings) -> None:
    insert_rows(engine, Order, [
        {"order_id": "z", "account_id": None, "ordered_at": ts("2026-04-02 00:00"), "amount": 0, "cost": 0},
    ])
    assert ask(engine, settings, "gross_margin").value is None
    assert ask(engine, settings, "revenue_per_customer").value is None  # no order has an account
