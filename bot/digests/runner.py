"""Running digests: the due ones (claimed exactly once per subscription and period), or one right now by hand.

A scheduled run: find the latest slot at or before now (after downtime: the latest missed one, sent late and
saying so), claim (subscription, reported week) with an INSERT, move the next run on, then build, post and log.
A claim that fails means another run or replica has it: nothing is posted.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine

from bot.access_groups import GroupRules
from bot.digests import repository
from bot.digests.blocks import Lateness
from bot.digests.report import ReportCache
from bot.digests.repository import Subscription
from bot.digests.schedule import is_late, latest_slot, next_slot, reported_week
from bot.digests.sending import SendResult, send_week
from bot.errors import log_failure
from bot.shared.local_time import to_local
from bot.shared.pacing import ChannelPacer
from bot.shared.slack_clients import ClientSource
from kpi_engine.catalog import Catalog
from kpi_engine.periods import Period
from kpi_engine.settings import Settings

logger = logging.getLogger(__name__)

MAX_SLOTS_SCANNED = 2000
DEFAULT_WORKERS = 4


@dataclass
class DigestEnvironment:
    """What running digests needs; one per scheduler (the cache lives for one run_due call)."""

    engine: Engine
    settings: Settings
    clients: ClientSource
    catalog: Catalog
    pacer: ChannelPacer = field(default_factory=ChannelPacer)
    rules: GroupRules = field(default_factory=GroupRules)
    cache: ReportCache = field(default_factory=ReportCache)
    workers: int = DEFAULT_WORKERS

    def fresh(self) -> DigestEnvironment:
        return DigestEnvironment(self.engine, self.settings, self.clients, self.catalog, self.pacer, self.rules,
                                 ReportCache(), self.workers)


@dataclass(frozen=True)
class DigestOutcome:
    subscription_id: int
    status: str  # sent | skipped | failed | already_claimed
    trigger: str
    period_start: date | None = None
    channel_id: str | None = None
    message_ts: str | None = None
    error: str | None = None
    detail: str | None = None


def run_due(env: DigestEnvironment, now: datetime) -> list[DigestOutcome]:
    """Runs a stopped process left claimed are settled first (bot.digests.recovery); then every subscription
    whose next run is at or before `now` (naive UTC), a few at a time."""
    from bot.digests.recovery import settle_interrupted_runs

    settle_interrupted_runs(env, now)
    due = repository.due_subscriptions(env.engine, now)
    if not due:
        return []
    run_env = env.fresh()
    with ThreadPoolExecutor(max_workers=max(1, min(env.workers, len(due))), thread_name_prefix="kpibot-digest") as pool:
        return list(pool.map(lambda sub: _safely(run_env, sub, now), due))


def _safely(env: DigestEnvironment, sub: Subscription, now: datetime) -> DigestOutcome:
    try:
        return run_subscription(env, sub, now)
    except Exception as exc:  # one broken subscription must not stop the others
        error_id = log_failure(exc, f"running digest #{sub.id}")
        return DigestOutcome(sub.id, "failed", "schedule", error="internal_error", detail=f"error_id={error_id}")


def missed_weeks(sub: Subscription, first_slot: datetime, last_slot: datetime) -> int:
    """Reported weeks whose slots fell in [first_slot, last_slot) and were never sent (the bot was down)."""
    weeks: set[date] = set()
    cursor = first_slot
    tz = sub.schedule.tz
    for _ in range(MAX_SLOTS_SCANNED):
        if cursor >= last_slot:
            break
        weeks.add(reported_week(cursor, tz).start)
        cursor = next_slot(sub.schedule, cursor)
    weeks.discard(reported_week(last_slot, tz).start)
    return len(weeks)


def run_subscription(env: DigestEnvironment, sub: Subscription, now: datetime) -> DigestOutcome:
    schedule = sub.schedule
    slot = latest_slot(schedule, now)
    week = reported_week(slot, schedule.tz)
    late = is_late(slot, now)  # only past the grace window (schedule.GRACE_WINDOW)
    trigger = "catch_up" if late else "schedule"
    run_id = repository.claim_run(env.engine, sub.id, week, slot, trigger, now)
    repository.advance(env.engine, sub.id, sub.next_run_at, next_slot(schedule, now))
    if run_id is None:
        return _not_claimed(env, sub, week, slot, trigger, now)
    lateness = None
    if late:
        lateness = Lateness(to_local(slot, schedule.tz), schedule.timezone,
                            missed_weeks(sub, min(sub.next_run_at, slot), slot))
    try:
        result = send_week(env, sub, week, now, lateness=lateness,
                           on_posted=lambda ts: repository.record_message(env.engine, run_id, ts))
    except Exception as exc:  # the claimed run is finished (failed) either way, never left claimed
        error_id = log_failure(exc, f"sending digest #{sub.id}")
        result = SendResult("failed", sub.channel_id, error="internal_error", detail=f"error_id={error_id}")
    repository.finish_run(env.engine, run_id, result.status, now, message_ts=result.message_ts,
                          error=result.error)
    return _logged(env, sub, result, trigger, week, now, run_id)


def _not_claimed(env: DigestEnvironment, sub: Subscription, week: Period, slot: datetime, trigger: str,
                 now: datetime) -> DigestOutcome:
    """Another run has this period. A second slot in the same week (cron) is logged; a concurrent twin is not."""
    existing = repository.existing_run(env.engine, sub.id, week.start)
    if existing is not None and existing.scheduled_for != slot:
        detail = f"the digest of the week of {week.start.isoformat()} already went out"
        repository.log_send(env.engine, subscription_id=sub.id, trigger=trigger, status="skipped", now=now,
                            run_id=existing.id, period_start=week.start, channel_id=sub.channel_id, detail=detail)
        return DigestOutcome(sub.id, "skipped", trigger, week.start, sub.channel_id, detail=detail)
    return DigestOutcome(sub.id, "already_claimed", trigger, week.start, sub.channel_id)


def send_now(env: DigestEnvironment, sub: Subscription, now: datetime, week: Period | None = None) -> DigestOutcome:
    """By hand (`/kpi digest send-now`): the last complete week in the subscription's zone; no claim, just logged."""
    week = week or reported_week(now, sub.schedule.tz)
    result = send_week(env, sub, week, now, lateness=None)
    return _logged(env, sub, result, "manual", week, now, None)


def _logged(env: DigestEnvironment, sub: Subscription, result: SendResult, trigger: str, week: Period,
            now: datetime, run_id: int | None) -> DigestOutcome:
    repository.log_send(env.engine, subscription_id=sub.id, trigger=trigger, status=result.status, now=now,
                        run_id=run_id, period_start=week.start, channel_id=result.channel_id,
                        message_ts=result.message_ts, error=result.error, detail=result.detail)
    if result.status == "skipped":
        logger.info("digest #%s (%s) skipped: %s", sub.id, week.start, result.detail or result.error)
    if result.status == "failed":
        logger.warning("digest #%s (%s) failed: %s %s", sub.id, week.start, result.error, result.detail or "")
    return DigestOutcome(sub.id, result.status, trigger, week.start, result.channel_id, result.message_ts,
                         result.error, result.detail)
