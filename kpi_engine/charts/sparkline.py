"""A sparkline: a tiny line without axes for App Home and digests, the last point marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kpi_engine.charts.style import BLUE, GREY, SPARK_FIGSIZE, finite, nan_list, new_figure, to_png
from kpi_engine.results import MetricResult


@dataclass(frozen=True)
class SparkData:
    values: list[float | None]
    last_index: int | None  # the last point with a value


def spark_data(values: Sequence[float | None]) -> SparkData:
    points = [None if v is None else float(v) for v in values]
    last = next((i for i in range(len(points) - 1, -1, -1) if points[i] is not None), None)
    return SparkData(points, last)


def draw_sparkline(data: SparkData) -> bytes:
    fig = new_figure(SPARK_FIGSIZE)
    fig.set_layout_engine("none")
    ax = fig.add_axes((0.02, 0.1, 0.96, 0.8))
    ax.axis("off")
    known = finite(data.values)
    if known:
        ax.plot(range(len(data.values)), nan_list(data.values),
                color=BLUE, linewidth=2)
        if data.last_index is not None:
            ax.plot([data.last_index], nan_list([data.values[data.last_index]]), "o", color=BLUE, markersize=4)
        low, high = min(known), max(known)
        pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
        ax.set_ylim(low - pad, high + pad)
        ax.set_xlim(-0.5, max(len(data.values) - 0.5, 0.5))
    else:
        ax.axhline(0, color=GREY, linewidth=1, linestyle=":")
    return to_png(fig)


def sparkline(values: Sequence[float | None]) -> bytes:
    """PNG bytes (480 × 120 px) of a tiny line through `values` (None leaves a gap)."""
    return draw_sparkline(spark_data(values))


def sparkline_for(result: MetricResult) -> bytes | None:
    if not result.series:
        return None
    return sparkline([p.value for p in result.series])
