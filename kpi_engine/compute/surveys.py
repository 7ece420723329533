"""Survey metrics (KPI_SPEC §6): nps, csat, ces (with n and a 95% interval), responses, response rate.

Where both `respondent_id` and `campaign_id` are set, only the latest response of a respondent to a
campaign counts (ties on `responded_at` broken by the larger `response_id`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select

from kpi_engine.compute.base import Cell, ComputeContext, SqlComputation, computes, grouped, register
from kpi_engine.compute.dimensions import Source
from kpi_engine.db.models import SurveyDelivery, SurveyResponse

# aliased on both sides of the latest-response test: ClickHouse lets a table's own name reach through an alias,
# so `survey_responses.x` inside `FROM survey_responses AS later_response` would mean the later row's column
responses = SurveyResponse.__table__.alias("response")
deliveries = SurveyDelivery.__table__
RESPONSES = Source(
    own={"survey": responses.c.survey, "topic": responses.c.topic},
    account_id=responses.c.account_id,
    join_from=responses,
)
DELIVERIES = Source(own={"survey": deliveries.c.survey}, account_id=deliveries.c.account_id, join_from=deliveries)
Z95 = 1.96


def is_latest_response(outer: Any = SurveyResponse.__table__) -> Any:
    """No later response of the same respondent to the same campaign (and survey) than the row of `outer` (the
    responses table, or an alias of it: on ClickHouse an alias, see `responses`) exists.

    Rows without a respondent or a campaign never match the equality, so they always count.
    """
    later, this = SurveyResponse.__table__.alias("later_response").c, outer.c
    return ~exists().where(
        later.respondent_id == this.respondent_id,
        later.campaign_id == this.campaign_id,
        later.survey == this.survey,
        or_(
            later.responded_at > this.responded_at,
            and_(later.responded_at == this.responded_at, later.response_id > this.response_id),
        ),
    )


def counted_responses(ctx: ComputeContext, survey: str | None = None) -> tuple[Any, Select[Any]]:
    """The windows joined to the responses given in them that count (latest per respondent and campaign)."""
    w = ctx.cte()
    given_in_window = and_(responses.c.responded_at >= w.c.s, responses.c.responded_at < w.c.e)
    stmt = select().select_from(w).join(responses, given_in_window).where(is_latest_response(responses))
    if survey is not None:
        stmt = stmt.where(responses.c.survey == survey)
    return w, stmt


def _count_where(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


# --- nps -------------------------------------------------------------------------------------------


def nps_select(ctx: ComputeContext) -> Select[Any]:
    w, stmt = counted_responses(ctx, "nps")
    return grouped(
        ctx, stmt, RESPONSES, w.c.idx,
        func.count().label("n"),
        _count_where(responses.c.score >= 9).label("promoters"),
        _count_where(responses.c.score <= 6).label("detractors"),
    )


def nps_cell(row: Mapping[str, Any]) -> Cell:
    """NPS = 100 × (p − d); 95% interval nps ± 196 × sqrt((p + d − (p − d)²) / n)."""
    n = int(row["n"])
    promoters, detractors = int(row["promoters"]), int(row["detractors"])
    p, d = promoters / n, detractors / n
    nps = 100.0 * (promoters - detractors) / n
    half_width = 100.0 * Z95 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    passives = (n - promoters - detractors) / n
    parts: dict[str, float | int | None] = {"promoters": p, "passives": passives, "detractors": d}
    return Cell(row["w"], row.get("g"), nps, n, (nps - half_width, nps + half_width), parts)


register("nps", SqlComputation(nps_select, nps_cell))


# --- csat ------------------------------------------------------------------------------------------


def csat_select(ctx: ComputeContext) -> Select[Any]:
    w, stmt = counted_responses(ctx, "csat")
    return grouped(
        ctx, stmt, RESPONSES, w.c.idx,
        func.count().label("n"),
        _count_where(responses.c.score >= 4).label("satisfied"),
    )


def csat_cell(row: Mapping[str, Any]) -> Cell:
    """Share scoring 4–5; 95% (Wald) interval p ± 1.96 × sqrt(p(1 − p) / n)."""
    n = int(row["n"])
    share = int(row["satisfied"]) / n
    half_width = Z95 * math.sqrt(share * (1.0 - share) / n)
    return Cell(row["w"], row.get("g"), share, n, (share - half_width, share + half_width))


register("csat", SqlComputation(csat_select, csat_cell))


# --- ces -------------------------------------------------------------------------------------------


def ces_select(ctx: ComputeContext) -> Select[Any]:
    w, stmt = counted_responses(ctx, "ces")
    score = responses.c.score
    return grouped(
        ctx, stmt, RESPONSES, w.c.idx,
        func.count().label("n"),
        func.sum(score).label("total"),
        func.sum(score * score).label("total_squares"),
    )


def ces_cell(row: Mapping[str, Any]) -> Cell:
    """Mean score; 95% interval mean ± 1.96 × s / sqrt(n) with the sample standard deviation s (n ≥ 2)."""
    n = int(row["n"])
    mean = float(row["total"]) / n
    ci95 = None
    if n >= 2:
        variance = max((float(row["total_squares"]) - n * mean * mean) / (n - 1), 0.0)
        half_width = Z95 * math.sqrt(variance / n)
        ci95 = (mean - half_width, mean + half_width)
    return Cell(row["w"], row.get("g"), mean, n, ci95)


register("ces", SqlComputation(ces_select, ces_cell))


# --- volume ----------------------------------------------------------------------------------------


@computes("survey_responses", empty_value=0.0)
def survey_responses(ctx: ComputeContext) -> Select[Any]:
    w, stmt = counted_responses(ctx)
    return grouped(ctx, stmt, RESPONSES, w.c.idx, func.count().label("value"))


@computes("survey_response_rate")
def survey_response_rate(ctx: ComputeContext) -> Select[Any]:
    """Deliveries sent in the window that were answered / deliveries sent in the window."""
    w = ctx.cte()
    sent_in_window = and_(deliveries.c.sent_at >= w.c.s, deliveries.c.sent_at < w.c.e)
    stmt = (
        select()
        .select_from(w)
        .join(deliveries, sent_in_window)
        .join(responses, responses.c.response_id == deliveries.c.response_id, isouter=True)
    )
    sent = func.count()
    return grouped(
        ctx, stmt, DELIVERIES, w.c.idx,
        _count_where(responses.c.response_id.is_not(None)).label("num"),
        sent.label("den"),
        sent.label("n"),
    )
