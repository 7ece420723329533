"""Which account a respondent belongs to: a link set with `survey link`, else `users.slack_user_id`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, delete, select, update

from kpi_engine.db.bulk import upsert_rows
from kpi_engine.db.models import SurveyDelivery, SurveyResponse, User
from kpi_engine.db.models.survey_campaigns import SurveyAccountLink, SurveyDeliveryState
from surveys.ids import response_id

LINKS = SurveyAccountLink.__table__
USERS = User.__table__
STATE = SurveyDeliveryState.__table__
DELIVERIES = SurveyDelivery.__table__
RESPONSES = SurveyResponse.__table__


def account_for(conn: Connection, slack_user_id: str) -> str | None:
    linked = conn.scalar(select(LINKS.c.account_id).where(LINKS.c.slack_user_id == slack_user_id))
    if linked:
        return str(linked)
    user_account = conn.scalar(
        select(USERS.c.account_id).where(USERS.c.slack_user_id == slack_user_id, USERS.c.account_id.is_not(None))
        .order_by(USERS.c.user_id).limit(1))
    return str(user_account) if user_account else None


def link_account(engine: Engine, slack_user_id: str, account_id: str, now: datetime) -> int:
    """Links the person and moves their earlier survey answers to the account (so NPS by plan counts them).
    Returns how many of their answers were moved."""
    with engine.begin() as conn:
        upsert_rows(conn, LINKS, [{"slack_user_id": slack_user_id, "account_id": account_id, "linked_at": now}],
                    update=["account_id", "linked_at"])
        return _reassign(conn, slack_user_id, account_id)


def unlink_account(engine: Engine, slack_user_id: str) -> bool:
    with engine.begin() as conn:
        removed = conn.execute(delete(LINKS).where(LINKS.c.slack_user_id == slack_user_id)).rowcount
        _reassign(conn, slack_user_id, account_for(conn, slack_user_id))
    return bool(removed)


def _reassign(conn: Connection, slack_user_id: str, account_id: str | None) -> int:
    mine = select(STATE.c.delivery_id).where(STATE.c.slack_user_id == slack_user_id)
    deliveries = [str(d) for d in conn.scalars(mine)]
    if not deliveries:
        return 0
    conn.execute(update(STATE).where(STATE.c.delivery_id.in_(deliveries)).values(account_id=account_id))
    conn.execute(update(DELIVERIES).where(DELIVERIES.c.delivery_id.in_(deliveries)).values(account_id=account_id))
    responses = [response_id(d) for d in deliveries]
    return conn.execute(update(RESPONSES).where(RESPONSES.c.response_id.in_(responses))
                        .values(account_id=account_id)).rowcount or 0
