"""Small multiples: one panel per KPI with its recent weekly trend, for digests. One PNG for the whole digest.

Each panel shows the KPI's line (Okabe–Ito blue), its latest point (vermillion when it is unusual), and the
target as a dotted orange line when one is set. Axes read like the answers (`$12.5k`, `5.3%`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from kpi_engine.answers.format import format_value
from kpi_engine.charts.style import (
    BLUE,
    GREY,
    ORANGE,
    TEXT,
    VERMILLION,
    finite,
    format_value_axis,
    new_figure,
    style_axes,
    truncate,
)

PANEL_HEIGHT = 1.9  # inches per row of panels
HEADER_HEIGHT = 0.7
WIDTH = 8.0  # inches, like every chart (1600 px at 200 DPI)
MAX_PANELS = 16
DPI = 150  # 1200 px wide: plenty for Slack's preview, and quick to draw and encode for ten panels


@dataclass(frozen=True)
class TrendPanel:
    label: str
    unit: str
    labels: list[str]  # one per point, e.g. "Mar 2"
    values: list[float | None]
    target: float | None = None
    flagged: bool = False  # the latest point is unusual


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
    """(columns, rows): a single row up to three panels, then 2×2, then three or four columns."""
    if count <= 0:
        return 1, 1
    if count <= 3:
        columns = count
    elif count == 4:
        columns = 2
    elif count in (5, 6, 9):
        columns = 3
    else:
        columns = 4
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
    parts = [format_value(latest(panel.values), panel.unit, currency=currency, compact=True)]
    if panel.target is not None:
        parts.append(f"target {format_value(panel.target, panel.unit, currency=currency, compact=True)}")
    if panel.flagged:
        parts.append("unusual")
    return " · ".join(parts)


def _literal(text: str) -> str:
    """Matplotlib reads text between two `$` as math; currency amounts must stay plain."""
    return text.replace("$", r"\$")


def _nan(values: Sequence[float | None]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]


def _draw_panel(ax: Axes, panel: TrendPanel, headline: str, currency: str) -> None:
    style_axes(ax)
    ax.set_title(_literal(truncate(panel.label, 30)), loc="left", fontsize=9, fontweight="bold", color=TEXT, pad=15)
    x = list(range(len(panel.values)))
    known = finite(panel.values)
    if not known:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center", va="center", fontsize=10, color=GREY)
        return
    ax.text(0, 1.03, _literal(headline), transform=ax.transAxes, ha="left", va="bottom", fontsize=9,
            color=VERMILLION if panel.flagged else TEXT)
    ax.plot(x, _nan(panel.values), color=BLUE, linewidth=1.8)
    last = max(i for i, v in enumerate(panel.values) if v is not None and math.isfinite(v))
    ax.plot([last], [panel.values[last]], "o", color=VERMILLION if panel.flagged else BLUE, markersize=5, zorder=3)
    if panel.target is not None:
        ax.axhline(panel.target, color=ORANGE, linewidth=1.2, linestyle=":")
    low = min(known + ([panel.target] if panel.target is not None else []))
    high = max(known + ([panel.target] if panel.target is not None else []))
    pad = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
    ax.set_ylim(low - pad, high + pad)
    ax.set_xlim(-0.4, max(len(x) - 0.6, 0.6))
    ends = sorted({0, len(x) - 1})
    ax.set_xticks(ends)
    ax.set_xticklabels([panel.labels[i] if i < len(panel.labels) else "" for i in ends])
    ax.tick_params(labelsize=7)
    format_value_axis(ax, panel.unit, currency)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=3))


def draw_composite(data: CompositeData, *, currency: str = "$") -> bytes:
    fig = new_figure((WIDTH, HEADER_HEIGHT + PANEL_HEIGHT * data.rows))
    fig.set_dpi(DPI)
    fig.suptitle(_literal(truncate(data.title, 90)), x=0.01, ha="left", fontsize=13, fontweight="bold", color=TEXT)
    if data.subtitle:
        fig.supxlabel(_literal(truncate(data.subtitle, 140)), x=0.01, ha="left", fontsize=8, color="#555555")
    grid = fig.add_gridspec(data.rows, data.columns)
    for index, panel in enumerate(data.panels):
        ax = fig.add_subplot(grid[index // data.columns, index % data.columns])
        _draw_panel(ax, panel, data.headlines[index], currency)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def composite_chart(title: str, subtitle: str, panels: Sequence[TrendPanel], *, currency: str = "$") -> bytes:
    """PNG bytes (1600 px wide) of one small panel per KPI."""
    return draw_composite(composite_data(title, subtitle, panels, currency=currency), currency=currency)
