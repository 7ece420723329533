"""`kpibot demo [--scale small|medium|large] [--end YYYY-MM-DD] [--seed N]`: fill the database with a
deterministic synthetic SaaS company (replacing what the data tables hold)."""

from __future__ import annotations

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.engine import make_url

from bot.cli.context import console, database, err_console, fail, load_settings
from kpi_engine.demo import DEFAULT_SEED, DEMO_TABLES, DERIVED_STEP, PUBLIC_SCALES, SCALES, build_demo
from kpi_engine.store import StoreUnavailable, open_store, survey_answers_to_state


class StepBars:
    """One rich progress bar per step (table), created when the step starts."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, step: str, done: int, total: int) -> None:
        if step not in self.tasks:
            self.tasks[step] = self.progress.add_task(step, total=max(total, 1))
        self.progress.update(self.tasks[step], completed=done, total=max(total, 1))


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        scale: str = typer.Option("small", "--scale", help=f"Size: {' | '.join(PUBLIC_SCALES)} "
                                  "(≈ 100 thousand, 1 million, 10 million events)."),
        end: str = typer.Option(None, "--end", help="Last day of the two years of history (default: today)."),
        seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Same end, scale and seed give the same data."),
    ) -> None:
        """Create the database (DATABASE_URL, or the embedded one) and fill it with a demo company.

        WIPES the data tables first: everything imported before is replaced.
        """
        if scale not in SCALES:
            raise fail(f"--scale must be one of {', '.join(PUBLIC_SCALES)}, not {scale!r}", 2)
        settings = load_settings()
        last_day = end_day(end, settings.tz)
        url = make_url(settings.kpi_data_url or settings.database_url).render_as_string(hide_password=True)
        console.print(f"Demo company: scale [bold]{scale}[/bold], two years of history ending {last_day}, "
                      f"seed {seed}, time zone {settings.kpi_timezone}")
        console.print(f"Database: {url}")
        tables = ", ".join(t.name for t in DEMO_TABLES)
        console.print(f"[yellow]Wiping and refilling these tables:[/yellow] {tables}")
        state = database(settings)
        try:
            engine = open_store(settings) if settings.kpi_data_url else state
        except StoreUnavailable as exc:
            state.dispose()
            raise fail(str(exc)) from exc
        timings: dict[str, float] = {}
        started = time.perf_counter()
        columns = (TextColumn("{task.description:<18}"), BarColumn(), TextColumn("{task.completed:>12,}"),
                   TimeElapsedColumn())
        try:
            with Progress(*columns, console=err_console, disable=not err_console.is_terminal) as progress:
                counts = build_demo(engine, settings, scale, last_day, seed, StepBars(progress), timings)
            if engine is not state:
                survey_answers_to_state(engine, state)
        finally:
            engine.dispose()
            state.dispose()
        elapsed = time.perf_counter() - started
        console.print(summary(counts, timings, elapsed))
        console.print('Try a first question: [bold]kpibot ask "mrr by plan"[/bold]')


def end_day(value: str | None, tz: ZoneInfo) -> date:
    if value is None:
        return datetime.now(tz).date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"--end must be a date like 2026-03-31, not {value!r}", 2) from exc


def summary(counts: dict[str, int], timings: dict[str, float], elapsed: float) -> Table:
    table = Table(title="Demo data written")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("seconds", justify="right")
    for name, rows in counts.items():
        table.add_row(name, f"{rows:,}", f"{timings.get(name, 0.0):.1f}")
    table.add_row(DERIVED_STEP, "", f"{timings.get(DERIVED_STEP, 0.0):.1f}")
    table.add_row("[bold]total[/bold]", f"{sum(counts.values()):,}", f"{elapsed:.1f}")
    return table
