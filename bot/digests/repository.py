"""Digest subscriptions, claimed runs and the send log in the database (SQLAlchemy Core, short transactions).

Every write is its own transaction with no read before it, so SQLite (one writer at a time) and PostgreSQL
behave alike under concurrent schedulers: the unique key of `digest_runs` settles who posts.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.digests.schedule import Schedule
from bot.workspaces import not_paused
from kpi_engine.db.models.digests import DigestRun, DigestSend, DigestSubscription
from kpi_engine.periods import Period

SUBSCRIPTIONS = DigestSubscription.__table__
RUNS = DigestRun.__table__
SEND_LOG = DigestSend.__table__


@dataclass(frozen=True)
class Subscription:
    id: int
    team_id: str | None
    channel_id: str | None
    dm_user_id: str | None
    created_by: str
    created_at: datetime
    schedule: Schedule
    metrics: list[str]
    filters: dict[str, list[str]]
    active: bool
    next_run_at: datetime

    @property
    def destination(self) -> str:
        return f"<#{self.channel_id}>" if self.channel_id and not self.channel_id.startswith("D") else "a DM"


def _subscription(row: Any) -> Subscription:
    schedule = Schedule(timezone=row.timezone, weekday=row.weekday, at_time=row.at_time, cron=row.cron)
    return Subscription(row.id, row.team_id, row.channel_id, row.dm_user_id, row.created_by, row.created_at,
                        schedule, list(row.metrics or []), dict(row.filters or {}), bool(row.active), row.next_run_at)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:200]


def create_subscription(engine: Engine, *, team_id: str | None, channel_id: str | None, dm_user_id: str | None,
                        created_by: str, schedule: Schedule, metrics: list[str], filters: dict[str, list[str]],
                        now: datetime, next_run_at: datetime) -> Subscription:
    values = {
        "team_id": team_id, "channel_id": channel_id, "dm_user_id": dm_user_id, "created_by": created_by,
        "created_at": now, "weekday": None if schedule.cron else schedule.weekday,
        "at_time": None if schedule.cron else schedule.at_time, "cron": schedule.cron, "timezone": schedule.timezone,
        "metrics": list(metrics), "filters": dict(filters), "active": True, "next_run_at": next_run_at,
    }
    with engine.begin() as conn:
        new_id = conn.execute(insert(SUBSCRIPTIONS).values(values).returning(SUBSCRIPTIONS.c.id)).scalar_one()
    found = get_subscription(engine, new_id)
    assert found is not None
    return found


def get_subscription(engine: Engine, subscription_id: int) -> Subscription | None:
    with engine.connect() as conn:
        row = conn.execute(select(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == subscription_id)).first()
    return _subscription(row) if row is not None else None


def list_subscriptions(engine: Engine, *, team_id: str | None = None, channel_id: str | None = None,
                       active_only: bool = True) -> list[Subscription]:
    stmt = select(SUBSCRIPTIONS).order_by(SUBSCRIPTIONS.c.id)
    if active_only:
        stmt = stmt.where(SUBSCRIPTIONS.c.active.is_(True))
    if team_id is not None:
        stmt = stmt.where(SUBSCRIPTIONS.c.team_id == team_id)
    if channel_id is not None:
        stmt = stmt.where(SUBSCRIPTIONS.c.channel_id == channel_id)
    with engine.connect() as conn:
        return [_subscription(row) for row in conn.execute(stmt)]


def remove_subscription(engine: Engine, subscription_id: int, now: datetime) -> bool:
    with engine.begin() as conn:
        result = conn.execute(update(SUBSCRIPTIONS)
                              .where(SUBSCRIPTIONS.c.id == subscription_id, SUBSCRIPTIONS.c.active.is_(True))
                              .values(active=False, removed_at=now))
    return (result.rowcount or 0) > 0


def due_subscriptions(engine: Engine, now: datetime) -> list[Subscription]:
    stmt = (select(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.c.active.is_(True), SUBSCRIPTIONS.c.next_run_at <= now,
                   not_paused(SUBSCRIPTIONS.c.team_id))
            .order_by(SUBSCRIPTIONS.c.next_run_at, SUBSCRIPTIONS.c.id))
    with engine.connect() as conn:
        return [_subscription(row) for row in conn.execute(stmt)]


def advance(engine: Engine, subscription_id: int, expected: datetime, next_run_at: datetime) -> bool:
    """Compare-and-set of the next run: only moves it if nobody else did."""
    with engine.begin() as conn:
        result = conn.execute(update(SUBSCRIPTIONS)
                              .where(SUBSCRIPTIONS.c.id == subscription_id, SUBSCRIPTIONS.c.next_run_at == expected)
                              .values(next_run_at=next_run_at))
    return (result.rowcount or 0) > 0


def claim_run(engine: Engine, subscription_id: int, week: Period, slot: datetime, trigger: str,
              now: datetime) -> int | None:
    """INSERTs the (subscription, period) key; the run id for the first caller, None for everyone after."""
    values = {"subscription_id": subscription_id, "period_start": week.start, "period_end": week.end,
              "scheduled_for": slot, "trigger": trigger, "claimed_at": now, "claimed_by": worker_name(),
              "status": "claimed"}
    try:
        with engine.begin() as conn:
            return int(conn.execute(insert(RUNS).values(values).returning(RUNS.c.id)).scalar_one())
    except IntegrityError:
        return None


def existing_run(engine: Engine, subscription_id: int, period_start: date) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(RUNS).where(RUNS.c.subscription_id == subscription_id,
                                               RUNS.c.period_start == period_start)).first()


def finish_run(engine: Engine, run_id: int, status: str, now: datetime, *, message_ts: str | None = None,
               error: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(update(RUNS).where(RUNS.c.id == run_id).values(
            status=status, finished_at=now, message_ts=message_ts, error=error[:200] if error else None))


def log_send(engine: Engine, *, subscription_id: int, trigger: str, status: str, now: datetime,
             run_id: int | None = None, period_start: date | None = None, channel_id: str | None = None,
             message_ts: str | None = None, error: str | None = None, detail: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(insert(SEND_LOG).values(
            subscription_id=subscription_id, run_id=run_id, period_start=period_start, trigger=trigger, status=status,
            channel_id=channel_id, message_ts=message_ts, error=error[:100] if error else None,
            detail=detail[:500] if detail else None, logged_at=now))


def send_log(engine: Engine, subscription_id: int | None = None, limit: int = 20,
             subscription_ids: list[int] | None = None) -> list[Any]:
    stmt = select(SEND_LOG).order_by(SEND_LOG.c.logged_at.desc(), SEND_LOG.c.id.desc()).limit(limit)
    if subscription_ids is not None:
        stmt = stmt.where(SEND_LOG.c.subscription_id.in_(subscription_ids))
    if subscription_id is not None:
        stmt = stmt.where(SEND_LOG.c.subscription_id == subscription_id)
    with engine.connect() as conn:
        return list(conn.execute(stmt))


def record_message(engine: Engine, run_id: int, message_ts: str) -> None:
    """The first write after the digest message exists: a run stopped after this is known to be sent."""
    with engine.begin() as conn:
        conn.execute(update(RUNS).where(RUNS.c.id == run_id).values(message_ts=message_ts))


def stale_runs(engine: Engine, now: datetime, older_than: timedelta) -> list[Any]:
    """Runs still `claimed` long after their claim: the process running them stopped (kill -9, a crash)."""
    with engine.connect() as conn:
        return list(conn.execute(select(RUNS).where(RUNS.c.status == "claimed",
                                                    RUNS.c.claimed_at < now - older_than).order_by(RUNS.c.id)))


def settle_run(engine: Engine, run_id: int, status: str, now: datetime, *, message_ts: str | None = None,
               error: str | None = None) -> bool:
    """Compare-and-set from `claimed`: True for the one process that settled it."""
    with engine.begin() as conn:
        return bool(conn.execute(update(RUNS).where(RUNS.c.id == run_id, RUNS.c.status == "claimed").values(
            status=status, finished_at=now, message_ts=message_ts, error=error)).rowcount)


def release_run(engine: Engine, run: Any) -> bool:
    """The run's message never went out: its claim is dropped and the subscription is due again at its slot."""
    with engine.begin() as conn:
        gone = conn.execute(RUNS.delete().where(RUNS.c.id == run.id, RUNS.c.status == "claimed")).rowcount
        if gone:
            conn.execute(update(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == run.subscription_id,
                                                     SUBSCRIPTIONS.c.next_run_at > run.scheduled_for)
                         .values(next_run_at=run.scheduled_for))
    return bool(gone)


def expire_stale_claims(engine: Engine, now: datetime, older_than: timedelta = timedelta(minutes=30)) -> int:
    """Runs claimed by a process that died before finishing: marked failed (never re-posted: it may have gone out)."""
    stale = and_(RUNS.c.status == "claimed", RUNS.c.claimed_at < now - older_than)
    with engine.connect() as conn:
        rows = list(conn.execute(select(RUNS.c.id, RUNS.c.subscription_id, RUNS.c.period_start).where(stale)))
    for row in rows:
        with engine.begin() as conn:
            changed = conn.execute(update(RUNS).where(RUNS.c.id == row.id, RUNS.c.status == "claimed")
                                   .values(status="failed", finished_at=now, error="interrupted")).rowcount
        if changed:
            log_send(engine, subscription_id=row.subscription_id, trigger="schedule", status="failed", now=now,
                     run_id=row.id, period_start=row.period_start, error="interrupted",
                     detail="the process posting it stopped before it finished; it may or may not have gone out")
    return len(rows)
