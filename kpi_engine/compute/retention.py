"""Retention cohorts (KPI_SPEC §5): users grouped by the local week or month of `users.created_at`; for
k = 0 .. offsets, the share of a cohort active (a day in `user_days`) in the k-th week or month after the
signup one (k = 0 is the signup week or month itself).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, distinct, func, select

from kpi_engine.compute.dimensions import Source, apply_dimensions
from kpi_engine.compute.runner import compile_sql
from kpi_engine.compute.windows import make_windows, windows_cte
from kpi_engine.db.models import User, UserDay
from kpi_engine.derived import ensure_derived_current
from kpi_engine.periods import Period, grain_start, grain_step
from kpi_engine.query import RetentionQuery
from kpi_engine.results import TableResult
from kpi_engine.settings import Settings

users = User.__table__
user_days = UserDay.__table__


def cohort_period(query: RetentionQuery) -> Period:
    """No time phrase: the cohorts of the as-of week/month and of the `offsets` ones before it."""
    if query.period is not None:
        return query.period
    start = grain_start(query.as_of, query.cohort_grain) - grain_step(query.cohort_grain, query.offsets)
    return Period(start, query.as_of)


def _calendar(first: date, count: int, grain: Any) -> list[Period]:
    return [Period.calendar(first + grain_step(grain, i), grain) for i in range(count)]


def retention_selects(
    query: RetentionQuery, cohorts: list[Period], calendar: list[Period], settings: Settings
) -> tuple[Select[Any], Select[Any]]:
    """(cohort idx, size) and (cohort idx, calendar idx, active users)."""
    tz = settings.tz
    cohort_w = windows_cte(make_windows(cohorts, tz), "cohorts")
    calendar_w = windows_cte(make_windows(calendar, tz), "calendar")
    members = (
        select()
        .select_from(cohort_w)
        .join(users, and_(users.c.created_at >= cohort_w.c.s, users.c.created_at < cohort_w.c.e))
    )
    source = Source(account_id=users.c.account_id, join_from=users)
    members = apply_dimensions(members, source, None, query.filters).stmt
    members_cte = members.with_only_columns(cohort_w.c.idx.label("cohort"), users.c.user_id).cte("members")
    sizes = select(members_cte.c.cohort, func.count().label("users")).group_by(members_cte.c.cohort)
    ud = user_days
    active = (
        select(members_cte.c.cohort, calendar_w.c.idx.label("period"), func.count(distinct(ud.c.user_id)).label("n"))
        .select_from(members_cte)
        .join(ud, and_(ud.c.user_id == members_cte.c.user_id, ud.c.day.between(calendar[0].start, calendar[-1].end)))
        .join(calendar_w, ud.c.day.between(calendar_w.c.d0, calendar_w.c.d1))
        .group_by(members_cte.c.cohort, calendar_w.c.idx)
    )
    return sizes, active


def run_retention(conn: Connection, query: RetentionQuery, settings: Settings) -> TableResult:
    ensure_derived_current(conn, settings)
    grain = query.cohort_grain
    period = cohort_period(query)
    cohorts = period.buckets(grain)
    first = grain_start(cohorts[0].start, grain)
    calendar = _calendar(first, len(cohorts) + query.offsets, grain)
    position = {p.start: i for i, p in enumerate(calendar)}
    sizes_stmt, active_stmt = retention_selects(query, cohorts, calendar, settings)
    sizes = {int(r.cohort): int(r.users) for r in conn.execute(sizes_stmt)}
    active = {(int(r.cohort), int(r.period)): int(r.n) for r in conn.execute(active_stmt)}

    rows: list[list[Any]] = []
    for c, cohort in enumerate(cohorts):
        at = position[grain_start(cohort.start, grain)]
        size = sizes.get(c, 0)
        shares: list[float | None] = []
        for k in range(query.offsets + 1):
            started = calendar[at + k].start <= query.as_of
            shares.append(active.get((c, at + k), 0) / size if size and started else None)
        rows.append([calendar[at].start.isoformat(), size, *shares])
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
