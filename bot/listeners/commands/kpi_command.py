"""`/kpi <question>`: ack at once; the answer follows from a worker as an ephemeral message.

`/kpi help` (or nothing) is answered in the ack itself: it needs neither the database nor Slack's API.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import help_blocks
from bot.conversation.asker import asker_from
from bot.conversation.flow import Ask
from bot.digests.slash import handle_kpi_subcommand
from bot.jobs import AnswerWork, EphemeralRoute
from bot.listeners.handoff import hand_off
from bot.surveys.command import is_survey_command, survey_command

KPI_COMMAND = "/kpi"


def kpi_command(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond) -> None:
    text = " ".join(str(command.get("text") or "").split())
    if text.lower() in ("", "help", "?"):
        ack(text="How to ask KPI Bot", blocks=help_blocks(), response_type="ephemeral")
        return
    if is_survey_command(text):
        survey_command(ack, command, context)
        return
    if handle_kpi_subcommand(ack, command, context, client, respond):  # digest, alert, target
        return
    ask = Ask(question=text, source="command", asker=asker_from(context, command["user_id"], command.get("channel_id")))
    ack()
    hand_off(context, AnswerWork(ask, EphemeralRoute(command["response_url"])))
