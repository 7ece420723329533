"""Unit economics (KPI_SPEC §3): ltv, cac, ltv_cac_ratio, cac_payback_months.

They combine other computations (arpa, customer churn rate, new customers, marketing spend), each one
query for all windows; the combination per (window, group) happens on those few aggregates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from statistics import fmean
from typing import Any

from sqlalchemy import Connection, Select, and_, func, select

from kpi_engine.compute.base import Cell, Computation, ComputeContext, SqlComputation, grouped, ratio, register
from kpi_engine.compute.dimensions import Source
from kpi_engine.compute.subscriptions import ARPA, CUSTOMER_CHURN_RATE, NEW_CUSTOMERS
from kpi_engine.compute.windows import make_windows
from kpi_engine.db.models import MarketingSpend
from kpi_engine.periods import Period

CHURN_MONTHS = 6
spend = MarketingSpend.__table__
SPEND = Source(own={"channel": spend.c.channel})  # spend has no account: only its own channel breaks it down

Key = tuple[int, str | None]


def _by_key(cells: Sequence[Cell]) -> dict[Key, Cell]:
    return {(c.window, c.group): c for c in cells}


def _combine(
    left: Sequence[Cell], right: Sequence[Cell], value: Callable[[float | None, float | None], float | None],
    names: tuple[str, str],
) -> list[Cell]:
    """Cells for every (window, group) of either side; a side without the key counts as no value."""
    a, b = _by_key(left), _by_key(right)
    cells = []
    for key in sorted(a.keys() | b.keys(), key=lambda k: (k[0], k[1] or "")):
        x = a[key].value if key in a else None
        y = b[key].value if key in b else None
        cells.append(Cell(key[0], key[1], value(x, y), parts={names[0]: x, names[1]: y}))
    return cells


# --- marketing spend over the windows' local days (KPI_SPEC §4) ---

def spend_select(ctx: ComputeContext) -> Select[Any]:
    w = ctx.cte()
    days = and_(spend.c.day >= w.c.d0, spend.c.day <= w.c.d1)
    stmt = select().select_from(w).join(spend, days)
    return grouped(ctx, stmt, SPEND, w.c.idx, func.sum(spend.c.spend).label("value"))


SPEND_IN_WINDOWS = SqlComputation(spend_select, empty_value=0.0)


# --- ltv ---

def churn_months(last_day: Any) -> list[Period]:
    """The (up to) 6 complete calendar months ending on or before the day `last_day` ends, latest first."""
    month = Period.calendar(last_day, "month")
    if month.end > last_day:
        month = month.previous()
    months = [month]
    while len(months) < CHURN_MONTHS:
        months.append(months[-1].previous())
    return months


def churn_context(ctx: ComputeContext) -> tuple[ComputeContext, dict[int, list[int]]]:
    """One window per distinct month needed, and for each window of `ctx` the indexes of its months."""
    index: dict[Period, int] = {}
    per_window: dict[int, list[int]] = {}
    for window in ctx.windows:
        months = churn_months(window.last_day)
        for month in months:
            index.setdefault(month, len(index))
        per_window[window.idx] = [index[m] for m in months]
    months_ctx = ComputeContext(make_windows(list(index), ctx.settings.tz), ctx.settings, ctx.breakdown, ctx.filters)
    return months_ctx, per_window


class LifetimeValue(Computation):
    """ltv = arpa(e) × KPI_GROSS_MARGIN / mean monthly customer churn rate of the last 6 complete months."""

    def plan(self, ctx: ComputeContext) -> list[Select[Any]]:
        return [*ARPA.plan(ctx), *CUSTOMER_CHURN_RATE.plan(ctx.once(churn_context)[0])]

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        margin = ctx.settings.kpi_gross_margin
        months_ctx, per_window = ctx.once(churn_context)
        rates = {key: cell.value for key, cell in _by_key(CUSTOMER_CHURN_RATE.evaluate(conn, months_ctx)).items()}
        cells = []
        for cell in ARPA.evaluate(conn, ctx):
            known = [r for m in per_window[cell.window] if (r := rates.get((m, cell.group))) is not None]
            churn = fmean(known) if known else None
            value = None if cell.value is None else ratio(cell.value * margin, churn)
            parts: dict[str, float | int | None] = {"arpa": cell.value, "gross_margin": margin, "monthly_churn": churn}
            cells.append(Cell(cell.window, cell.group, value, parts=parts))
        return cells


def _per_new_customer(spent: float | None, new_customers: float | None) -> float | None:
    return ratio(0.0 if spent is None else spent, new_customers)  # a group without spend rows spent 0


class CustomerAcquisitionCost(Computation):
    """cac = marketing spend(P) / new customers(P); by channel, new customers whose account has that channel."""

    def plan(self, ctx: ComputeContext) -> list[Select[Any]]:
        return [*SPEND_IN_WINDOWS.plan(ctx), *NEW_CUSTOMERS.plan(ctx)]

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        spent = SPEND_IN_WINDOWS.evaluate(conn, ctx)
        new = NEW_CUSTOMERS.evaluate(conn, ctx)
        return _combine(spent, new, _per_new_customer, ("marketing_spend", "new_customers"))


class Combined(Computation):
    """A metric from two computations over the same windows and groups, value = combine(left, right)."""

    def __init__(
        self, left: Computation, right: Computation, combine: Callable[[float | None, float | None], float | None],
        names: tuple[str, str],
    ) -> None:
        self.left, self.right, self.combine, self.names = left, right, combine, names

    def plan(self, ctx: ComputeContext) -> list[Select[Any]]:
        return [*self.left.plan(ctx), *self.right.plan(ctx)]

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        return _combine(self.left.evaluate(conn, ctx), self.right.evaluate(conn, ctx), self.combine, self.names)


class PaybackMonths(Computation):
    """cac_payback_months = cac / (arpa(e) × KPI_GROSS_MARGIN)."""

    def plan(self, ctx: ComputeContext) -> list[Select[Any]]:
        return [*CAC.plan(ctx), *ARPA.plan(ctx)]

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        margin = ctx.settings.kpi_gross_margin
        return _combine(
            CAC.evaluate(conn, ctx), ARPA.evaluate(conn, ctx),
            lambda cac, arpa: ratio(cac, None if arpa is None else arpa * margin), ("cac", "arpa"),
        )


LTV = register("ltv", LifetimeValue())
CAC = register("cac", CustomerAcquisitionCost())
register("ltv_cac_ratio", Combined(LTV, CAC, ratio, ("ltv", "cac")))
register("cac_payback_months", PaybackMonths())
