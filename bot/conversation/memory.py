"""What a conversation last asked: the queries of the bot's last answer in a DM or thread, kept in the database.

Keyed by team, channel and thread (`""` for a DM outside threads), upserted (any replica, any restart) and
read only while younger than `CONVERSATION_TTL`; older rows are deleted as new ones are written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine, delete, select

from bot.audit import utc_now
from bot.blocks.payload import query_json
from kpi_engine.answers.ask import AnyQuery
from kpi_engine.db.bulk import upsert_rows
from kpi_engine.db.models.conversations import SLACK_TS, SlackConversation
from kpi_engine.query import Query

logger = logging.getLogger(__name__)

CONVERSATION_TTL = timedelta(days=1)
TABLE = SlackConversation.__table__
_QUERY = TypeAdapter(Query)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class ConversationKey:
    """A DM (thread_ts "") or a thread (the ts of its first message) in one team's channel."""

    team_id: str
    channel_id: str
    thread_ts: str = ""


@dataclass(frozen=True)
class Remembered:
    question: str
    queries: tuple[AnyQuery, ...]  # one per metric of the answer
    updated_at: datetime


def queries_to_json(queries: Sequence[AnyQuery]) -> str:
    return json.dumps([query_json(q) for q in queries], separators=(",", ":"), ensure_ascii=False)


def queries_from_json(text: str) -> tuple[AnyQuery, ...]:
    """() for anything unreadable (a row written by an older version, say)."""
    try:
        data = json.loads(text)
        return tuple(_QUERY.validate_python(item) for item in (data if isinstance(data, list) else [data]))
    except (ValidationError, ValueError, TypeError):
        return ()


def remember(engine: Engine, key: ConversationKey, question: str, queries: Sequence[AnyQuery], *,
             now: Clock = utc_now) -> None:
    if not queries:
        return
    at = now()
    with engine.begin() as conn:
        upsert_rows(conn, TABLE, [{"team_id": key.team_id, "channel_id": key.channel_id,
                                   "thread_ts": key.thread_ts[:SLACK_TS], "query_json": queries_to_json(queries),
                                   "question": question[:4000], "updated_at": at}])
        conn.execute(delete(TABLE).where(TABLE.c.updated_at < at - CONVERSATION_TTL))


def recall(engine: Engine, key: ConversationKey, *, now: Clock = utc_now) -> Remembered | None:
    """The conversation's last queries while they are younger than a day, else None."""
    with engine.connect() as conn:
        row = conn.execute(select(TABLE.c.question, TABLE.c.query_json, TABLE.c.updated_at).where(
            TABLE.c.team_id == key.team_id, TABLE.c.channel_id == key.channel_id,
            TABLE.c.thread_ts == key.thread_ts[:SLACK_TS])).first()
    if row is None or row.updated_at < now() - CONVERSATION_TTL:
        return None
    queries = queries_from_json(row.query_json)
    if not queries:
        logger.info("unreadable conversation state for %s/%s ignored", key.channel_id, key.thread_ts)
        return None
    return Remembered(row.question, queries, row.updated_at)
