""""Did you mean …" buttons: ask again with the suggested metric."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.jobs import Ask
from bot.listeners.actions.common import answer_privately, clicker


def suggestion(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    metric_id = str(action.get("value") or "")
    answer_privately(Ask(question=metric_id, source="action", asker=clicker(body, context)), body, context)
