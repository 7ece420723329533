"""Pinned KPIs in the database (one row per team, user and metric)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.audit import utc_now
from kpi_engine.db.models.slack_app import SlackPin

MAX_PINS = 12
TABLE = SlackPin.__table__


@dataclass(frozen=True)
class Pin:
    metric_id: str
    question: str
    sparkline_file_id: str | None
    sparkline_digest: str | None


def add_pin(engine: Engine, team_id: str, user_id: str, metric_id: str, question: str) -> bool:
    """False when the user already has MAX_PINS pins (pinning the same metric again is a no-op)."""
    with engine.begin() as conn:
        count = conn.execute(select(func.count()).select_from(TABLE).where(
            TABLE.c.team_id == team_id, TABLE.c.user_id == user_id)).scalar_one()
        exists = conn.execute(select(TABLE.c.metric_id).where(
            TABLE.c.team_id == team_id, TABLE.c.user_id == user_id, TABLE.c.metric_id == metric_id)).first()
        if exists is not None:
            return True
        if count >= MAX_PINS:
            return False
    try:
        with engine.begin() as conn:
            conn.execute(insert(TABLE).values(team_id=team_id, user_id=user_id, metric_id=metric_id,
                                              question=question[:500], pinned_at=utc_now()))
    except IntegrityError:  # a double click pinned it a moment ago
        pass
    return True


def remove_pin(engine: Engine, team_id: str, user_id: str, metric_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(TABLE).where(TABLE.c.team_id == team_id, TABLE.c.user_id == user_id,
                                         TABLE.c.metric_id == metric_id))


def list_pins(engine: Engine, team_id: str, user_id: str) -> list[Pin]:
    with engine.connect() as conn:
        rows = conn.execute(select(TABLE.c.metric_id, TABLE.c.question, TABLE.c.sparkline_file_id,
                                   TABLE.c.sparkline_digest)
                            .where(TABLE.c.team_id == team_id, TABLE.c.user_id == user_id)
                            .order_by(TABLE.c.pinned_at, TABLE.c.metric_id)).all()
    return [Pin(*row) for row in rows]


def remember_sparkline(engine: Engine, team_id: str, user_id: str, metric_id: str, file_id: str,
                       digest: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(TABLE).where(TABLE.c.team_id == team_id, TABLE.c.user_id == user_id,
                                         TABLE.c.metric_id == metric_id)
                     .values(sparkline_file_id=file_id, sparkline_digest=digest))
