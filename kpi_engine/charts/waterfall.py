"""The MRR bridge as a waterfall: starting MRR, each movement floating up or down, ending MRR.

The movements table (TableResult kind "movements") has a label column, an amount column (the table's
unit) and optionally a customers column. First and last rows are the starting and ending totals;
movement amounts are signed (contraction and churn negative). Unsigned churn or contraction amounts
are turned negative, and a "net" row is left out (it would count the movements twice).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from matplotlib.axes import Axes

from kpi_engine.answers.format import format_value
from kpi_engine.answers.tables import humanise
from kpi_engine.charts.labels import Headline, change_amount, headed_figure, short_period, signed_compact
from kpi_engine.charts.style import (
    BLUE,
    DARK_GREY,
    GREEN,
    GREY,
    TEXT,
    TEXT_PT,
    VERMILLION,
    format_value_axis,
    literal,
    style_axes,
    to_png,
)
from kpi_engine.results import TableResult

StepKind = Literal["total", "up", "down"]
_TOTAL_WORDS = ("start", "end", "opening", "closing", "begin")
_NEGATIVE_WORDS = ("churn", "contraction", "lost")


@dataclass(frozen=True)
class WaterfallStep:
    label: str
    bottom: float
    top: float
    amount: float
    kind: StepKind


@dataclass(frozen=True)
class WaterfallData:
    title: str
    subtitle: str
    headline: Headline
    unit: str
    steps: list[WaterfallStep]
    floor: float  # where the value axis starts: near the starting total, so movements are not slivers


def axis_floor(steps: list[WaterfallStep]) -> float:
    """A round value a little below the lowest level the bridge reaches; 0 when that would hide little."""
    totals = [s.top for s in steps if s.kind == "total"]
    levels = [s.bottom for s in steps if s.kind != "total"] + totals
    if not levels or min(levels) <= 0:
        return 0.0
    low, high = min(levels), max([s.top for s in steps] + totals)
    moved = max(high - low, high * 0.02)
    floor = low - moved * 0.6
    if floor <= high * 0.25:
        return 0.0
    magnitude = 10 ** math.floor(math.log10(moved))
    return math.floor(floor / magnitude) * magnitude


def _amount_column(table: TableResult) -> int:
    names = [c.lower() for c in table.columns]
    for wanted in ("mrr", "amount", "value"):
        if wanted in names:
            return names.index(wanted)
    for i in range(1, len(table.columns)):
        if any(isinstance(row[i], int | float) for row in table.rows if i < len(row)):
            return i
    raise ValueError("the movements table has no numeric column")


def waterfall_data(table: TableResult, *, currency: str = "$") -> WaterfallData:
    column = _amount_column(table)
    steps: list[WaterfallStep] = []
    level = 0.0
    for row in table.rows:
        name = str(row[0])
        lowered = name.lower()
        amount = float(row[column] or 0.0)
        if "net" in lowered.split() or lowered.startswith("net"):
            continue
        if any(word in lowered for word in _TOTAL_WORDS):
            steps.append(WaterfallStep(humanise(name), 0.0, amount, amount, "total"))
            level = amount
            continue
        if amount > 0 and any(word in lowered for word in _NEGATIVE_WORDS):
            amount = -amount
        new_level = level + amount
        steps.append(WaterfallStep(humanise(name), min(level, new_level), max(level, new_level), amount,
                                   "up" if amount >= 0 else "down"))
        level = new_level
    value, change = "", ""
    colour = DARK_GREY
    if len(steps) >= 2 and steps[0].kind == steps[-1].kind == "total":
        start, end = steps[0].amount, steps[-1].amount
        value = format_value(end, table.unit, currency=currency, compact=True)
        change = f"{signed_compact(end - start, table.unit, currency)} net"
        if start:
            change += f" ({change_amount(end, start, table.unit, currency)})"
        colour = GREEN if end > start else VERMILLION if end < start else DARK_GREY
    return WaterfallData(title=table.title, subtitle=short_period(table.period), headline=Headline(value, change,
                         colour), unit=table.unit, steps=steps, floor=axis_floor(steps))


_COLOURS: dict[str, str] = {"total": BLUE, "up": GREEN, "down": VERMILLION}


def break_mark(ax: Axes) -> None:
    """Two slanted strokes across the start of the value axis: it does not start at 0."""
    for x in (0.012, 0.026):
        ax.plot([x - 0.007, x + 0.007], [-0.035, 0.035], transform=ax.transAxes, color=TEXT, linewidth=2.4,
                clip_on=False, zorder=6, solid_capstyle="butt")


def draw_waterfall(data: WaterfallData, *, currency: str = "$") -> bytes:
    """Horizontal bridge: one row per step (long step names stay readable at preview size)."""
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    style_axes(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#E6E6E6", linewidth=0.8)
    y = list(range(len(data.steps)))
    lefts = [max(s.bottom, data.floor) for s in data.steps]
    ax.barh(y, [s.top - left for s, left in zip(data.steps, lefts, strict=True)], left=lefts,
            color=[_COLOURS[s.kind] for s in data.steps], height=0.62)
    right = max((s.top for s in data.steps), default=1.0) or 1.0
    span = right - data.floor
    for yi, step in zip(y, data.steps, strict=True):
        text = format_value(step.amount, data.unit, currency=currency, compact=True)
        if step.kind == "up" and step.amount:
            text = "+" + text
        ax.text(step.top + span * 0.012, yi, literal(text), ha="left", va="center", fontsize=TEXT_PT, color=TEXT)
    for yi in range(len(data.steps) - 1):  # connectors between consecutive levels
        step = data.steps[yi]
        level = step.top if step.kind != "down" else step.bottom
        ax.plot([level, level], [yi + 0.31, yi + 0.69], color=GREY, linewidth=1.2)
    ax.set_yticks(y)
    ax.set_yticklabels([literal(s.label) for s in data.steps], fontsize=TEXT_PT)
    ax.invert_yaxis()
    ax.set_xlim(left=data.floor, right=data.floor + span * 1.2)
    format_value_axis(ax, data.unit, currency, axis="x")
    if data.floor > 0:
        break_mark(ax)
        for yi, step in zip(y, data.steps, strict=True):
            if step.kind == "total":  # the total bars are cut: a white zigzag where they would go on to 0
                ax.plot([data.floor + span * 0.02, data.floor + span * 0.035, data.floor + span * 0.05],
                        [yi + 0.31, yi - 0.31 + 0.2, yi - 0.31], color="white", linewidth=3, zorder=4)
    return to_png(fig)


def waterfall_chart(table: TableResult, *, currency: str = "$") -> bytes:
    return draw_waterfall(waterfall_data(table, currency=currency), currency=currency)
