"""Block Kit for the richer answer shapes: several metrics in one message, a two-dimension breakdown as a small
table, groups compared (the difference in words) and top N (ranked, the winner named).

Pure functions; `bot.blocks.answers` calls them (they never import it: a single answer is rendered by the
callable it passes in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.blocks.text import MESSAGE_BLOCK_LIMIT, Block, code_block, context, divider, escape, section
from kpi_engine.answers.ask import Answer
from kpi_engine.answers.format import format_value
from kpi_engine.answers.tables import aligned
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult

MAX_ANSWERS = 4
PIVOT_ROWS = 15
PIVOT_COLUMNS = 6
RANKED_ROWS = 10
NO_VALUE = "–"
BLOCK_ID_LIMIT = 255


def several_answers_blocks(answer: Answer, render_one: Callable[[Answer], list[Block]]) -> list[Block]:
    """Each metric's answer one after the other, divided; block ids stay unique across them (Slack refuses
    a message with two equal block ids), within the message's 50 blocks."""
    blocks: list[Block] = []
    answers = answer.answers[:MAX_ANSWERS]
    for i, one in enumerate(answers):
        rendered = render_one(replace(one, others=()))  # the first is the whole answer: render it alone
        if blocks and len(blocks) + 1 + len(rendered) > MESSAGE_BLOCK_LIMIT - 1:
            blocks.append(context(escape(f"and {len(answers) - i} more: ask for them one at a time")))
            break
        if blocks:
            blocks.append(divider())
        blocks += rendered
    return unique_block_ids(blocks)[:MESSAGE_BLOCK_LIMIT]


def unique_block_ids(blocks: list[Block]) -> list[Block]:
    """A repeated block id gets `.2`, `.3`, … (the first keeps its id, so the listeners still find it)."""
    seen: dict[str, int] = {}
    out: list[Block] = []
    for block in blocks:
        block_id = block.get("block_id")
        if block_id is None:
            out.append(block)
            continue
        seen[block_id] = seen.get(block_id, 0) + 1
        if seen[block_id] > 1:
            suffix = f".{seen[block_id]}"
            block = {**block, "block_id": block_id[: BLOCK_ID_LIMIT - len(suffix)] + suffix}
        out.append(block)
    return out


def shaped_breakdown_blocks(answer: Answer, result: MetricResult) -> list[Block] | None:
    """The breakdown of a two-dimension, groups-compared or top-N question; None for a plain breakdown."""
    query = answer.query if isinstance(answer.query, MetricQuery) else None
    if result.subgroup_dimension:
        return two_dimension_blocks(result, answer.currency)
    if query is not None and (query.top or query.order):
        return ranked_blocks(result, answer.currency, summary=answer.summary)
    if query is not None and query.groups:
        return compared_blocks(result, answer.currency, summary=answer.summary)
    return None


def summary_shown(answer: Answer) -> str | None:
    """The summary the shaped blocks show in a section (so the context line need not repeat it)."""
    query, result = answer.query, answer.result
    if not isinstance(query, MetricQuery) or not isinstance(result, MetricResult) or not result.breakdown:
        return None
    if result.subgroup_dimension or not (query.top or query.order or query.groups):
        return None
    return answer.summary


def two_dimension_blocks(result: MetricResult, currency: str) -> list[Block]:
    """`mrr by plan and segment`: the first dimension's groups down, the second's across."""
    groups = result.breakdown or []
    rows_named = list(dict.fromkeys(g.group for g in groups))
    columns_named = list(dict.fromkeys(g.subgroup or "(none)" for g in groups))
    shown_rows, shown_columns = rows_named[:PIVOT_ROWS], columns_named[:PIVOT_COLUMNS]
    cell = {(g.group, g.subgroup or "(none)"): g.value for g in groups}
    headers = [result.breakdown_dimension or "group", *shown_columns]
    rows = [[row, *(_cell(cell, row, column, result.unit, currency) for column in shown_columns)]
            for row in shown_rows]
    title = (f"*{escape(result.label)} by {escape(result.breakdown_dimension or 'group')} and "
             f"{escape(result.subgroup_dimension or 'group')}*")
    blocks: list[Block] = [section(code_block(aligned(headers, rows, max_cell=16), title=title))]
    hidden = _hidden_text(len(rows_named) - len(shown_rows), result.breakdown_dimension,
                          len(columns_named) - len(shown_columns), result.subgroup_dimension)
    if hidden:
        blocks.append(context(escape(hidden)))
    return blocks


def ranked_blocks(result: MetricResult, currency: str, *, summary: str | None = None) -> list[Block]:
    """Top N: the winner named in words (the answer's summary), then the ranking the engine sorted and cut."""
    groups = [g for g in result.breakdown or [] if g.value is not None]
    if not groups:
        return [section(escape(f"No {result.breakdown_dimension or 'group'} has a value for {result.label}."))]
    rows = [[str(rank), g.group, format_value(g.value, result.unit, currency=currency)]
            for rank, g in enumerate(groups[:RANKED_ROWS], start=1)]
    table = aligned(["#", result.breakdown_dimension or "group", result.label], rows)
    lead = summary or f"{groups[0].group} comes first"
    return [section(f":trophy: {escape(lead)}"), section(code_block(table))]


def compared_blocks(result: MetricResult, currency: str, *, summary: str | None = None) -> list[Block]:
    """Groups compared: the difference in words (the answer's summary), then each group's value and change."""
    groups = result.breakdown or []
    with_previous = any(g.previous is not None for g in groups)
    rows = [[g.group, format_value(g.value, result.unit, currency=currency)]
            + ([format_value(g.previous, result.unit, currency=currency)] if with_previous else [])
            for g in groups]
    headers = [result.breakdown_dimension or "group", result.label] + (["previous"] if with_previous else [])
    blocks: list[Block] = [section(code_block(aligned(headers, rows)))]
    if summary:
        blocks.insert(0, section(escape(summary)))
    return blocks


def _cell(cell: dict[tuple[str, str], float | None], row: str, column: str, unit: str, currency: str) -> str:
    if (row, column) not in cell:
        return NO_VALUE
    return format_value(cell[(row, column)], unit, currency=currency, compact=True)


def _hidden_text(rows: int, row_dimension: str | None, columns: int, column_dimension: str | None) -> str:
    parts = []
    if rows > 0:
        parts.append(f"{rows} more {row_dimension or 'groups'}")
    if columns > 0:
        parts.append(f"{columns} more {column_dimension or 'groups'}")
    return " and ".join(parts) + " not shown" if parts else ""
