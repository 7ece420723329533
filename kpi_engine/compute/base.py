"""What a computation is, and the registry from metric id to computation.

A computation turns a `ComputeContext` (windows, breakdown, filters, settings) into one or more
SQLAlchemy `Select`s (its plan: what "how is this computed?" shows) and evaluates them into `Cell`s:
one value per window (and per group when broken down). Only small aggregates leave the database.
A context builds each Select (and each context derived from it) once, `ComputeContext.once`: the plan
shown and the statement run are the same object, whichever is asked for first.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Select

from kpi_engine.compute.dimensions import Source, apply_dimensions
from kpi_engine.compute.windows import Window, windows_cte
from kpi_engine.query import Filter
from kpi_engine.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class ComputeContext:
    windows: tuple[Window, ...]
    settings: Settings
    breakdown: str | None = None
    filters: tuple[Filter, ...] = ()
    _built: dict[tuple[Any, ...], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def cte(self, name: str = "windows") -> Any:
        return windows_cte(self.windows, name)

    def once(self, build: Callable[..., T], *args: Any) -> T:
        """`build(self, *args)`, computed on the first call only (`args` are hashable)."""
        key = (build, *args)
        if key not in self._built:
            self._built[key] = build(self, *args)
        return cast(T, self._built[key])


@dataclass
class Cell:
    window: int
    group: str | None
    value: float | None
    n: int | None = None
    ci95: tuple[float, float] | None = None
    parts: dict[str, float | int | None] = field(default_factory=dict)


class Computation(ABC):
    @abstractmethod
    def plan(self, ctx: ComputeContext) -> list[Select[Any]]: ...

    @abstractmethod
    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]: ...


def ratio(num: float | None, den: float | None) -> float | None:
    """A ratio whose denominator is 0 (or missing) has no value, never 0 (KPI_SPEC §2)."""
    if num is None or den is None or den == 0:
        return None
    return float(num) / float(den)


def _value_cell(row: Mapping[Any, Any]) -> Cell:
    if "num" in row:
        value = ratio(row["num"], row["den"])
    else:
        value = None if row["value"] is None else float(row["value"])
    n = row.get("n")
    return Cell(row["w"], row.get("g"), value, None if n is None else int(n))


class SqlComputation(Computation):
    """One Select with columns `w` (window idx), `g` (group, when broken down) and either `value` or
    `num` and `den` (a ratio), optionally `n`. `finish` turns a result row into a Cell.

    Windows with no rows get a cell with value `empty_value` (0 for counts and sums, None otherwise).
    """

    def __init__(
        self,
        build: Callable[[ComputeContext], Select[Any]],
        finish: Callable[[Mapping[Any, Any]], Cell] = _value_cell,
        empty_value: float | None = None,
    ) -> None:
        self.build = build
        self.finish = finish
        self.empty_value = empty_value

    def plan(self, ctx: ComputeContext) -> list[Select[Any]]:
        return [ctx.once(self.build)]

    def evaluate(self, conn: Connection, ctx: ComputeContext) -> list[Cell]:
        rows = conn.execute(ctx.once(self.build)).mappings().all()
        cells = [self.finish(row) for row in rows]
        if ctx.breakdown is None:
            seen = {c.window for c in cells}
            cells += [Cell(w.idx, None, self.empty_value) for w in ctx.windows if w.idx not in seen]
        return cells


def grouped(
    ctx: ComputeContext, stmt: Select[Any], source: Source, window_idx: Any, *columns: Any
) -> Select[Any]:
    """Finishes a windowed aggregate: applies breakdown and filters, selects `w`, `g`, columns, groups."""
    applied = apply_dimensions(stmt, source, ctx.breakdown, ctx.filters)
    w = window_idx.label("w")
    if applied.group is None:
        return applied.stmt.with_only_columns(w, *columns).group_by(window_idx)
    return applied.stmt.with_only_columns(w, applied.group, *columns).group_by(window_idx, applied.group)


COMPUTATIONS: dict[str, Computation] = {}


def register(metric_id: str, computation: Computation) -> Computation:
    if metric_id in COMPUTATIONS:
        raise ValueError(f"computation for {metric_id!r} registered twice")
    COMPUTATIONS[metric_id] = computation
    return computation


def computes(*metric_ids: str, **options: Any) -> Callable[[Callable[[ComputeContext], Select[Any]]], Any]:
    """Decorator: registers a Select builder as the SqlComputation of one or more metrics."""

    def wrap(build: Callable[[ComputeContext], Select[Any]]) -> Callable[[ComputeContext], Select[Any]]:
        for metric_id in metric_ids:
            register(metric_id, SqlComputation(build, **options))
        return build

    return wrap


def compile_sql(stmt: Select[Any], conn: Connection) -> str:
    """A statement as the SQL "how is this computed?" shows: literal values where they can be rendered."""
    try:
        return str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001  (some types cannot render as literals; show the parameterised form)
        return str(stmt.compile(conn))


def cells_by_window(cells: Sequence[Cell]) -> dict[int, Cell]:
    return {c.window: c for c in cells if c.group is None}

