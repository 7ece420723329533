"""A series per group ("mrr by plan by month"): one line per group (the largest first, at most MAX_LINES, in the
Okabe–Ito palette), each labelled at its right end with its name and latest value, so no legend is needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpi_engine.answers.format import format_value
from kpi_engine.charts.labels import Headline, headed_figure, headline, time_ticks
from kpi_engine.charts.line import draw_current, partial_flags, subtitle_for
from kpi_engine.charts.style import (
    DARK_GREY,
    PALETTE,
    TEXT_PT,
    finite,
    format_value_axis,
    literal,
    style_axes,
    to_png,
    truncate,
)
from kpi_engine.results import MetricResult

MAX_LINES = 5


@dataclass(frozen=True)
class GroupLine:
    group: str
    values: list[float | None]
    partial: list[bool]


@dataclass(frozen=True)
class GroupSeriesData:
    title: str
    subtitle: str
    headline: Headline
    unit: str
    starts: list[date]
    ticks: list[tuple[int, str]]
    lines: list[GroupLine]
    hidden: int


def group_series_data(result: MetricResult, *, currency: str = "$") -> GroupSeriesData:
    series = result.group_series or {}
    starts = sorted({p.start for points in series.values() for p in points})
    index = {start: i for i, start in enumerate(starts)}
    lines = []
    for group, points in series.items():
        values: list[float | None] = [None] * len(starts)
        partial = [False] * len(starts)
        for point, flag in zip(points, partial_flags(points, result.partial, result.granularity), strict=True):
            values[index[point.start]] = point.value
            partial[index[point.start]] = flag
        lines.append(GroupLine(group, values, partial))
    lines.sort(key=lambda line: (-(next((v for v in reversed(line.values) if v is not None), 0.0)), line.group))
    dimension = result.breakdown_dimension or "group"
    return GroupSeriesData(
        title=result.label,
        subtitle=subtitle_for(result, f"per {dimension}"),
        headline=headline(result, currency=currency),
        unit=result.unit,
        starts=starts,
        ticks=time_ticks(starts, result.granularity),
        lines=lines[:MAX_LINES],
        hidden=max(0, len(lines) - MAX_LINES),
    )


def draw_group_series(data: GroupSeriesData, *, currency: str = "$") -> bytes:
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    style_axes(ax)
    ends: list[tuple[float, str, str]] = []
    for i, line in enumerate(data.lines):
        colour = PALETTE[i % len(PALETTE)]
        draw_current(ax, line.values, line.partial, colour=colour, label=None, markers=False, so_far=i == 0)
        last = next((v for v in reversed(line.values) if v is not None), None)
        if last is not None:
            text = f"{truncate(line.group, 12)} {format_value(last, data.unit, currency=currency, compact=True)}"
            ends.append((last, text, colour))
    values = [v for line in data.lines for v in finite(line.values)]
    low, high = (min(values + [0.0]), max(values + [0.0])) if values else (0.0, 1.0)
    ax.set_ylim(low, high * 1.1 or 1)
    gap = (high - low or 1.0) * 0.09  # labels at 28 px need ~9% of the axis height each
    placed: list[float] = []
    for value, text, colour in sorted(ends, key=lambda e: -e[0]):
        y = value if not placed else min(value, placed[-1] - gap)
        placed.append(y)
        ax.annotate(literal(text), (len(data.starts) - 1, value), xytext=(len(data.starts) - 0.6, y),
                    textcoords="data", va="center", ha="left", fontsize=TEXT_PT, color=colour, annotation_clip=False)
    ax.set_xlim(-0.5, len(data.starts) - 0.5)
    ax.set_xticks([i for i, _ in data.ticks])
    ax.set_xticklabels([label for _, label in data.ticks], fontsize=TEXT_PT)
    format_value_axis(ax, data.unit, currency)
    if data.hidden:
        ax.set_xlabel(f"{data.hidden} smaller groups not shown", fontsize=TEXT_PT, color=DARK_GREY)
    return to_png(fig)


def group_series_chart(result: MetricResult, *, currency: str = "$") -> bytes:
    return draw_group_series(group_series_data(result, currency=currency), currency=currency)
