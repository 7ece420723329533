""""How is this computed?": the definition, the formula and the SQL the engine ran."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.payload import decode_ref
from bot.jobs import Ask
from bot.listeners.actions.common import answer_privately, clicker


def how_computed(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    ref = decode_ref(action.get("value") or "")
    answer_privately(Ask(question=ref.question, source="action", asker=clicker(body, context), query=ref.query,
                         show_how_computed=True), body, context)
