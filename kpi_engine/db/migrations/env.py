"""Alembic environment: runs against the connection handed over by `upgrade_schema`, or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kpi_engine.db.models import every_table

config = context.config
target_metadata = every_table()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from kpi_engine.db.engine import make_engine
        from kpi_engine.settings import Settings

        engine = make_engine(Settings().database_url)
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
