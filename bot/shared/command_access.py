"""Access rules for `/kpi digest|alert|target ...`: what the asker may see in lists and logs, which metrics they
may set targets for or alert on, and who may remove a digest, an alert or a target (its creator, or a workspace
admin or owner). Every refusal is written to the audit log.

The CLI (no Slack client in the context) is the operator's: it has the database anyway, so it sees everything.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.audit import AuditRecord, record_question
from bot.shared.command import CommandContext
from kpi_engine.catalog.model import MetricDefinition

logger = logging.getLogger(__name__)

NOT_YOURS = ("Only its creator (<@{creator}>) or a workspace admin can remove {what}.")


def is_operator(ctx: CommandContext) -> bool:
    """The command line: no Slack user behind it."""
    return ctx.client is None


def may_see_group(ctx: CommandContext, group: str | None) -> bool:
    """Whether the asker may read a metric of this group in a private answer where they asked."""
    if is_operator(ctx):
        return True
    return ctx.rules.admits(group, ctx.user_id, ctx.channel_id, posted_in_channel=False)


def may_see_metric_id(ctx: CommandContext, metric_id: str) -> bool:
    metric = ctx.catalog.find(metric_id)
    return may_see_group(ctx, metric.group if metric is not None else None)


def same_workspace(ctx: CommandContext, team_id: str | None) -> bool:
    return ctx.team_id is None or team_id in (None, ctx.team_id)


def is_workspace_admin(ctx: CommandContext) -> bool:
    """users.info: is_admin, is_owner or is_primary_owner (asked fresh: a demoted admin loses it at once)."""
    if ctx.client is None:
        return False
    try:
        user = ctx.client.users_info(user=ctx.user_id)["user"]
    except SlackApiError as exc:
        logger.info("users.info %s failed: %s", ctx.user_id, exc.response.get("error"))
        return False
    if user.get("team_id") not in (None, ctx.team_id) and ctx.team_id is not None:
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


def may_remove(ctx: CommandContext, created_by: str | None) -> bool:
    if is_operator(ctx) or (created_by is not None and created_by == ctx.user_id):
        return True
    return is_workspace_admin(ctx)


def not_yours_text(what: str, creator: str | None) -> str:
    return ":no_entry: " + NOT_YOURS.format(creator=creator or "unknown", what=what)


def restricted_text(metric: MetricDefinition) -> str:
    return (f":no_entry: *{metric.label}* is limited to certain people and channels"
            f"{f' (the {metric.group} group)' if metric.group else ''}. Ask a workspace admin for access.")


def audit_refusal(ctx: CommandContext, question: str, reason: str, metric_id: str | None = None) -> None:
    """One audit row per refusal (command line refusals too, as user `cli`)."""
    try:
        record_question(ctx.engine, AuditRecord(team_id=ctx.team_id, user_id=ctx.user_id, channel_id=ctx.channel_id,
                                                source="command", question=question, outcome="refused",
                                                metric_id=metric_id, detail=reason))
    except Exception as exc:  # the refusal stands even if the audit row cannot be written; the log has it
        logger.error("could not audit a refusal (%s by %s): %s", reason, ctx.user_id, type(exc).__name__)
