"""Golden SQL: the generated queries for mrr and churned_mrr (SQLite dialect, literal binds) do not drift.

To accept a deliberate change, regenerate with `KPIBOT_UPDATE_GOLDEN=1` and review the diff.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite

from kpi_engine.compute.base import ComputeContext
from kpi_engine.compute.registry import computation_for
from kpi_engine.compute.windows import make_windows
from kpi_engine.periods import Period
from kpi_engine.query import Filter
from tests.conftest import make_settings

GOLDEN = Path(__file__).parent / "golden"


def compiled(metric: str) -> str:
    settings = make_settings("sqlite://")
    april = Period.calendar(date(2026, 4, 1), "month")
    ctx = ComputeContext(make_windows([april, april.previous()], settings.tz), settings, "plan",
                         (Filter(dimension="channel", values=("ads", "(none)")),))
    (stmt,) = computation_for(metric).plan(ctx)
    return str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})) + "\n"


@pytest.mark.parametrize("metric", ["mrr", "churned_mrr"])
def test_generated_sql(metric: str) -> None:
    path = GOLDEN / f"{metric}.sql"
    if os.environ.get("KPIBOT_UPDATE_GOLDEN"):
        path.write_text(compiled(metric), encoding="utf-8")
    assert compiled(metric) == path.read_text(encoding="utf-8")
