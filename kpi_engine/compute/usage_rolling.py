"""Rolling actives (KPI_SPEC §5): dau, wau, mau = mean over the days d of P of the distinct users active
in the 1, 7 or 30 days ending on d; stickiness = dau / mau.

Without breakdown or filters the daily counts are read from `daily_usage`; broken down or filtered by one
account dimension only, from `group_daily_usage`. Otherwise, from `usage_days`:
an active day `day` of a user whose previous active day is `prev_day` adds the user to the N-day counts of
the days `max(day, prev_day + N)` .. `day + N - 1` (these stretches never overlap for one user), so the sum
over d in P of the daily count is the sum of the stretches' overlaps with P, with no per-day join.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, select

from kpi_engine.compute.base import ComputeContext, grouped
from kpi_engine.compute.dialect import add_days, days_between, greatest_of, least_of
from kpi_engine.compute.usage_common import DayTotals, by_user, day_totals, usage
from kpi_engine.db.models.derived import UsageDay

usage_days = UsageDay.__table__
WINDOW_DAYS = {"dau": 1, "wau": 7, "mau": 30}


def _days_in(w: Any) -> Any:
    return days_between(w.c.d0, w.c.d1) + 1


def _daily(ctx: ComputeContext, totals: DayTotals, num: str, den: str | None) -> Select[Any]:
    """From day totals: sum of the `num` column, over the sum of `den` or over the days of the window."""
    w = ctx.cte()
    du = totals.table
    stmt = select().select_from(w).join(du, and_(totals.where, du.c.day.between(w.c.d0, w.c.d1)))
    denominator = func.sum(du.c[den]) if den else func.max(_days_in(w))
    stmt = grouped(ctx, stmt, totals.source, w.c.idx, func.sum(du.c[num]).label("num"), denominator.label("den"))
    return stmt.having(func.sum(du.c[den or num]) > 0)  # like per-user rows: no group without users


def _covered_days(spans: Any, w: Any, n: int) -> Any:
    """Days of the window during which the span row keeps the user in the n-day count."""
    if n == 1:
        return case((spans.c.day >= w.c.d0, 1), else_=0)
    start, end = spans.c[f"start_{n}"], add_days(spans.c.day, n - 1)
    overlap = days_between(greatest_of(start, w.c.d0), least_of(end, w.c.d1)) + 1
    return case((and_(start <= w.c.d1, end >= w.c.d0), overlap), else_=0)


def _from_usage_days(ctx: ComputeContext, num_n: int, den_n: int | None) -> Select[Any]:
    """Per-user rows: sum over the window's days of the num_n-day count, over den_n's (or the days)."""
    widest = max(num_n, den_n or 1)
    ud = usage_days
    lo = min(w.first_day for w in ctx.windows) - timedelta(days=widest - 1)
    hi = max(w.last_day for w in ctx.windows)
    starts = [
        case(
            (days_between(ud.c.prev_day, ud.c.day) < n, add_days(ud.c.prev_day, n)), else_=ud.c.day
        ).label(f"start_{n}")
        for n in sorted({num_n, den_n or 1} - {1})
    ]
    spans = select(ud.c.user_id, ud.c.day, *starts).where(ud.c.day.between(lo, hi)).subquery("spans")
    w = ctx.cte()
    stmt = select().select_from(w).join(spans, spans.c.day.between(add_days(w.c.d0, 1 - widest), w.c.d1))
    num = func.sum(_covered_days(spans, w, num_n))
    den = func.sum(_covered_days(spans, w, den_n)) if den_n else func.max(_days_in(w))

    def outer(per_user: Any) -> list[Any]:
        total_den = func.sum(per_user.c.den) if den_n else func.max(per_user.c.den)
        return [func.sum(per_user.c.num).label("num"), total_den.label("den")]

    return by_user(ctx, stmt, w.c.idx, spans.c.user_id, {"num": num, "den": den}, outer)


def _rolling(metric: str) -> None:
    n = WINDOW_DAYS[metric]

    @usage(metric, empty_value=0.0)
    def build(ctx: ComputeContext) -> Select[Any]:
        totals = day_totals(ctx)
        return _from_usage_days(ctx, n, None) if totals is None else _daily(ctx, totals, metric, None)


for _metric in WINDOW_DAYS:
    _rolling(_metric)


@usage("stickiness")
def stickiness(ctx: ComputeContext) -> Select[Any]:
    totals = day_totals(ctx)
    return _from_usage_days(ctx, 1, 30) if totals is None else _daily(ctx, totals, "dau", "mau")
