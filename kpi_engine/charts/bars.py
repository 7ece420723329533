"""A breakdown as horizontal bars: top groups by value, long names cut, the previous period as a faint tick."""

from __future__ import annotations

from dataclasses import dataclass

from kpi_engine.answers.format import format_value, result_period_label
from kpi_engine.charts.style import (
    BLACK,
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
    truncate,
)
from kpi_engine.results import MetricResult

TOP_BARS = 12


@dataclass(frozen=True)
class BarData:
    title: str
    subtitle: str
    unit: str
    labels: list[str]  # best first, already truncated
    values: list[float | None]
    previous: list[float | None] | None
    hidden: int  # groups left out beyond the top N
    target: float | None


def bar_data(result: MetricResult, *, top: int = TOP_BARS) -> BarData:
    groups = result.breakdown or []
    shown = groups[:top]
    has_previous = result.previous_period is not None and any(g.previous is not None for g in shown)
    dimension = result.breakdown_dimension or "group"
    subtitle = f"by {dimension}" + (f" · top {top} of {len(groups)}" if len(groups) > top else "")
    return BarData(
        title=f"{result.label} — {result_period_label(result)}",
        subtitle=subtitle,
        unit=result.unit,
        labels=[truncate(g.group) for g in shown],
        values=[g.value for g in shown],
        previous=[g.previous for g in shown] if has_previous else None,
        hidden=max(len(groups) - top, 0),
        target=result.target.value if result.target is not None else None,
    )


def draw_bars(data: BarData, *, currency: str = "$") -> bytes:
    fig = new_figure()
    ax = fig.add_subplot()
    style_axes(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#E6E6E6", linewidth=0.8)
    y = list(range(len(data.labels)))
    widths = [v or 0.0 for v in data.values]
    ax.barh(y, widths, color=BLUE, height=0.65, label="current")
    if data.previous is not None:
        ax.scatter([float("nan") if v is None else v for v in data.previous], y, marker="|", s=260,
                   color=GREY, linewidths=2.5, label="previous period", zorder=3)
    if data.target is not None:
        ax.axvline(data.target, color=ORANGE, linestyle=":", linewidth=1.4,
                   label=f"target {format_value(data.target, data.unit, currency=currency, compact=True)}")
    span = max(finite([*data.values, *(data.previous or [])]) or [0.0], key=abs) or 1.0
    gap = abs(span) * 0.01
    for yi, value in zip(y, data.values, strict=True):
        text = format_value(value, data.unit, currency=currency, compact=True)
        negative = value is not None and value < 0
        ax.text((value or 0.0) + (-gap if negative else gap), yi, text, va="center",
                ha="right" if negative else "left", fontsize=9, color=TEXT if value is not None else GREY)
    ax.set_yticks(y)
    ax.set_yticklabels(data.labels, fontsize=9, color=BLACK)
    ax.invert_yaxis()
    low = min(finite(data.values) + [0.0])
    if low < 0:
        ax.axvline(0, color=GREY, linewidth=0.8)
    ax.set_xlim(left=low * 1.3 if low < 0 else 0, right=max(abs(span) * 1.18, 1e-9))
    format_value_axis(ax, data.unit, currency, axis="x")
    subtitle = data.subtitle + (f" · {data.hidden} more not shown" if data.hidden else "")
    set_title(fig, ax, data.title, subtitle)
    if data.previous is not None or data.target is not None:
        fig.legend(loc="outside lower center", ncol=3, frameon=False, fontsize=9)
    return to_png(fig)


def bar_chart(result: MetricResult, *, currency: str = "$") -> bytes:
    return draw_bars(bar_data(result), currency=currency)
