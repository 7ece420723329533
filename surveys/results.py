"""A campaign's results: score, n, 95% interval (the KPI engine's own formulas), response rate, distribution,
the breakdown by plan without groups smaller than `min_group_size`, and recent comments.

Counted responses follow KPI_SPEC §6 (only a respondent's latest response to a campaign counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select

from kpi_engine.compute.base import Cell
from kpi_engine.compute.dimensions import none_group
from kpi_engine.compute.surveys import ces_cell, csat_cell, is_latest_response, nps_cell
from kpi_engine.db.models import Account, SurveyDelivery, SurveyResponse
from surveys.campaigns import Campaign
from surveys.kinds import Sentiment, SurveyKind, kind_of

RESPONSES = SurveyResponse.__table__
DELIVERIES = SurveyDelivery.__table__
ACCOUNTS = Account.__table__
COMMENTS_SHOWN = 10


@dataclass(frozen=True)
class ScoreSummary:
    value: float | None
    n: int
    ci95: tuple[float, float] | None
    distribution: dict[int, int]  # every score of the scale, with its count


@dataclass(frozen=True)
class GroupScore:
    group: str
    value: float | None
    n: int


@dataclass(frozen=True)
class Comment:
    score: int
    text: str
    responded_at: datetime
    respondent_id: str | None
    plan: str


@dataclass(frozen=True)
class CommentFilter:
    sentiment: Sentiment | None = None
    plan: str | None = None


@dataclass(frozen=True)
class CampaignResults:
    campaign: Campaign
    summary: ScoreSummary
    sent: int
    answered: int
    by_plan: list[GroupScore]
    hidden_groups: int  # plan groups left out because they have fewer than min_group_size responses
    comments: list[Comment]
    comments_hidden: bool = False  # the plan filter names a group too small to show
    filters: CommentFilter = field(default_factory=CommentFilter)

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None


def summarize(kind: SurveyKind, distribution: Mapping[int, int]) -> ScoreSummary:
    full = {score: int(distribution.get(score, 0)) for score in kind.scores}
    n = sum(full.values())
    if n == 0:
        return ScoreSummary(None, 0, None, full)
    cell = _cell(kind, full, n)
    return ScoreSummary(cell.value, n, cell.ci95, full)


def _cell(kind: SurveyKind, counts: Mapping[int, int], n: int) -> Cell:
    if kind.name == "nps":
        return nps_cell({"w": 0, "n": n, "promoters": sum(c for s, c in counts.items() if s >= 9),
                         "detractors": sum(c for s, c in counts.items() if s <= 6)})
    if kind.name == "csat":
        return csat_cell({"w": 0, "n": n, "satisfied": sum(c for s, c in counts.items() if s >= 4)})
    return ces_cell({"w": 0, "n": n, "total": sum(s * c for s, c in counts.items()),
                     "total_squares": sum(s * s * c for s, c in counts.items())})


def campaign_results(engine: Engine, campaign: Campaign, *, min_group_size: int,
                     filters: CommentFilter | None = None) -> CampaignResults:
    kind = kind_of(campaign.survey)
    filters = filters or CommentFilter()
    plan = none_group(ACCOUNTS.c.plan).label("plan")
    counted = (select(plan, RESPONSES.c.score, func.count().label("n"))
               .select_from(RESPONSES.outerjoin(ACCOUNTS, ACCOUNTS.c.account_id == RESPONSES.c.account_id))
               .where(RESPONSES.c.campaign_id == campaign.campaign_id, RESPONSES.c.survey == kind.name,
                      is_latest_response())
               .group_by(plan, RESPONSES.c.score))
    sent_answered = select(func.count(), func.count(DELIVERIES.c.response_id)).where(
        DELIVERIES.c.campaign_id == campaign.campaign_id)
    with engine.connect() as conn:
        rows = conn.execute(counted).all()
        sent, answered = conn.execute(sent_answered).one()
    by_group: dict[str, dict[int, int]] = {}
    overall: dict[int, int] = {}
    for row in rows:
        by_group.setdefault(row.plan, {})[int(row.score)] = int(row.n)
        overall[int(row.score)] = overall.get(int(row.score), 0) + int(row.n)
    groups = [GroupScore(g, s.value, s.n) for g, s in ((g, summarize(kind, d)) for g, d in sorted(by_group.items()))]
    shown = [g for g in groups if g.n >= min_group_size]
    small_plan = filters.plan is not None and sum(by_group.get(filters.plan, {}).values()) < min_group_size
    comments = [] if small_plan else recent_comments(engine, campaign, kind, filters)
    return CampaignResults(campaign, summarize(kind, overall), int(sent), int(answered), shown,
                           len(groups) - len(shown), comments, small_plan, filters)


def recent_comments(engine: Engine, campaign: Campaign, kind: SurveyKind, filters: CommentFilter,
                    limit: int = COMMENTS_SHOWN) -> list[Comment]:
    plan = none_group(ACCOUNTS.c.plan).label("plan")
    stmt = (select(RESPONSES.c.score, RESPONSES.c.comment, RESPONSES.c.responded_at, RESPONSES.c.respondent_id, plan)
            .select_from(RESPONSES.outerjoin(ACCOUNTS, ACCOUNTS.c.account_id == RESPONSES.c.account_id))
            .where(RESPONSES.c.campaign_id == campaign.campaign_id, RESPONSES.c.survey == kind.name,
                   RESPONSES.c.comment.is_not(None), RESPONSES.c.comment != "", is_latest_response())
            .order_by(RESPONSES.c.responded_at.desc(), RESPONSES.c.response_id.desc()))
    if filters.sentiment == "detractor":
        stmt = stmt.where(RESPONSES.c.score <= kind.unhappy_up_to)
    elif filters.sentiment == "promoter":
        stmt = stmt.where(RESPONSES.c.score >= kind.happy_from)
    elif filters.sentiment == "passive":
        stmt = stmt.where(RESPONSES.c.score > kind.unhappy_up_to, RESPONSES.c.score < kind.happy_from)
    if filters.plan is not None:
        stmt = stmt.where(none_group(ACCOUNTS.c.plan) == filters.plan)
    with engine.connect() as conn:
        rows = conn.execute(stmt.limit(limit)).all()
    return [Comment(int(r.score), str(r.comment), r.responded_at,
                    None if campaign.anonymous else r.respondent_id, str(r.plan)) for r in rows]
