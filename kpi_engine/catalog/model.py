"""What a metric definition is. Validated on load; computation lives in kpi_engine.compute."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Area = Literal["revenue", "customers", "acquisition", "product", "surveys", "support", "delivery", "custom"]
Unit = Literal["currency", "percent", "count", "ratio", "seconds", "hours", "days", "months", "score"]
Kind = Literal["stock", "flow", "ratio", "rolling", "score", "median"]
Direction = Literal["higher", "lower", "neutral"]

AREA_TITLES: dict[str, str] = {
    "revenue": "Revenue",
    "customers": "Customers & retention",
    "acquisition": "Acquisition & marketing",
    "product": "Product usage",
    "surveys": "Surveys",
    "support": "Support",
    "delivery": "Delivery & quality",
    "custom": "Custom metrics",
}


class MetricDefinition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    area: Area
    aliases: tuple[str, ...] = ()
    unit: Unit
    kind: Kind
    direction: Direction = "higher"
    dimensions: tuple[str, ...] = ()
    description: str
    formula: str
    tables: tuple[str, ...] = ()
    group: str | None = None  # access group, e.g. "finance"
