"""Checking due alert rules: fire once, then a cooldown; a "still firing" note in the thread rather than repeats;
a "back to normal" note when it clears; nothing while snoozed. Every step is written to the alert log.

Across replicas: taking the check (moving `next_check_at`) and every state change are compare-and-set, and only
the process that made the change posts about it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.access_groups import GroupRules
from bot.alerts import repository
from bot.alerts.blocks import alert_blocks, alert_text, resolved_text, still_firing_text
from bot.alerts.evaluate import Evaluation, evaluate
from bot.alerts.repository import Rule
from bot.errors import log_failure
from bot.posting import ADVICE, PostRefused, error_code
from bot.shared.anomaly_wording import describe_anomaly
from bot.shared.channels import externally_shared, is_dm
from bot.shared.pacing import ChannelPacer, paced_post
from bot.shared.slack_clients import ClientSource, open_dm
from kpi_engine.catalog import Catalog
from kpi_engine.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertOutcome:
    rule_id: int
    action: str  # fired | still_firing | resolved | quiet | suppressed | snoozed | no_data | taken | failed | refused
    value: float | None = None
    detail: str | None = None


@dataclass
class AlertEnvironment:
    engine: Engine
    settings: Settings
    clients: ClientSource
    catalog: Catalog
    pacer: ChannelPacer
    rules: GroupRules = field(default_factory=GroupRules)


def check_alerts(env: AlertEnvironment, now: datetime) -> list[AlertOutcome]:
    outcomes = []
    for rule in repository.due_rules(env.engine, now):
        try:
            outcomes.append(check_rule(env, rule, now))
        except Exception as exc:  # one broken rule must not stop the others
            error_id = log_failure(exc, f"checking alert #{rule.id}")
            repository.log_event(env.engine, rule.id, "failed", now, detail=f"error_id={error_id}")
            outcomes.append(AlertOutcome(rule.id, "failed", detail=f"error_id={error_id}"))
    return outcomes


def check_rule(env: AlertEnvironment, rule: Rule, now: datetime) -> AlertOutcome:
    if not repository.take_check(env.engine, rule, now):
        return AlertOutcome(rule.id, "taken")
    if rule.snoozed_until is not None and now < rule.snoozed_until:
        return AlertOutcome(rule.id, "snoozed", detail=f"until {rule.snoozed_until:%Y-%m-%d %H:%M} UTC")
    evaluation = evaluate(rule.view, env.engine, env.settings, env.catalog, now)
    if evaluation.met is None:
        return AlertOutcome(rule.id, "no_data", detail=evaluation.error or evaluation.summary)
    if evaluation.met and not rule.firing:
        return _fire(env, rule, evaluation, now)
    if evaluation.met:
        return _still_firing(env, rule, evaluation, now)
    if rule.firing:
        return _resolve(env, rule, evaluation, now)
    return AlertOutcome(rule.id, "quiet", evaluation.value)


def _fire(env: AlertEnvironment, rule: Rule, evaluation: Evaluation, now: datetime) -> AlertOutcome:
    if rule.last_notified_at is not None and now < rule.last_notified_at + rule.cooldown:
        # fired again soon after clearing: no new alert within the cooldown
        if repository.transition(env.engine, rule, firing=True, fired_at=now, last_value=evaluation.value):
            repository.log_event(env.engine, rule.id, "suppressed", now, value=evaluation.value,
                                 detail="condition met again within the cooldown")
        return AlertOutcome(rule.id, "suppressed", evaluation.value)
    refusal = post_refusal(env, rule, rule.channel_id)
    if refusal is not None:
        return _refused(env, rule, evaluation, now, refusal)
    if not repository.transition(env.engine, rule, firing=True, fired_at=now, last_notified_at=now,
                                 last_value=evaluation.value):
        return AlertOutcome(rule.id, "taken")
    blocks = alert_blocks(rule.id, rule.rule_text, rule.created_by, evaluation, rule.cooldown_minutes,
                          _anomaly_line(env, rule, evaluation))
    try:
        client = env.clients(rule.team_id)
        ts = paced_post(client, env.pacer, rule.channel_id, alert_text(evaluation), blocks)
    except (SlackApiError, PostRefused) as exc:
        return _failed(env, rule, evaluation, now, exc)
    repository.set_message(env.engine, rule.id, rule.channel_id, ts)
    repository.log_event(env.engine, rule.id, "fired", now, value=evaluation.value, detail=evaluation.summary,
                         message_ts=ts)
    return AlertOutcome(rule.id, "fired", evaluation.value)


def _still_firing(env: AlertEnvironment, rule: Rule, evaluation: Evaluation, now: datetime) -> AlertOutcome:
    if rule.last_notified_at is not None and now < rule.last_notified_at + rule.cooldown:
        return AlertOutcome(rule.id, "quiet", evaluation.value, detail="still firing, within the cooldown")
    if not repository.transition(env.engine, rule, last_notified_at=now, last_value=evaluation.value):
        return AlertOutcome(rule.id, "taken")
    return _note(env, rule, evaluation, now, "still_firing", still_firing_text(evaluation, rule.fired_at))


def _resolve(env: AlertEnvironment, rule: Rule, evaluation: Evaluation, now: datetime) -> AlertOutcome:
    if not repository.transition(env.engine, rule, firing=False, last_value=evaluation.value):
        return AlertOutcome(rule.id, "taken")
    return _note(env, rule, evaluation, now, "resolved", resolved_text(evaluation))


def _note(env: AlertEnvironment, rule: Rule, evaluation: Evaluation, now: datetime, kind: str,
          text: str) -> AlertOutcome:
    """A reply in the alert's thread (or in the channel when the alert message is unknown)."""
    channel = rule.message_channel or rule.channel_id
    refusal = post_refusal(env, rule, channel)
    if refusal is not None:
        return _refused(env, rule, evaluation, now, refusal)
    try:
        client = env.clients(rule.team_id)
        ts = paced_post(client, env.pacer, channel, text, thread_ts=rule.message_ts)
    except (SlackApiError, PostRefused) as exc:
        return _failed(env, rule, evaluation, now, exc)
    repository.log_event(env.engine, rule.id, kind, now, value=evaluation.value, detail=evaluation.summary,
                         message_ts=ts)
    return AlertOutcome(rule.id, kind, evaluation.value)


def post_refusal(env: AlertEnvironment, rule: Rule, channel_id: str) -> str | None:
    """Why this alert may not be posted there now (None: it may): the channel became shared with another
    organisation or cannot be looked up, or the metric is no longer allowed in it."""
    metric = env.catalog.find(rule.view.metric_id)
    in_channel = not is_dm(channel_id)
    if metric is None or not env.rules.admits(metric.group, rule.created_by, channel_id, posted_in_channel=in_channel):
        return "metric_not_allowed_here"
    if not in_channel:
        return None
    try:
        if externally_shared(env.clients(rule.team_id), channel_id):
            return "externally_shared"
    except SlackApiError as exc:
        return f"channel_unknown:{error_code(exc)}"
    except Exception as exc:  # no installation, network: not posted, said so in the log
        return f"channel_unknown:{type(exc).__name__}"
    return None


def _refused(env: AlertEnvironment, rule: Rule, evaluation: Evaluation, now: datetime, reason: str) -> AlertOutcome:
    """Not posted, and neither the value nor the state moves on: the alert log and the audit log say why (with no
    number in it), once until the reason changes."""
    from bot.audit import AuditRecord, record_question

    last = repository.alert_log(env.engine, rule.id, limit=1)
    if last and last[0].kind == "refused" and last[0].error == reason[:100]:
        return AlertOutcome(rule.id, "refused", detail=reason)  # said once already: not every hour
    logger.warning("alert #%s not posted in %s: %s", rule.id, rule.channel_id, reason)
    repository.log_event(env.engine, rule.id, "refused", now, error=reason[:100],
                         detail="not posted: the channel is shared with another organisation, cannot be checked, "
                                "or the metric is not allowed there")
    record_question(env.engine, AuditRecord(rule.team_id, rule.created_by, rule.channel_id, "command",
                                            f"alert #{rule.id} (scheduled post)", "refused", rule.view.metric_id,
                                            reason))
    return AlertOutcome(rule.id, "refused", detail=reason)


def _failed(env: AlertEnvironment, rule: Rule, evaluation: Evaluation, now: datetime,
            exc: Exception) -> AlertOutcome:
    code = error_code(exc)
    logger.warning("alert #%s could not be posted: %s", rule.id, code)
    repository.log_event(env.engine, rule.id, "failed", now, value=evaluation.value, error=code,
                         detail=evaluation.summary)
    if code in ("not_in_channel", "channel_not_found", "is_archived"):
        _tell_creator(env, rule, code)
    return AlertOutcome(rule.id, "failed", evaluation.value, detail=code)


def _tell_creator(env: AlertEnvironment, rule: Rule, code: str) -> None:
    text = (f"Your alert #{rule.id} (`{rule.rule_text}`) fired, but I couldn't post it in <#{rule.channel_id}>. "
            f"{ADVICE.get(code, f'Slack said `{code}`.')}")
    try:
        client = env.clients(rule.team_id)
        client.chat_postMessage(channel=open_dm(client, rule.created_by), text=text)
    except SlackApiError as exc:
        logger.warning("could not tell %s about alert #%s: %s", rule.created_by, rule.id, error_code(exc))


def _anomaly_line(env: AlertEnvironment, rule: Rule, evaluation: Evaluation) -> str | None:
    if evaluation.anomaly is None:
        return None
    metric = env.catalog.get(rule.view.metric_id)
    return describe_anomaly(evaluation.anomaly, metric.unit, metric.direction, env.settings.kpi_currency_symbol)
