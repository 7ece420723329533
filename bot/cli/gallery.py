"""`kpibot gallery DIR`: every chart type drawn from the current database, one PNG each (the README pictures)."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.context import as_of_day, console, database, load_settings


def register(app: typer.Typer) -> None:
    @app.command("gallery")
    def gallery(
        directory: Path = typer.Argument(..., help="Where to write the PNG files (created if missing)."),
        as_of: str | None = typer.Option(None, "--as-of", help="The day treated as today, YYYY-MM-DD."),
        only: list[str] = typer.Option([], "--only", help="Only these chart types (line, bars, retention, ...)."),
    ) -> None:
        """Draw every chart type on the current database into DIR (line.png, bars.png, retention.png, ...)."""
        from kpi_engine.catalog import load_catalog
        from kpi_engine.charts.gallery import gallery_charts

        settings = load_settings()
        engine = database(settings)
        day = as_of_day(as_of, settings)
        directory.mkdir(parents=True, exist_ok=True)
        charts = gallery_charts(engine, settings, load_catalog(settings, engine), day, set(only) or None)
        for chart in charts:
            path = directory / f"{chart.name}.png"
            path.write_bytes(chart.png)
            console.print(f"{path}  ({len(chart.png) // 1024} kB)")
        if not charts:
            console.print("No charts: the database has no data to draw.")
