"""What every chart shares: size (1600×900 px), the Okabe–Ito palette, value axes in the answer's format, PNG output.

Figures are built with `matplotlib.figure.Figure` on the Agg canvas, never pyplot, so charts can be drawn
from several threads and leave no global state behind.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from kpi_engine.answers.format import format_value  # noqa: E402

FIGSIZE = (8.0, 4.5)  # inches; at DPI 200 → 1600 × 900 px, crisp at Slack's preview size
DPI = 200
SPARK_FIGSIZE = (2.4, 0.6)  # → 480 × 120 px

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency
BLACK, ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
)
PALETTE: tuple[str, ...] = (BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, BLACK)
GREY = "#9E9E9E"
TEXT = "#222222"
MAX_TICK_LABELS = 12
MAX_LABEL_CHARS = 22


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    fig.patch.set_facecolor("white")
    return fig


def style_axes(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GREY)
    ax.spines["bottom"].set_color(GREY)
    ax.tick_params(colors=TEXT, labelsize=9)
    ax.grid(axis="y", color="#E6E6E6", linewidth=0.8)
    ax.set_axisbelow(True)


TITLE_CHARS = 62  # fit at 13 pt beside the y tick labels; up to TITLE_CHARS_SMALL at 11 pt
TITLE_CHARS_SMALL = 74


def set_title(fig: Figure, ax: Axes, title: str, subtitle: str | None = None) -> None:
    size = 13 if len(title) <= TITLE_CHARS else 11
    ax.set_title(truncate(title, TITLE_CHARS_SMALL), loc="left", fontsize=size, fontweight="bold", color=TEXT,
                 pad=18 if subtitle else 8)
    if subtitle:
        ax.text(0, 1.02, truncate(subtitle, 120), transform=ax.transAxes, fontsize=9, color="#555555",
                va="bottom", ha="left")


def value_formatter(unit: str, currency: str = "$") -> FuncFormatter:
    """Axis ticks read like the answer: `$12.5k`, `5.3%`, `3.2×`."""
    return FuncFormatter(lambda value, _pos: format_value(float(value), unit, currency=currency, compact=True))


def format_value_axis(ax: Axes, unit: str, currency: str = "$", axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(value_formatter(unit, currency))
    target.set_major_locator(MaxNLocator(nbins=6))


def truncate(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def thinned_ticks(labels: Sequence[str], limit: int = MAX_TICK_LABELS) -> list[tuple[int, str]]:
    """At most `limit` evenly spaced (position, label) pairs, always keeping the last one."""
    if len(labels) <= limit:
        return list(enumerate(labels))
    step = math.ceil(len(labels) / limit)
    positions = list(range(0, len(labels), step))
    if positions[-1] != len(labels) - 1:
        positions[-1] = len(labels) - 1  # the latest bucket matters most; keep gaps ≥ one step
    return [(i, labels[i]) for i in positions]


def set_category_ticks(ax: Axes, labels: Sequence[str]) -> None:
    """Category ticks on x, thinned and rotated when they would overlap."""
    ticks = thinned_ticks([truncate(label, 14) for label in labels])
    ax.set_xticks([i for i, _ in ticks])
    longest = max((len(label) for _, label in ticks), default=0)
    rotate = len(ticks) * (longest + 2) > 90
    ax.set_xticklabels([label for _, label in ticks], rotation=30 if rotate else 0,
                       ha="right" if rotate else "center", rotation_mode="anchor" if rotate else "default")


def to_png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def empty_chart(title: str, message: str = "no data") -> bytes:
    fig = new_figure()
    ax = fig.add_subplot()
    ax.axis("off")
    set_title(fig, ax, title)
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=14, color=GREY)
    return to_png(fig)


def finite(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(v)]
