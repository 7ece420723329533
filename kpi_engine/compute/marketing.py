"""Marketing metrics (KPI_SPEC §4) from `marketing_spend`, one row per LOCAL day × channel × campaign.

`day` is already a reporting-zone date, so a window covers the days `d0 .. d1` (not the instants).
A missing campaign is stored as '' and falls in the group "(none)".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, literal, select

from kpi_engine.compute.base import ComputeContext, computes, grouped
from kpi_engine.compute.dimensions import Source
from kpi_engine.db.models import MarketingSpend

spend_table = MarketingSpend.__table__
MARKETING = Source(own={"channel": spend_table.c.channel, "campaign": spend_table.c.campaign})


def _spend_in_windows(ctx: ComputeContext) -> tuple[Any, Select[Any]]:
    w = ctx.cte()
    days = and_(spend_table.c.day >= w.c.d0, spend_table.c.day <= w.c.d1)
    return w, select().select_from(w).join(spend_table, days)


def _sum_of(column_name: str) -> Any:
    def build(ctx: ComputeContext) -> Select[Any]:
        w, stmt = _spend_in_windows(ctx)
        total = func.coalesce(func.sum(spend_table.c[column_name]), literal(0.0))  # rows without a value add nothing
        return grouped(ctx, stmt, MARKETING, w.c.idx, total.label("value"))

    build.__name__ = f"sum_of_{column_name}"
    return build


marketing_spend = computes("marketing_spend", empty_value=0.0)(_sum_of("spend"))
impressions = computes("impressions", empty_value=0.0)(_sum_of("impressions"))
clicks = computes("clicks", empty_value=0.0)(_sum_of("clicks"))


def _ratio_of(numerator: str, denominator: str) -> Any:
    def build(ctx: ComputeContext) -> Select[Any]:
        w, stmt = _spend_in_windows(ctx)
        return grouped(
            ctx, stmt, MARKETING, w.c.idx,
            func.sum(spend_table.c[numerator]).label("num"),
            func.sum(spend_table.c[denominator]).label("den"),
        )

    build.__name__ = f"{numerator}_per_{denominator}"
    return build


ctr = computes("ctr")(_ratio_of("clicks", "impressions"))
cpc = computes("cpc")(_ratio_of("spend", "clicks"))
roas = computes("roas")(_ratio_of("revenue", "spend"))
