"""`@KPI Bot <question>` in a channel: the answer goes into the thread of the mention, and a mention in that
thread may follow up on it ("@KPI Bot and by plan?")."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.conversation.asker import asker_from
from bot.conversation.memory import ConversationKey
from bot.handoff import hand_off
from bot.jobs import AnswerWork, Ask, ConversationRoute
from bot.listeners.events.text import question_text


def app_mention(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    channel_id = event["channel"]
    asker = asker_from(context, event["user"], channel_id)
    thread_ts = event.get("thread_ts") or event["ts"]
    ask = Ask(
        question=question_text(event.get("text") or "", context.bot_user_id) or "help",
        source="mention",
        asker=asker,
        posted_in_channel=True,
        ext_shared_hint=bool(body.get("is_ext_shared_channel")),
        conversation=ConversationKey(asker.installing_team_id or "", channel_id, thread_ts),
    )
    route = ConversationRoute(channel_id, thread_ts=thread_ts, notice_user=event["user"])
    hand_off(context, AnswerWork(ask, route), once_key=f"event:{body['event_id']}")
