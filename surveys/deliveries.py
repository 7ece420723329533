"""Each delivery's life: planned → claimed → sent, or deferred (quiet hours), skipped, failed, uncertain.

The claim is a conditional UPDATE (`status = 'planned'` → `'claimed'` with a fresh token), taken before
anything is posted: of several senders (threads, replicas, a restarted process) exactly one gets it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from kpi_engine.db.bulk import upsert_rows
from kpi_engine.db.models import SurveyDelivery
from kpi_engine.db.models.survey_campaigns import SurveyCampaign, SurveyContact, SurveyDeliveryState
from kpi_engine.settings import Settings
from surveys.links import account_for

STATE = SurveyDeliveryState.__table__
CAMPAIGNS = SurveyCampaign.__table__
CONTACTS = SurveyContact.__table__
DELIVERIES = SurveyDelivery.__table__


@dataclass(frozen=True)
class DueDelivery:
    delivery_id: str
    campaign_id: str
    slack_user_id: str
    claimed_at: datetime | None = None
    claim_token: str | None = None


def due_deliveries(engine: Engine, now: datetime, limit: int = 200) -> list[DueDelivery]:
    """Planned deliveries of open campaigns whose time has come, oldest first."""
    stmt = (
        select(STATE.c.delivery_id, STATE.c.campaign_id, STATE.c.slack_user_id)
        .join(CAMPAIGNS, CAMPAIGNS.c.campaign_id == STATE.c.campaign_id)
        .where(STATE.c.status == "planned", STATE.c.not_before <= now, CAMPAIGNS.c.status == "active",
               CAMPAIGNS.c.expires_at > now)
        .order_by(STATE.c.not_before, STATE.c.delivery_id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [DueDelivery(*row) for row in conn.execute(stmt)]


def next_due_at(engine: Engine) -> datetime | None:
    """When the earliest deferred delivery of an open campaign becomes due (None: nothing waiting)."""
    stmt = (select(STATE.c.not_before).join(CAMPAIGNS, CAMPAIGNS.c.campaign_id == STATE.c.campaign_id)
            .where(STATE.c.status == "planned", CAMPAIGNS.c.status == "active")
            .order_by(STATE.c.not_before).limit(1))
    with engine.connect() as conn:
        return conn.scalar(stmt)


def claim_delivery(engine: Engine, delivery_id: str, now: datetime) -> str | None:
    """The claim token when this caller now owns the delivery; None when another sender got it first."""
    token = secrets.token_hex(8)
    with engine.begin() as conn:
        claimed = conn.execute(
            update(STATE).where(STATE.c.delivery_id == delivery_id, STATE.c.status == "planned")
            .values(status="claimed", claim_token=token, claimed_at=now)
        ).rowcount
    return token if claimed == 1 else None


def _owned(delivery_id: str, token: str) -> ColumnElement[bool]:
    return and_(STATE.c.delivery_id == delivery_id, STATE.c.status == "claimed", STATE.c.claim_token == token)


def release_claim(engine: Engine, delivery_id: str, token: str, *, not_before: datetime,
                  tz: str | None = None) -> bool:
    """Back to planned: nothing was posted (quiet hours, or Slack answered 429 and posted nothing)."""
    with engine.begin() as conn:
        return bool(conn.execute(update(STATE).where(_owned(delivery_id, token)).values(
            status="planned", claim_token=None, claimed_at=None, not_before=not_before, tz=tz)).rowcount)


def finish_unsent(engine: Engine, delivery_id: str, token: str | None, status: str, reason: str) -> bool:
    """skipped (not eligible), failed (Slack refused) or uncertain (cannot tell whether it was posted)."""
    owned = _owned(delivery_id, token) if token else and_(STATE.c.delivery_id == delivery_id,
                                                          STATE.c.status == "planned")
    with engine.begin() as conn:
        return bool(conn.execute(update(STATE).where(owned).values(status=status, error=reason[:100],
                                                                   claim_token=None)).rowcount)


def _reserve(conn: Connection, delivery_id: str, slack_user_id: str, now: datetime, cooldown_days: int) -> bool:
    cutoff = now - timedelta(days=cooldown_days)
    renewed = conn.execute(
        update(CONTACTS).where(CONTACTS.c.slack_user_id == slack_user_id,
                               or_(CONTACTS.c.last_asked_at <= cutoff, CONTACTS.c.last_delivery_id == delivery_id))
        .values(last_asked_at=now, last_delivery_id=delivery_id)).rowcount
    if renewed:
        return True
    if conn.scalar(select(CONTACTS.c.slack_user_id).where(CONTACTS.c.slack_user_id == slack_user_id)):
        return False
    conn.execute(insert(CONTACTS).values(slack_user_id=slack_user_id, last_asked_at=now, last_delivery_id=delivery_id))
    return True


def reserve_contact(engine: Engine, delivery_id: str, slack_user_id: str, now: datetime, cooldown_days: int) -> bool:
    """The 90-day rule, atomically: True when this delivery may ask the person (nobody asked them since the
    cut-off, or it is this delivery's own earlier reservation)."""
    for _ in range(3):
        try:
            with engine.begin() as conn:
                return _reserve(conn, delivery_id, slack_user_id, now, cooldown_days)
        except IntegrityError:  # another sender inserted the same person at the same moment: decide again
            continue
    return False


@dataclass(frozen=True)
class SendingClaim:
    outcome: str  # claimed | taken_by_another_sender | asked_recently
    token: str | None = None
    account_id: str | None = None


def claim_for_sending(engine: Engine, due: DueDelivery, now: datetime, cooldown_days: int,
                      settings: Settings | None = None) -> SendingClaim:
    """In one transaction: claim the delivery, reserve the person (90-day rule; skipped when taken) and read
    the account the answer will count for (`settings`: where the contract's users live, see surveys.links)."""
    for _ in range(3):
        token = secrets.token_hex(8)
        try:
            with engine.begin() as conn:
                claimed = conn.execute(
                    update(STATE).where(STATE.c.delivery_id == due.delivery_id, STATE.c.status == "planned")
                    .values(status="claimed", claim_token=token, claimed_at=now)).rowcount
                if claimed != 1:
                    return SendingClaim("taken_by_another_sender")
                if not _reserve(conn, due.delivery_id, due.slack_user_id, now, cooldown_days):
                    conn.execute(update(STATE).where(STATE.c.delivery_id == due.delivery_id)
                                 .values(status="skipped", error="asked_recently", claim_token=None))
                    return SendingClaim("asked_recently")
                return SendingClaim("claimed", token, account_for(conn, due.slack_user_id, settings))
        except IntegrityError:
            continue
    return SendingClaim("taken_by_another_sender")


def defer_planned(engine: Engine, delivery_id: str, until: datetime, tz: str | None) -> bool:
    """Quiet hours, seen before claiming: the delivery waits for the person's morning."""
    with engine.begin() as conn:
        return bool(conn.execute(update(STATE).where(STATE.c.delivery_id == delivery_id, STATE.c.status == "planned")
                                 .values(not_before=until, tz=tz)).rowcount)


def release_contact(engine: Engine, slack_user_id: str, delivery_id: str) -> None:
    """The survey could not be delivered, so it does not count as asking the person."""
    with engine.begin() as conn:
        conn.execute(delete(CONTACTS).where(CONTACTS.c.slack_user_id == slack_user_id,
                                            CONTACTS.c.last_delivery_id == delivery_id))


@dataclass(frozen=True)
class SentDelivery:
    delivery_id: str
    campaign_id: str
    survey: str
    respondent_id: str  # the Slack user id, or a pseudonym in anonymous campaigns
    account_id: str | None
    channel_id: str
    message_ts: str
    sent_at: datetime
    tz: str | None = None


def mark_sent(engine: Engine, sent: SentDelivery, token: str | None) -> bool:
    """Records the posted message, and the delivery the KPI engine counts (survey_response_rate)."""
    owned = _owned(sent.delivery_id, token) if token else and_(STATE.c.delivery_id == sent.delivery_id,
                                                               STATE.c.status.in_(("claimed", "uncertain")))
    with engine.begin() as conn:
        changed = conn.execute(update(STATE).where(owned).values(
            status="sent", claim_token=None, channel_id=sent.channel_id, message_ts=sent.message_ts,
            sent_at=sent.sent_at, account_id=sent.account_id, tz=sent.tz, error=None)).rowcount
        upsert_rows(conn, DELIVERIES, [{
            "delivery_id": sent.delivery_id, "campaign_id": sent.campaign_id, "survey": sent.survey,
            "respondent_id": sent.respondent_id, "account_id": sent.account_id, "sent_at": sent.sent_at,
            "response_id": None}], update=())
    return bool(changed)


def stale_claims(engine: Engine, now: datetime, lease_seconds: float) -> list[DueDelivery]:
    """Claims whose sender vanished (crash, killed replica) before recording the outcome."""
    cutoff = now - timedelta(seconds=lease_seconds)
    stmt = (select(STATE.c.delivery_id, STATE.c.campaign_id, STATE.c.slack_user_id, STATE.c.claimed_at,
                   STATE.c.claim_token)
            .where(STATE.c.status == "claimed", STATE.c.claimed_at <= cutoff).order_by(STATE.c.claimed_at))
    with engine.connect() as conn:
        return [DueDelivery(*row) for row in conn.execute(stmt)]


def take_over_claim(engine: Engine, stale: DueDelivery, now: datetime) -> str | None:
    """Of several processes recovering the same stale claim, exactly one gets a fresh token."""
    token = secrets.token_hex(8)
    with engine.begin() as conn:
        taken = conn.execute(update(STATE).where(_owned(stale.delivery_id, stale.claim_token or ""))
                             .values(claim_token=token, claimed_at=now)).rowcount
    return token if taken == 1 else None
