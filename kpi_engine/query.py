"""The query model: what the parser produces and the engine runs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kpi_engine.periods import Grain, Period

Comparison = Literal["previous", "previous_year", "none"]


class Filter(BaseModel):
    model_config = ConfigDict(frozen=True)

    dimension: str
    values: tuple[str, ...]


class _QueryBase(BaseModel):
    model_config = ConfigDict(frozen=True)

    as_of: date
    period: Period | None = None  # None: the metric kind's default (KPI_SPEC §1)
    filters: tuple[Filter, ...] = ()


class MetricQuery(_QueryBase):
    kind: Literal["metric"] = "metric"
    metric: str
    granularity: Grain | None = None
    breakdown: str | None = None
    comparison: Comparison = "previous"
    compare_to: Period | None = None  # an explicit comparison period ("compared to Q1")


class MovementsQuery(_QueryBase):
    """The MRR bridge: start MRR, each movement, end MRR ("why did mrr change last month")."""

    kind: Literal["movements"] = "movements"


class FunnelQuery(_QueryBase):
    kind: Literal["funnel"] = "funnel"
    steps: tuple[str, ...] = Field(min_length=2)
    window_days: int = Field(default=30, gt=0)
    breakdown: str | None = None


class RetentionQuery(_QueryBase):
    kind: Literal["retention"] = "retention"
    cohort_grain: Literal["week", "month"] = "month"
    offsets: int = Field(default=6, ge=1, le=52)


Query = Annotated[MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery, Field(discriminator="kind")]
