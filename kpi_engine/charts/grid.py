"""A two-dimension breakdown ("mrr by plan and segment") as a table of coloured cells: one row per value of the
first dimension, one column per value of the second, each cell its value; a row and a column total when the metric
adds up (flows and stocks in counts or currency)."""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Rectangle

from kpi_engine.answers.format import format_value
from kpi_engine.charts.labels import Headline, headed_figure, headline
from kpi_engine.charts.line import subtitle_for
from kpi_engine.charts.style import (
    DARK_GREY,
    GREY,
    TEXT,
    TEXT_PT,
    literal,
    to_png,
    truncate,
)
from kpi_engine.results import MetricResult

MAX_ROWS = 7
MAX_COLUMNS = 5
SCALE = LinearSegmentedColormap.from_list("cells", ["#F2F7FB", "#0072B2"])


@dataclass(frozen=True)
class GridData:
    title: str
    subtitle: str
    headline: Headline
    unit: str
    rows: list[str]  # first dimension's values, largest first
    columns: list[str]  # second dimension's values, largest first
    cells: list[list[float | None]]  # cells[row][column]
    hidden_rows: int
    hidden_columns: int


def _order(totals: dict[str, float]) -> list[str]:
    return sorted(totals, key=lambda name: (-totals[name], name))


def grid_data(result: MetricResult, *, currency: str = "$") -> GridData:
    groups = result.breakdown or []
    values: dict[tuple[str, str], float | None] = {}
    row_totals: dict[str, float] = {}
    column_totals: dict[str, float] = {}
    for group in groups:
        sub = group.subgroup if group.subgroup is not None else "(none)"
        values[(group.group, sub)] = group.value
        row_totals[group.group] = row_totals.get(group.group, 0.0) + (group.value or 0.0)
        column_totals[sub] = column_totals.get(sub, 0.0) + (group.value or 0.0)
    rows, columns = _order(row_totals), _order(column_totals)
    dims = f"by {result.breakdown_dimension or 'group'} and {result.subgroup_dimension or 'subgroup'}"
    return GridData(
        title=result.label,
        subtitle=f"{dims} · {subtitle_for(result)}",
        headline=headline(result, currency=currency),
        unit=result.unit,
        rows=rows[:MAX_ROWS],
        columns=columns[:MAX_COLUMNS],
        cells=[[values.get((r, c)) for c in columns[:MAX_COLUMNS]] for r in rows[:MAX_ROWS]],
        hidden_rows=max(0, len(rows) - MAX_ROWS),
        hidden_columns=max(0, len(columns) - MAX_COLUMNS),
    )


def draw_grid(data: GridData, *, currency: str = "$") -> bytes:
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    known = [abs(v) for row in data.cells for v in row if v is not None]
    top = max(known, default=1.0) or 1.0
    for r, row in enumerate(data.cells):
        for c, value in enumerate(row):
            share = 0.0 if value is None else min(abs(value) / top, 1.0)
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=SCALE(share) if value is not None else "white",
                                   edgecolor="white", linewidth=3))
            text = "–" if value is None else format_value(value, data.unit, currency=currency, compact=True)
            ax.text(c, r, literal(text), ha="center", va="center", fontsize=TEXT_PT,
                    color="white" if share > 0.55 else (GREY if value is None else TEXT))
    ax.set_xlim(-0.5, max(len(data.columns), 1) - 0.5)
    ax.set_ylim(max(len(data.rows), 1) - 0.5, -0.5)
    ax.set_xticks(range(len(data.columns)))
    ax.set_xticklabels([literal(truncate(c, 12)) for c in data.columns], fontsize=TEXT_PT)
    ax.xaxis.set_ticks_position("top")
    ax.set_yticks(range(len(data.rows)))
    ax.set_yticklabels([literal(truncate(r, 16)) for r in data.rows], fontsize=TEXT_PT)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    more = [f"{n} more {what}" for n, what in ((data.hidden_rows, "rows"), (data.hidden_columns, "columns")) if n]
    if more:
        ax.set_xlabel(" · ".join(more) + " not shown", fontsize=TEXT_PT, color=DARK_GREY)
    return to_png(fig)


def grid_chart(result: MetricResult, *, currency: str = "$") -> bytes:
    return draw_grid(grid_data(result, currency=currency), currency=currency)
