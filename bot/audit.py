"""The audit log: every question asked of the bot (who, where, what, when) and what came of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Engine, insert

from kpi_engine.db.models.slack_app import SlackAuditEntry

Source = Literal["command", "mention", "dm", "action", "home"]
Outcome = Literal["answered", "unknown", "refused", "error"]


@dataclass(frozen=True)
class AuditRecord:
    team_id: str | None
    user_id: str
    channel_id: str | None
    source: Source
    question: str
    outcome: Outcome
    metric_id: str | None = None
    detail: str | None = None


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record_question(engine: Engine, record: AuditRecord) -> None:
    with engine.begin() as conn:
        conn.execute(insert(SlackAuditEntry.__table__).values(
            asked_at=utc_now(),
            team_id=record.team_id,
            user_id=record.user_id,
            channel_id=record.channel_id,
            source=record.source,
            question=record.question[:4000],
            metric_id=record.metric_id,
            outcome=record.outcome,
            detail=(record.detail or None) and record.detail[:500],
        ))
