"""`kpibot db upgrade`: bring the database schema to the latest migration."""

from __future__ import annotations

import typer

from bot.cli.context import console, load_settings
from kpi_engine.db import make_engine, upgrade_schema


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="Database schema management.", no_args_is_help=True)

    @db_app.command("upgrade")
    def upgrade(revision: str = typer.Argument("heads", help="Target revision.")) -> None:
        """Apply Alembic migrations up to REVISION (default: the latest)."""
        settings = load_settings()
        upgrade_schema(make_engine(settings.database_url), revision)
        console.print(f"Database schema upgraded to {revision}.")

    app.add_typer(db_app, name="db")
