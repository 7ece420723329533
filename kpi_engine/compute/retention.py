"""Retention cohorts (KPI_SPEC §5): users grouped by the local week or month of their signup (`created_at`); for
k = 0 .. offsets, the share of a cohort active (a day in `usage_days`) in the k-th week or month after the
signup one (k = 0 is the signup week or month itself).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Date, DateTime, Integer, Select, and_, func, literal, or_, select, union_all

from kpi_engine.compute.base import compile_sql
from kpi_engine.compute.dialect import days_between, month_number, typed_value
from kpi_engine.compute.dimensions import apply_dimensions
from kpi_engine.compute.user_attributes import user_attributes
from kpi_engine.db.models.derived import UsageDay
from kpi_engine.derived import ensure_derived_current
from kpi_engine.periods import Period, grain_start, grain_step
from kpi_engine.query import RetentionQuery
from kpi_engine.results import TableResult
from kpi_engine.settings import Settings

usage_days = UsageDay.__table__


def cohort_period(query: RetentionQuery) -> Period:
    """No time phrase: the cohorts of the as-of week/month and of the `offsets` ones before it."""
    if query.period is not None:
        return query.period
    start = grain_start(query.as_of, query.cohort_grain) - grain_step(query.cohort_grain, query.offsets)
    return Period(start, query.as_of)


def cohorts_cte(cohorts: list[Period], grain: Any, tz: Any) -> Any:
    """Per cohort: idx, signup instants [s, e) and its calendar week/month start."""
    rows = []
    for idx, cohort in enumerate(cohorts):
        s, e = cohort.instants(tz)
        start = grain_start(cohort.start, grain)
        rows.append(select(literal(idx, Integer).label("idx"), typed_value(s, DateTime()).label("s"),
                           typed_value(e, DateTime()).label("e"), typed_value(start, Date()).label("start")))
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte("cohorts")


def retention_selects(
    query: RetentionQuery, cohorts: list[Period], settings: Settings
) -> tuple[Select[Any], Select[Any]]:
    """(cohort idx, size) and (cohort idx, k, users active in the k-th week/month after the signup one).

    A user counts once per week/month: on its first active day there (previous active day before it).
    """
    grain = query.cohort_grain
    c = cohorts_cte(cohorts, grain, settings.tz)
    who = user_attributes(settings)
    members = select().select_from(c).join(who.table, and_(who.created_at >= c.c.s, who.created_at < c.c.e))
    members = apply_dimensions(members, who.source(), None, query.filters).stmt
    members_cte = members.with_only_columns(c.c.idx.label("cohort"), c.c.start, who.user_id).cte("members")
    m = members_cte
    sizes = select(m.c.cohort, func.count().label("users")).group_by(m.c.cohort)
    ud = usage_days

    def k_of(day: Any) -> Any:
        """Weeks or months from the cohort's (day >= start: integer division is floor division)."""
        if grain == "week":
            return days_between(m.c.start, day) // 7
        return month_number(day) - month_number(m.c.start)

    k = k_of(ud.c.day)
    if grain == "month":  # the first active day of a calendar month: needs no cohort, so it is cheap and first
        first_in_period = month_number(ud.c.prev_day) < month_number(ud.c.day)
    else:
        first_in_period = or_(ud.c.prev_day < m.c.start, k_of(ud.c.prev_day) < k)
    # conditions on expressions of `day` (not `day` itself) keep the planner on the per-user index
    followed = and_(days_between(m.c.start, ud.c.day) >= 0, k <= query.offsets)
    per_period = (
        select(m.c.cohort, k.label("k"))
        .select_from(m)
        .join(ud, ud.c.user_id == m.c.user_id)
        .where(first_in_period, followed)
        .subquery("per_period")
    )
    active = select(per_period.c.cohort, per_period.c.k, func.count().label("n")).group_by(
        per_period.c.cohort, per_period.c.k
    )
    return sizes, active


def run_retention(conn: Connection, query: RetentionQuery, settings: Settings) -> TableResult:
    ensure_derived_current(conn, settings)
    grain = query.cohort_grain
    period = cohort_period(query)
    cohorts = period.buckets(grain)
    sizes_stmt, active_stmt = retention_selects(query, cohorts, settings)
    sizes = {int(r.cohort): int(r.users) for r in conn.execute(sizes_stmt)}
    active = {(int(r.cohort), int(r.k)): int(r.n) for r in conn.execute(active_stmt)}

    rows: list[list[Any]] = []
    for c, cohort in enumerate(cohorts):
        start = grain_start(cohort.start, grain)
        size = sizes.get(c, 0)
        shares: list[float | None] = []
        for k in range(query.offsets + 1):
            started = start + grain_step(grain, k) <= query.as_of
            shares.append(active.get((c, k), 0) / size if size and started else None)
        rows.append([start.isoformat(), size, *shares])
    return TableResult(
        kind="retention",
        title=f"Retention by signup {grain}",
        period=period,
        columns=["cohort", "users", *(f"{grain} {k}" for k in range(query.offsets + 1))],
        rows=rows,
        unit="percent",
        notes=[
            f"Cohorts: users by the {grain} of signup (reporting zone). {grain.capitalize()} k: share of the "
            f"cohort with an event in the k-th {grain} after the signup one ({grain} 0 = the signup {grain}).",
            f"No value for {grain}s that start after the as-of day; the {grain} containing it is still running.",
        ],
        sql=[compile_sql(sizes_stmt, conn), compile_sql(active_stmt, conn)],
    )
