"""Answers for the terminal (`kpibot ask`), in the structure of the Slack message: the title, the value in
bold, the change coloured by the metric's direction (green is good, whatever the sign), what is compared,
then notes dimmed. Lines are rich `Text` (styles, never markup, so SQL and brackets print as they are);
`render_answer` gives the same lines as plain text.
"""

from __future__ import annotations

import re

from rich.text import Text

from kpi_engine.answers.ask import Answer
from kpi_engine.answers.examples import EXAMPLE_QUESTIONS, FOLLOW_UPS, HELP_INTRO
from kpi_engine.answers.format import bucket_label, bucket_value, definition_line, format_value, period_label
from kpi_engine.answers.presentation import Presentation, present
from kpi_engine.answers.tables import aligned, table_text
from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.catalog.model import AREA_TITLES
from kpi_engine.results import MetricResult, TableResult, like_for_like

MAX_BREAKDOWN_ROWS = 25
CODE = re.compile(r"`([^`\n]*)`")
EMOJI = re.compile(r":[a-z0-9_+-]+: ?")
DIM = "dim"
VERDICT_STYLES = {"good": "green", "worse": "red"}


def render_answer(answer: Answer) -> str:
    """The answer as plain text (what `answer_texts` prints, without styles)."""
    return "\n".join(line.plain for line in answer_texts(answer))


def unmark(text: str) -> str:
    """No Slack markup in the terminal: `code` reads “code”, :emoji: codes go."""
    return EMOJI.sub("", CODE.sub(r"“\1”", text))


def answer_texts(answer: Answer) -> list[Text]:
    """The answer as styled lines for a rich console (no Slack markup: see `unmark`)."""
    lines = _answer_texts(answer)
    for line in lines:
        if "`" in line.plain or ":" in line.plain:
            cleaned = unmark(line.plain)
            if cleaned != line.plain:
                line.plain = cleaned
    return lines


def _answer_texts(answer: Answer) -> list[Text]:
    if answer.error is not None:
        return _plain_lines(error_text(answer))
    if answer.intent == "help":
        return _plain_lines(help_text())
    if answer.intent == "list" and answer.catalog is not None:
        return _plain_lines(catalog_text(answer.catalog))
    if answer.intent == "define" and answer.metric is not None:
        return _plain_lines(definition_text(answer.metric))
    lines: list[Text] = []
    if answer.presentation is not None:
        lines += presentation_texts(answer.presentation)
    elif isinstance(answer.result, TableResult):
        lines += _plain_lines("\n".join(table_lines(answer.result, currency=answer.currency)))
    if answer.parse is not None and answer.parse.notes:
        lines += [Text(""), *(Text(f"Note: {note}", style=DIM) for note in answer.parse.notes)]
    return lines


def _plain_lines(text: str) -> list[Text]:
    return [Text(line) for line in text.split("\n")]


def metric_lines(result: MetricResult, *, currency: str = "$") -> list[str]:
    return [line.plain for line in metric_texts(result, currency=currency)]


def metric_texts(result: MetricResult, *, currency: str = "$") -> list[Text]:
    return presentation_texts(present(result, currency=currency))


def presentation_texts(shown: Presentation) -> list[Text]:
    result, currency = shown.result, shown.currency
    filters = f" ({shown.filters_text})" if shown.filters_text else ""
    lines = [Text(f"{shown.title}{filters}", style="bold"), Text.assemble("  ", (shown.value_text, "bold"))]
    if shown.change_text:
        verdict = shown.change
        style = VERDICT_STYLES.get(verdict.judgement or "", "") if verdict is not None else DIM
        lines.append(Text.assemble("  ", (shown.change_text, style)))
    for extra in (shown.comparison_text, shown.target_text, shown.sample_text, *shown.notes):
        if extra:
            lines.append(Text(f"  {extra}", style=DIM))
    if result.breakdown is not None:
        lines += [Text(""), *map(Text, breakdown_lines(result, currency=currency))]
    if result.series is not None:
        lines += [Text(""), *map(Text, series_lines(result, currency=currency))]
    if result.definition:
        lines += [Text(""), Text(definition_line(result.label, result.definition), style=DIM)]
    return lines


def breakdown_lines(result: MetricResult, *, currency: str = "$", limit: int = MAX_BREAKDOWN_ROWS) -> list[str]:
    if result.subgroup_dimension:  # two dimensions: a small table (kpi_engine/answers/summary.py)
        from kpi_engine.answers.summary import pivot_lines

        return pivot_lines(result, currency=currency)
    groups = result.breakdown or []
    has_n = any(g.n is not None for g in groups)
    headers = [result.breakdown_dimension or "group", result.label, "previous"] + (["n"] if has_n else [])
    rows = []
    for group in groups[:limit]:
        row = [group.group, format_value(group.value, result.unit, currency=currency),
               format_value(group.previous, result.unit, currency=currency) if result.previous_period else ""]
        if has_n:
            row.append("" if group.n is None else f"{group.n:,}")
        rows.append(row)
    lines = [f"By {result.breakdown_dimension or 'group'}:"]
    lines += ["  " + line for line in aligned(headers, rows).splitlines()]
    if len(groups) > limit:
        lines.append(f"  … and {len(groups) - limit} more")
    return lines


def series_lines(result: MetricResult, *, currency: str = "$") -> list[str]:
    points = result.series or []
    previous = result.previous_series or []
    headers = ["period", "from", "to", result.label] + (["previous"] if previous else [])
    rows = []
    for i, point in enumerate(points):
        label = bucket_label(point.start, result.granularity)
        row = [label, point.start.isoformat(), point.end.isoformat(),
               bucket_value(point, result.unit, currency=currency)]
        if previous:
            paired = i < len(previous) and like_for_like(point, previous[i], result.granularity)
            row.append(bucket_value(previous[i], result.unit, currency=currency) if paired else "")
        rows.append(row)
    return [f"By {result.granularity or 'period'}:", *("  " + line for line in aligned(headers, rows).splitlines())]


def table_lines(table: TableResult, *, currency: str = "$") -> list[str]:
    text, _ = table_text(table, currency=currency)
    lines = [f"{table.title} — {period_label(table.period)}", *("  " + line for line in text.splitlines())]
    if table.notes:
        lines += ["", *table.notes]
    return lines


def error_text(answer: Answer) -> str:
    lines = [answer.error or ""]
    suggestions = answer.suggestions
    already_named = any(f"`{metric.id}`" in lines[0] for metric in suggestions)
    if suggestions and not already_named:
        lines += ["", "Did you mean:"]
        lines += [f"  {metric.id:<28} {metric.label}" for metric in suggestions]
    elif not suggestions and answer.intent in ("unknown", "empty"):
        lines += ["", "Try “help” for examples or “list metrics” for every metric."]
    return "\n".join(lines)


def help_text() -> str:
    width = max(len(q) for q, _ in EXAMPLE_QUESTIONS) + 2
    lines = [HELP_INTRO, "", "Examples:"]
    lines += [f"  {question:<{width}} {what}" for question, what in EXAMPLE_QUESTIONS]
    return "\n".join([*lines, "", FOLLOW_UPS])


def catalog_text(catalog: Catalog) -> str:
    lines: list[str] = []
    for area, metrics in catalog.by_area().items():
        lines += [AREA_TITLES.get(area, area), *(f"  {m.id:<30} {m.label:<32} {m.unit}" for m in metrics), ""]
    return "\n".join(lines).rstrip()


def definition_text(metric: MetricDefinition) -> str:
    lines = [f"{metric.label} ({metric.id})", "", " ".join(metric.description.split()), "",
             f"Formula:    {metric.formula}",
             f"Unit:       {metric.unit}    Kind: {metric.kind}    Better when: {_direction_words(metric.direction)}"]
    if metric.aliases:
        lines.append(f"Also:       {', '.join(metric.aliases)}")
    lines.append(f"Break down: {', '.join(metric.dimensions) if metric.dimensions else 'no dimensions'}")
    if metric.tables:
        lines.append(f"Tables:     {', '.join(metric.tables)}")
    return "\n".join(lines)


def _direction_words(direction: str) -> str:
    return {"higher": "higher", "lower": "lower"}.get(direction, "neither (neutral)")
