"""Movement metrics on the April story of conftest (worked by hand there), both backends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kpi_engine.db.models import Subscription
from kpi_engine.periods import Period
from kpi_engine.query import Filter
from tests.conftest import insert_rows
from tests.kpi_engine.compute.subscriptions.helpers import ask, groups, month, sub, value

APRIL = month(2026, 4)
MARCH_TO_MAY = Period(date(2026, 3, 1), date(2026, 5, 31))

APRIL_VALUES = {
    "new_mrr": 220,  # E 20 + H 200 (H starts exactly at 2026-04-01 00:00: not active at s, active at e)
    "reactivation_mrr": 25,  # F paid in January
    "expansion_mrr": 30,  # C 40 → 70
    "contraction_mrr": 30,  # B cancels one of its two subscriptions: contraction, not churn
    "churned_mrr": 60,  # D
    "net_new_mrr": 185,  # = 480 − 295; G joins and leaves in April: moves nothing
    "new_customers": 2,
    "reactivated_customers": 1,
    "churned_customers": 1,
    "customer_churn_rate": 1 / 5,
    "customer_retention_rate": (7 - 2 - 1) / 5,
    "gross_mrr_churn_rate": (60 + 30) / 295,
    "net_mrr_churn_rate": (60 + 30 - 30 - 25) / 295,
    "nrr": (295 + 30 - 30 - 60) / 295,
    "grr": (295 - 30 - 60) / 295,
    "mrr_growth_rate": 185 / 295,
    "quick_ratio": (220 + 25 + 30) / (30 + 60),
}


@pytest.mark.parametrize("metric", sorted(APRIL_VALUES))
def test_april_movements_and_march_as_previous(story, settings, metric: str) -> None:
    result = ask(story, settings, metric, APRIL)
    assert result.value == pytest.approx(APRIL_VALUES[metric])
    # March moves nothing: MRR 295 at both ends (h1 starts at 2026-04-01 00:00, not active at March's end)
    march = {"customer_churn_rate": 0, "customer_retention_rate": 1, "nrr": 1, "grr": 1, "quick_ratio": None}
    assert result.previous_value == march.get(metric, 0)


def test_boundary_row_churns_in_may(story, settings) -> None:
    may = month(2026, 5)
    assert value(story, settings, "churned_mrr", may) == 200  # h1 ends at 2026-05-01 00:00
    assert value(story, settings, "churned_customers", may) == 1
    assert value(story, settings, "new_mrr", may) == 0
    assert value(story, settings, "customer_churn_rate", may) == pytest.approx(1 / 7)
    assert value(story, settings, "quick_ratio", may) == 0  # nothing gained, 200 lost
    assert value(story, settings, "net_new_mrr", may) == -200


def test_changes_inside_the_period_net_out(story, settings) -> None:
    # over March..May, H (Apr 1 .. May 1) joins and leaves: only E is new
    assert value(story, settings, "new_mrr", MARCH_TO_MAY) == 20
    assert value(story, settings, "new_customers", MARCH_TO_MAY) == 1
    assert value(story, settings, "churned_mrr", MARCH_TO_MAY) == 60
    assert value(story, settings, "net_new_mrr", MARCH_TO_MAY) == 280 - 295


def test_series_buckets(story, settings) -> None:
    def series(metric: str) -> list[float | None]:
        return [p.value for p in ask(story, settings, metric, MARCH_TO_MAY, granularity="month").series]

    assert series("new_mrr") == [0, 220, 0]
    assert series("new_customers") == [0, 2, 0]
    assert series("churned_mrr") == [0, 60, 200]
    assert series("customer_churn_rate") == pytest.approx([0, 1 / 5, 1 / 7])
    assert series("quick_ratio") == pytest.approx([None, 275 / 90, 0])
    assert series("net_new_mrr") == [0, 185, -200]


def test_breakdown_divides_rates_within_each_group(story, settings) -> None:
    # pro: A 100, B 80 → 50, F 0 → 25; basic: C 40 → 70, D 60 → 0, E 0 → 20; enterprise: H 0 → 200;
    # (none): J 15 → 15 (J has no accounts row; G no account either but moves nothing)
    assert groups(ask(story, settings, "new_mrr", APRIL, breakdown="plan")) == {
        "enterprise": 200, "basic": 20, "pro": 0, "(none)": 0}
    assert groups(ask(story, settings, "net_new_mrr", APRIL, breakdown="plan")) == {
        "enterprise": 200, "(none)": 0, "pro": -5, "basic": -10}
    churn = ask(story, settings, "customer_churn_rate", APRIL, breakdown="plan")
    assert groups(churn) == {"basic": 0.5, "pro": 0, "(none)": 0, "enterprise": None}
    assert {g.group: g.previous for g in churn.breakdown} == {"basic": 0, "pro": 0, "(none)": 0, "enterprise": None}
    assert groups(ask(story, settings, "nrr", APRIL, breakdown="plan")) == pytest.approx(
        {"basic": 0.7, "pro": 150 / 180, "(none)": 1, "enterprise": None})
    assert groups(ask(story, settings, "reactivated_customers", APRIL, breakdown="channel")) == {
        "(none)": 1, "ads": 0, "search": 0, "partner": 0}


def test_filters(story, settings) -> None:
    basic = (Filter(dimension="plan", values=("basic",)),)
    assert value(story, settings, "new_mrr", APRIL, filters=basic) == 20
    assert value(story, settings, "churned_customers", APRIL, filters=basic) == 1
    assert value(story, settings, "customer_churn_rate", APRIL, filters=basic) == 0.5
    assert value(story, settings, "net_new_mrr", APRIL, filters=basic) == -10
    none = (Filter(dimension="plan", values=("(none)",)),)
    assert value(story, settings, "nrr", APRIL, filters=none) == 1
    ads = (Filter(dimension="channel", values=("ads",)),)
    assert value(story, settings, "new_customers", APRIL, filters=ads) == 1  # E


def test_zero_denominators_have_no_value(engine, settings) -> None:
    for metric in ("customer_churn_rate", "customer_retention_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate",
                   "nrr", "grr", "mrr_growth_rate", "quick_ratio"):
        assert value(engine, settings, metric, APRIL) is None, metric
    for metric in ("new_mrr", "churned_mrr", "net_new_mrr", "new_customers", "churned_customers"):
        assert value(engine, settings, metric, APRIL) == 0, metric


def test_paid_before_needs_a_paying_row_started_before_s(engine, settings) -> None:
    insert_rows(engine, Subscription, [
        sub("k0", "K", 0, datetime(2026, 1, 1), datetime(2026, 3, 1)),  # free rows do not count as paid
        sub("k1", "K", 50, datetime(2026, 4, 2)),
        sub("l0", "L", 30, datetime(2026, 3, 10), datetime(2026, 3, 20)),  # March: joins and leaves
        sub("l1", "L", 30, datetime(2026, 4, 5)),
    ])
    assert value(engine, settings, "new_mrr", APRIL) == 50
    assert value(engine, settings, "reactivation_mrr", APRIL) == 30
    assert value(engine, settings, "reactivated_customers", APRIL) == 1
    assert value(engine, settings, "new_customers", month(2026, 3)) == 0


def test_worked_example_retention_rates(engine, settings) -> None:
    """Start MRR 100; churned 10, contraction 10, expansion 10 → gross 20%, net 10%, GRR 80%, NRR 90%."""
    jan = datetime(2026, 1, 1)
    insert_rows(engine, Subscription, [
        sub("w1", "churns", 10, jan, datetime(2026, 4, 15)),
        sub("w2a", "contracts", 10, jan), sub("w2b", "contracts", 10, jan, datetime(2026, 4, 20)),
        sub("w3a", "expands", 30, jan, datetime(2026, 4, 10)), sub("w3b", "expands", 40, datetime(2026, 4, 10)),
        sub("w4", "stays", 40, jan),
    ])
    assert value(engine, settings, "gross_mrr_churn_rate", APRIL) == pytest.approx(0.20)
    assert value(engine, settings, "net_mrr_churn_rate", APRIL) == pytest.approx(0.10)
    assert value(engine, settings, "grr", APRIL) == pytest.approx(0.80)
    assert value(engine, settings, "net revenue retention", APRIL) == pytest.approx(0.90)
    assert value(engine, settings, "ndr", APRIL) == pytest.approx(0.90)


def test_worked_example_customer_retention_rate(engine, settings) -> None:
    """S = 200 paying at start, 40 new, E = 220 at end → CRR 90%."""
    rows = [sub(f"s{i}", f"old{i}", 10, datetime(2026, 1, 1), datetime(2026, 4, 15) if i < 20 else None)
            for i in range(200)]
    rows += [sub(f"n{i}", f"new{i}", 10, datetime(2026, 4, 10)) for i in range(40)]
    insert_rows(engine, Subscription, rows)
    assert value(engine, settings, "paying_customers", APRIL) == 220
    assert value(engine, settings, "crr", APRIL) == pytest.approx(0.90)
    assert value(engine, settings, "churn rate", APRIL) == pytest.approx(0.10)
