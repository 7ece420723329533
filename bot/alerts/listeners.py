"""Bolt registration for alerts: the Snooze buttons under an alert."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.access import Asker
from bot.alerts import repository
from bot.alerts.blocks import snoozed_text
from bot.alerts.ids import SNOOZE_PATTERN
from bot.conversation.asker import asker_from
from bot.errors import log_failure
from bot.services import Services, services_of
from bot.shared.command import utc_now

logger = logging.getLogger(__name__)


def register(app: App) -> None:
    app.action(SNOOZE_PATTERN)(snooze_alert)


def snooze_alert(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient,
                 respond: Respond) -> None:
    ack()
    services = services_of(context)
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    message_ts = (body.get("container") or {}).get("message_ts") or (body.get("message") or {}).get("ts")
    asker = asker_from(context, body["user"]["id"], channel_id)
    value = str(action.get("value") or "")
    services.pool.submit(lambda: _snooze(services, client, respond, asker, value, message_ts))


def _snooze(services: Services, client: WebClient, respond: Respond, asker: Asker, value: str,
            message_ts: str | None) -> None:
    try:
        verdict = services.access.may_read_kpis(client, asker)
        if not verdict.allowed:
            respond(text=verdict.message, response_type="ephemeral", replace_original=False)
            return
        rule_text, _, minutes_text = value.partition(":")
        if not rule_text.isdigit() or not minutes_text.isdigit():
            return
        now = utc_now()
        until = now + timedelta(minutes=int(minutes_text))
        if not repository.snooze(services.engine, int(rule_text), until):
            respond(text="This alert no longer exists.", response_type="ephemeral", replace_original=False)
            return
        repository.log_event(services.engine, int(rule_text), "snoozed", now,
                             detail=f"by {asker.user_id} until {until:%Y-%m-%d %H:%M} UTC")
        if asker.channel_id is not None:
            client.chat_postMessage(channel=asker.channel_id, thread_ts=message_ts,
                                    text=snoozed_text(asker.user_id, until))
    except SlackApiError as exc:
        logger.warning("snooze confirmation could not be posted: %s", exc.response.get("error"))
    except Exception as exc:
        log_failure(exc, "snoozing an alert")
