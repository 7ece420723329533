"""`/kpi digest add|list|remove|preview|send-now|log` (and `kpibot digest ...`): one function per operation."""

from __future__ import annotations

from bot.digests import repository
from bot.digests.preview import preview_reply
from bot.digests.runner import DigestEnvironment, send_now
from bot.digests.schedule import Schedule, ScheduleError, next_slot
from bot.digests.spec import DigestSpec, SpecError, parse_digest_spec
from bot.shared.command import CommandContext, CommandReply, parse_id, postable_channel, split_first, where
from bot.shared.command_access import audit_refusal, may_remove, may_see_metric_id, not_yours_text, same_workspace
from bot.shared.local_time import to_local
from bot.shared.metric_names import default_kpis, describe_filters
from bot.shared.slack_clients import user_timezone

HELP = """*Weekly KPI digests*
• `/kpi digest add` — here, Mondays 09:00 in your time zone, the headline KPIs
• `/kpi digest add in #growth fridays at 4pm mrr, churn rate, nps plan=pro`
• `/kpi digest add to me cron "0 8 * * 1-5" tz Europe/Berlin signups, wau`
• `/kpi digest list` · `/kpi digest remove 3` · `/kpi digest preview [3]` · `/kpi digest send-now 3`
• `/kpi digest log [3]` — what was sent, skipped or failed
Each digest reports the last complete week (Monday–Sunday) in its time zone."""


def handle_digest_command(text: str, ctx: CommandContext) -> CommandReply:
    verb, rest = split_first(text)
    if verb in ("", "help"):
        return CommandReply(HELP)
    if verb in ("add", "new", "create"):
        return add_digest(rest, ctx)
    if verb in ("list", "ls"):
        return list_digests(ctx)
    if verb in ("remove", "delete", "rm", "stop"):
        return remove_digest(rest, ctx)
    if verb == "preview":
        return preview_digest(rest, ctx)
    if verb in ("send-now", "send", "sendnow", "now"):
        return send_digest_now(rest, ctx)
    if verb == "log":
        return send_log(rest, ctx)
    return CommandReply(f"I don't know `digest {verb}`.\n{HELP}")


def _destination(spec: DigestSpec, ctx: CommandContext) -> tuple[str | None, str | None]:
    """(channel_id, dm_user_id). Raises SpecError with what to do instead."""
    if spec.to_dm:
        return (ctx.channel_id if ctx.in_dm else None), ctx.user_id
    missing = "say where the digest goes: a channel id, or `to me`"
    channel_id = postable_channel(ctx, spec.channel_id, spec.channel_name, missing, SpecError)
    return (channel_id, ctx.user_id) if channel_id.startswith("D") else (channel_id, None)


def _schedule(spec: DigestSpec, ctx: CommandContext) -> Schedule:
    timezone = spec.timezone
    if timezone is None and ctx.client is not None:
        timezone = user_timezone(ctx.client, ctx.user_id)
    timezone = timezone or ctx.settings.kpi_timezone
    if spec.cron is not None:
        return Schedule(timezone=timezone, weekday=None, at_time=None, cron=spec.cron)
    return Schedule(timezone=timezone, weekday=0 if spec.weekday is None else spec.weekday,
                    at_time=spec.at_time or "09:00")


def add_digest(text: str, ctx: CommandContext) -> CommandReply:
    try:
        spec = parse_digest_spec(text, ctx.catalog)
        if spec.unknown:
            raise SpecError(f"I don't know these KPIs: {', '.join(spec.unknown)}. Try `/kpi list`.")
        channel_id, dm_user_id = _destination(spec, ctx)
        schedule = _schedule(spec, ctx)
    except (SpecError, ScheduleError) as exc:
        return CommandReply(f":warning: {exc}")
    metrics = list(spec.metrics) or default_kpis(ctx.catalog)
    problem = _filter_problem(spec.filters, metrics, ctx)
    if problem:
        return CommandReply(f":warning: {problem}")
    first = next_slot(schedule, ctx.now)
    sub = repository.create_subscription(
        ctx.engine, team_id=ctx.team_id, channel_id=channel_id, dm_user_id=dm_user_id, created_by=ctx.user_id,
        schedule=schedule, metrics=metrics, filters=spec.filters, now=ctx.now, next_run_at=first)
    labels = [ctx.catalog.get(m).label for m in metrics]
    lines = [f":white_check_mark: Digest #{sub.id} for {where(channel_id)}: {schedule.describe()}.",
             f"KPIs: {', '.join(labels)}."]
    if spec.filters:
        lines.append(f"Filters: {describe_filters(spec.filters)}.")
    hidden = [ctx.catalog.get(m).label for m in metrics
              if not ctx.rules.admits(ctx.catalog.get(m).group, ctx.user_id, channel_id,
                                      posted_in_channel=channel_id is not None and not channel_id.startswith("D"))]
    if hidden:
        lines.append(f"Not shown there (access rules): {', '.join(hidden)}.")
    lines.append(f"First one: {to_local(first, schedule.tz).strftime('%a %d %b %Y %H:%M')}. "
                 f"Try `/kpi digest preview {sub.id}` to see it now.")
    return CommandReply("\n".join(lines))


def _filter_problem(filters: dict[str, list[str]], metrics: list[str], ctx: CommandContext) -> str | None:
    for dimension in filters:
        if not any(dimension in ctx.catalog.get(m).dimensions for m in metrics):
            return f"none of these KPIs can be filtered by {dimension}"
    return None


def list_digests(ctx: CommandContext) -> CommandReply:
    subs = repository.list_subscriptions(ctx.engine, team_id=ctx.team_id)
    if not subs:
        return CommandReply("No digests yet. Create one with `/kpi digest add`.")
    lines = ["*Digests*"]
    for sub in subs:
        seen = [m for m in sub.metrics if may_see_metric_id(ctx, m)]
        labels = ", ".join(metric.label if (metric := ctx.catalog.find(m)) else m for m in seen)
        if len(seen) < len(sub.metrics):
            labels += f"{' + ' if seen else ''}{len(sub.metrics) - len(seen)} KPI(s) you can't see"
        filters = f" · {describe_filters(sub.filters)}" if sub.filters else ""
        next_run = to_local(sub.next_run_at, sub.schedule.tz).strftime("%a %d %b %H:%M")
        lines.append(f"• *#{sub.id}* {where(sub.channel_id)} · {sub.schedule.describe()} · {labels}{filters} · "
                     f"next {next_run} · by <@{sub.created_by}>")
    return CommandReply("\n".join(lines))


def _subscription(text: str, ctx: CommandContext) -> repository.Subscription | CommandReply:
    number = parse_id(text)
    if number is None:
        return CommandReply("Which digest? Give its number, e.g. `3` (see `/kpi digest list`).")
    sub = repository.get_subscription(ctx.engine, number)
    if sub is None or not sub.active or not same_workspace(ctx, sub.team_id):
        return CommandReply(f"There is no digest #{number}. See `/kpi digest list`.")
    return sub


def remove_digest(text: str, ctx: CommandContext) -> CommandReply:
    sub = _subscription(text, ctx)
    if isinstance(sub, CommandReply):
        return sub
    if not may_remove(ctx, sub.created_by):
        audit_refusal(ctx, f"digest remove {text}"[:4000], "not_the_creator")
        return CommandReply(not_yours_text(f"digest #{sub.id}", sub.created_by))
    repository.remove_subscription(ctx.engine, sub.id, ctx.now)
    return CommandReply(f"Digest #{sub.id} for {where(sub.channel_id)} removed.")


def preview_digest(text: str, ctx: CommandContext) -> CommandReply:
    if text.strip():
        sub = _subscription(text, ctx)
        if isinstance(sub, CommandReply):
            return sub
        return preview_reply(ctx, sub.metrics, sub.filters, sub.schedule.timezone, sub.id)
    timezone = (user_timezone(ctx.client, ctx.user_id) if ctx.client is not None else None) or ctx.settings.kpi_timezone
    return preview_reply(ctx, default_kpis(ctx.catalog), {}, timezone, None)


def send_digest_now(text: str, ctx: CommandContext) -> CommandReply:
    if ctx.client is None:
        return CommandReply("Sending needs Slack: set SLACK_BOT_TOKEN.")
    sub = _subscription(text, ctx)
    if isinstance(sub, CommandReply):
        return sub
    if not may_remove(ctx, sub.created_by):  # sending by hand is managing the digest: its creator or an admin
        audit_refusal(ctx, f"digest send-now {text}"[:4000], "not_the_creator")
        return CommandReply(not_yours_text(f"digest #{sub.id}", sub.created_by).replace("remove", "send"))
    client = ctx.client
    env = DigestEnvironment(ctx.engine, ctx.settings, lambda _team: client, ctx.catalog, rules=ctx.rules)
    outcome = send_now(env, sub, ctx.now)
    if outcome.status == "sent":
        return CommandReply(f"Digest #{sub.id} sent to {where(outcome.channel_id)}.")
    reason = outcome.detail or outcome.error or "unknown reason"
    return CommandReply(f":warning: Digest #{sub.id} was {outcome.status}: {reason}"
                        + (f" (`{outcome.error}`)" if outcome.error and outcome.detail else ""))


def send_log(text: str, ctx: CommandContext) -> CommandReply:
    number = parse_id(text)
    mine = [sub.id for sub in repository.list_subscriptions(ctx.engine, team_id=ctx.team_id, active_only=False)]
    rows = repository.send_log(ctx.engine, number, limit=15, subscription_ids=mine)
    if not rows:
        return CommandReply("Nothing delivered yet.")
    lines = ["*Delivery log*"]
    for row in rows:
        error = f" `{row.error}`" if row.error else ""
        detail = f" — {row.detail}" if row.detail else ""
        week = f" week of {row.period_start.isoformat()}" if row.period_start else ""
        lines.append(f"• {row.logged_at:%Y-%m-%d %H:%M} UTC · #{row.subscription_id}{week} · {row.trigger} · "
                     f"*{row.status}*{error}{detail}")
    return CommandReply("\n".join(lines))
