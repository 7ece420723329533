"""Digests in the terminal (`kpibot digest preview|run-due`)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from bot.digests import repository
from bot.digests.blocks import week_label
from bot.digests.chart import digest_chart
from bot.digests.report import build_report
from bot.digests.runner import DigestOutcome
from bot.digests.schedule import reported_week, zone
from bot.digests.wording import plain_line
from bot.shared.command import CommandContext
from bot.shared.metric_names import default_kpis, describe_filters
from kpi_engine.answers.tables import table_text

console = Console(soft_wrap=True, emoji=False)


def print_preview(ctx: CommandContext, subscription_id: int | None, chart_path: Path | None) -> None:
    if subscription_id is not None:
        sub = repository.get_subscription(ctx.engine, subscription_id)
        if sub is None:
            console.print(f"There is no digest #{subscription_id}.")
            return
        metrics, filters, timezone = sub.metrics, sub.filters, sub.schedule.timezone
    else:
        metrics, filters, timezone = default_kpis(ctx.catalog), {}, ctx.settings.kpi_timezone
    week = reported_week(ctx.now, zone(timezone))
    report = build_report(ctx.engine, ctx.settings, ctx.catalog, metrics, week, filters)
    title = f"Weekly KPIs · {week_label(week)} ({timezone})"
    if filters:
        title += f" · {describe_filters(filters)}"
    console.print(title, style="bold", markup=False)
    for line in report.lines:
        console.print("  " + plain_line(line, report.currency).replace("\n", "\n    "), markup=False,
                      highlight=False)
    if not report.has_data:
        console.print("No KPI has data for this week: the digest would not be posted.")
    for item in report.details.breakdowns:
        groups = ", ".join(f"{g.group} {g.value:g}" for g in item.groups if g.value is not None)
        console.print(f"  {item.label} by {item.dimension}: {groups}", markup=False, highlight=False)
    if report.details.movements is not None:
        text, _hidden = table_text(report.details.movements, currency=report.currency)
        console.print(text, markup=False, highlight=False)
    for comment in report.details.comments:
        console.print(f"  “{comment.text}” — {comment.survey.upper()} {comment.score}", markup=False,
                      highlight=False)
    if chart_path is not None:
        png = digest_chart(report)
        if png is None:
            console.print("No chart: no KPI has a known week.")
        else:
            chart_path.write_bytes(png)
            console.print(f"Chart written to {chart_path}", markup=False)


def print_digest_outcomes(outcomes: list[DigestOutcome]) -> None:
    if not outcomes:
        console.print("No digest is due.")
        return
    table = Table("digest", "week", "trigger", "status", "channel", "error / detail")
    for o in outcomes:
        table.add_row(f"#{o.subscription_id}", o.period_start.isoformat() if o.period_start else "—", o.trigger,
                      o.status, o.channel_id or "—", " ".join(p for p in (o.error, o.detail) if p) or "—")
    console.print(table)

