"""Privacy: forget a respondent everywhere; export responses to CSV (the data-contract columns, re-importable)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, or_, select

from kpi_engine.db.models import SurveyDelivery, SurveyResponse, User
from kpi_engine.db.models.survey_campaigns import SurveyAccountLink, SurveyContact, SurveyDeliveryState
from surveys.ids import response_id
from surveys.targets import parse_target

RESPONSES = SurveyResponse.__table__
DELIVERIES = SurveyDelivery.__table__
STATE = SurveyDeliveryState.__table__
CONTACTS = SurveyContact.__table__
LINKS = SurveyAccountLink.__table__
USERS = User.__table__
EXPORT_COLUMNS = ("response_id", "survey", "score", "comment", "respondent_id", "account_id", "responded_at",
                  "campaign_id", "topic")


@dataclass(frozen=True)
class Forgotten:
    slack_user_ids: tuple[str, ...]
    responses: int
    deliveries: int
    delivery_states: int
    contacts: int
    links: int


def person_ids(engine: Engine, who: str) -> tuple[list[str], list[str]]:
    """(Slack user ids, product user ids) meant by a mention, a Slack id, an email or a product user id."""
    target = parse_target(who)
    with engine.connect() as conn:
        if target is not None and target.kind == "user":
            product = list(conn.scalars(select(USERS.c.user_id).where(USERS.c.slack_user_id == target.value)))
            return [target.value], [str(p) for p in product]
        matches = conn.execute(select(USERS.c.user_id, USERS.c.slack_user_id).where(
            or_(USERS.c.user_id == who, USERS.c.email == who.strip().lower(), USERS.c.email == who.strip()))).all()
    return sorted({str(m.slack_user_id) for m in matches if m.slack_user_id}), [str(m.user_id) for m in matches]


def forget_respondent(engine: Engine, who: str) -> Forgotten:
    slack_ids, product_ids = person_ids(engine, who)
    identities = slack_ids + product_ids or [who.strip()]
    with engine.begin() as conn:
        deliveries = [str(d) for d in conn.scalars(select(STATE.c.delivery_id)
                                                   .where(STATE.c.slack_user_id.in_(identities)))]
        responses = conn.execute(delete(RESPONSES).where(or_(
            RESPONSES.c.response_id.in_([response_id(d) for d in deliveries]),
            RESPONSES.c.respondent_id.in_(identities)))).rowcount
        sent = conn.execute(delete(DELIVERIES).where(or_(DELIVERIES.c.delivery_id.in_(deliveries),
                                                         DELIVERIES.c.respondent_id.in_(identities)))).rowcount
        states = conn.execute(delete(STATE).where(STATE.c.delivery_id.in_(deliveries))).rowcount
        contacts = conn.execute(delete(CONTACTS).where(CONTACTS.c.slack_user_id.in_(identities))).rowcount
        links = conn.execute(delete(LINKS).where(LINKS.c.slack_user_id.in_(identities))).rowcount
    return Forgotten(tuple(slack_ids), responses or 0, sent or 0, states or 0, contacts or 0, links or 0)


def export_responses(engine: Engine, path: Path, campaign_id: str | None = None) -> int:
    """Writes every response (or one campaign's) in the data-contract columns; timestamps in UTC (`Z`)."""
    stmt = select(*(RESPONSES.c[name] for name in EXPORT_COLUMNS)).order_by(RESPONSES.c.responded_at,
                                                                             RESPONSES.c.response_id)
    if campaign_id is not None:
        stmt = stmt.where(RESPONSES.c.campaign_id == campaign_id)
    written = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle, engine.connect() as conn:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in conn.execution_options(stream_results=True, yield_per=5000).execute(stmt):
            values = dict(row._mapping)
            values["responded_at"] = values["responded_at"].isoformat(timespec="seconds") + "Z"
            writer.writerow(["" if values[name] is None else values[name] for name in EXPORT_COLUMNS])
            written += 1
    return written
