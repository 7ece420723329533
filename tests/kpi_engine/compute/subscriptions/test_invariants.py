"""Invariants on a generated (seeded) fixture, and a check against a plain-Python reading of KPI_SPEC §3."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from kpi_engine.db.models import Account, Subscription
from kpi_engine.periods import Period
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.compute.subscriptions.helpers import account, ask, groups, month, sub

MONTHS = [month(2026, m) for m in range(1, 7)]
H1 = Period(date(2026, 1, 1), date(2026, 6, 30))
MOVEMENTS = ("new_mrr", "reactivation_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr")
ADDITIVE = ("mrr", "arr", "paying_customers", *MOVEMENTS, "net_new_mrr", "new_customers", "reactivated_customers",
            "churned_customers")
ZONE = "America/New_York"


def generated_rows(seed: int = 20260401) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    accounts, subscriptions = [], []
    first, span = datetime(2025, 10, 1), (datetime(2026, 7, 1) - datetime(2025, 10, 1)).days
    for a in range(30):
        account_id = f"acct{a}"
        if rng.random() < 0.8:  # the rest are missing from accounts: group "(none)"
            accounts.append(account(account_id, plan=rng.choice(["basic", "pro", "enterprise", None]),
                                    channel=rng.choice(["ads", "search", ""])))
        for s in range(rng.randint(1, 3)):
            start = first + timedelta(days=rng.randrange(span))
            if rng.random() < 0.7:  # else exactly at UTC midnight: month boundaries included
                start += timedelta(hours=rng.randrange(24), minutes=rng.randrange(60))
            end = None if rng.random() < 0.4 else start + timedelta(hours=rng.randrange(1, 24 * 120))
            subscriptions.append(sub(f"{account_id}-{s}", account_id, rng.choice([0, 10, 25, 49.5, 100, 250]),
                                     start, end))
    return accounts, subscriptions


def reference(subscriptions: list[dict[str, Any]], period: Period, settings: Any) -> dict[str, float]:
    """KPI_SPEC §3 read literally, in Python, for one period."""
    s, e = period.instants(settings.tz)

    def active(row: dict[str, Any], t: datetime) -> bool:
        return row["started_at"] < t and (row["ended_at"] is None or row["ended_at"] >= t)

    m0: dict[str, float] = defaultdict(float)
    m1: dict[str, float] = defaultdict(float)
    paid_before: set[str] = set()
    for row in subscriptions:
        m0[row["account_id"]] += row["mrr"] if active(row, s) else 0
        m1[row["account_id"]] += row["mrr"] if active(row, e) else 0
        if row["mrr"] > 0 and row["started_at"] < s:
            paid_before.add(row["account_id"])
    out = dict.fromkeys([*MOVEMENTS, "new_customers", "reactivated_customers", "churned_customers"], 0.0)
    for a in m0:
        if m0[a] == 0 and m1[a] > 0:
            kind = "reactivation" if a in paid_before else "new"
            out[f"{kind}_mrr"] += m1[a]
            out["reactivated_customers" if a in paid_before else "new_customers"] += 1
        elif 0 < m0[a] < m1[a]:
            out["expansion_mrr"] += m1[a] - m0[a]
        elif 0 < m1[a] < m0[a]:
            out["contraction_mrr"] += m0[a] - m1[a]
        elif m0[a] > 0 and m1[a] == 0:
            out["churned_mrr"] += m0[a]
            out["churned_customers"] += 1
    out["start_mrr"], out["end_mrr"] = sum(m0.values()), sum(m1.values())
    out["start_customers"] = sum(1 for v in m0.values() if v > 0)
    out["end_customers"] = sum(1 for v in m1.values() if v > 0)
    return out


@pytest.fixture
def generated(engine, db_url):
    accounts, subscriptions = generated_rows()
    insert_rows(engine, Account, accounts)
    insert_rows(engine, Subscription, subscriptions)
    return engine, make_settings(db_url, KPI_TIMEZONE=ZONE), subscriptions


def series(engine: Any, settings: Any, metric: str, period: Period = H1) -> list[float | None]:
    return [p.value for p in ask(engine, settings, metric, period, granularity="month", comparison="none").series]


def test_mrr_bridge_holds_every_month(generated) -> None:
    engine, settings, _ = generated
    mrr = series(engine, settings, "mrr", Period(date(2025, 12, 1), date(2026, 6, 30)))
    assert series(engine, settings, "arr") == pytest.approx([12 * v for v in mrr[1:]])
    net_new = series(engine, settings, "net_new_mrr")
    moves = {m: series(engine, settings, m) for m in MOVEMENTS}
    for i in range(len(MONTHS)):
        by_movements = (moves["new_mrr"][i] + moves["reactivation_mrr"][i] + moves["expansion_mrr"][i]
                        - moves["contraction_mrr"][i] - moves["churned_mrr"][i])
        assert mrr[i + 1] - mrr[i] == pytest.approx(net_new[i]) == pytest.approx(by_movements)
    assert any(moves["reactivation_mrr"]) and any(moves["contraction_mrr"])  # the fixture exercises them


def test_every_month_matches_the_reference(generated) -> None:
    engine, settings, subscriptions = generated
    expected = [reference(subscriptions, m, settings) for m in MONTHS]

    def rate(num: float, den: float) -> float | None:
        return None if den == 0 else num / den

    formulas = {
        "customer_churn_rate": lambda c: rate(c["churned_customers"], c["start_customers"]),
        "customer_retention_rate": lambda c: rate(
            c["end_customers"] - c["new_customers"] - c["reactivated_customers"], c["start_customers"]),
        "nrr": lambda c: rate(c["start_mrr"] + c["expansion_mrr"] - c["contraction_mrr"] - c["churned_mrr"],
                              c["start_mrr"]),
        "quick_ratio": lambda c: rate(c["new_mrr"] + c["reactivation_mrr"] + c["expansion_mrr"],
                                      c["contraction_mrr"] + c["churned_mrr"]),
        "paying_customers": lambda c: c["end_customers"],
        "mrr": lambda c: c["end_mrr"],
    }
    for name in (*MOVEMENTS, "new_customers", "reactivated_customers", "churned_customers"):
        assert series(engine, settings, name) == pytest.approx([c[name] for c in expected]), name
    for name, formula in formulas.items():
        assert series(engine, settings, name) == pytest.approx([formula(c) for c in expected]), name


@pytest.mark.parametrize("dimension", ["plan", "channel"])
def test_breakdown_groups_of_additive_metrics_sum_to_the_total(generated, dimension: str) -> None:
    engine, settings, _ = generated
    for period in (month(2026, 3), month(2026, 6)):
        for metric in ADDITIVE:
            result = ask(engine, settings, metric, period, breakdown=dimension, comparison="none")
            parts = groups(result)
            assert sum(v or 0 for v in parts.values()) == pytest.approx(result.value), (metric, period)
