"""Sending one digest of one week to its conversation: access checks, report, chart, post, and telling the
creator when Slack refuses (the bot is not in the channel, the channel is gone or archived)."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.digests.blocks import Lateness
from bot.digests.chart import digest_chart
from bot.digests.post import post_digest
from bot.digests.report import DigestReport, build_report, report_key
from bot.digests.repository import Subscription
from bot.posting import ADVICE, PostRefused, error_code
from bot.shared.channels import externally_shared, is_dm
from bot.shared.slack_clients import NoInstallation, open_dm
from kpi_engine.periods import Period

if TYPE_CHECKING:
    from bot.digests.runner import DigestEnvironment

logger = logging.getLogger(__name__)

TELL_CREATOR = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action"})
EXTERNALLY_SHARED = "externally_shared"


@dataclass(frozen=True)
class SendResult:
    status: str  # sent | skipped | failed
    channel_id: str | None = None
    message_ts: str | None = None
    error: str | None = None
    detail: str | None = None


def allowed_metrics(env: DigestEnvironment, sub: Subscription, channel_id: str) -> tuple[list[str], list[str]]:
    """(metric ids this conversation may see, labels of those it may not) under the access groups."""
    shown: list[str] = []
    hidden: list[str] = []
    in_channel = not is_dm(channel_id)
    for metric_id in sub.metrics:
        metric = env.catalog.find(metric_id)
        if metric is None:
            continue
        if env.rules.admits(metric.group, sub.created_by, channel_id, posted_in_channel=in_channel):
            shown.append(metric.id)
        else:
            hidden.append(metric.label)
    return shown, hidden


def digest_report(env: DigestEnvironment, metric_ids: list[str], week: Period,
                  filters: dict[str, list[str]]) -> DigestReport:
    key = report_key("report", metric_ids, week, filters)
    return env.cache.get(key, lambda: build_report(env.engine, env.settings, env.catalog, metric_ids, week, filters))


def digest_png(env: DigestEnvironment, report: DigestReport, metric_ids: list[str]) -> bytes | None:
    key = report_key("chart", metric_ids, report.week, report.filters)
    return env.cache.get(key, lambda: digest_chart(report))


def send_week(env: DigestEnvironment, sub: Subscription, week: Period, now: datetime, *,
              lateness: Lateness | None, on_posted: Callable[[str], None] | None = None) -> SendResult:
    try:
        client = env.clients(sub.team_id)
    except NoInstallation as exc:
        return SendResult("failed", sub.channel_id, error="no_installation", detail=str(exc))
    try:
        channel_id = sub.channel_id or open_dm(client, sub.dm_user_id or sub.created_by)
        if not is_dm(channel_id) and externally_shared(client, channel_id):
            return SendResult("skipped", channel_id, error=EXTERNALLY_SHARED,
                              detail="the channel is shared with another organisation; KPIs are not posted there")
    except SlackApiError as exc:
        code = error_code(exc)
        told = tell_creator(client, sub, code)
        return SendResult("failed", sub.channel_id, error=code, detail=_told(told))
    metric_ids, hidden = allowed_metrics(env, sub, channel_id)
    report = digest_report(env, metric_ids, week, sub.filters)
    if not report.has_data:
        return SendResult("skipped", channel_id, detail=report.skip_detail)
    report = dataclasses.replace(report, left_out=hidden)
    png = digest_png(env, report, metric_ids)
    try:
        posted = post_digest(client, env.pacer, channel_id, report, png, subscription_id=sub.id, lateness=lateness,
                             timezone=sub.schedule.timezone, on_posted=on_posted)
    except (SlackApiError, PostRefused) as exc:
        code = error_code(exc)
        told = tell_creator(client, sub, code) if code in TELL_CREATOR else False
        return SendResult("failed", channel_id, error=code, detail=_told(told) if code in TELL_CREATOR else None)
    except OSError as exc:  # the network (connection reset, timeout): not retried, it may have gone out
        logger.warning("digest #%s: network error while posting: %s", sub.id, exc)
        return SendResult("failed", channel_id, error="network_error", detail=str(exc)[:300])
    detail = "chart in the thread" if posted.chart_in_thread else None
    return SendResult("sent", channel_id, posted.message_ts, detail=detail)


def _told(told: bool) -> str:
    return "the creator was told by DM" if told else "the creator could not be told"


def tell_creator(client: WebClient, sub: Subscription, code: str) -> bool:
    """A DM to whoever created the digest: what went wrong and how to fix it (usually: invite the bot)."""
    where = f"<#{sub.channel_id}>" if sub.channel_id else "our DM"
    advice = ADVICE.get(code, f"Slack said `{code}`.")
    text = (f"I couldn't post your KPI digest #{sub.id} in {where}. {advice} "
            f"Once that's fixed, it goes out again on schedule, or run `/kpi digest send-now {sub.id}` there.")
    try:
        dm = open_dm(client, sub.created_by)
        client.chat_postMessage(channel=dm, text=text)
    except SlackApiError as exc:
        logger.warning("could not tell %s about digest #%s: %s", sub.created_by, sub.id, error_code(exc))
        return False
    return True
