""""Share in channel": the same answer, recomputed, posted for everyone (never into a channel shared with
other organisations). A double click shares once."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.blocks.payload import decode_ref
from bot.handoff import hand_off
from bot.jobs import AnswerWork, Ask, ConversationRoute, EphemeralRoute, SplitRoute
from bot.listeners.actions.common import clicker
from bot.posting import respond_with


def share_answer(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                 respond: Respond) -> None:
    ack()
    asker = clicker(body, context)
    if asker.channel_id is None:
        respond_with(respond, text="I can only share answers into a conversation.")
        return
    ref = decode_ref(action.get("value") or "")
    ask = Ask(question=ref.question, source="action", asker=asker, posted_in_channel=True, query=ref.query,
              include_actions=False)
    route = SplitRoute(ConversationRoute(asker.channel_id, chart_under_answer=True),
                       EphemeralRoute(body["response_url"]))
    message_ts = (body.get("container") or {}).get("message_ts") or action.get("action_ts")
    key = f"share:{asker.channel_id}:{message_ts}:{asker.user_id}:{(action.get('value') or '')[:60]}"
    hand_off(context, AnswerWork(ask, route), once_key=key)
