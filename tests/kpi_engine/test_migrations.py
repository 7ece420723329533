"""The migrations create exactly the schema the models describe, form one chain, and downgrade cleanly."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from kpi_engine.db.engine import alembic_config
from kpi_engine.db.models import every_table

SLACK_SDK_OAUTH_TABLES = {"slack_installations", "slack_bots", "slack_oauth_states"}


def test_one_linear_chain_of_migrations() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1


def test_migrated_schema_matches_the_models(engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), every_table())
    # slack_sdk's own OAuth tables are created by migration 0003 but belong to slack_sdk, not to our models
    unexpected = [d for d in diff if not (d[0] == "remove_table" and d[1].name in SLACK_SDK_OAUTH_TABLES)
                  and not (d[0] == "remove_index" and d[1].table.name in SLACK_SDK_OAUTH_TABLES)]
    assert unexpected == []


def test_downgrade_to_base_and_back(engine) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    assert "subscriptions" in inspect(engine).get_table_names()
