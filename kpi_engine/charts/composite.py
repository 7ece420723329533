"""Small multiples: one panel per KPI with its recent trend, for digests and for answers with several metrics.

Each panel shows the KPI's name, its latest value large with its change (green when good, vermillion when worse by
the metric's direction), the line (Okabe–Ito blue; a partial last bucket dashed into a hollow point), the latest
point (vermillion when it is unusual) and the target as a dotted orange line. At most three panels a row, so that
at Slack's 480 px preview each panel is 160 px wide and its 28 px text is still 11 px.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from kpi_engine.answers.format import format_value
from kpi_engine.charts.style import (
    BLUE,
    DARK_GREY,
    DPI,
    GREY,
    ORANGE,
    TEXT,
    TEXT_PT,
    TITLE_PT,
    VERMILLION,
    WIDTH_PX,
    finite,
    format_value_axis,
    literal,
    nan_list,
    new_figure,
    pt,
    style_axes,
    to_png,
    truncate,
)

PANEL_HEIGHT = 1.75  # inches per row of panels (350 px)
HEADER_HEIGHT = 0.55
WIDTH = WIDTH_PX / DPI  # inches, like every chart (1200 px)
MAX_PANELS = 12
MAX_COLUMNS = 3


@dataclass(frozen=True)
class TrendPanel:
    label: str
    unit: str
    labels: list[str]  # one per point, e.g. "Mar 2"
    values: list[float | None]
    target: float | None = None
    flagged: bool = False  # the latest point is unusual
    change: str = ""  # "+4.3%", shown beside the latest value
    change_colour: str = DARK_GREY
    partial: bool = False  # the last point is a bucket still running
    value: float | None = None  # the headline value when it is not the latest point (a period total)


@dataclass(frozen=True)
class CompositeData:
    title: str
    subtitle: str
    panels: list[TrendPanel]
    columns: int
    rows: int
    hidden: int = 0  # panels left out beyond MAX_PANELS
    headlines: list[str] = field(default_factory=list)  # the latest value of each panel, formatted


def grid_for(count: int) -> tuple[int, int]:
    """(columns, rows): a single row up to three panels, 2×2 for four, then rows of three."""
    if count <= 0:
        return 1, 1
    columns = 2 if count == 4 else min(count, MAX_COLUMNS)
    return columns, math.ceil(count / columns)


def latest(values: Sequence[float | None]) -> float | None:
    return next((v for v in reversed(values) if v is not None and math.isfinite(v)), None)


def composite_data(title: str, subtitle: str, panels: Sequence[TrendPanel], *, currency: str = "$") -> CompositeData:
    shown = list(panels)[:MAX_PANELS]
    columns, rows = grid_for(len(shown))
    headlines = [_headline(p, currency) for p in shown]
    return CompositeData(title, subtitle, shown, columns, rows, max(0, len(panels) - MAX_PANELS), headlines)


def _headline(panel: TrendPanel, currency: str) -> str:
    """`$72 · target $80 · unusual`: the latest value, the target, and the flag in words (not colour alone)."""
    shown = panel.value if panel.value is not None else latest(panel.values)
    parts = [format_value(shown, panel.unit, currency=currency, compact=True)]
    if panel.target is not None:
        parts.append(f"target {format_value(panel.target, panel.unit, currency=currency, compact=True)}")
    if panel.flagged:
        parts.append("unusual")
    return " · ".join(parts)


def _draw_panel(ax: Axes, panel: TrendPanel, headline: str, currency: str, columns: int) -> None:
    style_axes(ax)
    chars = 60 // columns
    ax.set_title(literal(truncate(panel.label, chars)), loc="left", fontsize=TEXT_PT, fontweight="bold", color=TEXT,
                 pad=pt(52))
    x = list(range(len(panel.values)))
    known = finite(panel.values)
    if not known:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", fontsize=TEXT_PT, color=GREY)
        return
    value = ax.text(0, 1.04, literal(truncate(headline, chars)), transform=ax.transAxes, ha="left", va="bottom",
                    fontsize=TITLE_PT, fontweight="bold", color=VERMILLION if panel.flagged else TEXT)
    if panel.change and len(headline) + len(panel.change) < chars:
        ax.annotate(literal(panel.change), xy=(1, 0), xycoords=value, xytext=(pt(10), 0), textcoords="offset points",
                    ha="left", va="bottom", fontsize=TEXT_PT, color=panel.change_colour)
    last = max(i for i, v in enumerate(panel.values) if v is not None and math.isfinite(v))
    values = list(panel.values)
    if panel.partial and last == len(values) - 1 and last > 0:
        ax.plot(x[:-1], nan_list(values[:-1]), color=BLUE, linewidth=2.4)
        ax.plot(x[-2:], nan_list(values[-2:]), color=BLUE, linewidth=2, linestyle=(0, (3, 2)))
        ax.plot([last], nan_list([values[last]]), "o", markerfacecolor="white", markeredgecolor=BLUE, markersize=8,
                markeredgewidth=2, zorder=3)
    else:
        ax.plot(x, nan_list(values), color=BLUE, linewidth=2.4)
        ax.plot([last], nan_list([values[last]]), "o", color=VERMILLION if panel.flagged else BLUE, markersize=7,
                zorder=3)
    if panel.target is not None:
        ax.axhline(panel.target, color=ORANGE, linewidth=2, linestyle=":")
    low = min(known + ([panel.target] if panel.target is not None else []))
    high = max(known + ([panel.target] if panel.target is not None else []))
    pad = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
    ax.set_ylim(low - pad, high + pad)
    ax.set_xlim(-0.4, max(len(x) - 0.6, 0.6))
    ends = sorted({0, len(x) - 1})
    ax.set_xticks(ends)
    ax.set_xticklabels([literal(panel.labels[i]) if i < len(panel.labels) else "" for i in ends])
    if len(ends) == 2:
        first, last_tick = ax.get_xticklabels()
        first.set_horizontalalignment("left")
        last_tick.set_horizontalalignment("right")
    format_value_axis(ax, panel.unit, currency, nbins=3)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=3, min_n_ticks=2))


def draw_composite(data: CompositeData, *, currency: str = "$") -> bytes:
    fig = new_figure((WIDTH, HEADER_HEIGHT + PANEL_HEIGHT * data.rows))
    fig.suptitle(literal(truncate(data.title, 48)), x=0.015, ha="left", fontsize=TITLE_PT, fontweight="bold",
                 color=TEXT)
    if data.subtitle or data.hidden:
        note = data.subtitle + (f" · {data.hidden} more not shown" if data.hidden else "")
        fig.supxlabel(literal(truncate(note, 70)), x=0.015, ha="left", fontsize=TEXT_PT, color=DARK_GREY)
    grid = fig.add_gridspec(data.rows, data.columns)
    for index, panel in enumerate(data.panels):
        ax = fig.add_subplot(grid[index // data.columns, index % data.columns])
        _draw_panel(ax, panel, data.headlines[index], currency, data.columns)
    return to_png(fig)


def composite_chart(title: str, subtitle: str, panels: Sequence[TrendPanel], *, currency: str = "$") -> bytes:
    """PNG bytes (1200 px wide) of one small panel per KPI."""
    return draw_composite(composite_data(title, subtitle, panels, currency=currency), currency=currency)
