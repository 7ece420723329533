"""`kpibot serve` warms up before it listens: the derived tables are made current and the answer path is loaded."""

from __future__ import annotations

from sqlalchemy import select

from bot.cli.serve import warm_up
from kpi_engine.db.models import DerivedState


def test_warm_up_makes_the_derived_tables_current(bot_app, bot_settings, engine) -> None:
    warm_up(bot_app, bot_settings)
    with engine.connect() as conn:
        assert conn.execute(select(DerivedState.value).where(DerivedState.key == "usage.version")).scalar()
