"""Digest runs a stopped process left `claimed` (kill -9 between the claim and the end of the run).

Its message ts recorded → sent. Else the conversation's history is read for the digest's message (its metadata
names the subscription and the week): found → sent; absent → the claim is dropped and the digest goes out on
the next round (late, saying so); Slack cannot be asked → failed "interrupted", never posted twice.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient

from bot.digests import repository
from bot.digests.post import DIGEST_EVENT_TYPE
from bot.shared.slack_clients import open_dm

if TYPE_CHECKING:
    from bot.digests.runner import DigestEnvironment

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=30)
HISTORY_MARGIN = timedelta(minutes=2)
MAX_PAGES = 10


def find_digest_message(client: WebClient, channel_id: str, subscription_id: int, period_start: str,
                        oldest: datetime) -> str | None:
    """The ts of this digest's message for this week posted since `oldest` (naive UTC), if Slack has one."""
    cursor: str | None = None
    since = f"{oldest.replace(tzinfo=UTC).timestamp():.6f}"
    for _ in range(MAX_PAGES):
        page = client.conversations_history(channel=channel_id, oldest=since, include_all_metadata=True, limit=200,
                                            cursor=cursor)
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (metadata.get("event_type") == DIGEST_EVENT_TYPE and payload.get("subscription_id") == subscription_id
                    and payload.get("period_start") == period_start):
                return str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None
    return None


def settle_interrupted_runs(env: DigestEnvironment, now: datetime, older_than: timedelta = STALE_AFTER) -> list[str]:
    """Settles every stale claimed run; returns what became of each (sent | released | interrupted)."""
    outcomes = []
    for run in repository.stale_runs(env.engine, now, older_than):
        try:
            outcomes.append(_settle(env, run, now))
        except Exception as exc:  # noqa: BLE001  (one run must not stop the others; the next round tries again)
            logger.warning("digest run %s could not be settled: %s", run.id, type(exc).__name__)
    return outcomes


def _settle(env: DigestEnvironment, run: Any, now: datetime) -> str:
    sub = repository.get_subscription(env.engine, run.subscription_id)
    week = run.period_start.isoformat()
    ts = run.message_ts
    if ts is None and sub is not None:
        try:
            client = env.clients(sub.team_id)
            channel = sub.channel_id or open_dm(client, sub.dm_user_id or sub.created_by)
            ts = find_digest_message(client, channel, sub.id, week, run.claimed_at - HISTORY_MARGIN)
        except Exception as exc:  # noqa: BLE001  (cannot tell: never risk a second digest)
            return _interrupted(env, run, now, type(exc).__name__)
        if ts is None:
            if repository.release_run(env.engine, run):
                logger.warning("digest #%s week of %s: interrupted before posting; it goes out again", sub.id, week)
            return "released"
    if ts is None:
        return _interrupted(env, run, now, "subscription_gone")
    if repository.settle_run(env.engine, run.id, "sent", now, message_ts=ts):
        repository.log_send(env.engine, subscription_id=run.subscription_id, trigger=run.trigger, status="sent",
                            now=now, run_id=run.id, period_start=run.period_start,
                            channel_id=sub.channel_id if sub else None, message_ts=ts,
                            detail="the process posting it stopped after the message went out")
    return "sent"


def _interrupted(env: DigestEnvironment, run: Any, now: datetime, reason: str) -> str:
    if repository.settle_run(env.engine, run.id, "failed", now, error="interrupted"):
        repository.log_send(env.engine, subscription_id=run.subscription_id, trigger=run.trigger,
                            status="failed", now=now, run_id=run.id, period_start=run.period_start,
                            error="interrupted",
                            detail=f"the process posting it stopped and Slack could not be asked ({reason}); "
                                   "not sent again, it may have gone out")
    return "interrupted"
