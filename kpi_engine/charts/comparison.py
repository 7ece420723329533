"""One value: the previous period and the current one side by side, the target as a line."""

from __future__ import annotations

from dataclasses import dataclass

from kpi_engine.answers.format import format_value
from kpi_engine.charts.labels import Headline, headed_figure, headline, short_period
from kpi_engine.charts.line import subtitle_for
from kpi_engine.charts.style import (
    BLUE,
    GREY,
    ORANGE,
    TEXT,
    TEXT_PT,
    TITLE_PT,
    finite,
    format_value_axis,
    literal,
    style_axes,
    to_png,
)
from kpi_engine.results import MetricResult


@dataclass(frozen=True)
class ComparisonData:
    title: str
    subtitle: str
    headline: Headline
    unit: str
    labels: list[str]  # previous period first when there is one
    values: list[float | None]
    target: float | None
    partial: bool = False  # the current period is still running


def comparison_data(result: MetricResult, *, currency: str = "$") -> ComparisonData:
    year = result.period.end.year
    labels = [short_period(result.period, year)]
    values = [result.value]
    if result.previous_period is not None:
        labels.insert(0, short_period(result.previous_period, year))
        values.insert(0, result.previous_value)
    return ComparisonData(
        title=result.label,
        subtitle=subtitle_for(result),
        headline=headline(result, currency=currency),
        unit=result.unit,
        labels=labels,
        values=values,
        target=result.target.value if result.target is not None else None,
        partial=result.partial,
    )


def draw_comparison(data: ComparisonData, *, currency: str = "$") -> bytes:
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    style_axes(ax)
    x = list(range(len(data.values)))
    colours = [GREY] * (len(x) - 1) + [BLUE]
    bars = ax.bar(x, [v or 0.0 for v in data.values], color=colours, width=0.55)
    if data.partial:
        bars[-1].set_facecolor("white")
        bars[-1].set_edgecolor(BLUE)
        bars[-1].set_hatch("//")
        bars[-1].set_linewidth(2)
    top = max([abs(v) for v in finite(data.values)] + ([abs(data.target)] if data.target is not None else [])
              or [1.0]) or 1.0
    for xi, value in zip(x, data.values, strict=True):
        ax.text(xi, (value or 0.0) + top * 0.02, literal(format_value(value, data.unit, currency=currency,
                                                                      compact=True)),
                ha="center", va="bottom", fontsize=TITLE_PT, fontweight="bold", color=TEXT)
    if data.target is not None:
        ax.axhline(data.target, color=ORANGE, linestyle=":", linewidth=2,
                   label=literal(f"target {format_value(data.target, data.unit, currency=currency, compact=True)}"))
        body.legend(loc="outside lower center", frameon=False, fontsize=TEXT_PT)
    lowest = min(finite(data.values) + [0.0])
    ax.set_ylim(bottom=lowest * 1.2 if lowest < 0 else 0, top=top * 1.25)
    ax.set_xlim(-0.8, len(x) - 0.2)
    ax.set_xticks(x)
    ax.set_xticklabels([literal(label) for label in data.labels], fontsize=TEXT_PT)
    format_value_axis(ax, data.unit, currency)
    return to_png(fig)


def comparison_chart(result: MetricResult, *, currency: str = "$") -> bytes:
    return draw_comparison(comparison_data(result, currency=currency), currency=currency)
