"""The query model: what the parser produces and the engine runs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from kpi_engine.periods import Grain, Period

Comparison = Literal["previous", "previous_year", "none"]
# how a breakdown is sorted: best/worst follow the metric's direction, highest/lowest the value alone
Order = Literal["best", "worst", "highest", "lowest"]
MAX_SUBGROUPS = 12  # a second breakdown dimension with more values than this keeps the largest ones


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
    groups: tuple[str, ...] = ()  # "team vs business arr": exactly these groups of `breakdown`
    top: int | None = Field(default=None, ge=1)  # "top 3 countries": the breakdown cut to N after sorting
    order: Order | None = None  # "worst plan for churn": the breakdown sorted this way
    subgroup: str | None = None  # "mrr by plan and segment": the second breakdown dimension


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
