"""Block Kit for help, the metric catalog (data dictionary) and one metric's definition."""

from __future__ import annotations

from bot.blocks.text import (
    MESSAGE_BLOCK_LIMIT,
    SECTION_TEXT_LIMIT,
    Block,
    code_block,
    context,
    divider,
    escape,
    header,
    section,
)
from kpi_engine.answers.examples import EXAMPLE_QUESTIONS, FOLLOW_UPS, HELP_INTRO
from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.catalog.model import AREA_TITLES

DIRECTION_WORDS = {"higher": "higher is better", "lower": "lower is better", "neutral": "neither"}


def help_blocks() -> list[Block]:
    examples = "\n".join(f"• `{escape(q)}` — {escape(what)}" for q, what in EXAMPLE_QUESTIONS)
    return [
        header("Ask me for a KPI"),
        section(escape(HELP_INTRO)),
        section(f"*Examples*\n{examples}"),
        context(escape(FOLLOW_UPS)),
    ]


def _metric_line(metric: MetricDefinition) -> str:
    return f"`{metric.id}` {escape(metric.label)} _({metric.unit})_"


def _area_sections(title: str, lines: list[str]) -> list[Block]:
    """One area as sections of at most 3,000 characters each (big areas continue in a second section)."""
    blocks: list[Block] = []
    current = f"*{escape(title)}*"
    for line in lines:
        if len(current) + 1 + len(line) > SECTION_TEXT_LIMIT:
            blocks.append(section(current))
            current = line
        else:
            current += "\n" + line
    blocks.append(section(current))
    return blocks


def catalog_blocks(catalog: Catalog) -> list[Block]:
    """Every metric by area, within 50 blocks (the tail is summarised when a catalog is huge)."""
    blocks: list[Block] = [header(f"Metrics ({len(catalog)})")]
    closing = context("Ask `define <metric>` for a definition, or just ask for the metric.")
    budget = MESSAGE_BLOCK_LIMIT - 2  # header and closing context
    left_out = 0
    for area, metrics in catalog.by_area().items():
        sections = _area_sections(AREA_TITLES.get(area, area), [_metric_line(m) for m in metrics])
        if len(blocks) - 1 + len(sections) > budget:
            left_out += len(metrics)
            continue
        blocks += sections
    if left_out:
        blocks.append(context(f"{left_out} more metrics not shown; `kpibot metrics` lists them all."))
    return [*blocks[:MESSAGE_BLOCK_LIMIT - 1], closing]


def define_blocks(metric: MetricDefinition) -> list[Block]:
    fields = [
        f"*Unit*\n{metric.unit}",
        f"*Kind*\n{metric.kind}",
        f"*Direction*\n{DIRECTION_WORDS.get(metric.direction, metric.direction)}",
        f"*Break down by*\n{escape(', '.join(metric.dimensions)) or 'no dimensions'}",
    ]
    if metric.aliases:
        fields.append(f"*Also called*\n{escape(', '.join(metric.aliases))}"[:2000])
    if metric.tables:
        fields.append(f"*Tables*\n{escape(', '.join(metric.tables))}"[:2000])
    return [
        header(metric.label),
        section(escape(" ".join(metric.description.split()))),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
        section(code_block(metric.formula, title="*Formula*")),
        divider(),
        context(f"id `{metric.id}` · area {escape(AREA_TITLES.get(metric.area, metric.area))}"),
    ]
