"""A direct message to the bot: the answer goes back into the DM (into its thread, when in one)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.conversation.asker import asker_from
from bot.conversation.flow import Ask
from bot.jobs import AnswerWork, ConversationRoute
from bot.listeners.events.text import question_text
from bot.listeners.handoff import hand_off


def is_question(event: dict[str, Any]) -> bool:
    """A person's new message in a DM: not an edit, a deletion, a join or another bot."""
    return (event.get("channel_type") == "im" and event.get("subtype") is None
            and not event.get("bot_id") and bool(event.get("user")))


def direct_message(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    if not is_question(event):
        return
    channel_id = event["channel"]
    ask = Ask(
        question=question_text(event.get("text") or "", context.bot_user_id) or "help",
        source="dm",
        asker=asker_from(context, event["user"], channel_id),
        posted_in_channel=True,
        ext_shared_hint=bool(body.get("is_ext_shared_channel")),
    )
    route = ConversationRoute(channel_id, thread_ts=event.get("thread_ts"))
    hand_off(context, AnswerWork(ask, route), once_key=f"event:{body['event_id']}")
