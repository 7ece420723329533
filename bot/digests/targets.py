"""`/kpi target mrr 150k by 2026-12-31`, `/kpi target list`, `/kpi target remove mrr` (kpi_engine.targets)."""

from __future__ import annotations

import re
from datetime import date

from bot.digests.commands_common import CommandContext, CommandReply, split_first
from bot.digests.metric_names import find_metric
from kpi_engine.answers.format import format_value
from kpi_engine.db import session_scope
from kpi_engine.targets import TargetValueError, list_targets, parse_target_value, remove_target, set_target

DUE = re.compile(r"\s+(?:by|due|until|before)\s+(\d{4}-\d{2}-\d{2})\s*$", re.IGNORECASE)
VALUE = re.compile(r"\s+([-+]?[$€£]?[\d.,_]+\s*[kmb]?\s*%?)\s*$", re.IGNORECASE)
HELP = """*Targets* (shown in answers, digests and charts)
• `/kpi target mrr 150k by 2026-12-31` · `/kpi target churn rate 3%`
• `/kpi target list` · `/kpi target remove mrr`"""


def handle_target_command(text: str, ctx: CommandContext) -> CommandReply:
    verb, rest = split_first(text)
    if verb in ("", "help"):
        return CommandReply(HELP)
    if verb in ("list", "ls"):
        return _list(ctx)
    if verb in ("remove", "delete", "rm", "clear"):
        return _remove(rest, ctx)
    return _set(rest if verb == "set" else text, ctx)


def _set(text: str, ctx: CommandContext) -> CommandReply:
    due: date | None = None
    body = f" {text.strip()}"
    due_match = DUE.search(body)
    if due_match is not None:
        try:
            due = date.fromisoformat(due_match.group(1))
        except ValueError:
            return CommandReply(f":warning: {due_match.group(1)} is not a date (use YYYY-MM-DD).")
        body = body[: due_match.start()]
    value_match = VALUE.search(body)
    if value_match is None:
        return CommandReply(f":warning: Give the metric and the target value, e.g. `mrr 150k by 2026-12-31`.\n{HELP}")
    metric = find_metric(body[: value_match.start()], ctx.catalog)
    if metric is None:
        return CommandReply(f":warning: I don't know the metric “{body[: value_match.start()].strip()}”. "
                            "Try `/kpi list`.")
    try:
        value = parse_target_value(value_match.group(1), metric)
    except TargetValueError as exc:
        return CommandReply(f":warning: {exc}")
    with session_scope(ctx.engine) as session:
        set_target(session, metric.id, value, due, created_by=ctx.user_id)
    goal = format_value(value, metric.unit, currency=ctx.settings.kpi_currency_symbol)
    by = f" by {due.isoformat()}" if due else ""
    return CommandReply(f":dart: Target for {metric.label}: {goal}{by}. Answers, digests and charts now show it.")


def _list(ctx: CommandContext) -> CommandReply:
    with session_scope(ctx.engine) as session:
        targets = list_targets(session)
    if not targets:
        return CommandReply("No targets yet. Set one: `/kpi target mrr 150k by 2026-12-31`.")
    lines = ["*Targets*"]
    for target in targets:
        metric = ctx.catalog.find(target.metric_id)
        label, unit = (metric.label, metric.unit) if metric else (target.metric_id, "count")
        goal = format_value(target.value, unit, currency=ctx.settings.kpi_currency_symbol)
        due = f" by {target.due.isoformat()}" if target.due else ""
        who = f" · set by <@{target.created_by}>" if target.created_by and target.created_by != "cli" else ""
        lines.append(f"• {label}: {goal}{due}{who}")
    return CommandReply("\n".join(lines))


def _remove(text: str, ctx: CommandContext) -> CommandReply:
    metric = find_metric(text, ctx.catalog)
    metric_id = metric.id if metric else text.strip()
    with session_scope(ctx.engine) as session:
        removed = remove_target(session, metric_id)
    if not removed:
        return CommandReply(f"There is no target for {metric.label if metric else metric_id!r}.")
    return CommandReply(f"Target for {metric.label if metric else metric_id} removed.")
