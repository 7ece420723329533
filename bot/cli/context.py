"""What CLI commands share: settings, an open database, the as-of day, and error reporting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy import Engine

from bot.settings import AppSettings
from kpi_engine.db import open_database
from kpi_engine.settings import Settings

console = Console()
err_console = Console(stderr=True)


T = TypeVar("T")


def load_settings() -> Settings:
    """The data section only (commands that never talk to Slack)."""
    return _validated(Settings)


def load_app_settings() -> AppSettings:
    """Every section: data, Slack, server and scheduling."""
    return _validated(AppSettings.load)


def _validated(load: Callable[[], T]) -> T:
    try:
        return load()
    except ValidationError as exc:
        for error in exc.errors():
            err_console.print(f"[red]Configuration error[/red] {'.'.join(map(str, error['loc']))}: {error['msg']}")
        raise typer.Exit(2) from exc


def database(settings: Settings) -> Engine:
    return open_database(settings)


def as_of_day(value: str | None, settings: Settings) -> date:
    if value is None:
        return datetime.now(settings.tz).date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        err_console.print(f"[red]--as-of must be a date like 2026-03-31, not {value!r}[/red]")
        raise typer.Exit(2) from exc


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]{message}[/red]")
    return typer.Exit(code)
