"""`kpibot ask "QUESTION" [--as-of YYYY-MM-DD] [--json] [--chart FILE.png]`: answer like the bot does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from bot.cli.context import as_of_day, database, err_console, load_settings
from kpi_engine.answers.ask import Answer, answer_question, one_answer_json
from kpi_engine.answers.terminal import render_answer
from kpi_engine.catalog import Catalog
from kpi_engine.results import MetricResult, TableResult


def register(app: typer.Typer) -> None:
    app.command("ask", help="Answer a question about a KPI, like the bot does.")(ask)


def ask(
    question: str = typer.Argument(..., help="The question, e.g. \"mrr by plan last month\"."),
    as_of: str | None = typer.Option(None, "--as-of", help="The day treated as today (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of text."),
    chart: Path | None = typer.Option(None, "--chart", help="Write the answer's chart to this PNG file.",
                                      dir_okay=False, writable=True),
) -> None:
    settings = load_settings()
    day = as_of_day(as_of, settings)
    engine = database(settings)
    try:
        answer = answer_question(question, engine=engine, settings=settings, as_of=day)
    finally:
        engine.dispose()
    if as_json:
        payload = [answer_json(one) for one in answer.answers]  # several metrics: {"answers": [...]}
        typer.echo(json.dumps(payload[0] if len(payload) == 1 else {"answers": payload}, ensure_ascii=False,
                              default=str))
    else:
        typer.echo("\n\n".join(render_answer(one) for one in answer.answers))
    if answer.error is not None:
        raise typer.Exit(1)
    if chart is not None:
        write_chart(answer, chart)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The DESIGN.md contract for results; `{"error", "suggestions"}` for questions that could not be answered."""
    if answer.error is not None:
        return {"error": answer.error, "suggestions": [m.id for m in answer.suggestions]}
    if isinstance(answer.result, MetricResult | TableResult):
        return one_answer_json(answer)  # the result's JSON with the second dimension and the words
    if answer.intent == "define" and answer.metric is not None:
        return {"definition": answer.metric.model_dump(mode="json")}
    if answer.intent == "list" and answer.catalog is not None:
        return {"metrics": catalog_json(answer.catalog)}
    return {"help": render_answer(answer)}


def catalog_json(catalog: Catalog) -> list[dict[str, Any]]:
    return [{"id": m.id, "label": m.label, "area": m.area, "unit": m.unit, "kind": m.kind} for m in catalog]


def write_chart(answer: Answer, path: Path) -> None:
    from kpi_engine.charts import render_chart

    if answer.result is None:
        err_console.print("No chart: this answer has no numbers to draw.")
        return
    png = render_chart(answer.result, currency=answer.currency)
    if png is None:
        err_console.print("No chart: there is no data to draw for this answer.")
        return
    path.write_bytes(png)
    err_console.print(f"Chart written to {path}")
