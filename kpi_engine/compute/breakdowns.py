"""The breakdown a MetricQuery asks for: exactly the groups named, sorted and cut, or by two dimensions.

"team vs business arr" keeps the groups team and business (a filter on the breakdown dimension, so every
computation supports it); "top 3 countries by revenue" sorts the groups by the metric's direction and
keeps 3; "mrr by plan and segment" runs the breakdown by plan once per segment (a filter per segment
value), so a second dimension works for every computation without a composite group in its SQL.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from kpi_engine.catalog import MetricDefinition
from kpi_engine.compute.base import Computation
from kpi_engine.compute.dimensions import NONE_GROUP
from kpi_engine.periods import Period
from kpi_engine.query import MAX_SUBGROUPS, Filter, MetricQuery, Order
from kpi_engine.results import GroupValue
from kpi_engine.settings import Settings

RunBreakdown = Callable[
    [Connection, Computation, MetricQuery, Period, Period | None, Settings, list[str]], list[GroupValue]
]


def breakdown_groups(
    conn: Connection,
    computation: Computation,
    query: MetricQuery,
    metric: MetricDefinition,
    period: Period,
    previous: Period | None,
    settings: Settings,
    sql: list[str],
    run_breakdown: RunBreakdown,
) -> list[GroupValue]:
    """The groups of `query.breakdown` (with `subgroup` set on each row for a second dimension).
    `run_breakdown` is the runner's one-dimension breakdown (passed in: the runner imports this module)."""
    query = with_group_filter(query)
    if query.subgroup is None or query.subgroup == query.breakdown:
        groups = run_breakdown(conn, computation, query, period, previous, settings, sql)
    else:
        outer = query.model_copy(update={"breakdown": query.subgroup})
        subgroups = run_breakdown(conn, computation, outer, period, previous, settings, sql)[:MAX_SUBGROUPS]
        groups = []
        for sub in subgroups:
            inner = query.model_copy(update={"filters": (*query.filters, Filter(dimension=query.subgroup,
                                                                                values=(sub.group,)))})
            rows = run_breakdown(conn, computation, inner, period, previous, settings, sql)
            groups += [row.model_copy(update={"subgroup": sub.group}) for row in rows]
    return arranged(groups, query, metric.direction)


def with_group_filter(query: MetricQuery) -> MetricQuery:
    """Named groups become a filter on the breakdown dimension (merged with a filter already on it)."""
    if not query.groups or query.breakdown is None:
        return query
    others = tuple(f for f in query.filters if f.dimension != query.breakdown)
    return query.model_copy(update={"filters": (*others, Filter(dimension=query.breakdown, values=query.groups))})


def arranged(groups: list[GroupValue], query: MetricQuery, direction: str) -> list[GroupValue]:
    """Named groups in the order typed; otherwise sorted by `order` (best first when only `top` is given),
    rows without a value and the group `(none)` last."""
    order: Order | None = query.order or ("best" if query.top else None)
    if query.groups and order is None:
        rank = {name.lower(): i for i, name in enumerate(query.groups)}
        groups = sorted(groups, key=lambda g: (rank.get(g.group.lower(), len(rank)), g.subgroup or ""))
    elif order is not None:
        descending = order == "highest" or (order == "best") == (direction != "lower")
        known = [g for g in groups if g.value is not None and g.group != NONE_GROUP]
        known.sort(key=lambda g: (g.value or 0.0), reverse=descending)
        groups = known + [g for g in groups if g.value is None or g.group == NONE_GROUP]  # "(none)" never wins
    return groups[: query.top] if query.top else groups
