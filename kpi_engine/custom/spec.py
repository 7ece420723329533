"""The YAML shape of a custom metric: simple (aggregate of a column), ratio of two metrics, or derived."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kpi_engine.catalog.model import Direction, Unit

FilterValue = str | int | float | bool | list[str | int | float | bool]


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    aliases: tuple[str, ...] = ()
    unit: Unit = "count"
    direction: Direction = "higher"
    description: str = ""
    group: str | None = None


class SimpleMetric(_Common):
    """aggregate(column) over rows of `table` whose `time_column` falls in the period."""

    type: Literal["simple"]
    table: str
    aggregate: Literal["sum", "count", "count_distinct", "avg", "min", "max"]
    column: str | None = None
    time_column: str
    filter: dict[str, FilterValue] = {}
    dimensions: tuple[str, ...] = ()


class RatioMetric(_Common):
    type: Literal["ratio"]
    numerator: str
    denominator: str
    unit: Unit = "percent"


class DerivedMetric(_Common):
    """Arithmetic (+ − × ÷, parentheses, numbers) over metric ids, e.g. `(revenue - marketing_spend) / orders`."""

    type: Literal["derived"]
    expression: str


CustomMetricSpec = Annotated[SimpleMetric | RatioMetric | DerivedMetric, Field(discriminator="type")]


class CustomMetricsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metrics: list[CustomMetricSpec]
