"""Loads and validates the custom metrics file against the database and the built-in catalog.

Errors name the metric and the problem: unknown table or column, unknown metric, cycles, bad expression.
"""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import Engine, MetaData, Table, inspect

from kpi_engine.catalog.model import MetricDefinition
from kpi_engine.compute.base import Computation
from kpi_engine.compute.dialect import reflect_table
from kpi_engine.compute.dimensions import ACCOUNT_DIMENSIONS
from kpi_engine.custom.computations import CombinedComputation, simple_computation
from kpi_engine.custom.expressions import ExpressionError, parse_expression, referenced_metrics
from kpi_engine.custom.spec import CustomMetricsFile, CustomMetricSpec, DerivedMetric, RatioMetric, SimpleMetric


class CustomMetricError(ValueError):
    pass


def read_specs(path: Path) -> list[CustomMetricSpec]:
    if not path.exists():
        raise CustomMetricError(f"custom metrics file {path} does not exist")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CustomMetricError(f"{path.name}: not valid YAML: {exc}") from exc
    if raw is None:
        return []
    try:
        return CustomMetricsFile.model_validate(raw).metrics
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CustomMetricError(f"{path.name}: {problems}") from exc


def _expression(spec: RatioMetric | DerivedMetric) -> ast.expr:
    text = f"({spec.numerator}) / ({spec.denominator})" if isinstance(spec, RatioMetric) else spec.expression
    try:
        return parse_expression(text)
    except ExpressionError as exc:
        raise CustomMetricError(f"custom metric {spec.id!r}: {exc}") from exc


def _reflect(spec: SimpleMetric, engine: Engine, metadata: MetaData) -> Table:
    if not inspect(engine).has_table(spec.table):
        raise CustomMetricError(f"custom metric {spec.id!r}: unknown table {spec.table!r}")
    table = metadata.tables.get(spec.table)
    if table is None:
        table = reflect_table(engine, spec.table, metadata)
    named = [("time_column", spec.time_column), ("column", spec.column)]
    named += [("filter", c) for c in spec.filter] + [("dimensions", c) for c in spec.dimensions]
    for role, column in named:
        if column is not None and column not in table.c:
            raise CustomMetricError(
                f"custom metric {spec.id!r}: {role} {column!r} is not a column of {spec.table!r}"
                f" (columns: {', '.join(table.c.keys())})"
            )
    if spec.aggregate != "count" and spec.column is None:
        raise CustomMetricError(f"custom metric {spec.id!r}: aggregate {spec.aggregate} needs a column")
    return table


def _definition(spec: CustomMetricSpec, dimensions: tuple[str, ...], kind: str, formula: str,
                tables: tuple[str, ...]) -> MetricDefinition:
    return MetricDefinition(
        id=spec.id,
        label=spec.label,
        area="custom",
        aliases=spec.aliases,
        unit=spec.unit,
        kind=kind,  # type: ignore[arg-type]
        direction=spec.direction,
        dimensions=dimensions,
        description=spec.description or f"Custom metric {spec.label}.",
        formula=formula,
        tables=tables,
        group=spec.group,
    )


def load_custom_metrics(
    path: Path, engine: Engine, builtin: dict[str, tuple[MetricDefinition, Computation]]
) -> list[tuple[MetricDefinition, Computation]]:
    """Validates every custom metric; returns definitions with computations in dependency order."""
    specs = read_specs(path)
    by_id: dict[str, CustomMetricSpec] = {}
    for spec in specs:
        if spec.id in builtin or spec.id in by_id:
            raise CustomMetricError(f"custom metric {spec.id!r}: the id is already used")
        by_id[spec.id] = spec

    metadata = MetaData()
    done: dict[str, tuple[MetricDefinition, Computation]] = {}
    visiting: list[str] = []

    def resolve(metric_id: str, wanted_by: str) -> tuple[MetricDefinition, Computation]:
        if metric_id in builtin:
            return builtin[metric_id]
        if metric_id in done:
            return done[metric_id]
        if metric_id not in by_id:
            raise CustomMetricError(f"custom metric {wanted_by!r}: unknown metric {metric_id!r}")
        if metric_id in visiting:
            cycle = " → ".join([*visiting[visiting.index(metric_id):], metric_id])
            raise CustomMetricError(f"custom metrics refer to each other in a cycle: {cycle}")
        visiting.append(metric_id)
        spec = by_id[metric_id]
        if isinstance(spec, SimpleMetric):
            table = _reflect(spec, engine, metadata)
            dims = spec.dimensions + (ACCOUNT_DIMENSIONS if "account_id" in table.c else ())
            what = f"{spec.aggregate}({spec.column or '*'})"
            formula = f"{what} of {spec.table} with {spec.time_column} in the period"
            if spec.filter:
                formula += " where " + ", ".join(f"{k} = {v}" for k, v in spec.filter.items())
            kind = "flow" if spec.aggregate in ("sum", "count", "count_distinct") else "ratio"
            entry: tuple[MetricDefinition, Computation] = (
                _definition(spec, tuple(dict.fromkeys(dims)), kind, formula, (spec.table,)),
                simple_computation(spec, table),
            )
        else:
            expression = _expression(spec)
            parts = {ref: resolve(ref, metric_id) for ref in referenced_metrics(expression)}
            common = set.intersection(*(set(d.dimensions) for d, _ in parts.values())) if parts else set()
            dims = tuple(d for d in next(iter(parts.values()))[0].dimensions if d in common) if parts else ()
            kind = "ratio" if isinstance(spec, RatioMetric) else "flow"
            # the tables its parts read: routing runs it where they live (kpi_engine.sources.routing)
            tables = tuple(dict.fromkeys(t for d, _ in parts.values() for t in d.tables))
            entry = (
                _definition(spec, dims, kind, ast.unparse(expression), tables),
                CombinedComputation(expression, {ref: comp for ref, (_, comp) in parts.items()}),
            )
        visiting.pop()
        done[metric_id] = entry
        return entry

    for spec in specs:
        resolve(spec.id, spec.id)
    return [done[spec.id] for spec in specs]
