"""`kpibot import TABLE FILE [--replace]`: load a data-contract file (CSV or Parquet) into the database."""

from __future__ import annotations

from pathlib import Path
from time import perf_counter

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from bot.cli.context import console, database, err_console, fail, load_settings
from kpi_engine.importing import ImportFailed, import_file, table_names
from kpi_engine.store import StoreUnavailable, open_store, stored_in_store

SHOWN_ERRORS = 50


class BarProgress:
    """A rich progress bar: rows read and rows per second, then the step after reading."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.rows = 0
        self.started = perf_counter()

    def start(self, total: int | None, unit: str) -> None:
        self.task = self.progress.add_task("reading", total=total, rows=0, rate="")
        self.started = perf_counter()

    def advance(self, rows: int, position: int) -> None:
        if self.task is None:
            return
        self.rows += rows
        elapsed = perf_counter() - self.started
        rate = f"{self.rows / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        self.progress.update(self.task, completed=position, rows=self.rows, rate=rate)

    def phase(self, description: str) -> None:
        if self.task is not None:
            self.progress.update(self.task, description=description)


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_command(
        table: str = typer.Argument(..., help=f"Table to load: {', '.join(table_names())}."),
        file: Path = typer.Argument(..., help="A .csv (UTF-8, header line) or .parquet file."),
        replace: bool = typer.Option(False, "--replace", help="Replace the table's contents instead of upserting."),
    ) -> None:
        """Import FILE into TABLE: all rows or none; re-importing the same file changes nothing."""
        settings = load_settings()
        try:
            engine = open_store(settings) if stored_in_store(settings, table) else database(settings)
        except StoreUnavailable as exc:
            raise fail(str(exc)) from exc
        columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[rows]:,} rows"),
                   TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
        try:
            with Progress(*columns, console=err_console, transient=True,
                          disable=not err_console.is_terminal) as progress:
                report = import_file(engine, settings, table, file, replace=replace, progress=BarProgress(progress))
        except ImportFailed as failure:
            for line in failure.lines(SHOWN_ERRORS):
                err_console.print(line, markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from failure
        finally:
            engine.dispose()
        console.print(report.summary(), markup=False, highlight=False, soft_wrap=True)
