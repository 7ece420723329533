"""`kpibot refresh`: build the derived usage tables from the source (incremental from a watermark)."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.context import console, fail, load_settings


def register(app: typer.Typer) -> None:
    app.command("refresh")(refresh_command)


def refresh_command(
    full: Annotated[bool, typer.Option("--full", help="Rebuild everything instead of from the watermark.")] = False,
    wait: Annotated[bool, typer.Option("--wait", help="When another process is refreshing the same tables, wait "
                                                      "for it instead of skipping.")] = False,
) -> None:
    """Build the derived usage tables (user-days, sessions, rollups) from the source's events: into
    KPI_SOURCE_SCRATCH_SCHEMA when set, else into DATABASE_URL. Incremental from the newest event seen last time."""
    from kpi_engine.sources.refresh import RefreshNotPossible, refresh
    from kpi_engine.sources.source import NoDataSource, SourceUnavailable

    settings = load_settings()
    if not settings.uses_source:
        raise fail("no source configured (KPI_SOURCE_URL / KPI_SOURCE_MAP): `kpibot import` keeps the usage tables "
                   "current by itself")
    try:
        outcome = refresh(settings, full=full, wait=wait)
    except (RefreshNotPossible, SourceUnavailable, NoDataSource) as exc:
        raise fail(str(exc)) from exc
    console.print(outcome.line(), highlight=False, soft_wrap=True)
