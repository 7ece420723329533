"""Exactly-once handling of Slack deliveries: the first replica to insert the key wins.

Slack retries events (X-Slack-Retry-Num) even while the first delivery is still being handled, and
several replicas may receive them; the primary key of `slack_processed_events` settles who answers.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError

from bot.audit import utc_now
from kpi_engine.db.models.slack_app import SlackProcessedEvent

TABLE = SlackProcessedEvent.__table__


def claim(engine: Engine, key: str, team_id: str | None = None) -> bool:
    """True for the first caller with this key, False for every later one (on any replica)."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(TABLE).values(event_key=key[:200], team_id=team_id, received_at=utc_now()))
    except IntegrityError:
        return False
    return True


def forget_older_than(engine: Engine, days: int) -> int:
    with engine.begin() as conn:
        result = conn.execute(delete(TABLE).where(TABLE.c.received_at < utc_now() - timedelta(days=days)))
    return result.rowcount or 0
