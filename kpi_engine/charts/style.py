"""What every chart shares: a size and type scale made for Slack's preview, the Okabe–Ito palette, value axes in
the answer's format, PNG output.

Slack shows an image about 480 px wide. Charts are 1200 × 675 px and every piece of text is at least 28 px tall
(TEXT_PX), so scaled to 480 px (× 0.4) tick labels are still about 11 px: readable. Sizes are given in pixels and
turned into points for matplotlib (`pt`).

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
from matplotlib.figure import Figure, SubFigure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from kpi_engine.answers.format import format_value  # noqa: E402

DPI = 200
WIDTH_PX, HEIGHT_PX = 1200, 675
FIGSIZE = (WIDTH_PX / DPI, HEIGHT_PX / DPI)  # inches → 1200 × 675 px
SPARK_FIGSIZE = (2.4, 0.6)  # → 480 × 120 px
PREVIEW_PX = 480  # Slack's preview width: what every size below is designed for


def pt(px: float) -> float:
    """Matplotlib font sizes are points; our scale is in pixels of the 1200 px wide image."""
    return px * 72 / DPI


TEXT_PX = 28  # tick, category and legend labels: ≥ 11 px at the 480 px preview
TITLE_PX = 36
HEADLINE_PX = 46
TEXT_PT, TITLE_PT, HEADLINE_PT = pt(TEXT_PX), pt(TITLE_PX), pt(HEADLINE_PX)
MAX_X_TICKS = 6  # labels of ~8 characters at 28 px side by side on a 1000 px axis
MAX_Y_TICKS = 4

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency
BLACK, ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
)
PALETTE: tuple[str, ...] = (BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, BLACK)
GREY = "#9E9E9E"
DARK_GREY = "#555555"
TEXT = "#222222"
MAX_TICK_LABELS = MAX_X_TICKS
MAX_LABEL_CHARS = 18
HEADER_PX = 150  # title line + headline line


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    fig = Figure(figsize=figsize, dpi=DPI, layout="constrained")
    fig.patch.set_facecolor("white")
    return fig


def literal(text: str) -> str:
    """Matplotlib reads text between two `$` as math; currency amounts must stay plain."""
    return text.replace("$", r"\$")


def style_axes(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GREY)
    ax.spines["bottom"].set_color(GREY)
    ax.tick_params(colors=TEXT, labelsize=TEXT_PT, length=4)
    ax.grid(axis="y", color="#E6E6E6", linewidth=0.8)
    ax.set_axisbelow(True)


def title_budget(title: str, width_px: float = WIDTH_PX) -> int:
    """How many characters of subtitle fit after the bold title on one line (average glyph ≈ 0.55 em)."""
    used = len(title) * TITLE_PX * 0.62 + 24
    return max(0, int((width_px - 40 - used) / (TEXT_PX * 0.55)))


def chart_header(fig: Figure, title: str, subtitle: str = "", headline: str = "", change: str = "",
                 change_colour: str = TEXT, height_px: float = HEADER_PX) -> Figure | SubFigure:
    """The metric's name (bold) and what was asked on line 1; the current value and its change, large, on line 2.

    Returns the sub-figure below the header, where the chart is drawn."""
    ratio = height_px / (fig.get_figheight() * DPI)
    top, body = fig.subfigures(2, 1, height_ratios=[ratio, 1 - ratio])  # type: ignore[misc]
    top.set_facecolor("white")
    canvas = top.add_axes((0, 0, 1, 1))
    canvas.axis("off")
    width_px = fig.get_figwidth() * DPI
    title = truncate(title, int((width_px - 40) / (TITLE_PX * 0.62)))
    first = canvas.text(18 / width_px, 0.93, literal(title), ha="left", va="top", fontsize=TITLE_PT,
                     fontweight="bold", color=TEXT)
    budget = title_budget(title, width_px)
    if subtitle and budget >= 8:
        canvas.annotate(literal(truncate(subtitle, budget)), xy=(1, 0), xycoords=first,
                     xytext=(pt(16), 0), textcoords="offset points", ha="left", va="bottom", fontsize=TEXT_PT,
                     color=DARK_GREY)
    if headline:
        value = canvas.text(18 / width_px, 0.1, literal(headline), ha="left", va="bottom", fontsize=HEADLINE_PT,
                         fontweight="bold", color=TEXT)
        if change:
            room = int((width_px - 60 - len(headline) * HEADLINE_PX * 0.62) / (TITLE_PX * 0.56))
            canvas.annotate(literal(truncate(change, max(room, 8))), xy=(1, 0), xycoords=value, xytext=(pt(14), 0),
                         textcoords="offset points", ha="left", va="bottom", fontsize=TITLE_PT, color=change_colour)
    return body


def set_title(fig: Figure | SubFigure, ax: Axes, title: str, subtitle: str | None = None) -> None:
    """A plain title above the axes (charts without a headline, e.g. survey distributions)."""
    ax.set_title(literal(truncate(title, 52)), loc="left", fontsize=TITLE_PT, fontweight="bold", color=TEXT,
                 pad=pt(TEXT_PX * 1.6) if subtitle else pt(10))
    if subtitle:
        ax.text(0, 1.02, literal(truncate(subtitle, 70)), transform=ax.transAxes, fontsize=TEXT_PT, color=DARK_GREY,
                va="bottom", ha="left")


def value_formatter(unit: str, currency: str = "$") -> FuncFormatter:
    """Axis ticks read like the answer: `$12.5k`, `5.3%`, `3.2×`."""
    return FuncFormatter(lambda value, _pos: literal(format_value(float(value), unit, currency=currency,
                                                                  compact=True)))


def format_value_axis(ax: Axes, unit: str, currency: str = "$", axis: str = "y", nbins: int = MAX_Y_TICKS) -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(value_formatter(unit, currency))
    target.set_major_locator(MaxNLocator(nbins=nbins, min_n_ticks=2, steps=[1, 2, 2.5, 5, 10]))


def truncate(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: max(limit - 1, 1)] + "…"


def thinned_ticks(labels: Sequence[str], limit: int = MAX_TICK_LABELS) -> list[tuple[int, str]]:
    """At most `limit` evenly spaced (position, label) pairs, counted back from the last one (the latest matters)."""
    if len(labels) <= limit:
        return list(enumerate(labels))
    step = math.ceil(len(labels) / limit)
    positions = sorted(range(len(labels) - 1, -1, -step))
    return [(i, labels[i]) for i in positions]


def set_category_ticks(ax: Axes, labels: Sequence[str], limit: int = MAX_TICK_LABELS) -> None:
    """Category ticks on x, thinned so they never overlap (no rotation: rotated text is hard to read small)."""
    ticks = thinned_ticks([truncate(label, 14) for label in labels], limit)
    ax.set_xticks([i for i, _ in ticks])
    ax.set_xticklabels([literal(label) for _, label in ticks], fontsize=TEXT_PT)


def to_png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def empty_chart(title: str, message: str = "no data") -> bytes:
    fig = new_figure()
    body = chart_header(fig, title)
    ax = body.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=TITLE_PT, color=GREY)
    return to_png(fig)


def finite(values: Sequence[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(v)]


def nan_list(values: Sequence[float | None]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]
