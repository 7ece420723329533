"""A breakdown as horizontal bars: top groups by value, the previous period as a grey tick on each bar, and the
groups that got worse (by the metric's direction: lower MRR, higher churn) in vermillion with their change."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.artist import Artist
from matplotlib.patches import Patch

from kpi_engine.answers.format import format_value
from kpi_engine.charts.labels import Headline, change_amount, headed_figure, headline, short_period
from kpi_engine.charts.line import subtitle_for
from kpi_engine.charts.style import (
    BLUE,
    GREY,
    ORANGE,
    TEXT,
    TEXT_PT,
    VERMILLION,
    finite,
    format_value_axis,
    literal,
    style_axes,
    to_png,
    truncate,
)
from kpi_engine.results import GroupValue, MetricResult

TOP_BARS = 6  # a 28 px name above each bar


@dataclass(frozen=True)
class BarData:
    title: str
    subtitle: str
    headline: Headline
    unit: str
    labels: list[str]  # best first, already truncated
    values: list[float | None]
    previous: list[float | None] | None
    worse: list[bool]  # the group moved the wrong way against the previous period
    changes: list[str]  # "-4.0%" beside each bar that has a previous value, else ""
    previous_label: str | None
    hidden: int  # groups left out beyond the top N
    target: float | None


def got_worse(group: GroupValue, direction: str) -> bool:
    if group.value is None or group.previous is None or group.value == group.previous:
        return False
    if direction == "higher":
        return group.value < group.previous
    if direction == "lower":
        return group.value > group.previous
    return False


def bar_data(result: MetricResult, *, top: int = TOP_BARS, currency: str = "$") -> BarData:
    groups = result.breakdown or []
    shown = groups[:top]
    has_previous = result.previous_period is not None and any(g.previous is not None for g in shown)
    dimension = result.breakdown_dimension or "group"
    extra = f"top {top} of {len(groups)}" if len(groups) > top else ""
    changes = [change_amount(g.value, g.previous, result.unit, currency)
               if has_previous and g.value is not None and g.previous is not None else "" for g in shown]
    return BarData(
        title=result.label,
        subtitle=" · ".join(p for p in (f"by {dimension}", subtitle_for(result, extra)) if p),
        headline=headline(result, currency=currency),
        unit=result.unit,
        labels=[truncate(g.group) for g in shown],
        values=[g.value for g in shown],
        previous=[g.previous for g in shown] if has_previous else None,
        worse=[got_worse(g, result.direction) for g in shown],
        changes=changes,
        previous_label=short_period(result.previous_period) if has_previous and result.previous_period else None,
        hidden=max(len(groups) - top, 0),
        target=result.target.value if result.target is not None else None,
    )


def draw_bars(data: BarData, *, currency: str = "$") -> bytes:
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    style_axes(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#E6E6E6", linewidth=0.8)
    y = list(range(len(data.labels)))
    widths = [v or 0.0 for v in data.values]
    colours = [VERMILLION if worse else BLUE for worse in data.worse]
    ax.barh(y, widths, color=colours, height=0.5)
    handles: list[Artist] = [Patch(color=BLUE, label="current")]
    if any(data.worse):
        handles.append(Patch(color=VERMILLION, label="got worse"))
    if data.previous is not None:
        handles.append(ax.scatter([float("nan") if v is None else v for v in data.previous], y, marker="|",
                                  s=500, color=TEXT, linewidths=3, zorder=3,
                                  label="previous"))
    if data.target is not None:
        handles.append(ax.axvline(data.target, color=ORANGE, linestyle=":", linewidth=2, label=literal(
            f"target {format_value(data.target, data.unit, currency=currency, compact=True)}")))
    span = max(finite([*data.values, *(data.previous or [])]) or [0.0], key=abs) or 1.0
    gap = abs(span) * 0.015
    for yi, value, change, worse in zip(y, data.values, data.changes, data.worse, strict=True):
        text = format_value(value, data.unit, currency=currency, compact=True)
        if change:
            text += f" ({change})"
        negative = value is not None and value < 0
        before = data.previous[yi] if data.previous is not None else None
        reach = (value or 0.0) if negative else max(value or 0.0, before or 0.0)  # past the previous tick too
        ax.text(reach + (-gap if negative else gap), yi, literal(text), va="center",
                ha="right" if negative else "left", fontsize=TEXT_PT,
                color=VERMILLION if worse else (TEXT if value is not None else GREY))
    for yi, label in zip(y, data.labels, strict=True):  # names above their bars: room for long ones, clear to read
        ax.text(0, yi - 0.3, literal(label), ha="left", va="bottom", fontsize=TEXT_PT, color=TEXT)
    ax.set_yticks([])
    ax.set_ylim(len(y) - 0.6, -0.95)
    ax.spines["left"].set_visible(False)
    low = min(finite(data.values) + [0.0])
    if low < 0:
        ax.axvline(0, color=GREY, linewidth=0.8)
    ax.set_xlim(left=low * 1.5 if low < 0 else 0, right=max(abs(span) * 1.45, 1e-9))
    format_value_axis(ax, data.unit, currency, axis="x")
    if len(handles) > 1:
        body.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False, fontsize=TEXT_PT,
                    handlelength=1.2)
    return to_png(fig)


def bar_chart(result: MetricResult, *, currency: str = "$") -> bytes:
    return draw_bars(bar_data(result, currency=currency), currency=currency)
