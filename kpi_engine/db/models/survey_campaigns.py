"""In-Slack survey campaigns: the campaign, each person's delivery state, the 90-day contact rule, account links.

`survey_deliveries` (the data-contract side, read by the KPI engine) gets a row only once a survey is really
posted; `survey_delivery_state` is the bot's working record keyed by the same `delivery_id`, written before
anything is posted (the claim), so a crash or a second replica never sends anyone a second survey.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import ID_LENGTH, UtcTs

SLACK_ID = 64


class SurveyCampaign(Base):
    __tablename__ = "survey_campaigns"

    campaign_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    survey: Mapped[str] = mapped_column(String(10))  # nps | csat | ces
    question: Mapped[str] = mapped_column(String(500))
    follow_up: Mapped[str | None] = mapped_column(String(500))  # None: no "Tell us why"
    anonymous: Mapped[bool] = mapped_column(Boolean)
    topic: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    created_by: Mapped[str | None] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcTs)
    post_in_channel: Mapped[str | None] = mapped_column(String(SLACK_ID))  # None: each person gets a DM
    audience: Mapped[str] = mapped_column(String(2000))  # what the sender asked for, for the status
    unresolved: Mapped[str | None] = mapped_column(String(2000))  # targets Slack could not resolve
    status: Mapped[str] = mapped_column(String(20))  # active | closed | expired


class SurveyDeliveryState(Base):
    """One person of one campaign: planned → claimed → sent (or deferred, skipped, failed, uncertain)."""

    __tablename__ = "survey_delivery_state"
    __table_args__ = (
        UniqueConstraint("campaign_id", "slack_user_id"),
        Index(None, "status", "not_before"),
        Index(None, "status", "sent_at"),
    )

    delivery_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID), index=True)
    source: Mapped[str] = mapped_column(String(200))  # how the person was targeted (user, email, group, channel)
    status: Mapped[str] = mapped_column(String(20))
    not_before: Mapped[datetime] = mapped_column(UtcTs)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcTs)
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UtcTs)
    error: Mapped[str | None] = mapped_column(String(100))
    tz: Mapped[str | None] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    answered_at: Mapped[datetime | None] = mapped_column(UtcTs)
    reminder_status: Mapped[str | None] = mapped_column(String(20))  # claimed | sent | failed
    reminder_ts: Mapped[str | None] = mapped_column(String(32))
    alert_status: Mapped[str | None] = mapped_column(String(20))  # claimed | sent | failed
    alert_ts: Mapped[str | None] = mapped_column(String(80))  # "channel/ts"


class SurveyContact(Base):
    """When a person was last asked (any campaign): the primary key makes the 90-day rule hold across replicas."""

    __tablename__ = "survey_contacts"

    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    last_asked_at: Mapped[datetime] = mapped_column(UtcTs)
    last_delivery_id: Mapped[str] = mapped_column(String(ID_LENGTH))


class SurveyAccountLink(Base):
    """`kpibot survey link SLACK_USER ACCOUNT_ID`: whose answers count for which account (beats users.slack_user_id)."""

    __tablename__ = "survey_account_links"

    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    linked_at: Mapped[datetime] = mapped_column(UtcTs)
