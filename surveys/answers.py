"""Recording answers: one response row per delivery (deterministic id, upsert), the latest click wins.

Only the person the survey was sent to may answer it; a closed or expired campaign answers politely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, Engine, or_, select, update

from kpi_engine.db.bulk import upsert_rows
from kpi_engine.db.models import SurveyDelivery, SurveyResponse
from kpi_engine.db.models.survey_campaigns import SurveyCampaign, SurveyDeliveryState
from surveys.campaigns import Campaign
from surveys.ids import response_id
from surveys.kinds import kind_of

STATE = SurveyDeliveryState.__table__
CAMPAIGNS = SurveyCampaign.__table__
RESPONSES = SurveyResponse.__table__
DELIVERIES = SurveyDelivery.__table__
COMMENT_LIMIT = 3000

NOT_FOR_YOU = "This survey isn't for you: it was sent to someone else, so nothing was recorded."
UNKNOWN = "This survey is no longer available. Thank you anyway!"


def closed_text(campaign: Campaign) -> str:
    ended = campaign.expires_at
    return (f"Thank you for wanting to answer! This survey closed on {ended:%B} {ended.day}, {ended.year}, "
            "so answers are no longer recorded.") if campaign.status != "closed" else (
            "Thank you for wanting to answer! This survey has been closed, so answers are no longer recorded.")


@dataclass(frozen=True)
class DeliveryView:
    delivery_id: str
    campaign: Campaign
    slack_user_id: str
    status: str
    channel_id: str | None
    message_ts: str | None
    reminder_ts: str | None
    account_id: str | None

    @property
    def message_timestamps(self) -> list[str]:
        return [ts for ts in (self.message_ts, self.reminder_ts) if ts]


@dataclass(frozen=True)
class Refusal:
    reason: Literal["unknown", "not_for_you", "closed"]
    message: str


@dataclass(frozen=True)
class Answer:
    score: int
    comment: str | None
    responded_at: datetime


def load_delivery(engine: Engine, delivery_id: str) -> DeliveryView | None:
    stmt = (select(STATE.c.delivery_id, STATE.c.slack_user_id, STATE.c.status.label("delivery_status"),
                   STATE.c.channel_id, STATE.c.message_ts, STATE.c.reminder_ts, STATE.c.account_id, CAMPAIGNS)
            .join(CAMPAIGNS, CAMPAIGNS.c.campaign_id == STATE.c.campaign_id)
            .where(STATE.c.delivery_id == delivery_id))
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return None
    m = row._mapping
    return DeliveryView(m["delivery_id"], Campaign.from_row(row), m["slack_user_id"], m["delivery_status"],
                        m["channel_id"], m["message_ts"], m["reminder_ts"], m["account_id"])


def refusal_for(view: DeliveryView | None, user_id: str, now: datetime) -> Refusal | None:
    """Why this person may not answer this delivery now (None: they may)."""
    if view is None:
        return Refusal("unknown", UNKNOWN)
    if user_id != view.slack_user_id:
        return Refusal("not_for_you", NOT_FOR_YOU)
    if not view.campaign.is_open(now):
        return Refusal("closed", closed_text(view.campaign))
    return None


def record_score(engine: Engine, view: DeliveryView, score: int, at: datetime) -> Answer:
    """Writes the score (unless a later click is already stored) and returns the answer that now counts."""
    campaign = view.campaign
    if not kind_of(campaign.survey).valid(score):
        raise ValueError(f"{score} is outside the {campaign.survey} scale")
    rid = response_id(view.delivery_id)
    row = {
        "response_id": rid, "survey": campaign.survey, "score": score, "comment": None,
        "respondent_id": None if campaign.anonymous else view.slack_user_id, "account_id": view.account_id,
        "responded_at": at, "campaign_id": campaign.campaign_id, "topic": campaign.topic,
    }
    with engine.begin() as conn:
        upsert_rows(conn, RESPONSES, [row], update=["score", "responded_at"],
                    only_if=lambda table, excluded: table.c.responded_at <= excluded.responded_at)
        conn.execute(update(DELIVERIES).where(DELIVERIES.c.delivery_id == view.delivery_id).values(response_id=rid))
        conn.execute(update(STATE).where(STATE.c.delivery_id == view.delivery_id,
                                         or_(STATE.c.answered_at.is_(None), STATE.c.answered_at < at))
                     .values(answered_at=at))
        stored = stored_answer(conn, view.delivery_id)
    assert stored is not None
    return stored


def record_comment(engine: Engine, view: DeliveryView, comment: str) -> Answer | None:
    """The "Tell us why" text; None when there is no score to attach it to yet."""
    text = comment.strip()[:COMMENT_LIMIT] or None
    with engine.begin() as conn:
        conn.execute(update(RESPONSES).where(RESPONSES.c.response_id == response_id(view.delivery_id))
                     .values(comment=text))
        return stored_answer(conn, view.delivery_id)


def stored_answer(conn: Connection, delivery_id: str) -> Answer | None:
    row = conn.execute(select(RESPONSES.c.score, RESPONSES.c.comment, RESPONSES.c.responded_at)
                       .where(RESPONSES.c.response_id == response_id(delivery_id))).first()
    return Answer(int(row.score), row.comment, row.responded_at) if row is not None else None


def answer_of(engine: Engine, delivery_id: str) -> Answer | None:
    with engine.connect() as conn:
        return stored_answer(conn, delivery_id)
