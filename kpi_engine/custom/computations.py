"""Computations for custom metrics: a reflected-table aggregate, and combinations of other metrics."""

from __future__ import annotations

import ast
from typing import Any

from sqlalchemy import Connection, Date, Select, Table, and_, distinct, func, select

from kpi_engine.compute.base import Cell, Computation, ComputeContext, SqlComputation, grouped
from kpi_engine.compute.dimensions import Source
from kpi_engine.custom.expressions import evaluate
from kpi_engine.custom.spec import SimpleMetric


def simple_computation(spec: SimpleMetric, table: Table) -> SqlComputation:
    own = {name: table.c[name] for name in spec.dimensions}
    account = table.c.get("account_id")
    source = Source(own=own, account_id=account, join_from=table)
    time_col = table.c[spec.time_column]
    is_date = isinstance(time_col.type, Date)

    def measure() -> Any:
        if spec.aggregate == "count":
            return func.count(table.c[spec.column]) if spec.column else func.count()
        column = table.c[spec.column]  # type: ignore[index]
        if spec.aggregate == "count_distinct":
            return func.count(distinct(column))
        return getattr(func, spec.aggregate)(column)

    def build(ctx: ComputeContext) -> Select[Any]:
        w = ctx.cte()
        within = (
            and_(time_col >= w.c.d0, time_col <= w.c.d1) if is_date else and_(time_col >= w.c.s, time_col < w.c.e)
        )
        stmt = select().select_from(w).join(table, within)
        for column, wanted in spec.filter.items():
            values = wanted if isinstance(wanted, list) else [wanted]
            stmt = stmt.where(table.c[column].in_(values))
        return grouped(ctx, stmt, source, w.c.idx, measure().label("value"))

    additive = spec.aggregate in ("sum", "count", "count_distinct")
    return SqlComputation(build, empty_value=0.0 if spec.aggregate in ("sum", "count") or not additive else None)


class CombinedComputation(Computation):
    """Evaluates the metrics an expression names, then combines them cell by cell (window, group)."""

    def __init__(self, expression: ast.expr, parts: dict[str, Computation]) -> None:
        self.expression = expression
        self.parts = parts

    def plan(self, ctx: ComputeContext) -> list[Select[Any]]:
        return [stmt for part in self.parts.values() for stmt in part.plan(ctx)]

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        values: dict[tuple[int, str | None], dict[str, float | None]] = {}
        for metric_id, part in self.parts.items():
            for cell in part.evaluate(conn, ctx):
                values.setdefault((cell.window, cell.group), {})[metric_id] = cell.value
        return [Cell(window, group, evaluate(self.expression, named)) for (window, group), named in values.items()]
