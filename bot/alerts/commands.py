"""`/kpi alert <rule>|list|remove|log` (and `kpibot alert ...`)."""

from __future__ import annotations

from bot.alerts import repository
from bot.alerts.evaluate import OPERATOR_WORDS, RuleView
from bot.alerts.rules import AlertSpec, RuleError, parse_alert_rule
from bot.shared.command import CommandContext, CommandReply, parse_id, postable_channel, split_first, where
from bot.shared.command_access import audit_refusal, may_remove, may_see_metric_id, not_yours_text, same_workspace
from bot.shared.local_time import local_day
from bot.shared.metric_names import describe_filters
from kpi_engine.answers.format import format_value

HELP = """*KPI alerts* (checked every hour; after firing, quiet for a day, then a "still firing" note)
• `/kpi alert churn rate > 5% in #growth` · `/kpi alert mrr last 30 days < 100k plan=pro`
• `/kpi alert signups drop 20% vs last week` · `/kpi alert anomaly nps`
• `/kpi alert list` · `/kpi alert remove 4` · `/kpi alert log [4]`"""


def handle_alert_command(text: str, ctx: CommandContext) -> CommandReply:
    verb, rest = split_first(text)
    if verb in ("", "help"):
        return CommandReply(HELP)
    if verb in ("list", "ls"):
        return list_alerts(ctx)
    if verb in ("remove", "delete", "rm", "stop"):
        return remove_alert(rest, ctx)
    if verb == "log":
        return alert_log(rest, ctx)
    return add_alert(rest if verb in ("add", "new", "set") else text, ctx)


def spec_view(spec: AlertSpec) -> RuleView:
    return RuleView(spec.kind, spec.metric.id, spec.filters, spec.operator, spec.threshold, spec.change_ratio,
                    spec.change_direction, spec.window_days)


def describe_rule(view: RuleView, ctx: CommandContext) -> str:
    """`Customer churn rate over the last 7 days is above 5.0%`, in the words the alert will use."""
    metric = ctx.catalog.get(view.metric_id)
    stock = metric.kind == "stock"
    filters = f" ({describe_filters(view.filters)})" if view.filters else ""
    if view.kind == "threshold":
        assert view.operator is not None and view.threshold is not None
        goal = format_value(view.threshold, metric.unit, currency=ctx.settings.kpi_currency_symbol)
        window = "at the end of a day" if stock else f"over the last {view.window_days} days"
        return f"{metric.label}{filters} {window} is {OPERATOR_WORDS[view.operator]} {goal}"
    if view.kind == "change":
        moves = {"down": "drops", "up": "rises", "any": "moves"}[view.change_direction or "any"]
        against = f"{view.window_days} days earlier" if stock else f"the {view.window_days} days before"
        return f"{metric.label}{filters} {moves} by {(view.change_ratio or 0) * 100:g}% or more vs {against}"
    return f"{metric.label}{filters} is unusual for its last 11 weeks (judged on complete weeks)"


def _channel(spec: AlertSpec, ctx: CommandContext) -> str:
    missing = "say where the alert goes, e.g. `in #growth`"
    return postable_channel(ctx, spec.channel_id, spec.channel_name, missing, RuleError)


def add_alert(text: str, ctx: CommandContext) -> CommandReply:
    try:
        spec = parse_alert_rule(text, ctx.catalog, local_day(ctx.now, ctx.settings.tz))
        channel_id = _channel(spec, ctx)
    except RuleError as exc:
        return CommandReply(f":warning: {exc}\n{HELP}")
    in_channel = not channel_id.startswith("D")
    if not may_see_metric_id(ctx, spec.metric.id):
        audit_refusal(ctx, f"alert {text}"[:4000], f"alert_restricted:{spec.metric.group}", spec.metric.id)
        return CommandReply(f":no_entry: {spec.metric.label} is limited to certain people and channels; "
                            "ask a workspace admin for access.")
    if not ctx.rules.admits(spec.metric.group, ctx.user_id, channel_id, posted_in_channel=in_channel):
        return CommandReply(f":warning: {spec.metric.label} can't be posted in {where(channel_id)} (access rules).")
    rule = repository.create_rule(ctx.engine, spec, text=text.strip(), team_id=ctx.team_id, channel_id=channel_id,
                                  created_by=ctx.user_id, now=ctx.now)
    return CommandReply(f":bell: Alert #{rule.id}: I'll post in {where(channel_id)} when "
                        f"{describe_rule(spec_view(spec), ctx)}. Checked every hour; once it fires I stay quiet "
                        f"for a day and then note if it is still firing. `/kpi alert remove {rule.id}` to stop it.")


def visible_rules(ctx: CommandContext) -> list[repository.Rule]:
    """This workspace's rules on metrics the asker may see (the others are not even counted by name)."""
    return [rule for rule in repository.list_rules(ctx.engine, ctx.team_id, active_only=False)
            if same_workspace(ctx, rule.team_id) and may_see_metric_id(ctx, rule.view.metric_id)]


def list_alerts(ctx: CommandContext) -> CommandReply:
    rules = [rule for rule in visible_rules(ctx) if rule.active]
    if not rules:
        return CommandReply("No alerts yet. Try `/kpi alert churn rate > 5%`.")
    lines = ["*Alerts*"]
    for rule in rules:
        state = ":rotating_light: firing" if rule.firing else "ok"
        if rule.snoozed_until is not None and rule.snoozed_until > ctx.now:
            state += f" · snoozed until {rule.snoozed_until:%a %d %b %H:%M} UTC"
        lines.append(f"• *#{rule.id}* {where(rule.channel_id)} · {describe_rule(rule.view, ctx)} · {state} · "
                     f"by <@{rule.created_by}>")
    return CommandReply("\n".join(lines))


def remove_alert(text: str, ctx: CommandContext) -> CommandReply:
    number = parse_id(text)
    rule = repository.get_rule(ctx.engine, number) if number is not None else None
    if rule is None or not rule.active or not same_workspace(ctx, rule.team_id) \
            or not may_see_metric_id(ctx, rule.view.metric_id):
        return CommandReply("Which alert? Give its number (see `/kpi alert list`).")
    if not may_remove(ctx, rule.created_by):
        audit_refusal(ctx, f"alert remove {text}"[:4000], "not_the_creator", rule.view.metric_id)
        return CommandReply(not_yours_text(f"alert #{rule.id}", rule.created_by))
    repository.remove_rule(ctx.engine, rule.id)
    return CommandReply(f"Alert #{rule.id} removed.")


def alert_log(text: str, ctx: CommandContext) -> CommandReply:
    visible = [rule.id for rule in visible_rules(ctx)]
    rows = repository.alert_log(ctx.engine, parse_id(text), limit=15, rule_ids=visible)
    if not rows:
        return CommandReply("The alert log is empty.")
    lines = ["*Alert log*"]
    for row in rows:
        error = f" `{row.error}`" if row.error else ""
        detail = f" — {row.detail}" if row.detail else ""
        lines.append(f"• {row.at:%Y-%m-%d %H:%M} UTC · #{row.rule_id} · *{row.kind}*{error}{detail}")
    return CommandReply("\n".join(lines))
