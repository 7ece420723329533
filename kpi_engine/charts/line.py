"""A series over time: the current period as a line, the previous period faintly behind, the target flat."""

from __future__ import annotations

from dataclasses import dataclass

from kpi_engine.answers.format import bucket_label, format_value, period_label, result_period_label
from kpi_engine.charts.style import (
    BLUE,
    GREY,
    ORANGE,
    TEXT,
    finite,
    format_value_axis,
    new_figure,
    set_category_ticks,
    set_title,
    style_axes,
    to_png,
)
from kpi_engine.results import MetricResult


@dataclass(frozen=True)
class LineData:
    title: str
    subtitle: str
    unit: str
    labels: list[str]
    values: list[float | None]
    previous: list[float | None] | None  # aligned by position with `values`
    previous_label: str | None
    target: float | None


def line_data(result: MetricResult) -> LineData:
    points = result.series or []
    labels = [bucket_label(p.start, result.granularity) for p in points]
    previous: list[float | None] | None = None
    previous_label = None
    if result.previous_series:
        before = [p.value for p in result.previous_series][: len(points)]
        previous = before + [None] * (len(points) - len(before))
        if result.previous_period is not None:
            previous_label = period_label(result.previous_period)
    by = f"by {result.granularity}" if result.granularity else ""
    return LineData(
        title=f"{result.label} — {result_period_label(result)}",
        subtitle=" ".join(part for part in (by, _filters(result)) if part),
        unit=result.unit,
        labels=labels,
        values=[p.value for p in points],
        previous=previous,
        previous_label=previous_label,
        target=result.target.value if result.target is not None else None,
    )


def _filters(result: MetricResult) -> str:
    return "; ".join(f"{dim}: {', '.join(values)}" for dim, values in result.filters.items())


def _nan(values: list[float | None]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]


def draw_line(data: LineData, *, currency: str = "$") -> bytes:
    fig = new_figure()
    ax = fig.add_subplot()
    style_axes(ax)
    x = list(range(len(data.values)))
    single = len(x) == 1
    if data.previous is not None and finite(data.previous):
        ax.plot(x, _nan(data.previous), color=GREY, alpha=0.55, linewidth=1.6, linestyle="--",
                marker="o" if single else None, label=f"previous ({data.previous_label})" if data.previous_label
                else "previous period")
    ax.plot(x, _nan(data.values), color=BLUE, linewidth=2.4, marker="o" if len(x) <= 31 else None,
            markersize=4, label="current")
    if data.target is not None:
        ax.axhline(data.target, color=ORANGE, linewidth=1.4, linestyle=":",
                   label=f"target {format_value(data.target, data.unit, currency=currency, compact=True)}")
    last = next((i for i in range(len(data.values) - 1, -1, -1) if data.values[i] is not None), None)
    if last is not None:
        ax.annotate(format_value(data.values[last], data.unit, currency=currency, compact=True),
                    (last, data.values[last]), textcoords="offset points", xytext=(0, 8), ha="center",
                    fontsize=9, color=TEXT, fontweight="bold")
    values = finite(data.values) + finite(data.previous or []) + ([data.target] if data.target is not None else [])
    if values and min(values) >= 0:
        ax.set_ylim(bottom=0, top=max(values) * 1.15 or 1)
    if single:
        ax.set_xlim(-1, 1)
    set_category_ticks(ax, data.labels)
    format_value_axis(ax, data.unit, currency)
    set_title(fig, ax, data.title, data.subtitle or None)
    if data.previous is not None or data.target is not None:
        fig.legend(loc="outside lower center", ncol=3, frameon=False, fontsize=9)
    return to_png(fig)


def line_chart(result: MetricResult, *, currency: str = "$") -> bytes:
    return draw_line(line_data(result), currency=currency)
