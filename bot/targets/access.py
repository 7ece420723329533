"""`/kpi target ...` behind the access rules: targets of a restricted metric are set, listed and removed only by
people allowed to see it, and a target is removed only by whoever set it or a workspace admin.

The command itself (parsing, storage, wording) is bot.targets.command; this wraps it for Slack.
"""

from __future__ import annotations

from bot.shared.command import CommandContext, CommandReply, split_first
from bot.shared.command_access import (
    audit_refusal,
    is_operator,
    may_remove,
    may_see_metric_id,
    not_yours_text,
    restricted_text,
)
from bot.shared.metric_names import find_metric
from bot.targets.command import DUE, VALUE, handle_target_command
from kpi_engine.answers.format import format_value
from kpi_engine.catalog.model import MetricDefinition
from kpi_engine.db import session_scope
from kpi_engine.targets import describe_scope, list_targets


def guarded_target_command(text: str, ctx: CommandContext) -> CommandReply:
    if is_operator(ctx):
        return handle_target_command(text, ctx)
    verb, rest = split_first(text)
    if verb in ("", "help"):
        return handle_target_command(text, ctx)
    if verb in ("list", "ls"):
        return visible_targets(ctx)
    removing = verb in ("remove", "delete", "rm", "clear")
    metric = _metric_named(rest if removing or verb == "set" else text, ctx, strip_value=not removing)
    if metric is not None and not may_see_metric_id(ctx, metric.id):
        audit_refusal(ctx, f"target {text}"[:4000], f"target_restricted:{metric.group}", metric.id)
        return CommandReply(restricted_text(metric))
    if removing and metric is not None:
        creators = _creators(ctx, metric.id)
        if creators and not all(may_remove(ctx, creator) for creator in creators):
            audit_refusal(ctx, f"target {text}"[:4000], "not_the_creator", metric.id)
            return CommandReply(not_yours_text(f"the target for {metric.label}", creators[0]))
    return handle_target_command(text, ctx)


def _metric_named(text: str, ctx: CommandContext, *, strip_value: bool) -> MetricDefinition | None:
    body = f" {text.strip()}"
    if strip_value:
        due = DUE.search(body)
        if due is not None:
            body = body[: due.start()]
        value = VALUE.search(body)
        if value is not None:
            body = body[: value.start()]
    return find_metric(body, ctx.catalog) if body.strip() else None


def _creators(ctx: CommandContext, metric_id: str) -> list[str | None]:
    with session_scope(ctx.engine) as session:
        return [t.created_by for t in list_targets(session) if t.metric_id == metric_id]


def visible_targets(ctx: CommandContext) -> CommandReply:
    with session_scope(ctx.engine) as session:
        targets = [(t.metric_id, t.value, t.due, t.created_by, t.filters) for t in list_targets(session)]
    shown = [t for t in targets if may_see_metric_id(ctx, t[0])]
    if not shown:
        hidden = len(targets) - len(shown)
        tail = f" ({hidden} you can't see.)" if hidden else ""
        return CommandReply("No targets yet. Set one: `/kpi target mrr 150k by 2026-12-31`." + tail)
    lines = ["*Targets*"]
    for metric_id, value, due, created_by, filters in shown:
        metric = ctx.catalog.find(metric_id)
        label, unit = (metric.label, metric.unit) if metric else (metric_id, "count")
        goal = format_value(value, unit, currency=ctx.settings.kpi_currency_symbol)
        by = f" by {due.isoformat()}" if due else ""
        who = f" · set by <@{created_by}>" if created_by and created_by != "cli" else ""
        scope = describe_scope(filters)
        lines.append(f"• {f'{label} {scope}' if scope else label}: {goal}{by}{who}")
    return CommandReply("\n".join(lines))
