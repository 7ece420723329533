"""The pieces taken out of a question before its metric is known, and how the metric settles them: which
dimension compared groups and ambiguous values belong to, the breakdown, the second breakdown, the ranking."""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi_engine.catalog import MetricDefinition
from kpi_engine.parser.filters import Filters
from kpi_engine.parser.groups import Groups, Ranking
from kpi_engine.periods import Period
from kpi_engine.query import Filter, Order


@dataclass
class Pieces:
    notes: list[str] = field(default_factory=list)
    groups: Groups | None = None
    ranking: Ranking | None = None
    breakdowns: list[str] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)

    def understood(self, period: Period | None) -> str:
        """What was read, in words, for a question whose metric was not found."""
        parts = [period.label()] if period is not None else []
        if self.groups is not None:
            parts.append(" vs ".join(v.typed for v in self.groups.values))
        if self.ranking is not None:
            parts.append(f"the {self.ranking.order} {self.ranking.dimension}")
        parts += [f"by {d}" for d in self.breakdowns]
        parts += [f"{f.dimension} {' or '.join(f.values)}" for f in self.filters.filters]
        parts += [v.typed for v in self.filters.ambiguous]
        return ", ".join(parts)


@dataclass
class Settled:
    breakdown: str | None = None
    subgroup: str | None = None
    filters: tuple[Filter, ...] = ()
    groups: tuple[str, ...] = ()
    top: int | None = None
    order: Order | None = None
    notes: list[str] = field(default_factory=list)
    question: str | None = None  # a word of two dimensions the metrics cannot settle: ask which


def settle_dimensions(pieces: Pieces, metrics: list[MetricDefinition]) -> Settled:
    supported = [d for d in metrics[0].dimensions if all(d in m.dimensions for m in metrics[1:])]
    settled = Settled()
    dims = list(pieces.breakdowns)
    if pieces.groups is not None:
        options = [d for d in pieces.groups.dimensions if d in supported] or list(pieces.groups.dimensions)
        chosen = [d for d in options if d in dims] or options
        if len(chosen) > 1:
            settled.question = which_dimension(" and ".join(v.typed for v in pieces.groups.values), chosen)
            return settled
        settled.groups = pieces.groups.in_dimension(chosen[0])
        dims = [chosen[0], *(d for d in dims if d != chosen[0])]
    elif pieces.ranking is not None:
        dims = [pieces.ranking.dimension, *(d for d in dims if d != pieces.ranking.dimension)]
    if pieces.ranking is not None:
        settled.order, settled.top = pieces.ranking.order, pieces.ranking.top
    if len(dims) > 2:
        settled.notes.append(f"Two breakdowns at a time: by {dims[0]} and {dims[1]} (not {', '.join(dims[2:])})")
    settled.breakdown = dims[0] if dims else None
    settled.subgroup = dims[1] if len(dims) > 1 else None
    by_dimension: dict[str, list[str]] = {f.dimension: list(f.values) for f in pieces.filters.filters}
    for value in pieces.filters.ambiguous:
        options = [d for d in value.dimensions if d in supported] or list(value.dimensions)
        if len(options) > 1:  # "mrr by plan for enterprise": not the plan it is broken down by
            options = [d for d in options if d not in dims] or options
        if len(options) > 1:
            stored_each = [value.value_in(d) or value.typed for d in options]
            settled.question = which_dimension(value.typed, options, stored_each)
            return settled
        stored = value.value_in(options[0]) or value.typed
        values = by_dimension.setdefault(options[0], [])
        if stored not in values:
            values.append(stored)
    settled.filters = tuple(Filter(dimension=d, values=tuple(v)) for d, v in sorted(by_dimension.items()))
    return settled


def which_dimension(typed: str, dimensions: list[str], stored: list[str] | None = None) -> str:
    """`'<word>' could be a plan or a segment. Which one? Say '<word> plan' or '<word> segment'.`
    `stored`: the data's value in each dimension (an abbreviation typed, the full name stored)."""
    names = " or ".join(f"a {d}" for d in dimensions)
    words = stored or [typed] * len(dimensions)
    examples = " or ".join(f"'{w} {d}'" for w, d in zip(words, dimensions, strict=True))
    return f"'{typed}' could be {names}. Which one? Say {examples}."
