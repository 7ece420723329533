"""Table results (funnels, retention cohorts, the MRR bridge) as text: units per column, aligned columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kpi_engine.answers.format import NO_DATA, format_value
from kpi_engine.results import TableResult

_SHARE_WORDS = ("rate", "conversion", "share", "retention", "retained", "%", "pct", "percent")
_COUNT_WORDS = ("accounts", "users", "customers", "count", "size", "cohort_size", "members", "n")


def column_unit(table: TableResult, column: int) -> str:
    """Which unit a column is in: shares are percent, head counts are counts, the rest the table's unit.

    Retention tables hold the cohort label and size first, then one share per offset.
    """
    name = table.columns[column].lower().strip()
    if any(word in name for word in _SHARE_WORDS):
        return "percent"
    if name in _COUNT_WORDS or name.endswith(("users", "accounts", "customers")):
        return "count"
    if table.kind == "retention" and column >= 2:
        return "percent"
    return table.unit


EMPTY_CELL = "–"  # a cell without a value (a cohort week still to come, no previous step): a dash reads best


def format_cell(table: TableResult, column: int, value: Any, *, currency: str = "$") -> str:
    if value is None:
        return EMPTY_CELL if column else ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_value(float(value), column_unit(table, column), currency=currency)


def formatted_rows(table: TableResult, *, currency: str = "$") -> list[list[str]]:
    return [[format_cell(table, i, cell, currency=currency) for i, cell in enumerate(row)] for row in table.rows]


def humanise(name: str) -> str:
    """Column and movement names for people: `new_mrr` → `New MRR`."""
    words = str(name).replace("_", " ").split()
    out = [w.upper() if w.lower() in ("mrr", "arr", "nps", "csat", "ces") else w for w in words]
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def aligned(headers: Sequence[str], rows: Sequence[Sequence[str]], *, max_cell: int = 24) -> str:
    """A monospace table: text left-aligned, numbers right-aligned, long cells cut with an ellipsis."""

    def cut(text: str) -> str:
        return text if len(text) <= max_cell else text[: max_cell - 1] + "…"

    cells = [[cut(h) for h in headers], *[[cut(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells if i < len(row)) for i in range(len(headers))]
    numeric = [all(_looks_numeric(row[i]) for row in cells[1:] if i < len(row) and row[i]) and i > 0
               for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [(row[i].rjust(widths[i]) if numeric[i] else row[i].ljust(widths[i])) for i in range(len(row))]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _looks_numeric(text: str) -> bool:
    return text in (NO_DATA, EMPTY_CELL) or any(ch.isdigit() for ch in text[:3])


def table_text(table: TableResult, *, currency: str = "$", max_rows: int | None = None) -> tuple[str, int]:
    """The table as aligned text and how many rows were left out (beyond `max_rows`)."""
    rows = formatted_rows(table, currency=currency)
    if table.kind == "movements":
        rows = [[humanise(row[0]), *row[1:]] if row else row for row in rows]
    hidden = 0
    if max_rows is not None and len(rows) > max_rows:
        hidden = len(rows) - max_rows
        rows = rows[:max_rows]
    return aligned([humanise(c) for c in table.columns], rows), hidden
