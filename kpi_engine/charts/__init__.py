"""Charts for answers (matplotlib, Agg): PNG bytes, 1600 × 900 px, Okabe–Ito colours.

Each chart type has a pure data-prep function (what is plotted, testable) and a drawing function.
"""

from __future__ import annotations

from kpi_engine.results import MetricResult, TableResult


def render_chart(result: MetricResult | TableResult, *, currency: str = "$") -> bytes | None:
    """The chart that fits the result, or None when there is nothing to draw."""
    if isinstance(result, TableResult):
        return _table_chart(result, currency)
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
