"""`/kpi survey …`: NPS/CSAT/CES campaigns and their results (the work: bot.surveys.command, on the server's
threads since it needs the survey runtime)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.access import Asker
from bot.conversation.asker import asker_from
from bot.handoff import hand_off
from bot.job_runner import run_job
from bot.jobs import Job, SurveyCommandWork
from bot.services import Services
from bot.surveys.runtime import SurveyRuntime

WORDS = ("survey", "surveys")


def survey_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    ack()
    asker = asker_from(context, command["user_id"], command.get("channel_id"))
    hand_off(context, SurveyCommandWork(str(command.get("text") or ""), asker, command["response_url"],
                                        context.bot_user_id))


def handle_survey_command(text: str, *, services: Services, runtime: SurveyRuntime, client: WebClient, asker: Asker,
                          respond: Respond, bot_user_id: str | None = None) -> None:
    """Runs the command at once on this thread, through the runner's checks (tests, scripts)."""
    assert respond.response_url is not None
    work = SurveyCommandWork(text, asker, respond.response_url, bot_user_id)
    run_job(replace(services, surveys=runtime), Job(work, token=client.token))
