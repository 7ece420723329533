"""MRR movements (KPI_SPEC §3) and the MRR bridge ("why did mrr change").

One CTE holds, per window and account, `m0 = MRR_a(s)`, `m1 = MRR_a(e)` and `paid_before` (a row with
mrr > 0 started before s). Every movement metric aggregates that CTE, so changes inside a window net
out per account: an account that joins and leaves within the window moves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import CTE, ColumnElement, Connection, Select, and_, case, func, or_, select

from kpi_engine.answers.format import format_signed
from kpi_engine.compute.base import Cell, Computation, ComputeContext, compile_sql, grouped
from kpi_engine.compute.dimensions import Source
from kpi_engine.compute.windows import make_windows
from kpi_engine.db.models import Subscription
from kpi_engine.periods import Period
from kpi_engine.query import MovementsQuery
from kpi_engine.results import TableResult
from kpi_engine.settings import Settings

subs = Subscription.__table__
# float sums of the same MRR may differ in their last bits: such a difference is not an expansion
TOLERANCE = 1e-6

Components = dict[str, float]
Formula = Callable[[Mapping[str, float]], float | None]


def active_at(instant: Any) -> ColumnElement[bool]:
    """A row is active at t when started_at < t <= coalesce(ended_at, +inf)."""
    return and_(subs.c.started_at < instant, or_(subs.c.ended_at.is_(None), subs.c.ended_at >= instant))


def account_movements(ctx: ComputeContext) -> CTE:
    """Columns idx, account_id, m0, m1, paid_before (0/1); only accounts paying at s or at e."""
    w = ctx.cte()
    first_paid = (
        select(subs.c.account_id, func.min(subs.c.started_at).label("first_paid_at"))
        .where(subs.c.mrr > 0)
        .group_by(subs.c.account_id)
        .cte("first_paid")
    )
    m0 = func.sum(case((active_at(w.c.s), subs.c.mrr), else_=0))
    m1 = func.sum(case((active_at(w.c.e), subs.c.mrr), else_=0))
    paid_before = func.max(case((first_paid.c.first_paid_at < w.c.s, 1), else_=0))
    overlaps = and_(subs.c.started_at < w.c.e, or_(subs.c.ended_at.is_(None), subs.c.ended_at >= w.c.s))
    return (
        select(w.c.idx, subs.c.account_id, m0.label("m0"), m1.label("m1"), paid_before.label("paid_before"))
        .select_from(w)
        .join(subs, overlaps)
        .join(first_paid, first_paid.c.account_id == subs.c.account_id, isouter=True)
        .group_by(w.c.idx, subs.c.account_id)
        .having(or_(m0 > 0, m1 > 0))
        .cte("account_mrr")
    )


MOVEMENTS: tuple[tuple[str, str], ...] = (
    # amount component, customers component
    ("new_mrr", "new_customers"),
    ("reactivation_mrr", "reactivated_customers"),
    ("expansion_mrr", "expanded_customers"),
    ("contraction_mrr", "contracted_customers"),
    ("churned_mrr", "churned_customers"),
)
COMPONENTS: tuple[str, ...] = (
    "start_mrr", "end_mrr", "start_customers", "end_customers", *(name for pair in MOVEMENTS for name in pair)
)


def component_columns(accounts: CTE) -> dict[str, ColumnElement[Any]]:
    """Every aggregate of the per-account movements, by name (MRR is never negative, so m = 0 is m <= 0)."""
    m0, m1, paid = accounts.c.m0, accounts.c.m1, accounts.c.paid_before
    starts_paying = and_(m0 <= 0, m1 > 0)
    movements: dict[str, tuple[ColumnElement[bool], ColumnElement[Any]]] = {
        "new_mrr": (and_(starts_paying, paid == 0), m1),
        "reactivation_mrr": (and_(starts_paying, paid == 1), m1),
        "expansion_mrr": (and_(m0 > 0, m1 - m0 > TOLERANCE), m1 - m0),
        "contraction_mrr": (and_(m1 > 0, m0 - m1 > TOLERANCE), m0 - m1),
        "churned_mrr": (and_(m0 > 0, m1 <= 0), m0),
    }
    columns: dict[str, ColumnElement[Any]] = {
        "start_mrr": func.sum(m0),
        "end_mrr": func.sum(m1),
        "start_customers": func.sum(case((m0 > 0, 1), else_=0)),
        "end_customers": func.sum(case((m1 > 0, 1), else_=0)),
    }
    for amount_name, customers_name in MOVEMENTS:
        condition, amount = movements[amount_name]
        columns[amount_name] = func.sum(case((condition, amount), else_=0))
        columns[customers_name] = func.sum(case((condition, 1), else_=0))
    return columns


def movement_select(ctx: ComputeContext, names: Sequence[str]) -> Select[Any]:
    """One query: the named components for every window (and group when broken down)."""
    accounts = account_movements(ctx)
    columns = component_columns(accounts)
    source = Source(account_id=accounts.c.account_id, join_from=accounts)
    stmt = select().select_from(accounts)
    return grouped(ctx, stmt, source, accounts.c.idx, *(columns[name].label(name) for name in names))


def movement_components(
    conn: Connection, ctx: ComputeContext, names: Sequence[str]
) -> dict[tuple[int, str | None], Components]:
    """(window, group) → components; without a breakdown every window is present (zeros when empty)."""
    rows = conn.execute(ctx.once(movement_select, tuple(names))).mappings().all()
    out = {(row["w"], row.get("g")): {n: float(row[n] or 0) for n in names} for row in rows}
    if ctx.breakdown is None:
        for window in ctx.windows:
            out.setdefault((window.idx, None), dict.fromkeys(names, 0.0))
    return out


class MovementComputation(Computation):
    """A metric computed from movement components by a formula (one query for all windows)."""

    def __init__(self, components: Sequence[str], formula: Formula) -> None:
        unknown = set(components) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"unknown movement components: {sorted(unknown)}")
        self.components = tuple(components)
        self.formula = formula

    def plan(self, ctx: ComputeContext) -> list[Select[Any]]:
        return [ctx.once(movement_select, self.components)]

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        cells = []
        for (window, group), values in movement_components(conn, ctx, self.components).items():
            parts: dict[str, float | int | None] = dict(values) if len(values) > 1 else {}
            cells.append(Cell(window, group, self.formula(values), parts=parts))
        return cells


BRIDGE_ROWS: tuple[tuple[str, str, str, int], ...] = (
    # label, amount component, customers component, sign in the bridge
    ("Starting MRR", "start_mrr", "start_customers", 1),
    ("New", "new_mrr", "new_customers", 1),
    ("Reactivation", "reactivation_mrr", "reactivated_customers", 1),
    ("Expansion", "expansion_mrr", "expanded_customers", 1),
    ("Contraction", "contraction_mrr", "contracted_customers", -1),
    ("Churned", "churned_mrr", "churned_customers", -1),
    ("Ending MRR", "end_mrr", "end_customers", 1),
)


def default_movements_period(query: MovementsQuery) -> Period:
    """No time phrase: movements are flows, so the last 30 days (KPI_SPEC §1)."""
    return Period(query.as_of - timedelta(days=30), query.as_of - timedelta(days=1))


def run_movements(conn: Connection, query: MovementsQuery, settings: Settings) -> TableResult:
    """The MRR bridge over the period: starting MRR, each movement (signed), ending MRR, with customers."""

    period = query.period or default_movements_period(query)
    ctx = ComputeContext(make_windows([period], settings.tz), settings, None, query.filters)
    values = movement_components(conn, ctx, COMPONENTS)[(0, None)]
    rows: list[list[Any]] = [
        [label, sign * values[amount] + 0.0, int(values[customers])]
        for label, amount, customers, sign in BRIDGE_ROWS
    ]
    net_new = values["end_mrr"] - values["start_mrr"]
    notes = [
        f"Net new MRR: {format_signed(net_new, 'currency', currency=settings.kpi_currency_symbol)} "
        "(ending − starting = new + reactivation + expansion − contraction − churned).",
        "Per account, MRR at the start is compared with MRR at the end; changes inside the period net out.",
    ]
    return TableResult(
        kind="movements",
        title="MRR movements",
        period=period,
        columns=["movement", "mrr", "customers"],
        rows=rows,
        unit="currency",
        notes=notes,
        sql=[compile_sql(movement_select(ctx, COMPONENTS), conn)],
    )
