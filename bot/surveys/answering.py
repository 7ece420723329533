"""What happens after a click on a survey (the listeners ack first and hand these to the worker pool)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.surveys.cx_alerts import close_the_loop
from bot.surveys.runtime import SurveyRuntime
from surveys.answers import (
    Answer,
    DeliveryView,
    answer_of,
    load_delivery,
    record_comment,
    record_score,
    refusal_for,
)
from surveys.blocks import closed_blocks, comment_modal, survey_blocks, survey_text, thanks_blocks, thanks_text
from surveys.clock import utc_from_epoch

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Click:
    user_id: str
    delivery_id: str
    channel_id: str | None
    message_ts: str | None
    action_ts: str | None = None
    trigger_id: str | None = None


def _tell(client: WebClient, click: Click, text: str) -> None:
    if click.channel_id is None:
        return
    try:
        client.chat_postEphemeral(channel=click.channel_id, user=click.user_id, text=text)
    except SlackApiError as exc:
        logger.info("ephemeral to %s failed: %s", click.user_id, exc.response.get("error"))


def _update(client: WebClient, channel: str | None, timestamps: list[str], text: str, blocks: list[dict]) -> None:
    if channel is None:
        return
    for ts in dict.fromkeys(timestamps):  # the clicked message, and the other one (survey or reminder)
        try:
            client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            logger.info("chat.update %s/%s failed: %s", channel, ts, exc.response.get("error"))


def _checked(runtime: SurveyRuntime, client: WebClient, click: Click) -> DeliveryView | None:
    """The delivery when this person may answer it now; otherwise they are told why and None is returned."""
    view = load_delivery(runtime.engine, click.delivery_id)
    refusal = refusal_for(view, click.user_id, runtime.clock.now())
    if refusal is None:
        return view
    _tell(client, click, refusal.message)
    if refusal.reason == "closed" and view is not None and click.message_ts:
        _update(client, click.channel_id, [click.message_ts], refusal.message, closed_blocks(refusal.message))
    return None


def _show_thanks(client: WebClient, view: DeliveryView, click: Click, answer: Answer) -> None:
    campaign = view.campaign
    in_channel = campaign.post_in_channel is not None
    addressee = view.slack_user_id if in_channel else None
    blocks = thanks_blocks(campaign, view.delivery_id, answer, show_score=not in_channel, addressee=addressee)
    timestamps = [ts for ts in (click.message_ts, *view.message_timestamps) if ts]
    _update(client, click.channel_id or view.channel_id, timestamps, thanks_text(campaign, answer,
                                                                                   show_score=not in_channel), blocks)


def answer_score(runtime: SurveyRuntime, client: WebClient, click: Click, score: int) -> Answer | None:
    view = _checked(runtime, client, click)
    if view is None:
        return None
    at = utc_from_epoch(float(click.action_ts)) if click.action_ts else runtime.clock.now()
    answer = record_score(runtime.engine, view, score, at)
    _show_thanks(client, view, click, answer)
    if view.campaign.post_in_channel is not None:
        _tell(client, click, thanks_text(view.campaign, answer))
    close_the_loop(runtime, client, view, answer)
    return answer


def open_comment(runtime: SurveyRuntime, client: WebClient, click: Click) -> None:
    view = _checked(runtime, client, click)
    if view is None or click.trigger_id is None:
        return
    current = answer_of(runtime.engine, view.delivery_id)
    client.views_open(trigger_id=click.trigger_id,
                      view=comment_modal(view.campaign, view.delivery_id, current.comment if current else None))


def change_answer(runtime: SurveyRuntime, client: WebClient, click: Click) -> None:
    """Brings the score buttons back; the next click replaces the answer."""
    view = _checked(runtime, client, click)
    if view is None or click.message_ts is None:
        return
    addressee = view.slack_user_id if view.campaign.post_in_channel else None
    _update(client, click.channel_id, [click.message_ts], survey_text(view.campaign),
            survey_blocks(view.campaign, view.delivery_id, addressee=addressee))


def save_comment(runtime: SurveyRuntime, client: WebClient, user_id: str, delivery_id: str, text: str) -> Answer | None:
    view = load_delivery(runtime.engine, delivery_id)
    refusal = refusal_for(view, user_id, runtime.clock.now())
    if view is None or refusal is not None:
        logger.info("comment on %s by %s not recorded: %s", delivery_id, user_id, refusal.reason if refusal else "")
        return None
    answer = record_comment(runtime.engine, view, text)
    if answer is None:
        return None
    _show_thanks(client, view, Click(user_id, delivery_id, view.channel_id, None), answer)
    close_the_loop(runtime, client, view, answer)
    return answer
