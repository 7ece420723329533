"""A campaign's results: score, n, 95% interval (the KPI engine's own formulas), response rate, distribution,
the breakdown by plan without groups smaller than `min_group_size`, and recent comments.

Counted responses follow KPI_SPEC §6 (only a respondent's latest response to a campaign counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, bindparam, func, select

from kpi_engine.compute.base import Cell
from kpi_engine.compute.dimensions import NONE_GROUP, none_group
from kpi_engine.compute.surveys import ces_cell, csat_cell, is_latest_response, nps_cell
from kpi_engine.db.models import Account, SurveyDelivery, SurveyResponse
from kpi_engine.settings import Settings
from kpi_engine.sources.routing import contract_connection
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


@dataclass(frozen=True)
class Answer:
    """A counted (latest) response of the campaign, with its account's plan."""

    response_id: str
    score: int
    comment: str | None
    responded_at: datetime
    respondent_id: str | None
    plan: str


def campaign_results(engine: Engine, campaign: Campaign, *, min_group_size: int,
                     filters: CommentFilter | None = None, settings: Settings | None = None) -> CampaignResults:
    """`settings`: where the accounts are read (the source's, when one is configured); without, from `engine`.
    The answers (DATABASE_URL) and the plans (the accounts, maybe in the source) are read apart and matched here,
    never joined across two databases."""
    kind = kind_of(campaign.survey)
    filters = filters or CommentFilter()
    answers = counted_answers(engine, campaign, kind, settings)
    sent_answered = select(func.count(), func.count(DELIVERIES.c.response_id)).where(
        DELIVERIES.c.campaign_id == campaign.campaign_id)
    with engine.connect() as conn:
        sent, answered = conn.execute(sent_answered).one()
    by_group: dict[str, dict[int, int]] = {}
    overall: dict[int, int] = {}
    for a in answers:
        group = by_group.setdefault(a.plan, {})
        group[a.score] = group.get(a.score, 0) + 1
        overall[a.score] = overall.get(a.score, 0) + 1
    groups = [GroupScore(g, s.value, s.n) for g, s in ((g, summarize(kind, d)) for g, d in sorted(by_group.items()))]
    shown = [g for g in groups if g.n >= min_group_size]
    small_plan = filters.plan is not None and sum(by_group.get(filters.plan, {}).values()) < min_group_size
    comments = [] if small_plan else _comments(answers, campaign, kind, filters, COMMENTS_SHOWN)
    return CampaignResults(campaign, summarize(kind, overall), int(sent), int(answered), shown,
                           len(groups) - len(shown), comments, small_plan, filters)


def counted_answers(engine: Engine, campaign: Campaign, kind: SurveyKind, settings: Settings | None) -> list[Answer]:
    stmt = (select(RESPONSES.c.response_id, RESPONSES.c.score, RESPONSES.c.comment, RESPONSES.c.responded_at,
                   RESPONSES.c.respondent_id, RESPONSES.c.account_id)
            .where(RESPONSES.c.campaign_id == campaign.campaign_id, RESPONSES.c.survey == kind.name,
                   is_latest_response()))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    plans = account_plans(engine, settings, {str(r.account_id) for r in rows if r.account_id is not None})
    return [Answer(str(r.response_id), int(r.score), r.comment, r.responded_at, r.respondent_id,
                   plans.get(str(r.account_id), NONE_GROUP)) for r in rows]


def account_plans(engine: Engine, settings: Settings | None, account_ids: set[str]) -> dict[str, str]:
    """account id → plan ("(none)" when empty), read where the accounts live."""
    if not account_ids:
        return {}
    stmt = select(ACCOUNTS.c.account_id, none_group(ACCOUNTS.c.plan).label("plan")).where(
        ACCOUNTS.c.account_id.in_(bindparam("ids", expanding=True, literal_execute=True)))
    opened = contract_connection(engine, settings) if settings is not None else engine.connect()
    with opened as conn:
        return {str(r.account_id): str(r.plan) for r in conn.execute(stmt, {"ids": sorted(account_ids)})}


def recent_comments(engine: Engine, campaign: Campaign, kind: SurveyKind, filters: CommentFilter,
                    limit: int = COMMENTS_SHOWN, settings: Settings | None = None) -> list[Comment]:
    return _comments(counted_answers(engine, campaign, kind, settings), campaign, kind, filters, limit)


def _comments(answers: list[Answer], campaign: Campaign, kind: SurveyKind, filters: CommentFilter,
              limit: int) -> list[Comment]:
    def wanted(a: Answer) -> bool:
        if not a.comment or (filters.plan is not None and a.plan != filters.plan):
            return False
        if filters.sentiment == "detractor":
            return a.score <= kind.unhappy_up_to
        if filters.sentiment == "promoter":
            return a.score >= kind.happy_from
        if filters.sentiment == "passive":
            return kind.unhappy_up_to < a.score < kind.happy_from
        return True

    newest = sorted(filter(wanted, answers), key=lambda a: (a.responded_at, a.response_id), reverse=True)[:limit]
    return [Comment(a.score, str(a.comment), a.responded_at, None if campaign.anonymous else a.respondent_id, a.plan)
            for a in newest]
