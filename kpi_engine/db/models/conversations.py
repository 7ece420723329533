"""The last query of a Slack conversation (a DM, or the thread of one of the bot's answers), for follow-ups.

One row per team, channel and thread (`thread_ts` is "" for a DM outside threads). Rows are upserted, so
every replica sees the same state, and are read only while younger than a day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import UtcTs

SLACK_ID = 64
SLACK_TS = 32


class SlackConversation(Base):
    __tablename__ = "slack_conversations"

    team_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    thread_ts: Mapped[str] = mapped_column(String(SLACK_TS), primary_key=True)
    query_json: Mapped[str] = mapped_column(Text)  # the last answer's queries (one per metric), a JSON list
    question: Mapped[str] = mapped_column(String(4000))  # the words it answered
    updated_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
