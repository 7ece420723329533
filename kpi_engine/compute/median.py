"""A dialect-neutral median per window (and group), for every median metric (KPI_SPEC §2).

Only `row_number()` and `count()` window functions are used, so the same SQL runs on SQLite and
PostgreSQL (and any warehouse with window functions): within each (window, group) the items are ranked
by value; with `cnt` items the median is the mean of the ranks `rn` with `cnt <= 2·rn <= cnt + 2`
(the middle item when `cnt` is odd, the two middle items when it is even).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select

from kpi_engine.compute.base import ComputeContext
from kpi_engine.compute.dimensions import Source, apply_dimensions


def median_select(items: Select[Any], name: str = "items") -> Select[Any]:
    """Median of `x` per `w` (and `g` when `items` has it) → columns `w`, [`g`], `value`, `n`.

    `items` selects one row per item: `w` (window idx), optionally `g` (group) and `x` (the value,
    never NULL: filter NULLs out before). Windows or groups without items give no row.
    """
    sub = items.subquery(name)
    keys = [sub.c.w, *([sub.c.g] if "g" in sub.c else [])]
    ranked = select(
        *keys,
        sub.c.x,
        func.row_number().over(partition_by=keys, order_by=sub.c.x).label("rn"),
        func.count().over(partition_by=keys).label("cnt"),
    ).subquery(f"{name}_ranked")
    ranked_keys = [ranked.c[k.name] for k in keys]
    doubled_rank = literal(2) * ranked.c.rn
    return (
        select(*ranked_keys, func.avg(ranked.c.x).label("value"), func.max(ranked.c.cnt).label("n"))
        .where(doubled_rank >= ranked.c.cnt, doubled_rank <= ranked.c.cnt + literal(2))
        .group_by(*ranked_keys)
    )


def windowed_median(
    ctx: ComputeContext,
    stmt: Select[Any],
    source: Source,
    window_idx: ColumnElement[Any],
    value: ColumnElement[Any],
) -> Select[Any]:
    """Median of `value` over the rows of `stmt` (facts joined to the windows CTE), per window and
    breakdown group, with the context's filters applied. Rows where `value` is NULL are left out."""
    applied = apply_dimensions(stmt, source, ctx.breakdown, ctx.filters)
    columns = [window_idx.label("w"), *([applied.group] if applied.group is not None else []), value.label("x")]
    items = applied.stmt.with_only_columns(*columns).where(value.is_not(None))
    return median_select(items)
