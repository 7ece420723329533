"""Digests and alerts: subscriptions, claimed runs (exactly once per period), the delivery log, alert rules
with their firing state, and the alert log.

Times are naive UTC like every timestamp in the schema; `period_start` is a local date (the reported week's Monday).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kpi_engine.db.base import Base
from kpi_engine.db.types import Num, UtcTs

SLACK_ID = 64


class DigestSubscription(Base):
    """A digest a channel (or one person, by DM) gets on a schedule: weekly at a local time, or a cron expression."""

    __tablename__ = "digest_subscriptions"
    __table_args__ = (Index(None, "active", "next_run_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))  # None: a DM to dm_user_id
    dm_user_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    created_by: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UtcTs)
    weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday
    at_time: Mapped[str | None] = mapped_column(String(5))  # "09:00", local
    cron: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    metrics: Mapped[list[str]] = mapped_column(JSON)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"plan": ["pro"]}
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    next_run_at: Mapped[datetime] = mapped_column(UtcTs)
    removed_at: Mapped[datetime | None] = mapped_column(UtcTs)


class DigestRun(Base):
    """One scheduled digest of one period. The unique key is claimed with an INSERT before anything is posted,
    so restarts, overlapping runs and several replicas post it at most once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("subscription_id", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("digest_subscriptions.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    scheduled_for: Mapped[datetime] = mapped_column(UtcTs)
    trigger: Mapped[str] = mapped_column(String(20))  # schedule | catch_up
    claimed_at: Mapped[datetime] = mapped_column(UtcTs)
    claimed_by: Mapped[str] = mapped_column(String(200))  # host:pid:thread
    status: Mapped[str] = mapped_column(String(20))  # claimed | sent | skipped | failed
    finished_at: Mapped[datetime | None] = mapped_column(UtcTs)
    message_ts: Mapped[str | None] = mapped_column(String(SLACK_ID))
    error: Mapped[str | None] = mapped_column(String(200))


class DigestSend(Base):
    """The send log: every digest sent, skipped or failed (with Slack's error), scheduled or by hand (the table keeps
    its first name)."""

    __tablename__ = "digest_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(Integer, index=True)
    run_id: Mapped[int | None] = mapped_column(Integer)
    period_start: Mapped[date | None] = mapped_column(Date)
    trigger: Mapped[str] = mapped_column(String(20))  # schedule | catch_up | manual
    status: Mapped[str] = mapped_column(String(20))  # sent | skipped | failed
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(String(SLACK_ID))
    error: Mapped[str | None] = mapped_column(String(100))  # Slack's error code, e.g. not_in_channel
    detail: Mapped[str | None] = mapped_column(String(500))
    logged_at: Mapped[datetime] = mapped_column(UtcTs, index=True)


class AlertRule(Base):
    """A rule checked on a schedule (threshold, change against the previous window, or anomaly) and its state.

    State changes are compare-and-set on `version`, so one replica posts each transition."""

    __tablename__ = "alert_rules"
    __table_args__ = (Index(None, "active", "next_check_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    created_by: Mapped[str] = mapped_column(String(SLACK_ID))
    created_at: Mapped[datetime] = mapped_column(UtcTs)
    rule_text: Mapped[str] = mapped_column(String(500))
    metric_id: Mapped[str] = mapped_column(String(100))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(20))  # threshold | change | anomaly
    operator: Mapped[str | None] = mapped_column(String(2))  # > < >= <=
    threshold: Mapped[float | None] = mapped_column(Num)
    change_ratio: Mapped[float | None] = mapped_column(Num)  # 0.2 for "20%"
    change_direction: Mapped[str | None] = mapped_column(String(10))  # down | up | any
    window_days: Mapped[int] = mapped_column(Integer, default=7)
    check_minutes: Mapped[int] = mapped_column(Integer, default=60)
    cooldown_minutes: Mapped[int] = mapped_column(Integer, default=1440)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    next_check_at: Mapped[datetime] = mapped_column(UtcTs)
    firing: Mapped[bool] = mapped_column(Boolean, default=False)
    fired_at: Mapped[datetime | None] = mapped_column(UtcTs)
    last_notified_at: Mapped[datetime | None] = mapped_column(UtcTs)
    last_value: Mapped[float | None] = mapped_column(Num)
    message_channel: Mapped[str | None] = mapped_column(String(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(String(SLACK_ID))
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcTs)
    version: Mapped[int] = mapped_column(Integer, default=0)


class AlertEvent(Base):
    """The alert log: fired, still firing, resolved, snoozed, suppressed (cooldown or snooze), failed."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(UtcTs)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Num)
    detail: Mapped[str | None] = mapped_column(String(500))
    message_ts: Mapped[str | None] = mapped_column(String(SLACK_ID))
    error: Mapped[str | None] = mapped_column(String(100))
