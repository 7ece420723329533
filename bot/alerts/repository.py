"""Alert rules, their firing state, and the alert log (SQLAlchemy Core).

State changes are compare-and-set: `UPDATE ... WHERE id = :id AND version = :seen`, so when two replicas (or a
check and a Snooze click) race, exactly one wins and only the winner posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update

from bot.alerts.evaluate import RuleView
from bot.alerts.rules import AlertSpec
from bot.workspaces import not_paused
from kpi_engine.db.models.digests import AlertEvent, AlertRule

RULES = AlertRule.__table__
EVENTS = AlertEvent.__table__
DEFAULT_CHECK_MINUTES = 60
DEFAULT_COOLDOWN_MINUTES = 24 * 60


@dataclass(frozen=True)
class Rule:
    id: int
    team_id: str | None
    channel_id: str
    created_by: str
    rule_text: str
    view: RuleView
    check_minutes: int
    cooldown_minutes: int
    active: bool
    next_check_at: datetime
    firing: bool
    fired_at: datetime | None
    last_notified_at: datetime | None
    message_channel: str | None
    message_ts: str | None
    snoozed_until: datetime | None
    version: int

    @property
    def cooldown(self) -> timedelta:
        return timedelta(minutes=self.cooldown_minutes)


def _rule(row: Any) -> Rule:
    view = RuleView(row.kind, row.metric_id, dict(row.filters or {}), row.operator, row.threshold, row.change_ratio,
                    row.change_direction, row.window_days)
    return Rule(row.id, row.team_id, row.channel_id, row.created_by, row.rule_text, view, row.check_minutes,
                row.cooldown_minutes, bool(row.active), row.next_check_at, bool(row.firing), row.fired_at,
                row.last_notified_at, row.message_channel, row.message_ts, row.snoozed_until, row.version)


def create_rule(engine: Engine, spec: AlertSpec, *, text: str, team_id: str | None, channel_id: str, created_by: str,
                now: datetime, check_minutes: int = DEFAULT_CHECK_MINUTES,
                cooldown_minutes: int = DEFAULT_COOLDOWN_MINUTES) -> Rule:
    values = {
        "team_id": team_id, "channel_id": channel_id, "created_by": created_by, "created_at": now,
        "rule_text": text[:500], "metric_id": spec.metric.id, "filters": dict(spec.filters), "kind": spec.kind,
        "operator": spec.operator, "threshold": spec.threshold, "change_ratio": spec.change_ratio,
        "change_direction": spec.change_direction, "window_days": spec.window_days, "check_minutes": check_minutes,
        "cooldown_minutes": cooldown_minutes, "active": True, "next_check_at": now, "firing": False, "version": 0,
    }
    with engine.begin() as conn:
        rule_id = conn.execute(insert(RULES).values(values).returning(RULES.c.id)).scalar_one()
    found = get_rule(engine, rule_id)
    assert found is not None
    return found


def get_rule(engine: Engine, rule_id: int) -> Rule | None:
    with engine.connect() as conn:
        row = conn.execute(select(RULES).where(RULES.c.id == rule_id)).first()
    return _rule(row) if row is not None else None


def list_rules(engine: Engine, team_id: str | None = None, *, active_only: bool = True) -> list[Rule]:
    stmt = select(RULES).order_by(RULES.c.id)
    if active_only:
        stmt = stmt.where(RULES.c.active.is_(True))
    if team_id is not None:
        stmt = stmt.where(RULES.c.team_id == team_id)
    with engine.connect() as conn:
        return [_rule(row) for row in conn.execute(stmt)]


def due_rules(engine: Engine, now: datetime) -> list[Rule]:
    stmt = (select(RULES).where(RULES.c.active.is_(True), RULES.c.next_check_at <= now, not_paused(RULES.c.team_id))
            .order_by(RULES.c.next_check_at, RULES.c.id))
    with engine.connect() as conn:
        return [_rule(row) for row in conn.execute(stmt)]


def take_check(engine: Engine, rule: Rule, now: datetime) -> bool:
    """Moves the next check on; False when another replica already took this check."""
    with engine.begin() as conn:
        result = conn.execute(update(RULES).where(RULES.c.id == rule.id, RULES.c.next_check_at == rule.next_check_at)
                              .values(next_check_at=now + timedelta(minutes=rule.check_minutes)))
    return (result.rowcount or 0) > 0


def transition(engine: Engine, rule: Rule, **values: Any) -> bool:
    """Compare-and-set on the version the check read; True for the one caller that changed the state."""
    with engine.begin() as conn:
        result = conn.execute(update(RULES).where(RULES.c.id == rule.id, RULES.c.version == rule.version)
                              .values(version=RULES.c.version + 1, **values))
    return (result.rowcount or 0) > 0


def set_message(engine: Engine, rule_id: int, channel_id: str, ts: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(RULES).where(RULES.c.id == rule_id).values(message_channel=channel_id, message_ts=ts))


def snooze(engine: Engine, rule_id: int, until: datetime) -> bool:
    with engine.begin() as conn:
        result = conn.execute(update(RULES).where(RULES.c.id == rule_id, RULES.c.active.is_(True))
                              .values(snoozed_until=until, version=RULES.c.version + 1))
    return (result.rowcount or 0) > 0


def remove_rule(engine: Engine, rule_id: int) -> bool:
    with engine.begin() as conn:
        result = conn.execute(update(RULES).where(RULES.c.id == rule_id, RULES.c.active.is_(True))
                              .values(active=False, version=RULES.c.version + 1))
    return (result.rowcount or 0) > 0


def log_event(engine: Engine, rule_id: int, kind: str, now: datetime, *, value: float | None = None,
              detail: str | None = None, message_ts: str | None = None, error: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(insert(EVENTS).values(rule_id=rule_id, at=now, kind=kind, value=value,
                                           detail=detail[:500] if detail else None, message_ts=message_ts,
                                           error=error[:100] if error else None))


def alert_log(engine: Engine, rule_id: int | None = None, limit: int = 20,
              rule_ids: list[int] | None = None) -> list[Any]:
    """The latest events (of one rule; of the listed rules only when `rule_ids` is given)."""
    stmt = select(EVENTS).order_by(EVENTS.c.at.desc(), EVENTS.c.id.desc()).limit(limit)
    if rule_ids is not None:
        stmt = stmt.where(EVENTS.c.rule_id.in_(rule_ids))
    if rule_id is not None:
        stmt = stmt.where(EVENTS.c.rule_id == rule_id)
    with engine.connect() as conn:
        return list(conn.execute(stmt))
