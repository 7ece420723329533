"""`/kpi target mrr 150k by 2026-12-31`, `/kpi target mrr 20k for plan pro`, `/kpi target list`,
`/kpi target remove mrr [for plan pro]` (kpi_engine.targets). A target with filters applies only to answers and
digests with the same filters."""

from __future__ import annotations

import re
from datetime import date

from bot.shared.command import CommandContext, CommandReply, split_first
from bot.shared.metric_names import find_metric
from kpi_engine.answers.format import format_value
from kpi_engine.db import session_scope
from kpi_engine.targets import (
    TargetValueError,
    describe_scope,
    list_targets,
    parse_target_value,
    remove_target,
    set_target,
    split_for,
)

DUE = re.compile(r"\s+(?:by|due|until|before)\s+(\d{4}-\d{2}-\d{2})\s*$", re.IGNORECASE)
VALUE = re.compile(r"\s+([-+]?[$€£]?[\d.,_]+\s*[kmb]?\s*%?)\s*$", re.IGNORECASE)
HELP = """*Targets* (shown in answers, digests and charts)
• `/kpi target mrr 150k by 2026-12-31` · `/kpi target churn rate 3%`
• `/kpi target mrr 20k for plan pro` (only answers and digests for plan pro)
• `/kpi target list` · `/kpi target remove mrr` · `/kpi target remove mrr for plan pro`"""


def metric_words(text: str) -> str:
    """The metric part of `mrr 20k for plan pro by 2026-12-31` (or of `mrr for plan pro`): `mrr`. For callers that
    check access to the metric before the command runs (bot.targets.access)."""
    body = f" {text.strip()}"
    due = DUE.search(body)
    if due is not None:
        body = body[: due.start()]
    try:
        body, _filters = split_for(body)
    except TargetValueError:
        body = body[: body.lower().rfind(" for ")] if " for " in body.lower() else body
    due = DUE.search(body)
    if due is not None:
        body = body[: due.start()]
    value = VALUE.search(body)
    return (body[: value.start()] if value is not None else body).strip()


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
    filters: dict[str, list[str]] = {}
    body = f" {text.strip()}"
    try:
        for step in ("due", "for", "due"):  # `20k for plan pro by 2026-12-31` and `20k by 2026-12-31 for plan pro`
            if step == "for":
                body, filters = split_for(body)
                continue
            due_match = DUE.search(body)
            if due_match is not None and due is None:
                due = date.fromisoformat(due_match.group(1))
                body = body[: due_match.start()]
    except ValueError as exc:
        return CommandReply(f":warning: {exc}" if isinstance(exc, TargetValueError) else
                            ":warning: that due day is not a date (use YYYY-MM-DD).")
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
        set_target(session, metric.id, value, due, created_by=ctx.user_id, filters=filters)
    goal = format_value(value, metric.unit, currency=ctx.settings.kpi_currency_symbol)
    by = f" by {due.isoformat()}" if due else ""
    scope = describe_scope(filters)
    where = f"Answers, digests and charts {scope} now show it." if scope else \
        "Answers, digests and charts without filters now show it."
    return CommandReply(f":dart: Target for {metric.label}{' ' + scope if scope else ''}: {goal}{by}. {where}")


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
        scope = describe_scope(target.filters)
        label = f"{label} {scope}" if scope else label
        who = f" · set by <@{target.created_by}>" if target.created_by and target.created_by != "cli" else ""
        lines.append(f"• {label}: {goal}{due}{who}")
    return CommandReply("\n".join(lines))


def _remove(text: str, ctx: CommandContext) -> CommandReply:
    try:
        text, filters = split_for(f" {text.strip()}")
    except TargetValueError as exc:
        return CommandReply(f":warning: {exc}")
    metric = find_metric(text, ctx.catalog)
    metric_id = metric.id if metric else text.strip()
    scope = describe_scope(filters)
    name = (metric.label if metric else metric_id) + (f" {scope}" if scope else "")
    with session_scope(ctx.engine) as session:
        removed = remove_target(session, metric_id, filters)
    if not removed:
        return CommandReply(f"There is no target for {name}.")
    return CommandReply(f"Target for {name} removed.")
