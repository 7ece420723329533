"""Order metrics (KPI_SPEC §4): revenue, orders, aov, revenue per customer, gross margin, new-feature share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select

from kpi_engine.compute.base import ComputeContext, computes, grouped
from kpi_engine.compute.dialect import seconds_between
from kpi_engine.compute.dimensions import Source
from kpi_engine.db.models import Feature, Order

orders = Order.__table__
features = Feature.__table__
ORDERS = Source(own={"product": orders.c.product}, account_id=orders.c.account_id, join_from=orders)
NEW_FEATURE_SECONDS = 90 * 86400


def _orders_in_windows(ctx: ComputeContext) -> tuple[Any, Select[Any]]:
    w = ctx.cte()
    stmt = select().select_from(w).join(orders, and_(orders.c.ordered_at >= w.c.s, orders.c.ordered_at < w.c.e))
    return w, stmt


@computes("revenue", empty_value=0.0)
def revenue(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _orders_in_windows(ctx)
    return grouped(ctx, stmt, ORDERS, w.c.idx, func.sum(orders.c.amount).label("value"))


@computes("orders", empty_value=0.0)
def order_count(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _orders_in_windows(ctx)
    return grouped(ctx, stmt, ORDERS, w.c.idx, func.count().label("value"))


@computes("aov")
def average_order_value(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _orders_in_windows(ctx)
    return grouped(
        ctx, stmt, ORDERS, w.c.idx,
        func.sum(orders.c.amount).label("num"), func.count().label("den"), func.count().label("n"),
    )


@computes("revenue_per_customer")
def revenue_per_customer(ctx: ComputeContext) -> Select[Any]:
    w, stmt = _orders_in_windows(ctx)
    customers = func.count(orders.c.account_id.distinct())
    return grouped(
        ctx, stmt, ORDERS, w.c.idx,
        func.sum(orders.c.amount).label("num"), customers.label("den"), customers.label("n"),
    )


@computes("gross_margin")
def gross_margin(ctx: ComputeContext) -> Select[Any]:
    """Over the orders of the window whose cost is known."""
    w, stmt = _orders_in_windows(ctx)
    stmt = stmt.where(orders.c.cost.is_not(None))
    return grouped(
        ctx, stmt, ORDERS, w.c.idx,
        (func.sum(orders.c.amount) - func.sum(orders.c.cost)).label("num"),
        func.sum(orders.c.amount).label("den"),
        func.count().label("n"),
    )


@computes("new_feature_revenue_share")
def new_feature_revenue_share(ctx: ComputeContext) -> Select[Any]:
    """Revenue of orders whose product is a feature launched within the 90 days before the order."""
    w, stmt = _orders_in_windows(ctx)
    stmt = stmt.join(features, features.c.feature == orders.c.product, isouter=True)
    age = seconds_between(features.c.launched_at, orders.c.ordered_at)
    is_new = and_(features.c.launched_at.is_not(None), age >= 0, age <= NEW_FEATURE_SECONDS)
    return grouped(
        ctx, stmt, ORDERS, w.c.idx,
        func.sum(case((is_new, orders.c.amount), else_=literal(0.0))).label("num"),
        func.sum(orders.c.amount).label("den"),
        func.count().label("n"),
    )
