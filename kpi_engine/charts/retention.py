"""Retention cohorts as a heatmap: one row per signup cohort, one column per week/month after signup.

The retention table (TableResult kind "retention") holds the cohort label first, then the cohort size
(a count column), then one share (fraction) per offset; cells not yet observable are None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kpi_engine.answers.format import format_number, period_label
from kpi_engine.answers.tables import column_unit
from kpi_engine.charts.style import TEXT, new_figure, set_title, to_png, truncate
from kpi_engine.results import TableResult

MAX_COHORTS = 24
ANNOTATE_CELLS = 260


@dataclass(frozen=True)
class RetentionData:
    title: str
    subtitle: str
    cohorts: list[str]  # "2026-01 (1,234)": label and size
    offsets: list[str]
    shares: list[list[float | None]]  # shares[cohort][offset]


def _label(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def retention_data(table: TableResult) -> RetentionData:
    size_col = 1 if len(table.columns) > 1 and column_unit(table, 1) == "count" else None
    first_offset = 2 if size_col is not None else 1
    rows = table.rows[-MAX_COHORTS:]
    cohorts = []
    for row in rows:
        label = truncate(_label(row[0]), 16)
        if size_col is not None and isinstance(row[size_col], int | float):
            label += f" ({format_number(float(row[size_col]))})"
        cohorts.append(label)
    shares = [[None if v is None else float(v) for v in row[first_offset:]] for row in rows]
    hidden = len(table.rows) - len(rows)
    return RetentionData(
        title=f"{table.title} — {period_label(table.period)}",
        subtitle=f"share of each cohort active after signup · latest {len(rows)} cohorts" if hidden else
        "share of each cohort active after signup",
        cohorts=cohorts,
        offsets=[str(c) for c in table.columns[first_offset:]],
        shares=shares,
    )


def draw_retention(data: RetentionData) -> bytes:
    fig = new_figure()
    ax = fig.add_subplot()
    matrix = [[float("nan") if v is None else v for v in row] for row in data.shares] or [[float("nan")]]
    image = ax.imshow(matrix, cmap="cividis", vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
    cells = len(data.cohorts) * len(data.offsets)
    if cells <= ANNOTATE_CELLS:
        size = 8 if cells > 120 else 9
        for r, row in enumerate(data.shares):
            for c, value in enumerate(row):
                if value is not None:
                    ax.text(c, r, f"{value * 100:.0f}%", ha="center", va="center", fontsize=size,
                            color=TEXT if value > 0.55 else "white")
    ax.set_xticks(range(len(data.offsets)))
    ax.set_xticklabels(data.offsets, fontsize=9)
    ax.set_yticks(range(len(data.cohorts)))
    ax.set_yticklabels(data.cohorts, fontsize=8 if len(data.cohorts) > 14 else 9)
    ax.set_xlabel("periods after signup", fontsize=9)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    colourbar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.01)
    colourbar.ax.yaxis.set_major_formatter(lambda value, _pos: f"{value * 100:.0f}%")
    colourbar.ax.tick_params(labelsize=8)
    set_title(fig, ax, data.title, data.subtitle)
    return to_png(fig)


def retention_chart(table: TableResult) -> bytes:
    return draw_retention(retention_data(table))
