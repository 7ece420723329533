"""A digest's composite chart: one small panel per KPI with its weekly trend, its change on the week, the target
and the anomaly flag."""

from __future__ import annotations

from bot.digests.blocks import week_label
from bot.digests.report import DigestReport, KpiLine
from bot.shared.metric_names import describe_filters
from kpi_engine.answers.format import bucket_label
from kpi_engine.charts.composite import TrendPanel, composite_chart
from kpi_engine.charts.labels import change_colour, signed_change
from kpi_engine.charts.style import DARK_GREY


def _change(line: KpiLine) -> tuple[str, str]:
    """The week's change as the digest line words it (the line's Presentation), signed for the headline."""
    change = line.shown.change if line.shown is not None else None
    if change is None:
        return "", DARK_GREY
    return signed_change(change), change_colour(change)


def trend_panels(report: DigestReport) -> list[TrendPanel]:
    panels = []
    for line in report.lines:
        change, colour = _change(line)
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
