"""A digest's composite chart: one small panel per KPI with its weekly trend, its change on the week, the target
and the anomaly flag."""

from __future__ import annotations

from bot.digests.blocks import week_label
from bot.digests.report import DigestReport, KpiLine
from bot.shared.metric_names import describe_filters
from kpi_engine.answers.format import bucket_label, describe_change
from kpi_engine.charts.composite import TrendPanel, composite_chart
from kpi_engine.charts.labels import change_amount
from kpi_engine.charts.style import DARK_GREY, GREEN, VERMILLION


def _change(line: KpiLine, currency: str) -> tuple[str, str]:
    if line.value is None or line.previous is None:
        return "", DARK_GREY
    change = describe_change(line.value, line.previous, line.metric.unit, line.metric.direction)
    colour = DARK_GREY
    if change is not None and change.verdict is not None:
        colour = GREEN if change.verdict == "good" else VERMILLION
    return change_amount(line.value, line.previous, line.metric.unit, currency), colour


def trend_panels(report: DigestReport) -> list[TrendPanel]:
    panels = []
    for line in report.lines:
        change, colour = _change(line, report.currency)
        panels.append(TrendPanel(
            label=line.metric.label,
            unit=line.metric.unit,
            labels=[bucket_label(point.start, "week") for point in line.series],
            values=[point.value for point in line.series],
            target=line.target.value if line.target is not None else None,
            flagged=line.anomaly is not None,
            change=change,
            change_colour=colour,
        ))
    return panels


def digest_chart(report: DigestReport) -> bytes | None:
    """PNG bytes, or None when no KPI has a single known week to draw."""
    panels = trend_panels(report)
    if not any(v is not None for panel in panels for v in panel.values):
        return None
    subtitle = "Weekly, last 12 weeks · dotted: target"
    if report.filters:
        subtitle += f" · {describe_filters(report.filters)}"
    return composite_chart(f"Weekly KPIs · {week_label(report.week)}", subtitle, panels, currency=report.currency)
