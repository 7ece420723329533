"""`/kpi digest preview`: the digest of the last complete week, only for the person asking (chart included)."""

from __future__ import annotations

from typing import Any

from bot.blocks.text import context
from bot.conversation.reply import Chart
from bot.digests.blocks import chart_alt_text, details_blocks, digest_blocks, digest_text, week_label
from bot.digests.chart import digest_chart
from bot.digests.post import CHART_TITLE
from bot.digests.report import build_report
from bot.digests.schedule import reported_week, zone
from bot.shared.command import CommandContext, CommandReply

MESSAGE_BLOCK_LIMIT = 50


def preview_reply(ctx: CommandContext, metrics: list[str], filters: dict[str, list[str]], timezone: str,
                  subscription_id: int | None) -> CommandReply:
    week = reported_week(ctx.now, zone(timezone))
    shown = [m for m in metrics
             if ctx.catalog.find(m) is not None
             and ctx.rules.admits(ctx.catalog.get(m).group, ctx.user_id, ctx.channel_id, posted_in_channel=False)]
    report = build_report(ctx.engine, ctx.settings, ctx.catalog, shown, week, filters)
    if not report.has_data:
        return CommandReply(f"No KPI has data for the week of {week_label(week)}, so this digest would not be posted.")
    png = digest_chart(report)
    chart = Chart(png, CHART_TITLE, chart_alt_text(report)) if png else None

    def build(file_id: str | None) -> list[dict[str, Any]]:
        blocks = digest_blocks(report, chart_file_id=file_id, subscription_id=subscription_id, timezone=timezone)
        blocks.insert(1, context(":eyes: Preview, only you can see it."))
        thread = details_blocks(report.details, report.currency)
        if thread:
            blocks += [{"type": "divider"}, *thread]
        return blocks[:MESSAGE_BLOCK_LIMIT]

    return CommandReply(f"Preview · {digest_text(report)}", chart=chart, build=build)
