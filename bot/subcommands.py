"""`/kpi digest|alert|target …` once the job runner checked access: the subcommand's domain function answers
the text after its word (`CommandWork.run`, e.g. `handle_digest_command`), privately through the response_url."""

from __future__ import annotations

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.conversation.reply import EphemeralReply
from bot.jobs import CommandWork
from bot.services import Services
from bot.shared.command import CommandContext, utc_now


def answer_subcommand(services: Services, client: WebClient, work: CommandWork) -> None:
    asker = work.asker
    ctx = CommandContext(
        engine=services.engine, settings=services.settings, catalog=services.catalog(), user_id=asker.user_id,
        channel_id=asker.channel_id, team_id=asker.installing_team_id, now=utc_now(), client=client,
        rules=services.access.rules,
    )
    answer = work.run(work.text, ctx)
    EphemeralReply(client, Respond(response_url=work.response_url)).send(answer.blocks_for, answer.text, answer.chart)
