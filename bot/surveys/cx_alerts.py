"""Posts an unhappy answer to the customer-experience channel once, and keeps that post current
(a comment added later, or a changed score, updates it in place)."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.surveys.runtime import SurveyRuntime
from surveys.account_context import account_context, local_day
from surveys.alerts import alert_thread, claim_alert, finish_alert
from surveys.answers import Answer, DeliveryView
from surveys.kinds import alerts_on, kind_of
from surveys.result_blocks import alert_blocks, alert_text

logger = logging.getLogger(__name__)


def close_the_loop(runtime: SurveyRuntime, client: WebClient, view: DeliveryView, answer: Answer) -> None:
    channel = runtime.rules.cx_channel
    if not channel:
        return
    campaign = view.campaign
    posted = alert_thread(runtime.engine, view.delivery_id)
    if posted is None and not alerts_on(kind_of(campaign.survey), answer.score):
        return
    today = local_day(runtime.clock.now(), runtime.settings)
    account = account_context(runtime.engine, runtime.settings, view.account_id, today) if view.account_id else None
    respondent = None if campaign.anonymous else view.slack_user_id
    blocks = alert_blocks(campaign, answer, respondent, account, runtime.settings.kpi_currency_symbol)
    text = alert_text(campaign, answer)
    try:
        if posted is not None:
            client.chat_update(channel=posted[0], ts=posted[1], text=text, blocks=blocks)
            return
        if not claim_alert(runtime.engine, view.delivery_id):
            return
        response = client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)
    except SlackApiError as exc:
        logger.warning("customer-experience alert for %s failed: %s", view.delivery_id, exc.response.get("error"))
        if posted is None:
            finish_alert(runtime.engine, view.delivery_id, "failed", None)
        return
    finish_alert(runtime.engine, view.delivery_id, "sent", str(response["ts"]), str(response.get("channel") or channel))
