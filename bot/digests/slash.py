"""`/kpi digest ...`, `/kpi alert ...`, `/kpi target ...`: ack at once, answer privately from the worker pool.

Wiring (the /kpi listener): `if handle_kpi_subcommand(ack, command, context, client, respond): return`, or
register `kpi_subcommand_listener` for "/kpi" with the matcher `is_kpi_subcommand` before the question listener.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.access import Asker
from bot.alerts.commands import handle_alert_command
from bot.conversation.asker import asker_from
from bot.conversation.reply import EphemeralReply
from bot.digests.commands import handle_digest_command
from bot.errors import friendly_error_text, log_failure
from bot.services import Services, services_of
from bot.shared.command import CommandContext, CommandReply, split_first, utc_now
from bot.targets.access import guarded_target_command

logger = logging.getLogger(__name__)

Handler = Callable[[str, CommandContext], CommandReply]
SUBCOMMANDS: dict[str, Handler] = {
    "digest": handle_digest_command, "digests": handle_digest_command,
    "alert": handle_alert_command, "alerts": handle_alert_command,
    "target": guarded_target_command, "targets": guarded_target_command,
}


def subcommand_of(text: str) -> tuple[Handler | None, str]:
    word, rest = split_first(text)
    return SUBCOMMANDS.get(word), rest


def is_kpi_subcommand(body: dict[str, Any]) -> bool:
    """Bolt matcher: the /kpi text starts with digest, alert or target."""
    return subcommand_of(str(body.get("text") or ""))[0] is not None


def handle_kpi_subcommand(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient,
                          respond: Respond) -> bool:
    """Handles `/kpi digest|alert|target ...` and returns True; returns False (without acking) for anything else."""
    handler, rest = subcommand_of(str(command.get("text") or ""))
    if handler is None:
        return False
    ack()
    services = services_of(context)
    asker = asker_from(context, command["user_id"], command.get("channel_id"))
    services.pool.submit(lambda: run_subcommand(services, client, respond, asker, handler, rest))
    return True


def kpi_subcommand_listener(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient,
                            respond: Respond) -> None:
    handle_kpi_subcommand(ack, command, context, client, respond)


def run_subcommand(services: Services, client: WebClient, respond: Respond, asker: Asker, handler: Handler,
                   text: str) -> None:
    reply = EphemeralReply(client, respond)
    try:
        verdict = services.access.may_read_kpis(client, asker)
        if not verdict.allowed:
            reply.notice(verdict.message)
            return
        ctx = CommandContext(
            engine=services.engine, settings=services.settings, catalog=services.catalog(), user_id=asker.user_id,
            channel_id=asker.channel_id, team_id=asker.installing_team_id, now=utc_now(), client=client,
            rules=services.access.rules,
        )
        answer = handler(text, ctx)
        reply.send(answer.blocks_for, answer.text, answer.chart)
    except Exception as exc:
        error_id = log_failure(exc, f"/kpi {text[:60]}")
        try:
            reply.notice(friendly_error_text(error_id))
        except Exception as notice_error:  # nowhere left to report it
            logger.warning("could not report error %s: %s", error_id, notice_error)
