"""One reminder, `reminder_after_hours` after the survey was sent, if it is still unanswered and open.

`not_before` (no longer needed once a delivery is sent) holds a reminder deferred by quiet hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from kpi_engine.db.models.survey_campaigns import SurveyCampaign, SurveyDeliveryState

STATE = SurveyDeliveryState.__table__
CAMPAIGNS = SurveyCampaign.__table__


@dataclass(frozen=True)
class ReminderDue:
    delivery_id: str
    campaign_id: str
    slack_user_id: str
    channel_id: str
    message_ts: str
    tz: str | None


def due_reminders(engine: Engine, now: datetime, after_hours: float, limit: int = 200) -> list[ReminderDue]:
    sent_before = now - timedelta(hours=after_hours)
    stmt = (
        select(STATE.c.delivery_id, STATE.c.campaign_id, STATE.c.slack_user_id, STATE.c.channel_id,
               STATE.c.message_ts, STATE.c.tz)
        .join(CAMPAIGNS, CAMPAIGNS.c.campaign_id == STATE.c.campaign_id)
        .where(STATE.c.status == "sent", STATE.c.sent_at <= sent_before, STATE.c.answered_at.is_(None),
               STATE.c.reminder_status.is_(None), STATE.c.not_before <= now,
               CAMPAIGNS.c.status == "active", CAMPAIGNS.c.expires_at > now)
        .order_by(STATE.c.sent_at, STATE.c.delivery_id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [ReminderDue(*row) for row in conn.execute(stmt)]


def defer_reminder(engine: Engine, delivery_id: str, until: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(update(STATE).where(STATE.c.delivery_id == delivery_id).values(not_before=until))


def claim_reminder(engine: Engine, delivery_id: str) -> bool:
    """At most one reminder per delivery, whoever sends it (a reminder lost in a crash is not retried)."""
    with engine.begin() as conn:
        return conn.execute(update(STATE).where(STATE.c.delivery_id == delivery_id, STATE.c.answered_at.is_(None),
                                                STATE.c.reminder_status.is_(None))
                            .values(reminder_status="claimed")).rowcount == 1


def finish_reminder(engine: Engine, delivery_id: str, status: str | None, ts: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(update(STATE).where(STATE.c.delivery_id == delivery_id)
                     .values(reminder_status=status, reminder_ts=ts))
