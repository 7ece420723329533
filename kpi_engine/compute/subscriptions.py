"""Subscription revenue and customer metrics (KPI_SPEC §3): stocks at e, and movement-based flows and rates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, case, distinct, func, select

from kpi_engine.compute.base import COMPUTATIONS, Computation, ComputeContext, computes, grouped, ratio, register
from kpi_engine.compute.dimensions import Source
from kpi_engine.compute.movements import Formula, MovementComputation, active_at, subs

__all__ = ["ARPA", "CUSTOMER_CHURN_RATE", "NEW_CUSTOMERS", "SUBSCRIPTIONS", "active_at"]

SUBSCRIPTIONS = Source(account_id=subs.c.account_id, join_from=subs)


def _active_at_e(ctx: ComputeContext) -> tuple[Any, Select[Any]]:
    w = ctx.cte()
    return w, select().select_from(w).join(subs, active_at(w.c.e))


def _paying_accounts() -> Any:
    """paying(t): accounts with MRR_a(t) > 0, i.e. (MRR being never negative) with an active row paying > 0."""
    return func.count(distinct(case((subs.c.mrr > 0, subs.c.account_id))))


@computes("mrr", empty_value=0.0)
def mrr(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _active_at_e(ctx)
    return grouped(ctx, stmt, SUBSCRIPTIONS, w.c.idx, func.sum(subs.c.mrr).label("value"))


@computes("arr", empty_value=0.0)
def arr(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _active_at_e(ctx)
    return grouped(ctx, stmt, SUBSCRIPTIONS, w.c.idx, (12 * func.sum(subs.c.mrr)).label("value"))


@computes("paying_customers", empty_value=0.0)
def paying_customers(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _active_at_e(ctx)
    return grouped(ctx, stmt, SUBSCRIPTIONS, w.c.idx, _paying_accounts().label("value"))


@computes("arpa")
def arpa(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _active_at_e(ctx)
    return grouped(
        ctx, stmt, SUBSCRIPTIONS, w.c.idx, func.sum(subs.c.mrr).label("num"), _paying_accounts().label("den")
    )


ARPA: Computation = COMPUTATIONS["arpa"]


# --- flows and rates over P, from the per-account movements (one query for all windows) ---

def _movement(metric_id: str, components: tuple[str, ...], formula: Formula) -> MovementComputation:
    computation = MovementComputation(components, formula)
    register(metric_id, computation)
    return computation


def _component(name: str) -> MovementComputation:
    return _movement(name, (name,), lambda c: c[name])


MOVEMENT_AMOUNTS = ("new_mrr", "reactivation_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr")
for _amount in MOVEMENT_AMOUNTS:
    _component(_amount)
NEW_CUSTOMERS = _component("new_customers")
_component("reactivated_customers")
_component("churned_customers")


def _net_new(c: Mapping[str, float]) -> float:
    return c["new_mrr"] + c["reactivation_mrr"] + c["expansion_mrr"] - c["contraction_mrr"] - c["churned_mrr"]


_movement("net_new_mrr", MOVEMENT_AMOUNTS, _net_new)
CUSTOMER_CHURN_RATE = _movement(
    "customer_churn_rate", ("churned_customers", "start_customers"),
    lambda c: ratio(c["churned_customers"], c["start_customers"]),
)
_movement(
    "customer_retention_rate", ("end_customers", "new_customers", "reactivated_customers", "start_customers"),
    lambda c: ratio(c["end_customers"] - c["new_customers"] - c["reactivated_customers"], c["start_customers"]),
)
_movement(
    "gross_mrr_churn_rate", ("churned_mrr", "contraction_mrr", "start_mrr"),
    lambda c: ratio(c["churned_mrr"] + c["contraction_mrr"], c["start_mrr"]),
)
_movement(
    "net_mrr_churn_rate", ("churned_mrr", "contraction_mrr", "expansion_mrr", "reactivation_mrr", "start_mrr"),
    lambda c: ratio(c["churned_mrr"] + c["contraction_mrr"] - c["expansion_mrr"] - c["reactivation_mrr"],
                    c["start_mrr"]),
)
_movement(
    "nrr", ("start_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr"),
    lambda c: ratio(c["start_mrr"] + c["expansion_mrr"] - c["contraction_mrr"] - c["churned_mrr"], c["start_mrr"]),
)
_movement(
    "grr", ("start_mrr", "contraction_mrr", "churned_mrr"),
    lambda c: ratio(c["start_mrr"] - c["contraction_mrr"] - c["churned_mrr"], c["start_mrr"]),
)
_movement(
    "mrr_growth_rate", ("end_mrr", "start_mrr"),
    lambda c: ratio(c["end_mrr"] - c["start_mrr"], c["start_mrr"]),
)
_movement(
    "quick_ratio", MOVEMENT_AMOUNTS,
    lambda c: ratio(c["new_mrr"] + c["reactivation_mrr"] + c["expansion_mrr"], c["contraction_mrr"] + c["churned_mrr"]),
)
