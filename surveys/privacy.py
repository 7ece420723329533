"""Privacy: forget a respondent everywhere; export responses to CSV (the data-contract columns, re-importable)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, or_, select, update

from kpi_engine.db.models import SurveyDelivery, SurveyResponse, User
from kpi_engine.db.models.survey_campaigns import (
    SurveyAccountLink,
    SurveyCampaign,
    SurveyContact,
    SurveyDeliveryState,
)
from surveys.ids import response_id
from surveys.targets import parse_target

RESPONSES = SurveyResponse.__table__
DELIVERIES = SurveyDelivery.__table__
STATE = SurveyDeliveryState.__table__
CONTACTS = SurveyContact.__table__
LINKS = SurveyAccountLink.__table__
USERS = User.__table__
CAMPAIGNS = SurveyCampaign.__table__
FORGOTTEN = "(someone forgotten)"
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
    audience_texts: int = 0  # campaigns whose audience or unresolved text named the person


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
        texts = scrub_audience_texts(conn, _name_patterns(conn, who, slack_ids, product_ids))
    return Forgotten(tuple(slack_ids), responses or 0, sent or 0, states or 0, contacts or 0, links or 0, texts)


def _name_patterns(conn: Connection, who: str, slack_ids: list[str], product_ids: list[str]) -> list[re.Pattern[str]]:
    """How the person can be written in a campaign's audience: mentions, raw ids, emails (escaped or not)."""
    emails = {str(e).lower() for e in conn.scalars(select(USERS.c.email).where(USERS.c.user_id.in_(product_ids)))
              if e}
    target = parse_target(who)
    if target is not None and target.kind == "email":
        emails.add(target.value)
    patterns = []
    for slack_id in slack_ids:
        patterns.append(re.compile(rf"<@{re.escape(slack_id)}(?:\|[^>]*)?>|\b{re.escape(slack_id)}\b"))
    for email in emails:
        patterns.append(re.compile(rf"<mailto:{re.escape(email)}(?:\|[^>]*)?>|(?<![\w.+-]){re.escape(email)}(?![\w.-])",
                                   re.IGNORECASE))
    return patterns


def scrub_audience_texts(conn: Connection, patterns: list[re.Pattern[str]]) -> int:
    """Replaces the person in every campaign's audience and unresolved text; returns how many campaigns changed."""
    if not patterns:
        return 0
    changed = 0
    for row in conn.execute(select(CAMPAIGNS.c.campaign_id, CAMPAIGNS.c.audience, CAMPAIGNS.c.unresolved)).all():
        values = {}
        for column in ("audience", "unresolved"):
            text = getattr(row, column)
            if not text:
                continue
            scrubbed = text
            for pattern in patterns:
                scrubbed = pattern.sub(FORGOTTEN, scrubbed)
            if scrubbed != text:
                values[column] = scrubbed
        if values:
            conn.execute(update(CAMPAIGNS).where(CAMPAIGNS.c.campaign_id == row.campaign_id).values(values))
            changed += 1
    return changed


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
