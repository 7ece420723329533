"""`kpibot ask "QUESTION" [--as-of YYYY-MM-DD] [--json] [--chart FILE.png|FILE.jpg]`: answer like the bot does.

The text answer is printed with rich in the structure of the Slack message (kpi_engine.answers.terminal).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from bot.cli.context import as_of_day, console, database, err_console, load_settings
from kpi_engine.answers.ask import Answer, answer_question
from kpi_engine.answers.terminal import answer_texts, render_answer
from kpi_engine.catalog import Catalog
from kpi_engine.results import MetricResult, TableResult


def register(app: typer.Typer) -> None:
    app.command("ask", help="Answer a question about a KPI, like the bot does.")(ask)


def ask(
    question: str = typer.Argument(..., help="The question, e.g. \"mrr by plan last month\"."),
    as_of: str | None = typer.Option(None, "--as-of", help="The day treated as today (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of text."),
    chart: Path | None = typer.Option(None, "--chart", help="Write the answer's chart to this PNG (or JPEG) file.",
                                      dir_okay=False),
) -> None:
    if chart is not None:
        check_chart_path(chart)
    settings = load_settings()
    day = as_of_day(as_of, settings)
    engine = database(settings)
    try:
        answer = answer_question(question, engine=engine, settings=settings, as_of=day)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(answer_json(answer), ensure_ascii=False, default=str))
    else:
        console.print(Text("\n").join(answer_texts(answer)), soft_wrap=True, highlight=False)
    if answer.error is not None:
        raise typer.Exit(1)
    if chart is not None:
        write_chart(answer, chart)


def answer_json(answer: Answer) -> dict[str, Any]:
    """The DESIGN.md contract for results; `{"error", "suggestions"}` for questions that could not be answered."""
    if answer.error is not None:
        return {"error": answer.error, "suggestions": [m.id for m in answer.suggestions]}
    if isinstance(answer.result, MetricResult | TableResult):
        return answer.result.to_json()
    if answer.intent == "define" and answer.metric is not None:
        return {"definition": answer.metric.model_dump(mode="json")}
    if answer.intent == "list" and answer.catalog is not None:
        return {"metrics": catalog_json(answer.catalog)}
    return {"help": render_answer(answer)}


def catalog_json(catalog: Catalog) -> list[dict[str, Any]]:
    return [{"id": m.id, "label": m.label, "area": m.area, "unit": m.unit, "kind": m.kind} for m in catalog]


CHART_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


def check_chart_path(path: Path) -> None:
    """One line and exit 2, before any work, for a chart file that cannot be written."""
    if path.suffix.lower() not in CHART_FORMATS:
        raise one_line_error(f"--chart writes a .png or .jpg file, not {path.name!r}", 2)
    if not path.parent.is_dir():
        raise one_line_error(f"--chart: the folder {str(path.parent)!r} does not exist", 2)


def one_line_error(message: str, code: int) -> typer.Exit:
    err_console.print(Text(message, style="red"), soft_wrap=True)
    return typer.Exit(code)


def chart_bytes(png: bytes, path: Path) -> bytes:
    """The PNG as is, or converted to JPEG (white background) for a .jpg/.jpeg path."""
    if CHART_FORMATS[path.suffix.lower()] == "PNG":
        return png
    from PIL import Image  # matplotlib depends on Pillow

    with Image.open(io.BytesIO(png)) as image:
        rgb = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        rgb.paste(rgba, mask=rgba.getchannel("A"))
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=92)
    return out.getvalue()


def write_chart(answer: Answer, path: Path) -> None:
    from kpi_engine.charts import render_chart

    if answer.result is None:
        err_console.print("No chart: this answer has no numbers to draw.")
        return
    png = render_chart(answer.result, currency=answer.currency)
    if png is None:
        err_console.print("No chart: there is no data to draw for this answer.")
        return
    try:
        path.write_bytes(chart_bytes(png, path))
    except OSError as exc:
        raise one_line_error(f"--chart: could not write {str(path)!r}: {exc.strerror or exc}", 1) from None
    err_console.print(f"Chart written to {path}")
