"""Block Kit for answers: the value with its context, breakdown, chart, and follow-up actions.

Pure functions from an `Answer` to a list of block dicts, within Slack's limits (SLACK_NOTES).
"""

from __future__ import annotations

from bot.blocks.catalog import catalog_blocks, define_blocks, help_blocks
from bot.blocks.ids import ActionId, BlockId, suggestion_action_id
from bot.blocks.multi import several_answers_blocks, shaped_breakdown_blocks, summary_shown
from bot.blocks.payload import block_ref, encode_ref
from bot.blocks.text import (
    ALT_TEXT_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    Block,
    button,
    code_block,
    context,
    cut,
    escape,
    header,
    option,
    section,
)
from kpi_engine.answers.ask import Answer
from kpi_engine.answers.followups import trend_query
from kpi_engine.answers.format import definition_line, format_value, how_computed, period_label
from kpi_engine.answers.presentation import Presentation, present
from kpi_engine.answers.tables import aligned, table_text
from kpi_engine.answers.terminal import series_lines
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult, TableResult

BREAKDOWN_ROWS = 10
TABLE_ROWS = 25
MAX_SUGGESTIONS = 5


def answer_blocks(answer: Answer, *, chart_file_id: str | None = None, include_actions: bool = True) -> list[Block]:
    if len(answer.answers) > 1:  # several metrics: each one's answer, one after the other (bot.blocks.multi)
        return several_answers_blocks(answer, lambda one: answer_blocks(one, include_actions=include_actions))
    if answer.error is not None:
        return unknown_blocks(answer)
    if answer.intent == "help":
        return help_blocks()
    if answer.intent == "list" and answer.catalog is not None:
        return catalog_blocks(answer.catalog)
    if answer.intent == "define" and answer.metric is not None:
        return define_blocks(answer.metric)
    if answer.presentation is not None:
        blocks = _metric_blocks(answer, answer.presentation, chart_file_id)
    elif isinstance(answer.result, TableResult):
        blocks = _table_blocks(answer, answer.result, chart_file_id)
    else:
        return unknown_blocks(answer)
    if include_actions:
        blocks.append(_actions(answer))
    return blocks[:MESSAGE_BLOCK_LIMIT]


def headline_text(result: MetricResult, *, currency: str = "$") -> str:
    return presentation_headline(present(result, currency=currency))


def presentation_headline(shown: Presentation) -> str:
    """The value in bold with its change, what is compared, target and sample (mrkdwn): the same lines, in the
    same order, as the terminal answer (kpi_engine.answers.terminal)."""
    lines = [f"*{escape(shown.value_text)}*"]
    for extra in (shown.change_text, shown.comparison_text, shown.target_text, shown.sample_text):
        if extra:
            lines.append(escape(extra))
    if shown.filters_text:
        lines.append("_" + escape(shown.filters_text) + "_")
    return "\n".join(lines)


def _metric_blocks(answer: Answer, shown: Presentation, chart_file_id: str | None) -> list[Block]:
    result = shown.result
    blocks = [header(shown.title), section(presentation_headline(shown), block_id=BlockId.ANSWER_HEADLINE)]
    if result.breakdown:
        blocks += shaped_breakdown_blocks(answer, result) or _breakdown_blocks(result, answer.currency)
    if result.series and chart_file_id is None:
        text = "\n".join(series_lines(result, currency=answer.currency)[1:])
        blocks.append(section(code_block(text, title=f"*By {escape(result.granularity or 'period')}*")))
    if chart_file_id:
        blocks.append(image_block(chart_file_id, shown.chart.alt_text if shown.chart else shown.title))
    blocks.append(context(*_context_texts(answer, shown)))
    return blocks


def _breakdown_blocks(result: MetricResult, currency: str) -> list[Block]:
    groups = result.breakdown or []
    with_previous = result.previous_period is not None
    with_n = any(g.n is not None for g in groups)
    rows = [[g.group, format_value(g.value, result.unit, currency=currency)]
            + ([format_value(g.previous, result.unit, currency=currency)] if with_previous else [])
            + ([f"{g.n:,}" if g.n is not None else ""] if with_n else [])
            for g in groups[:BREAKDOWN_ROWS]]
    headers = ([result.breakdown_dimension or "group", result.label] + (["previous"] if with_previous else [])
               + (["n"] if with_n else []))
    title = f"*By {escape(result.breakdown_dimension or 'group')}*"
    blocks = [section(code_block(aligned(headers, rows), title=title))]
    if len(groups) > BREAKDOWN_ROWS:
        blocks.append(context(f"and {len(groups) - BREAKDOWN_ROWS} more"))
    return blocks


def _context_texts(answer: Answer, shown: Presentation) -> list[str]:
    result = shown.result
    texts = []
    if result.definition:
        texts.append(escape(definition_line(result.label, result.definition)))
    texts += [escape(note) for note in shown.notes]
    period = f"Period: {result.period.start.isoformat()} – {result.period.end.isoformat()}"
    if result.previous_period is not None and result.comparison_text:
        previous = result.previous_period
        period += f" · compared with {previous.start.isoformat()} – {previous.end.isoformat()}"
    elif result.previous_period is not None:
        period += f" · compared with {period_label(result.previous_period)}"
    texts.append(escape(period))
    texts += [escape(note) for note in answer.notes if note != summary_shown(answer)]
    return texts


def image_block(file_id: str, alt_text: str, *, title: str | None = None) -> Block:
    block: Block = {"type": "image", "block_id": str(BlockId.ANSWER_CHART), "slack_file": {"id": file_id},
                    "alt_text": cut(alt_text, ALT_TEXT_LIMIT)}
    if title:
        block["title"] = {"type": "plain_text", "text": cut(title, 2000)}
    return block


def _table_blocks(answer: Answer, table: TableResult, chart_file_id: str | None) -> list[Block]:
    text, hidden = table_text(table, currency=answer.currency, max_rows=TABLE_ROWS)
    blocks = [header(f"{table.title} — {period_label(table.period)}"), section(code_block(text))]
    if hidden:
        blocks.append(context(f"and {hidden} more rows"))
    if chart_file_id:
        blocks.append(image_block(chart_file_id, f"Chart: {table.title}, {period_label(table.period)}"))
    notes = [escape(note) for note in answer.notes]
    period = escape(f"Period: {table.period.start.isoformat()} – {table.period.end.isoformat()}")
    blocks.append(context(*notes[:9], period))
    return blocks


def _actions(answer: Answer) -> Block:
    """Share, Break down by, Trend, How is this computed?, Pin to Home."""
    query, result = answer.query, answer.result
    ref = encode_ref(answer.question, query)
    elements: list[Block] = [button("Share in channel", ActionId.SHARE_ANSWER, ref, style="primary")]
    metric = answer.metric
    if isinstance(result, MetricResult) and metric is not None:
        dimensions = [d for d in metric.dimensions if d != result.breakdown_dimension][:100]
        if dimensions:
            elements.append({
                "type": "static_select",
                "action_id": str(ActionId.BREAKDOWN),
                "placeholder": {"type": "plain_text", "text": "Break down by"},
                "options": [option(d.replace("_", " "), d) for d in dimensions],
            })
        if not result.series and isinstance(query, MetricQuery):
            elements.append(button("Trend", ActionId.TREND, encode_ref(answer.question, trend_query(query, result))))
    elements.append(button("How is this computed?", ActionId.HOW_COMPUTED, ref))
    if isinstance(result, MetricResult):
        elements.append(button("Pin to Home", ActionId.PIN_TO_HOME, ref))
    return {"type": "actions", "block_id": block_ref(query), "elements": elements}


def how_computed_blocks(answer: Answer) -> list[Block]:
    """The formula in words, then the SQL (each statement in a code block, cut to Slack's 3,000)."""
    result = answer.result
    if result is None:
        return unknown_blocks(answer)
    if isinstance(result, MetricResult):
        title, formula, definition = result.label, result.formula, result.definition
    else:
        title, formula, definition = result.title, "", ""
    blocks: list[Block] = [header(f"How {title} is computed")]
    if definition:
        blocks.append(section(escape(definition_line(title, definition))))
    if formula:
        blocks.append(section(f"*Formula*\n{code_block(formula)}"))
    statements = result.sql or []
    for i, sql in enumerate(statements[:MESSAGE_BLOCK_LIMIT - 4]):
        label = "*SQL*" if len(statements) == 1 else f"*SQL {i + 1} of {len(statements)}*"
        blocks.append(section(code_block(sql, title=label)))
    if not statements and not formula:
        blocks.append(section(escape(how_computed("", []))))
    blocks.append(context(escape(f"Period: {result.period.start.isoformat()} – {result.period.end.isoformat()}")))
    return blocks[:MESSAGE_BLOCK_LIMIT]


def unknown_blocks(answer: Answer) -> list[Block]:
    """The problem in words, "did you mean" buttons, and where to look next."""
    blocks: list[Block] = [section(escape(answer.error or "I did not understand that question."))]
    suggestions = answer.suggestions[:MAX_SUGGESTIONS]
    if suggestions:
        blocks.append(section("*Did you mean:*"))
        blocks.append({
            "type": "actions",
            "block_id": str(BlockId.SUGGESTIONS),
            "elements": [button(m.label, suggestion_action_id(i), m.id) for i, m in enumerate(suggestions)],
        })
    blocks.append(context("Try `help` for examples or `list metrics` for every metric."))
    return blocks
