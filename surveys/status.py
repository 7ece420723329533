"""Where a campaign stands: sent, waiting (quiet hours), answered, and who could not be reached and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, case, func, select

from kpi_engine.db.models.survey_campaigns import SurveyDeliveryState
from surveys.campaigns import Campaign

STATE = SurveyDeliveryState.__table__
NAMES_SHOWN = 10


@dataclass(frozen=True)
class CampaignStatus:
    campaign: Campaign
    total: int = 0
    waiting: int = 0  # planned and due now
    deferred: int = 0  # planned for later (the person's night)
    in_flight: int = 0  # claimed by a sender right now
    sent: int = 0
    answered: int = 0
    reminded: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason → count (asked_recently, not_a_person, expired…)
    failed: dict[str, int] = field(default_factory=dict)  # Slack error → count
    failed_people: dict[str, list[str]] = field(default_factory=dict)  # Slack error → Slack user ids (first few)
    uncertain: int = 0  # a sender crashed and Slack could not be checked: not retried, so never sent twice
    next_due: datetime | None = None


def campaign_status(engine: Engine, campaign: Campaign, now: datetime) -> CampaignStatus:
    cid = campaign.campaign_id
    counts = (select(STATE.c.status, STATE.c.error.label("reason"),
                     func.sum(case((STATE.c.not_before > now, 1), else_=0)).label("later"),
                     func.count(STATE.c.answered_at).label("answered"),
                     func.sum(case((STATE.c.reminder_status == "sent", 1), else_=0)).label("reminded"),
                     func.count().label("n"))
              .where(STATE.c.campaign_id == cid).group_by(STATE.c.status, STATE.c.error))
    failures = (select(STATE.c.error, STATE.c.slack_user_id).where(STATE.c.campaign_id == cid,
                                                                    STATE.c.status == "failed")
                .order_by(STATE.c.error, STATE.c.slack_user_id).limit(200))
    next_due = select(func.min(STATE.c.not_before)).where(STATE.c.campaign_id == cid, STATE.c.status == "planned",
                                                          STATE.c.not_before > now)
    values: dict[str, int] = {"total": 0, "waiting": 0, "deferred": 0, "in_flight": 0, "sent": 0, "answered": 0,
                              "reminded": 0, "uncertain": 0}
    skipped: dict[str, int] = {}
    failed: dict[str, int] = {}
    failed_people: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for row in conn.execute(counts):
            n, later = int(row.n), int(row.later or 0)
            values["total"] += n
            values["answered"] += int(row.answered)
            values["reminded"] += int(row.reminded or 0)
            if row.status == "planned":
                values["deferred"] += later
                values["waiting"] += n - later
            elif row.status == "claimed":
                values["in_flight"] += n
            elif row.status == "sent":
                values["sent"] += n
            elif row.status == "skipped":
                skipped[row.reason or "skipped"] = skipped.get(row.reason or "skipped", 0) + n
            elif row.status == "failed":
                failed[row.reason or "error"] = failed.get(row.reason or "error", 0) + n
            elif row.status == "uncertain":
                values["uncertain"] += n
        for error, user in conn.execute(failures):
            names = failed_people.setdefault(error or "error", [])
            if len(names) < NAMES_SHOWN:
                names.append(user)
        due = conn.scalar(next_due)
    return CampaignStatus(campaign, skipped=skipped, failed=failed, failed_people=failed_people, next_due=due,
                          **values)
