"""Retention cohorts as a heatmap: one row per signup cohort, one column per week/month after signup.

The retention table (TableResult kind "retention") holds the cohort's first day first (ISO text), then the cohort
size (a count column), then one share (fraction) per offset; cells not yet observable are None.

Read at a glance: month 0 (100% by definition) is grey and outside the colour scale, so the scale spans the months
that differ; the cell still running (it holds the as-of day) is hatched and its value greyed, so an unfinished
2% never reads as a collapse; cohorts smaller than SMALL_COHORT are greyed and marked "small".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Rectangle

from kpi_engine.answers.format import format_number
from kpi_engine.answers.tables import column_unit
from kpi_engine.charts.labels import Headline, headed_figure, short_period
from kpi_engine.charts.style import (
    DARK_GREY,
    GREEN,
    GREY,
    TEXT,
    TEXT_PT,
    VERMILLION,
    WIDTH_PX,
    pt,
    to_png,
    truncate,
)
from kpi_engine.periods import grain_step
from kpi_engine.results import TableResult

MAX_COHORTS = 8  # rows of ≥ 40 px below the header
MAX_OFFSETS = 12
SMALL_COHORT = 30  # users: fewer and the shares swing on a handful of people
SCALE = LinearSegmentedColormap.from_list("retention", ["#F2F7FB", "#0072B2"])


@dataclass(frozen=True)
class RetentionData:
    title: str
    subtitle: str
    headline: Headline
    cohorts: list[str]  # "Jun 2026" (month) or "Jun 1, 2026" (week)
    sizes: list[int | None]
    small: list[bool]  # the cohort has fewer than SMALL_COHORT users
    offsets: list[str]  # "0", "1", … (the grain is in the axis label)
    grain: str
    shares: list[list[float | None]]  # shares[cohort][offset]
    running: list[list[bool]]  # the cell holds the as-of day: not finished


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def cohort_label(value: Any, grain: str) -> str:
    day = _day(value)
    if day is None:
        return truncate(str(value), 14)
    return day.strftime("%b %Y") if grain == "month" else f"{day.strftime('%b')} {day.day}, {day.year}"


def running_cells(start: date | None, shares: list[float | None], grain: str, last_day: date) -> list[bool]:
    """A cell is still running when it has a value and either the next one has none yet (it has not started),
    or the cell's own period reaches past the table's last day."""
    flags = []
    for k, value in enumerate(shares):
        if value is None:
            flags.append(False)
            continue
        next_missing = k + 1 < len(shares) and shares[k + 1] is None
        ends_after = start is not None and (grain == "week" or grain == "month") and \
            start + grain_step(grain, k + 1) - timedelta(days=1) > last_day  # type: ignore[arg-type]
        flags.append(next_missing or ends_after)
    return flags


def retention_data(table: TableResult) -> RetentionData:
    size_col = 1 if len(table.columns) > 1 and column_unit(table, 1) == "count" else None
    first_offset = 2 if size_col is not None else 1
    offset_names = [str(c) for c in table.columns[first_offset:]][:MAX_OFFSETS]
    grain = offset_names[0].split()[0] if offset_names and " " in offset_names[0] else "period"
    rows = table.rows[-MAX_COHORTS:]
    sizes = [int(row[size_col]) if size_col is not None and isinstance(row[size_col], int | float) else None
             for row in rows]
    shares = [[None if v is None else float(v) for v in row[first_offset:first_offset + MAX_OFFSETS]] for row in rows]
    hidden = len(table.rows) - len(rows)
    subtitle = short_period(table.period) + (f" · latest {len(rows)} cohorts" if hidden else "")
    cohorts = [cohort_label(row[0], grain) for row in rows]
    running = [running_cells(_day(row[0]), share_row, grain, table.period.end)
               for row, share_row in zip(rows, shares, strict=True)]
    return RetentionData(
        title=table.title,
        subtitle=subtitle,
        headline=retention_headline(cohorts, shares, running, grain),
        cohorts=cohorts,
        sizes=sizes,
        small=[size is not None and size < SMALL_COHORT for size in sizes],
        offsets=[name.split()[-1] for name in offset_names],
        grain=grain,
        shares=shares,
        running=running,
    )


def retention_headline(cohorts: list[str], shares: list[list[float | None]], running: list[list[bool]],
                       grain: str) -> Headline:
    """`41% after 1 month` for the newest cohort with a finished first cell, `+3.0 pp vs the May 2026 cohort`."""
    finished = [(name, row[1]) for name, row, flags in zip(cohorts, shares, running, strict=True)
                if len(row) > 1 and row[1] is not None and not flags[1]]
    if not finished:
        return Headline("", "", DARK_GREY)
    finished = [(name.split(",")[0] if grain != "month" else name.split()[0], share)
                for name, share in finished]
    name, share = finished[-1]
    value = f"{share * 100:.0f}% after 1 {grain}"
    if len(finished) < 2:
        return Headline(value, f"{name} cohort", DARK_GREY)
    before_name, before = finished[-2]
    delta = (share - (before or 0.0)) * 100
    colour = GREEN if delta > 0 else VERMILLION if delta < 0 else DARK_GREY
    return Headline(value, f"{name} cohort, {delta:+.1f} pp vs {before_name}", colour)


def _scale_top(data: RetentionData) -> float:
    later = [v for row in data.shares for k, v in enumerate(row) if k > 0 and v is not None]
    return max(later, default=1.0) or 1.0


def draw_retention(data: RetentionData) -> bytes:
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    top = _scale_top(data)
    columns = max(len(data.offsets), 1)
    cell_px = (WIDTH_PX - 330) / columns
    with_percent = cell_px >= 78
    for r, row in enumerate(data.shares):
        for c, value in enumerate(row):
            if value is None:
                continue
            running = data.running[r][c]
            face: Any
            if c == 0:
                face = "#E8E8E8"
            elif running:
                face = "white"
            else:
                face = SCALE(min(value / top, 1.0))
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=face, edgecolor="white", linewidth=2))
            if running:
                ax.add_patch(Rectangle((c - 0.46, r - 0.46), 0.92, 0.92, facecolor="none", edgecolor="#C8C8C8",
                                       linewidth=0, hatch="///"))
            dark = c > 0 and not running and value / top > 0.55
            text = f"{value * 100:.0f}" + ("%" if with_percent else "")
            ax.text(c, r, text, ha="center", va="center", fontsize=TEXT_PT,
                    color="white" if dark else (GREY if running or data.small[r] else TEXT),
                    style="italic" if running else "normal")
    labels = []
    for name, size, small in zip(data.cohorts, data.sizes, data.small, strict=True):
        label = name if size is None else f"{name} · {format_number(size)}"
        labels.append(label + (" small" if small else ""))
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(len(data.cohorts) - 0.5, -0.5)
    ax.set_xticks(range(len(data.offsets)))
    ax.set_xticklabels(data.offsets, fontsize=TEXT_PT)
    ax.xaxis.set_ticks_position("top")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=TEXT_PT)
    for tick, small in zip(ax.get_yticklabels(), data.small, strict=True):
        tick.set_color(GREY if small else TEXT)
    note = f"{data.grain}s after signup" + ("" if with_percent else " · % of cohort")
    if any(flag for row in data.running for flag in row):
        note += " · hatched: still running"
    if any(data.small):
        note += " · grey: small cohort"
    ax.set_xlabel(note, fontsize=TEXT_PT, color=DARK_GREY, labelpad=pt(8))
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    return to_png(fig)


def retention_chart(table: TableResult) -> bytes:
    return draw_retention(retention_data(table))
