"""Creating campaigns and planning one delivery per person; reading, listing, closing and expiring them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, update

from kpi_engine.db.bulk import upsert_rows
from kpi_engine.db.models.survey_campaigns import SurveyCampaign, SurveyDeliveryState
from surveys.config import SurveySettings
from surveys.ids import delivery_id, new_campaign_id
from surveys.kinds import kind_of

CAMPAIGNS = SurveyCampaign.__table__
STATE = SurveyDeliveryState.__table__
PLAN_BATCH = 1000


class CampaignNotFound(LookupError):
    pass


@dataclass(frozen=True)
class CampaignSpec:
    survey: str
    audience: str
    question: str | None = None  # None: the kind's standard wording with the product name
    follow_up: str | None = None
    anonymous: bool = False
    topic: str | None = None
    expire_days: int | None = None  # None: SurveySettings.expire_days
    post_in_channel: str | None = None
    team_id: str | None = None
    created_by: str | None = None
    unresolved: str | None = None


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    survey: str
    question: str
    follow_up: str | None
    anonymous: bool
    topic: str | None
    team_id: str | None
    created_by: str | None
    created_at: datetime
    expires_at: datetime
    post_in_channel: str | None
    audience: str
    unresolved: str | None
    status: str

    def is_open(self, now: datetime) -> bool:
        return self.status == "active" and now < self.expires_at

    @classmethod
    def from_row(cls, row: Any) -> Campaign:
        mapping = row._mapping
        return cls(**{name: mapping[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Recipient:
    slack_user_id: str
    source: str  # e.g. "user:U123", "channel:C123"


def create_campaign(engine: Engine, spec: CampaignSpec, *, product: str, rules: SurveySettings,
                    now: datetime) -> Campaign:
    kind = kind_of(spec.survey)
    values: dict[str, Any] = {
        "campaign_id": new_campaign_id(kind.name, now),
        "survey": kind.name,
        "question": (spec.question or kind.question(product))[:500],
        "follow_up": spec.follow_up[:500] if spec.follow_up else None,
        "anonymous": spec.anonymous,
        "topic": spec.topic,
        "team_id": spec.team_id,
        "created_by": spec.created_by,
        "created_at": now,
        "expires_at": now + timedelta(days=spec.expire_days or rules.expire_days),
        "post_in_channel": spec.post_in_channel,
        "audience": spec.audience[:2000],
        "unresolved": spec.unresolved[:2000] if spec.unresolved else None,
        "status": "active",
    }
    with engine.begin() as conn:
        conn.execute(CAMPAIGNS.insert(), values)
    return Campaign(**values)


def plan_deliveries(engine: Engine, campaign_id: str, recipients: Iterable[Recipient], now: datetime) -> int:
    """One planned delivery per person (a person reached twice, e.g. by name and by channel, is planned once).
    Returns how many deliveries the campaign has now."""
    batch: list[dict[str, Any]] = []
    seen: set[str] = set()
    for recipient in recipients:
        if recipient.slack_user_id in seen:
            continue
        seen.add(recipient.slack_user_id)
        batch.append({"delivery_id": delivery_id(campaign_id, recipient.slack_user_id), "campaign_id": campaign_id,
                      "slack_user_id": recipient.slack_user_id, "source": recipient.source[:200],
                      "status": "planned", "not_before": now})
        if len(batch) >= PLAN_BATCH:
            _insert_planned(engine, batch)
            batch = []
    _insert_planned(engine, batch)
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(STATE).where(STATE.c.campaign_id == campaign_id)) or 0)


def _insert_planned(engine: Engine, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        with engine.begin() as conn:
            upsert_rows(conn, STATE, rows, update=())


def get_campaign(engine: Engine, campaign_id: str) -> Campaign:
    with engine.connect() as conn:
        row = conn.execute(select(CAMPAIGNS).where(CAMPAIGNS.c.campaign_id == campaign_id)).first()
    if row is None:
        raise CampaignNotFound(campaign_id)
    return Campaign.from_row(row)


def latest_campaign(engine: Engine, survey: str | None = None) -> Campaign | None:
    stmt = select(CAMPAIGNS).order_by(CAMPAIGNS.c.created_at.desc(), CAMPAIGNS.c.campaign_id.desc()).limit(1)
    if survey is not None:
        stmt = stmt.where(CAMPAIGNS.c.survey == survey)
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    return Campaign.from_row(row) if row is not None else None


def list_campaigns(engine: Engine, limit: int = 20) -> list[Campaign]:
    stmt = select(CAMPAIGNS).order_by(CAMPAIGNS.c.created_at.desc(), CAMPAIGNS.c.campaign_id.desc()).limit(limit)
    with engine.connect() as conn:
        return [Campaign.from_row(row) for row in conn.execute(stmt)]


def close_campaign(engine: Engine, campaign_id: str, now: datetime, status: str = "closed") -> bool:
    """Nothing more is sent; clicks are answered politely. Planned deliveries are skipped."""
    with engine.begin() as conn:
        changed = conn.execute(update(CAMPAIGNS).where(CAMPAIGNS.c.campaign_id == campaign_id,
                                                       CAMPAIGNS.c.status == "active").values(status=status)).rowcount
        conn.execute(update(STATE).where(STATE.c.campaign_id == campaign_id, STATE.c.status == "planned")
                     .values(status="skipped", error=status))
    return bool(changed)


def expire_campaigns(engine: Engine, now: datetime) -> list[str]:
    """Campaigns past their end date stop: their planned deliveries are skipped as `expired`."""
    with engine.connect() as conn:
        due = list(conn.scalars(select(CAMPAIGNS.c.campaign_id).where(CAMPAIGNS.c.status == "active",
                                                                      CAMPAIGNS.c.expires_at <= now)))
    for campaign_id in due:
        close_campaign(engine, campaign_id, now, status="expired")
    return due
