"""What every action listener needs: who clicked where, and handing a follow-up to a worker."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.access import Asker
from bot.conversation.asker import asker_from
from bot.handoff import hand_off
from bot.jobs import AnswerWork, Ask, EphemeralRoute


def clicker(body: dict[str, Any], context: BoltContext) -> Asker:
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return asker_from(context, body["user"]["id"], channel_id)


def answer_privately(ask: Ask, body: dict[str, Any], context: BoltContext) -> None:
    """The follow-up's answer is an ephemeral message to the person who clicked."""
    hand_off(context, AnswerWork(ask, EphemeralRoute(body["response_url"])))
