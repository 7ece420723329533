"""Messages: a DM to the bot (answered in the DM, into its thread when in one), and a plain reply in the
thread of one of the bot's answers in a channel (`message.channels` / `message.groups`), answered there
when it reads as a follow-up or a KPI question. Each DM and each thread keeps its last query for follow-ups.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import BoltContext

from bot.conversation.asker import asker_from
from bot.conversation.memory import ConversationKey
from bot.handoff import hand_off
from bot.jobs import AnswerWork, Ask, ConversationRoute
from bot.listeners.events.text import question_text

THREAD_CHANNEL_TYPES = ("channel", "group")
REPLY_SUBTYPES = (None, "thread_broadcast")  # a reply also sent to the channel is still a reply


def is_person_writing(event: dict[str, Any], *, subtypes: tuple[str | None, ...] = (None,)) -> bool:
    """A person's new message: not an edit, a deletion, a join or another bot."""
    return event.get("subtype") in subtypes and not event.get("bot_id") and bool(event.get("user"))


def is_question(event: dict[str, Any]) -> bool:
    """A person's new message in a DM."""
    return event.get("channel_type") == "im" and is_person_writing(event)


def is_thread_reply(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """A person's reply inside a channel thread that does not mention the bot (a mention comes as app_mention)."""
    if event.get("channel_type") not in THREAD_CHANNEL_TYPES or not is_person_writing(event, subtypes=REPLY_SUBTYPES):
        return False
    thread_ts = event.get("thread_ts")
    if not thread_ts or thread_ts == event.get("ts"):
        return False
    mentions_bot = bot_user_id is not None and re.search(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>",
                                                         event.get("text") or "")
    return not mentions_bot


def message_posted(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    if is_question(event):
        _hand_off_message(event, body, context, source_thread=event.get("thread_ts"), plain_reply=False)
    elif is_thread_reply(event, context.bot_user_id):
        _hand_off_message(event, body, context, source_thread=event["thread_ts"], plain_reply=True)


def _hand_off_message(event: dict[str, Any], body: dict[str, Any], context: BoltContext, *,
                      source_thread: str | None, plain_reply: bool) -> None:
    channel_id = event["channel"]
    asker = asker_from(context, event["user"], channel_id)
    ask = Ask(
        question=question_text(event.get("text") or "", context.bot_user_id) or "help",
        source="mention" if plain_reply else "dm",
        asker=asker,
        posted_in_channel=True,
        ext_shared_hint=bool(body.get("is_ext_shared_channel")),
        conversation=ConversationKey(asker.installing_team_id or "", channel_id, source_thread or ""),
        only_if_understood=plain_reply,
    )
    route = ConversationRoute(channel_id, thread_ts=source_thread, notice_user=event["user"] if plain_reply else None)
    hand_off(context, AnswerWork(ask, route), once_key=f"event:{body['event_id']}")
