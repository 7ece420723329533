"""A series over time: the current period as a line, the previous period faintly behind, the target flat.

Partial buckets (KPI_SPEC §1: holding the as-of day or reaching past the newest data) are drawn apart: a dashed
segment into a hollow point labelled "so far". Survey scores carry their 95% interval as a band and the number of
responses under each labelled bucket; a bucket with fewer than SMALL_SAMPLE responses is drawn faint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.axes import Axes

from kpi_engine.answers.format import format_value
from kpi_engine.charts.labels import Headline, chart_period, headed_figure, headline, short_period, time_ticks
from kpi_engine.charts.style import (
    BLUE,
    DARK_GREY,
    GREY,
    ORANGE,
    TEXT_PT,
    finite,
    format_value_axis,
    literal,
    nan_list,
    style_axes,
    to_png,
)
from kpi_engine.periods import grain_start, grain_step
from kpi_engine.results import MetricResult, SeriesPoint, like_for_like

SMALL_SAMPLE = 30  # responses: below this a survey bucket is drawn faint and its n shown


@dataclass(frozen=True)
class LineData:
    title: str
    subtitle: str
    headline: Headline
    unit: str
    grain: str | None
    starts: list[date]
    ticks: list[tuple[int, str]]  # (bucket index, label); the year wherever the series crosses one
    values: list[float | None]
    partial: list[bool]
    previous: list[float | None] | None  # aligned by position with `values`; None before the data begins
    previous_label: str | None
    target: float | None
    n: list[int | None] | None = None  # survey responses per bucket
    band: list[tuple[float, float] | None] | None = None  # 95% interval per bucket


def describe_filters(filters: dict[str, list[str]]) -> str:
    return "; ".join(f"{dim}: {', '.join(values)}" for dim, values in filters.items())


def subtitle_for(result: MetricResult, *extra: str) -> str:
    by = f"by {result.granularity}" if result.granularity else ""
    return " · ".join(part for part in (by, chart_period(result), *extra, describe_filters(result.filters)) if part)


def without_leading_zeros(values: list[float | None]) -> list[float | None]:
    """Zeros before the first non-zero value are the time before the data began, not real zeros: drop them."""
    out: list[float | None] = []
    started = False
    for value in values:
        started = started or (value is not None and value != 0)
        out.append(value if started else None)
    return out


def clipped(point: SeriesPoint, grain: str | None) -> bool:
    """A bucket cut short by the period (a week of three days): not comparable with the whole ones."""
    if grain not in ("week", "month", "quarter", "year"):
        return False
    start = grain_start(point.start, grain)  # type: ignore[arg-type]
    return start != point.start or point.end < start + grain_step(grain) - timedelta(days=1)  # type: ignore[arg-type]


def partial_flags(points: list[SeriesPoint], result_partial: bool, grain: str | None = None) -> list[bool]:
    """The engine's partial flags (KPI_SPEC §1); and, whatever the engine says, a first or last bucket cut short by
    the period, and the last bucket of a partial period."""
    flags = [p.partial for p in points]
    if points:
        if result_partial and not any(flags):
            flags[-1] = True  # the period is partial: so is its last bucket
        flags[0] = flags[0] or clipped(points[0], grain)
        flags[-1] = flags[-1] or clipped(points[-1], grain)
    return flags


def line_data(result: MetricResult, *, currency: str = "$") -> LineData:
    points = result.series or []
    previous: list[float | None] | None = None
    previous_label = None
    if result.previous_series:
        before = without_leading_zeros([p.value if like_for_like(now, p, result.granularity) else None
                                        for now, p in zip(points, result.previous_series, strict=False)])
        if finite(before):
            previous = before + [None] * (len(points) - len(before))
            if result.previous_period is not None:
                previous_label = short_period(result.previous_period)
    has_n = any(p.n is not None for p in points)
    has_band = any(p.ci95 is not None for p in points)
    starts = [p.start for p in points]
    return LineData(
        title=result.label,
        subtitle=subtitle_for(result),
        headline=headline(result, currency=currency),
        unit=result.unit,
        grain=result.granularity,
        starts=starts,
        ticks=time_ticks(starts, result.granularity),
        values=[p.value for p in points],
        partial=partial_flags(points, result.partial, result.granularity),
        previous=previous,
        previous_label=previous_label,
        target=result.target.value if result.target is not None else None,
        n=[p.n for p in points] if has_n else None,
        band=[p.ci95 for p in points] if has_band else None,
    )


def draw_current(ax: Axes, values: list[float | None], partial: list[bool], colour: str = BLUE,
                 label: str | None = "current", markers: bool = True, so_far: bool = True) -> None:
    """The complete buckets solid; the step into each partial bucket dashed, its point hollow and labelled."""
    x = list(range(len(values)))
    solid = [None if p else v for v, p in zip(values, partial, strict=True)]
    ax.plot(x, nan_list(solid), color=colour, linewidth=2.6, marker="o" if markers and len(x) <= 26 else None,
            markersize=5, label=label, zorder=3)
    for i, (value, is_partial) in enumerate(zip(values, partial, strict=True)):
        if not is_partial or value is None:
            continue
        before = next((j for j in range(i - 1, -1, -1) if values[j] is not None), None)
        if before is not None:
            ax.plot([before, i], nan_list([values[before], value]), color=colour, linewidth=2.2, linestyle=(0, (3, 2)),
                    zorder=3)
        ax.plot([i], [value], "o", markersize=9, markerfacecolor="white", markeredgecolor=colour,
                markeredgewidth=2, zorder=4)
        if not so_far or i != len(values) - 1:
            continue
        ax.annotate("so far", (i, value), textcoords="offset points", xytext=(0, 10), ha="right" if i else "left",
                    va="bottom", fontsize=TEXT_PT, color=DARK_GREY, style="italic")


def _draw_sample(ax: Axes, data: LineData) -> None:
    """The 95% interval as a band; faint points and their n where the sample is small."""
    if data.band is not None:
        lows = [b[0] if b is not None else float("nan") for b in data.band]
        highs = [b[1] if b is not None else float("nan") for b in data.band]
        ax.fill_between(range(len(lows)), lows, highs, color=BLUE, alpha=0.15, linewidth=0,
                        label="95% interval")
    if data.n is None:
        return
    shown = {i for i, _ in data.ticks}
    for i, (value, count) in enumerate(zip(data.values, data.n, strict=True)):
        if count is None or value is None:
            continue
        small = count < SMALL_SAMPLE
        if small:
            ax.plot([i], [value], "o", color="white", markeredgecolor=GREY, markersize=8, zorder=5)
        if small or i in shown:
            ax.annotate(f"n={count:,}", (i, 0), xycoords=("data", "axes fraction"), xytext=(0, 4),
                        textcoords="offset points", ha="center", va="bottom", fontsize=TEXT_PT,
                        color=GREY if small else DARK_GREY)


def draw_line(data: LineData, *, currency: str = "$") -> bytes:
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    style_axes(ax)
    x = list(range(len(data.values)))
    if data.previous is not None:
        ax.plot(x, nan_list(data.previous), color=GREY, alpha=0.8, linewidth=2, linestyle="--",
                label=f"previous ({data.previous_label})" if data.previous_label else "previous period")
    _draw_sample(ax, data)
    draw_current(ax, data.values, data.partial)
    if data.target is not None:
        ax.axhline(data.target, color=ORANGE, linewidth=2, linestyle=":",
                   label=literal(f"target {format_value(data.target, data.unit, currency=currency, compact=True)}"))
    values = finite(data.values) + finite(data.previous or []) + ([data.target] if data.target is not None else [])
    if data.band is not None:
        values += [v for b in data.band if b is not None for v in b]
    if values and min(values) >= 0 and data.unit != "score":
        ax.set_ylim(bottom=0, top=max(values) * 1.18 or 1)
    elif values:
        low, high = min(values), max(values)
        pad = (high - low) * 0.15 or 1.0
        ax.set_ylim(low - pad * (2 if data.n is not None else 1), high + pad)
    ax.set_xlim(-0.5, max(len(x) - 0.5, 0.5))
    ax.set_xticks([i for i, _ in data.ticks])
    ax.set_xticklabels([label for _, label in data.ticks], fontsize=TEXT_PT)
    format_value_axis(ax, data.unit, currency)
    if data.previous is not None or data.target is not None or data.band is not None:
        body.legend(loc="outside lower center", ncol=4, frameon=False, fontsize=TEXT_PT, handlelength=1.6)
    return to_png(fig)


def line_chart(result: MetricResult, *, currency: str = "$") -> bytes:
    return draw_line(line_data(result, currency=currency), currency=currency)
