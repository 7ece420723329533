"""One value: the previous period and the current one side by side, the target as a line."""

from __future__ import annotations

from dataclasses import dataclass

from kpi_engine.answers.format import describe_change, format_value, period_label, result_period_label
from kpi_engine.charts.style import (
    BLUE,
    GREY,
    ORANGE,
    TEXT,
    finite,
    format_value_axis,
    new_figure,
    set_title,
    style_axes,
    to_png,
)
from kpi_engine.results import MetricResult


@dataclass(frozen=True)
class ComparisonData:
    title: str
    subtitle: str
    unit: str
    labels: list[str]  # previous period first when there is one
    values: list[float | None]
    target: float | None


def comparison_data(result: MetricResult, *, currency: str = "$") -> ComparisonData:
    labels = [period_label(result.period)]
    values = [result.value]
    if result.previous_period is not None:
        labels.insert(0, period_label(result.previous_period))
        values.insert(0, result.previous_value)
    change = describe_change(result.value, result.previous_value, result.unit, result.direction, currency=currency)
    return ComparisonData(
        title=f"{result.label} — {result_period_label(result)}",
        subtitle=change.text if change else "",
        unit=result.unit,
        labels=labels,
        values=values,
        target=result.target.value if result.target is not None else None,
    )


def draw_comparison(data: ComparisonData, *, currency: str = "$") -> bytes:
    fig = new_figure()
    ax = fig.add_subplot()
    style_axes(ax)
    x = list(range(len(data.values)))
    colours = [GREY] * (len(x) - 1) + [BLUE]
    ax.bar(x, [v or 0.0 for v in data.values], color=colours, width=0.55)
    top = max([abs(v) for v in finite(data.values)] + ([abs(data.target)] if data.target is not None else [])
              or [1.0]) or 1.0
    for xi, value in zip(x, data.values, strict=True):
        ax.text(xi, (value or 0.0) + top * 0.02, format_value(value, data.unit, currency=currency),
                ha="center", va="bottom", fontsize=11, fontweight="bold", color=TEXT)
    if data.target is not None:
        ax.axhline(data.target, color=ORANGE, linestyle=":", linewidth=1.4,
                   label=f"target {format_value(data.target, data.unit, currency=currency, compact=True)}")
        fig.legend(loc="outside lower center", frameon=False, fontsize=9)
    lowest = min(finite(data.values) + [0.0])
    ax.set_ylim(bottom=lowest * 1.2 if lowest < 0 else 0, top=top * 1.2)
    ax.set_xlim(-0.8, len(x) - 0.2)
    ax.set_xticks(x)
    ax.set_xticklabels(data.labels, fontsize=10)
    format_value_axis(ax, data.unit, currency)
    set_title(fig, ax, data.title, data.subtitle or None)
    return to_png(fig)


def comparison_chart(result: MetricResult, *, currency: str = "$") -> bytes:
    return draw_comparison(comparison_data(result, currency=currency), currency=currency)
