"""Posting one digest: the chart uploaded once, one consolidated message showing it, the details in its thread.

The chart is uploaded with files_upload_v2 without a channel and shown inside the message by an image block
(`slack_file`). Should Slack refuse that block (the upload may still be settling), the message goes out without
it and the same PNG is uploaded into the digest's thread instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digests.blocks import (
    Lateness,
    chart_alt_text,
    details_blocks,
    details_text,
    digest_blocks,
    digest_text,
    thread_topics,
)
from bot.digests.report import DigestReport
from bot.posting import PostRefused, error_code, upload_png
from bot.shared.pacing import ChannelPacer, paced_post

logger = logging.getLogger(__name__)

CHART_TITLE = "KPI trends, last 12 weeks"
DIGEST_EVENT_TYPE = "kpibot_digest"


def digest_metadata(subscription_id: int | None, period_start: str) -> dict[str, Any] | None:
    """Message metadata naming the digest and week, so an interrupted run can find its message in the history."""
    if subscription_id is None:
        return None
    return {"event_type": DIGEST_EVENT_TYPE,
            "event_payload": {"subscription_id": subscription_id, "period_start": period_start}}


@dataclass(frozen=True)
class Posted:
    channel_id: str
    message_ts: str
    file_id: str | None
    chart_in_thread: bool = False
    details_posted: bool = False


def _upload_privately(client: WebClient, png: bytes, alt_text: str) -> str | None:
    try:
        return upload_png(client, png, title=CHART_TITLE, alt_text=alt_text)
    except Exception as exc:  # noqa: BLE001  (Slack errors, network errors: the digest goes out without its chart)
        logger.warning("digest chart upload failed, posting without it: %s", error_code(exc))
        return None


def post_digest(client: WebClient, pacer: ChannelPacer, channel_id: str, report: DigestReport, png: bytes | None, *,
                subscription_id: int | None, lateness: Lateness | None, timezone: str | None,
                on_posted: Callable[[str], None] | None = None) -> Posted:
    """Raises PostRefused / SlackApiError when the digest message itself cannot be posted. `on_posted(ts)` runs
    as soon as the message exists, before the thread and anything else (a run records its ts there)."""
    metadata = digest_metadata(subscription_id, report.week.start.isoformat())
    alt_text = chart_alt_text(report)
    file_id = _upload_privately(client, png, alt_text) if png else None
    thread = details_blocks(report.details, report.currency)
    text = digest_text(report, lateness)

    def build(chart_id: str | None) -> list[dict[str, object]]:
        return digest_blocks(report, chart_file_id=chart_id, subscription_id=subscription_id, lateness=lateness,
                             timezone=timezone, in_thread=thread_topics(report.details) if thread else None)

    chart_in_thread = False
    try:
        ts = paced_post(client, pacer, channel_id, text, build(file_id), metadata=metadata)
    except SlackApiError as exc:
        if file_id is None or error_code(exc) != "invalid_blocks":
            raise
        logger.warning("Slack refused the chart block (%s); posting the chart in the thread", error_code(exc))
        ts = paced_post(client, pacer, channel_id, text, build(None), metadata=metadata)
        chart_in_thread = True
    if on_posted is not None:
        on_posted(ts)
    if chart_in_thread and png:
        _upload_into_thread(client, png, alt_text, channel_id, ts)
    details_posted = False
    if thread:
        try:
            paced_post(client, pacer, channel_id, details_text(report.details), thread, thread_ts=ts)
            details_posted = True
        except (SlackApiError, PostRefused) as exc:  # the digest itself is out; the thread is a bonus
            logger.warning("digest details could not be posted in the thread: %s", error_code(exc))
    return Posted(channel_id, ts, file_id, chart_in_thread, details_posted)


def _upload_into_thread(client: WebClient, png: bytes, alt_text: str, channel_id: str, ts: str) -> None:
    try:
        upload_png(client, png, title=CHART_TITLE, alt_text=alt_text, channel=channel_id, thread_ts=ts)
    except (SlackApiError, PostRefused) as exc:
        logger.warning("digest chart could not be uploaded into the thread: %s", error_code(exc))
