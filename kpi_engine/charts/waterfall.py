"""The MRR bridge as a waterfall: starting MRR, each movement floating up or down, ending MRR.

The movements table (TableResult kind "movements") has a label column, an amount column (the table's
unit) and optionally a customers column. First and last rows are the starting and ending totals;
movement amounts are signed (contraction and churn negative). Unsigned churn or contraction amounts
are turned negative, and a "net" row is left out (it would count the movements twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kpi_engine.answers.format import format_signed, format_value, period_label
from kpi_engine.answers.tables import humanise
from kpi_engine.charts.style import (
    BLUE,
    GREEN,
    GREY,
    TEXT,
    VERMILLION,
    format_value_axis,
    new_figure,
    set_category_ticks,
    set_title,
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
    unit: str
    steps: list[WaterfallStep]


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
    subtitle = ""
    if len(steps) >= 2 and steps[0].kind == steps[-1].kind == "total":
        net = steps[-1].amount - steps[0].amount
        subtitle = f"net change {format_signed(net, table.unit, currency=currency)}"
    return WaterfallData(title=f"{table.title} — {period_label(table.period)}", subtitle=subtitle,
                         unit=table.unit, steps=steps)


_COLOURS: dict[str, str] = {"total": BLUE, "up": GREEN, "down": VERMILLION}


def draw_waterfall(data: WaterfallData, *, currency: str = "$") -> bytes:
    fig = new_figure()
    ax = fig.add_subplot()
    style_axes(ax)
    x = list(range(len(data.steps)))
    heights = [s.top - s.bottom for s in data.steps]
    ax.bar(x, heights, bottom=[s.bottom for s in data.steps], color=[_COLOURS[s.kind] for s in data.steps],
           width=0.6)
    span = max((abs(s.top) for s in data.steps), default=1.0) or 1.0
    for xi, step in zip(x, data.steps, strict=True):
        text = format_value(step.amount, data.unit, currency=currency, compact=True)
        if step.kind == "up" and step.amount:
            text = "+" + text
        ax.text(xi, step.top + span * 0.015, text, ha="center", va="bottom", fontsize=9, color=TEXT)
    for xi in range(len(data.steps) - 1):  # connectors between consecutive levels
        level = data.steps[xi].top if data.steps[xi].kind != "down" else data.steps[xi].bottom
        ax.plot([xi + 0.3, xi + 0.7], [level, level], color=GREY, linewidth=0.8)
    ax.set_ylim(bottom=min(0.0, *(s.bottom for s in data.steps)), top=span * 1.12)
    set_category_ticks(ax, [s.label for s in data.steps])
    format_value_axis(ax, data.unit, currency)
    set_title(fig, ax, data.title, data.subtitle or None)
    return to_png(fig)


def waterfall_chart(table: TableResult, *, currency: str = "$") -> bytes:
    return draw_waterfall(waterfall_data(table, currency=currency), currency=currency)
