"""Security bookkeeping: a workspace's installation state (uninstalled or tokens revoked pauses its digests,
alerts and campaigns) and Slack's Retry-After pauses shared by every process on the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import UtcTs

SLACK_ID = 64


class SlackWorkspaceState(Base):
    """One row per workspace that was uninstalled or lost its tokens (no row, or `active`: installed)."""

    __tablename__ = "slack_workspace_state"

    team_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))  # active | uninstalled | tokens_revoked
    changed_at: Mapped[datetime] = mapped_column(UtcTs)
    detail: Mapped[str | None] = mapped_column(String(200))


class SlackRatePause(Base):
    """Slack answered 429 with Retry-After: nobody sending in this scope posts before `paused_until`."""

    __tablename__ = "slack_rate_pauses"

    scope: Mapped[str] = mapped_column(String(100), primary_key=True)
    paused_until: Mapped[datetime] = mapped_column(UtcTs)
