"""A funnel: one bar per step, centred, with conversion from the first and from the previous step.

The funnel table (TableResult kind "funnel") has a step label column and a head-count column; a
broken-down funnel has a group column before the step column. Conversion is recomputed from counts,
so the chart never depends on how the table spells its share columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_engine.answers.format import format_number
from kpi_engine.answers.tables import column_unit
from kpi_engine.charts.labels import Headline, headed_figure, short_period
from kpi_engine.charts.style import (
    BLUE,
    DARK_GREY,
    PALETTE,
    TEXT,
    TEXT_PT,
    format_value_axis,
    style_axes,
    to_png,
    truncate,
)
from kpi_engine.results import TableResult

MAX_GROUPS = 4


@dataclass(frozen=True)
class FunnelData:
    title: str
    subtitle: str
    headline: Headline
    steps: list[str]
    groups: list[str]  # [""] for a funnel without breakdown
    counts: list[list[float]]  # counts[group][step]
    from_first: list[list[float | None]]  # share of the first step
    from_previous: list[list[float | None]]  # share of the previous step


def _columns(table: TableResult) -> tuple[int | None, int, int]:
    """(group column or None, step column, count column)."""
    text_columns = [i for i in range(len(table.columns))
                    if table.rows and all(isinstance(row[i], str) for row in table.rows)]
    numeric = [i for i in range(len(table.columns)) if i not in text_columns]
    if not numeric:
        raise ValueError("the funnel table has no numeric column")
    counts = next((i for i in numeric if column_unit(table, i) == "count"), numeric[0])
    step = text_columns[-1] if text_columns else 0
    group = text_columns[0] if len(text_columns) > 1 else None
    return group, step, counts


def _share(num: float, den: float) -> float | None:
    return num / den if den else None


def funnel_data(table: TableResult) -> FunnelData:
    group_col, step_col, count_col = _columns(table)
    steps: list[str] = []
    groups: list[str] = []
    values: dict[tuple[str, str], float] = {}
    for row in table.rows:
        group = "" if group_col is None else str(row[group_col])
        step = str(row[step_col])
        if step not in steps:
            steps.append(step)
        if group not in groups:
            groups.append(group)
        values[(group, step)] = float(row[count_col] or 0)
    groups = sorted(groups, key=lambda g: -values.get((g, steps[0]), 0.0))[:MAX_GROUPS]
    counts = [[values.get((g, s), 0.0) for s in steps] for g in groups]
    hidden = len({str(row[group_col]) for row in table.rows}) - len(groups) if group_col is not None else 0
    parts = [short_period(table.period), "% of the first step"]
    if hidden > 0:
        parts.append(f"top {len(groups)} groups, {hidden} more not shown")
    overall = [_share(row[-1], row[0]) for row in counts]
    value = f"{_pct(overall[0])} convert" if len(groups) == 1 and steps else ""
    change = f"{format_number(counts[0][0])} → {format_number(counts[0][-1])}" if value else ""
    joined = " → ".join(steps)
    title = " ".join(table.title.replace(joined, "").split()) or "Funnel" if joined in table.title else table.title
    return FunnelData(
        title=title,
        subtitle=" · ".join(parts),
        headline=Headline(value, change, DARK_GREY),
        steps=steps,
        groups=groups,
        counts=counts,
        from_first=[[_share(c, row[0]) for c in row] for row in counts],
        from_previous=[[None if i == 0 else _share(c, row[i - 1]) for i, c in enumerate(row)] for row in counts],
    )


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def draw_funnel(data: FunnelData) -> bytes:
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    style_axes(ax)
    ax.grid(axis="y", visible=False)
    n_steps, n_groups = len(data.steps), len(data.groups)
    if n_groups == 1:
        counts = data.counts[0]
        widest = max(counts, default=0.0) or 1.0
        ax.barh(range(n_steps), counts, left=[(widest - c) / 2 for c in counts], color=BLUE, height=0.7)
        for i, count in enumerate(counts):
            text = f"{format_number(count)} · {_pct(data.from_first[0][i])}"
            inside = count > widest * 0.75
            x = widest / 2 if inside else (widest + count) / 2 + widest * 0.01
            ax.text(x, i, text, ha="center" if inside else "left", va="center", fontsize=TEXT_PT,
                    color="white" if inside else TEXT, fontweight="bold")
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
    else:
        height = 0.8 / n_groups
        for g, group in enumerate(data.groups):
            offsets = [i - 0.4 + height * (g + 0.5) for i in range(n_steps)]
            ax.barh(offsets, data.counts[g], height=height * 0.95, color=PALETTE[g % len(PALETTE)],
                    label=truncate(group or "(none)", 18))
            for y, count, share in zip(offsets, data.counts[g], data.from_first[g], strict=True):
                ax.text(count, y, f" {_pct(share)}", va="center", ha="left", fontsize=TEXT_PT, color=TEXT)
        format_value_axis(ax, "count", axis="x")
        body.legend(loc="outside lower center", ncol=min(n_groups, 4), frameon=False, fontsize=TEXT_PT)
    ax.set_yticks(range(n_steps))
    ax.set_yticklabels([truncate(s) for s in data.steps], fontsize=TEXT_PT)
    ax.invert_yaxis()
    return to_png(fig)


def funnel_chart(table: TableResult) -> bytes:
    return draw_funnel(funnel_data(table))
