"""A click on Snooze under an alert, once the job runner checked access: the rule stays quiet until then, and the
alert's thread says who snoozed it."""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.alerts import repository
from bot.alerts.blocks import snoozed_text
from bot.jobs import SnoozeWork
from bot.posting import respond_with
from bot.services import Services
from bot.shared.command import utc_now

logger = logging.getLogger(__name__)


def snooze(services: Services, client: WebClient, work: SnoozeWork) -> None:
    rule_text, _, minutes_text = work.value.partition(":")
    if not rule_text.isdigit() or not minutes_text.isdigit():
        return
    now = utc_now()
    until = now + timedelta(minutes=int(minutes_text))
    asker = work.asker
    if not repository.snooze(services.engine, int(rule_text), until):
        if work.response_url:
            respond_with(Respond(response_url=work.response_url), text="This alert no longer exists.")
        return
    repository.log_event(services.engine, int(rule_text), "snoozed", now,
                         detail=f"by {asker.user_id} until {until:%Y-%m-%d %H:%M} UTC")
    if asker.channel_id is None:
        return
    try:
        client.chat_postMessage(channel=asker.channel_id, thread_ts=work.message_ts,
                                text=snoozed_text(asker.user_id, until))
    except SlackApiError as exc:
        logger.warning("snooze confirmation could not be posted: %s", exc.response.get("error"))
