"""`kpibot metrics` (the catalog by area) and `kpibot metrics show ID` (one definition)."""

from __future__ import annotations

import json

import typer
from rapidfuzz import fuzz, process
from rich.markup import escape
from rich.table import Table

from bot.cli.context import console, fail, load_settings
from kpi_engine.answers.ask import resolve_catalog
from kpi_engine.catalog import Catalog, MetricDefinition, load_catalog
from kpi_engine.catalog.model import AREA_TITLES
from kpi_engine.db import make_engine
from kpi_engine.settings import Settings

metrics_app = typer.Typer(help="The metric catalog (data dictionary).", invoke_without_command=True,
                          no_args_is_help=False)

DIRECTION_WORDS = {"higher": "higher is better", "lower": "lower is better", "neutral": "neither"}


def register(app: typer.Typer) -> None:
    app.add_typer(metrics_app, name="metrics")


def catalog_for(settings: Settings) -> Catalog:
    """Built-in metrics, plus the custom metrics file when one is configured."""
    if settings.kpi_custom_metrics_file is None:
        return load_catalog()
    engine = make_engine(settings.database_url)
    try:
        return resolve_catalog(engine, settings)
    except ValueError as exc:
        raise fail(f"The custom metrics file is not valid: {exc}") from exc
    finally:
        engine.dispose()


@metrics_app.callback()
def list_metrics(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the catalog as JSON."),
) -> None:
    """List every metric by area: id, label, unit, kind."""
    if ctx.invoked_subcommand is not None:
        return
    catalog = catalog_for(load_settings())
    if as_json:
        typer.echo(json.dumps([m.model_dump(mode="json") for m in catalog], ensure_ascii=False))
        return
    for area, metrics in catalog.by_area().items():
        table = Table(title=AREA_TITLES.get(area, area), title_justify="left", show_lines=False)
        for column in ("id", "label", "unit", "kind"):
            table.add_column(column, no_wrap=column == "id")
        for metric in metrics:
            table.add_row(metric.id, metric.label, metric.unit, metric.kind)
        console.print(table)


@metrics_app.command("show")
def show_metric(
    metric_id: str = typer.Argument(..., help="A metric id, label or alias."),
    as_json: bool = typer.Option(False, "--json", help="Print the definition as JSON."),
) -> None:
    """Show one metric's definition: aliases, formula, dimensions, direction."""
    catalog = catalog_for(load_settings())
    metric = catalog.find(metric_id)
    if metric is None:
        raise fail(f"Unknown metric {metric_id!r}." + _did_you_mean(catalog, metric_id))
    if as_json:
        typer.echo(json.dumps(metric.model_dump(mode="json"), ensure_ascii=False))
        return
    console.print(definition_table(metric))


def definition_table(metric: MetricDefinition) -> Table:
    table = Table(title=f"{metric.label} ({metric.id})", title_justify="left", show_header=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    rows = [
        ("Description", " ".join(metric.description.split())),
        ("Formula", metric.formula),
        ("Area", AREA_TITLES.get(metric.area, metric.area)),
        ("Unit", metric.unit),
        ("Kind", metric.kind),
        ("Direction", DIRECTION_WORDS.get(metric.direction, metric.direction)),
        ("Dimensions", ", ".join(metric.dimensions) or "none"),
        ("Aliases", ", ".join(metric.aliases) or "none"),
        ("Tables", ", ".join(metric.tables) or "none"),
    ]
    if metric.group:
        rows.append(("Access group", metric.group))
    for field, value in rows:
        table.add_row(field, escape(value))
    return table


def _did_you_mean(catalog: Catalog, name: str) -> str:
    matches = process.extract(name.lower(), list(catalog.names()), scorer=fuzz.ratio, limit=5, score_cutoff=55)
    ids: list[str] = []
    for key, _score, _index in matches:
        metric_id = catalog.names()[key]
        if metric_id not in ids:
            ids.append(metric_id)
    return f" Did you mean: {', '.join(ids[:3])}?" if ids else " `kpibot metrics` lists them all."
