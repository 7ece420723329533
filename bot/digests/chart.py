"""A digest's composite chart: one small panel per KPI with its weekly trend, target and anomaly flag."""

from __future__ import annotations

from bot.digests.blocks import week_label
from bot.digests.metric_names import describe_filters
from bot.digests.report import DigestReport
from kpi_engine.answers.format import bucket_label
from kpi_engine.charts.composite import TrendPanel, composite_chart


def trend_panels(report: DigestReport) -> list[TrendPanel]:
    return [
        TrendPanel(
            label=line.metric.label,
            unit=line.metric.unit,
            labels=[bucket_label(point.start, "week") for point in line.series],
            values=[point.value for point in line.series],
            target=line.target.value if line.target is not None else None,
            flagged=line.anomaly is not None,
        )
        for line in report.lines
    ]


def digest_chart(report: DigestReport) -> bytes | None:
    """PNG bytes, or None when no KPI has a single known week to draw."""
    panels = trend_panels(report)
    if not any(v is not None for panel in panels for v in panel.values):
        return None
    subtitle = "Weekly values, last 12 weeks; dotted line: target"
    if report.filters:
        subtitle += f"; {describe_filters(report.filters)}"
    return composite_chart(f"Weekly KPIs · {week_label(report.week)}", subtitle, panels, currency=report.currency)
