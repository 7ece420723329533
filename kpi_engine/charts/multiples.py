"""Several metrics in one answer ("mrr, churn and nps last quarter"): small multiples, one panel per metric with its
headline and, when it has one, its series."""

from __future__ import annotations

from collections.abc import Sequence

from kpi_engine.charts.composite import TrendPanel, composite_chart
from kpi_engine.charts.labels import bucket_tick, headline, short_period, versus
from kpi_engine.charts.line import describe_filters, partial_flags
from kpi_engine.results import MetricResult


def metric_panel(result: MetricResult, *, currency: str = "$") -> TrendPanel:
    top = headline(result, currency=currency)
    change = top.change.split(" vs ")[0] if top.change else ""
    if result.series:
        points = result.series
        return TrendPanel(label=result.label, unit=result.unit,
                          labels=[bucket_tick(p.start, result.granularity, False) for p in points],
                          values=[p.value for p in points], change=change, change_colour=top.colour,
                          value=result.value,
                          target=result.target.value if result.target is not None else None,
                          partial=partial_flags(points, result.partial, result.granularity)[-1])
    labels, values = [], []
    if result.previous_period is not None:
        labels.append(versus(result))
        values.append(result.previous_value)
    labels.append("now")
    values.append(result.value)
    return TrendPanel(label=result.label, unit=result.unit, labels=labels, values=values, change=change,
                      change_colour=top.colour, partial=result.partial,
                      target=result.target.value if result.target is not None else None)


def multiples_title(results: Sequence[MetricResult]) -> tuple[str, str]:
    labels = [r.label for r in results]
    title = ", ".join(labels[:-1]) + f" and {labels[-1]}" if len(labels) > 1 else labels[0]
    first = results[0]
    parts = [f"by {first.granularity}" if first.granularity else "", short_period(first.period),
             describe_filters(first.filters)]
    return title, " · ".join(p for p in parts if p)


def multiples_chart(results: Sequence[MetricResult], *, currency: str = "$") -> bytes | None:
    shown = [r for r in results if r.value is not None or r.series]
    if not shown:
        return None
    title, subtitle = multiples_title(shown)
    return composite_chart(title, subtitle, [metric_panel(r, currency=currency) for r in shown], currency=currency)
