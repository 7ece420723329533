"""Migration 0004 creates exactly what the survey campaign models describe (both backends)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from kpi_engine.db.models import every_table, survey_campaigns

MY_TABLES = {m.__tablename__ for m in (survey_campaigns.SurveyCampaign, survey_campaigns.SurveyDeliveryState,
                                        survey_campaigns.SurveyContact, survey_campaigns.SurveyAccountLink)}


def _table_of(diff: Any) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else None
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if name in MY_TABLES:
            return name
    return item[2] if len(item) > 2 and isinstance(item[2], str) else None


def test_models_and_migration_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, every_table())
    mine = [d for d in diffs if _table_of(d) in MY_TABLES]
    assert mine == []
