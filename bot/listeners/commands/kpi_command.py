"""`/kpi <question>`: ack at once; the answer follows from the job runner as an ephemeral message. (The
subcommands before it are routed in bot.listeners.commands.)"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.conversation.asker import asker_from
from bot.handoff import hand_off
from bot.jobs import AnswerWork, Ask, EphemeralRoute
from bot.listeners.commands.common import KPI_COMMAND

__all__ = ["KPI_COMMAND", "kpi_command"]


def kpi_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    text = " ".join(str(command.get("text") or "").split())
    ask = Ask(question=text, source="command", asker=asker_from(context, command["user_id"], command.get("channel_id")))
    ack()
    hand_off(context, AnswerWork(ask, EphemeralRoute(command["response_url"])))
