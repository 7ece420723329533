"""Charts for answers (matplotlib, Agg): PNG bytes, 1200 × 675 px with text of 28 px and more (readable at Slack's
480 px preview), a headline with the current value and its change, Okabe–Ito colours.

Each chart type has a pure data-prep function (what is plotted, testable) and a drawing function.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpi_engine.results import MetricResult, TableResult

Answer = MetricResult | TableResult | Sequence[MetricResult]


def render_chart(result: Answer, *, currency: str = "$") -> bytes | None:
    """The chart that fits the result, or None when there is nothing to draw. A list of results (an answer with
    several metrics) is drawn as small multiples."""
    if isinstance(result, TableResult):
        return _table_chart(result, currency)
    if not isinstance(result, MetricResult):
        from kpi_engine.charts.multiples import multiples_chart

        results = list(result)
        if len(results) == 1:
            return render_chart(results[0], currency=currency)
        return multiples_chart(results, currency=currency) if results else None
    if result.group_series:
        from kpi_engine.charts.groups import group_series_chart

        return group_series_chart(result, currency=currency)
    if result.breakdown and any(g.subgroup is not None for g in result.breakdown):
        from kpi_engine.charts.grid import grid_chart

        return grid_chart(result, currency=currency)
    if result.breakdown:
        from kpi_engine.charts.bars import bar_chart

        return bar_chart(result, currency=currency)
    if result.series:
        from kpi_engine.charts.line import line_chart

        return line_chart(result, currency=currency)
    from kpi_engine.charts.nps import has_nps_parts, nps_chart

    if result.unit == "score" and result.value is not None and has_nps_parts(result):
        return nps_chart(result)
    if result.value is None and result.previous_value is None:
        return None
    from kpi_engine.charts.comparison import comparison_chart

    return comparison_chart(result, currency=currency)


def _table_chart(table: TableResult, currency: str) -> bytes | None:
    if not table.rows:
        return None
    if table.kind == "movements":
        from kpi_engine.charts.waterfall import waterfall_chart

        return waterfall_chart(table, currency=currency)
    if table.kind == "funnel":
        from kpi_engine.charts.funnel import funnel_chart

        return funnel_chart(table)
    if table.kind == "retention":
        from kpi_engine.charts.retention import retention_chart

        return retention_chart(table)
    return None


__all__ = ["render_chart"]
