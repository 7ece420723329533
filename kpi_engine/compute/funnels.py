"""Funnels (KPI_SPEC §5): ordered steps (event names) a user goes through within a window.

A user enters at their first step-1 event in the period (t1). Step k is reached by the first step-k event
at or after the step k-1 one (strictly after when both steps are the same event name) and at most
`window_days` after t1. Rows: step, users, conversion from the previous step, conversion from the first.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, DateTime, Integer, Select, case, func, literal, literal_column, select, union_all

from kpi_engine.compute.base import compile_sql
from kpi_engine.compute.dialect import add_seconds
from kpi_engine.compute.dimensions import NONE_GROUP, Source, apply_dimensions
from kpi_engine.compute.event_names import event_names, match_steps
from kpi_engine.db.models import Event, User
from kpi_engine.periods import Period
from kpi_engine.query import FunnelQuery
from kpi_engine.results import TableResult
from kpi_engine.settings import Settings

events = Event.__table__
# inline constants, not bound parameters: SQLite plans (automatic partial indexes) depend on seeing them
ZERO, ONE = literal_column("0", Integer), literal_column("1", Integer)
users = User.__table__
COLUMNS = ["step", "users", "conversion_from_previous", "conversion_from_first"]


def default_period(query: FunnelQuery) -> Period:
    """No time phrase: the last 30 days, like every flow metric."""
    return query.period or Period(query.as_of - timedelta(days=30), query.as_of - timedelta(days=1))


def funnel_select(query: FunnelQuery, period: Period, settings: Settings) -> Select[Any]:
    """One row per group (or one row): `g` when broken down, then `step_1` .. `step_n` user counts."""
    s, e = period.instants(settings.tz)
    first = events.alias("e1")
    entry = (
        select(first.c.user_id, func.min(first.c.occurred_at).label("start"), func.min(first.c.occurred_at).label("t"))
        .where(first.c.name == query.steps[0], first.c.occurred_at >= s, first.c.occurred_at < e)
        .group_by(first.c.user_id)
    )
    if query.filters:
        entry = entry.join(users, users.c.user_id == first.c.user_id, isouter=True)
        source = Source(account_id=users.c.account_id, join_from=users)
        entry = apply_dimensions(entry, source, None, query.filters).stmt
    previous = entry.cte("step_1")
    steps = [previous]
    for k, name in enumerate(query.steps[1:], start=2):
        previous = _next_step(previous, name, query.steps[k - 2] == name, s, e, query.window_days, k)
        steps.append(previous)
    stmt = select().select_from(steps[0])
    for step in steps[1:]:
        stmt = stmt.join(step, step.c.user_id == steps[0].c.user_id, isouter=True)
    counts: list[Any] = [func.count(step.c.user_id).label(f"step_{i}") for i, step in enumerate(steps, start=1)]
    if query.breakdown is None:
        return stmt.with_only_columns(*counts)
    stmt = stmt.join(users, users.c.user_id == steps[0].c.user_id, isouter=True)
    applied = apply_dimensions(stmt, Source(account_id=users.c.account_id, join_from=users), query.breakdown)
    assert applied.group is not None
    return applied.stmt.with_only_columns(applied.group, *counts).group_by(applied.group)


def _next_step(previous: Any, name: str, same_as_previous: bool, s: Any, e: Any, window_days: int, k: int) -> Any:
    """Users of `previous` (user_id, start, t) with a `name` event at or after t (strictly after when the
    previous step is the same event) and at most window_days after start; t = the first such event.

    The step's events of those users are read once; each user's next one is found in one ordered pass (a
    window function) rather than by a join whose plan could go quadratic.
    """
    ev = events.alias(f"e{k}")
    candidates = (
        select(ev.c.user_id, literal(None, DateTime).label("start"), ev.c.occurred_at.label("t"),
               ONE.label("is_event"))
        .where(
            ev.c.name == name,
            ev.c.occurred_at >= s,
            ev.c.occurred_at < e + timedelta(days=window_days),
            ev.c.user_id.in_(select(previous.c.user_id)),  # lets the database read per user when that is cheaper
        )
    )
    reached_from = select(previous.c.user_id, previous.c.start, previous.c.t, ZERO.label("is_event"))
    both = union_all(reached_from, candidates).subquery(f"both_{k}")
    # at equal times an event sorts after the previous step's time (counts) or before it (does not count)
    tie = both.c.is_event if not same_as_previous else -both.c.is_event
    next_event = func.min(case((both.c.is_event == ONE, both.c.t))).over(
        partition_by=both.c.user_id, order_by=(both.c.t, tie), rows=(0, None)
    )
    ordered = select(both.c.user_id, both.c.start, both.c.is_event, next_event.label("next_t")).subquery(f"o{k}")
    return (
        select(ordered.c.user_id, ordered.c.start, ordered.c.next_t.label("t"))
        .where(ordered.c.is_event == ZERO, ordered.c.next_t <= add_seconds(ordered.c.start, window_days * 86400))
        .cte(f"step_{k}")
    )


def _conversion(num: int, den: int) -> float | None:
    return num / den if den else None


def funnel_rows(steps: tuple[str, ...], counts: list[int]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for i, (name, users_at_step) in enumerate(zip(steps, counts, strict=True)):
        from_previous = None if i == 0 else _conversion(users_at_step, counts[i - 1])
        rows.append([name, users_at_step, from_previous, _conversion(users_at_step, counts[0])])
    return rows


def run_funnel(conn: Connection, query: FunnelQuery, settings: Settings) -> TableResult:
    matched = match_steps(query.steps, event_names(conn))
    query = query.model_copy(update={"steps": matched.steps})
    period = default_period(query)
    stmt = funnel_select(query, period, settings)
    result = conn.execute(stmt).mappings().all()
    n = len(query.steps)
    columns = list(COLUMNS)
    if query.breakdown is None:
        row = result[0] if result else {}
        rows = funnel_rows(query.steps, [int(row.get(f"step_{i}") or 0) for i in range(1, n + 1)])
    else:
        columns = [query.breakdown, *COLUMNS]
        groups = sorted(result, key=lambda r: (-int(r["step_1"]), r["g"] == NONE_GROUP, str(r["g"])))
        rows = [
            [str(r["g"]), *step_row]
            for r in groups
            for step_row in funnel_rows(query.steps, [int(r[f"step_{i}"]) for i in range(1, n + 1)])
        ]
    days = "day" if query.window_days == 1 else "days"
    return TableResult(
        kind="funnel",
        title=f"Funnel {' → '.join(query.steps)} (within {query.window_days} {days})",
        period=period,
        columns=columns,
        rows=rows,
        unit="count",
        notes=[
            *matched.notes,
            f"Users enter at their first '{query.steps[0]}' event in the period; each next step must follow "
            f"the previous one, at most {query.window_days} {days} after entering.",
            "Conversions are fractions of users (no value when the earlier step has no users).",
        ],
        sql=[compile_sql(stmt, conn)],
    )
