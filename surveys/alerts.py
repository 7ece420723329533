"""Closing the loop: each unhappy answer is posted once to the customer-experience channel (claimed in the DB)."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from kpi_engine.db.models.survey_campaigns import SurveyDeliveryState

STATE = SurveyDeliveryState.__table__


def claim_alert(engine: Engine, delivery_id: str) -> bool:
    with engine.begin() as conn:
        return conn.execute(update(STATE).where(STATE.c.delivery_id == delivery_id, STATE.c.alert_status.is_(None))
                            .values(alert_status="claimed")).rowcount == 1


def finish_alert(engine: Engine, delivery_id: str, status: str, ts: str | None, channel: str | None = None) -> None:
    """`ts` (and the channel, kept in `alert_ts` as "channel/ts") lets a later comment go into the alert's thread."""
    where = f"{channel}/{ts}" if channel and ts else ts
    with engine.begin() as conn:
        conn.execute(update(STATE).where(STATE.c.delivery_id == delivery_id)
                     .values(alert_status=status, alert_ts=where))


def alert_thread(engine: Engine, delivery_id: str) -> tuple[str, str] | None:
    """(channel, ts) of the alert posted for this delivery, if any."""
    with engine.connect() as conn:
        value = conn.scalar(select(STATE.c.alert_ts).where(STATE.c.delivery_id == delivery_id,
                                                           STATE.c.alert_status == "sent"))
    if not value or "/" not in value:
        return None
    channel, ts = str(value).split("/", 1)
    return channel, ts
