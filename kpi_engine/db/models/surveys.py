"""Survey responses (imported, or recorded by the bot's in-Slack surveys)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Id, OptId, UtcTs


class SurveyResponse(Base):
    __tablename__ = "survey_responses"
    __table_args__ = (
        Index(None, "survey", "responded_at"),
        # "latest response of a respondent to a campaign counts" probes this
        Index(None, "respondent_id", "campaign_id", "survey", "responded_at"),
    )

    response_id: Mapped[Id] = mapped_column(primary_key=True)
    survey: Mapped[str] = mapped_column(String(10))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(String(4000))
    respondent_id: Mapped[str | None] = mapped_column(String(128), index=True)
    account_id: Mapped[OptId] = mapped_column(index=True)
    responded_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    campaign_id: Mapped[str | None] = mapped_column(String(128), index=True)
    topic: Mapped[str | None] = mapped_column(String(200))


class SurveyDelivery(Base):
    """A survey the bot sent to one respondent (the denominator of survey_response_rate)."""

    __tablename__ = "survey_deliveries"

    delivery_id: Mapped[Id] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(128), index=True)
    survey: Mapped[str] = mapped_column(String(10))
    respondent_id: Mapped[str] = mapped_column(String(128), index=True)
    account_id: Mapped[OptId] = mapped_column(index=True)
    sent_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    response_id: Mapped[str | None] = mapped_column(String(128))
