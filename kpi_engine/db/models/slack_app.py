"""Slack-side bookkeeping: the audit log of questions, processed event ids (dedupe), and App Home pins.

OAuth installations and states use slack_sdk's own SQLAlchemy tables (created by migration 0003).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import UtcTs

SLACK_ID = 64


class SlackAuditEntry(Base):
    """Who asked what, where and when, and what came of it (answered, refused, error)."""

    __tablename__ = "slack_audit_log"
    __table_args__ = (Index(None, "user_id", "asked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asked_at: Mapped[datetime] = mapped_column(UtcTs, index=True)
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    source: Mapped[str] = mapped_column(String(20))  # command | mention | dm | action | home
    question: Mapped[str] = mapped_column(String(4000))
    metric_id: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(20))  # answered | unknown | refused | error
    detail: Mapped[str | None] = mapped_column(String(500))  # refusal reason or error id


class SlackProcessedEvent(Base):
    """One row per Slack delivery already handled: the primary key makes retries and replicas a no-op."""

    __tablename__ = "slack_processed_events"

    event_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    received_at: Mapped[datetime] = mapped_column(UtcTs, index=True)


class SlackPin(Base):
    """A KPI a user pinned to their App Home."""

    __tablename__ = "slack_pins"

    team_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    metric_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    question: Mapped[str] = mapped_column(String(500))
    pinned_at: Mapped[datetime] = mapped_column(UtcTs)
    sparkline_file_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    sparkline_digest: Mapped[str | None] = mapped_column(String(64))
