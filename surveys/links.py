"""Which account a respondent belongs to: a link set with `survey link` (the bot's own, in DATABASE_URL), else
`users.slack_user_id` (a contract table: read from the source when one is configured, given `settings`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, delete, select, update

from kpi_engine.db.bulk import upsert_rows
from kpi_engine.db.models import SurveyDelivery, SurveyResponse, User
from kpi_engine.db.models.survey_campaigns import SurveyAccountLink, SurveyDeliveryState
from kpi_engine.settings import Settings
from kpi_engine.sources.routing import contract_connection
from surveys.ids import response_id

LINKS = SurveyAccountLink.__table__
USERS = User.__table__
STATE = SurveyDeliveryState.__table__
DELIVERIES = SurveyDelivery.__table__
RESPONSES = SurveyResponse.__table__


def account_for(conn: Connection, slack_user_id: str, settings: Settings | None = None) -> str | None:
    """`conn`: on DATABASE_URL. With `settings` naming a source, `users` is read there (its own connection)."""
    linked = conn.scalar(select(LINKS.c.account_id).where(LINKS.c.slack_user_id == slack_user_id))
    if linked:
        return str(linked)
    of_user = (select(USERS.c.account_id).where(USERS.c.slack_user_id == slack_user_id, USERS.c.account_id.is_not(None))
               .order_by(USERS.c.user_id).limit(1))
    if settings is not None and settings.uses_source:
        with contract_connection(conn.engine, settings) as users:
            user_account = users.scalar(of_user)
    else:
        user_account = conn.scalar(of_user)
    return str(user_account) if user_account else None


def link_account(engine: Engine, slack_user_id: str, account_id: str, now: datetime) -> int:
    """Links the person and moves their earlier survey answers to the account (so NPS by plan counts them).
    Returns how many of their answers were moved."""
    with engine.begin() as conn:
        upsert_rows(conn, LINKS, [{"slack_user_id": slack_user_id, "account_id": account_id, "linked_at": now}],
                    update=["account_id", "linked_at"])
        return _reassign(conn, slack_user_id, account_id)


def unlink_account(engine: Engine, slack_user_id: str, settings: Settings | None = None) -> bool:
    """Removes the link; their answers go back to the account of their user row (read where `users` lives)."""
    with engine.begin() as conn:
        removed = conn.execute(delete(LINKS).where(LINKS.c.slack_user_id == slack_user_id)).rowcount
        _reassign(conn, slack_user_id, account_for(conn, slack_user_id, settings))
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
