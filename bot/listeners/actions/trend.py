""""Trend": the same metric as a series over the answer's period (the query travels in the button)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.payload import decode_ref
from bot.jobs import Ask
from bot.listeners.actions.common import answer_privately, clicker


def trend(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    ref = decode_ref(action.get("value") or "")
    question = f"{ref.question} (trend)" if ref.query is not None else f"{ref.question} trend"
    answer_privately(Ask(question=question, source="action", asker=clicker(body, context), query=ref.query),
                     body, context)
