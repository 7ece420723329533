"""`kpibot refresh` is incremental from its watermark: after a day of events is appended to the source, the
incremental refresh gives the same answers as a full rebuild, and the new day counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from typer.testing import CliRunner

from bot.cli.main import build_app
from kpi_engine.query import MetricQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.refresh import refresh
from kpi_engine.sources.source import forget_sources
from tests.kpi_engine.demo.conftest import DEMO_END
from tests.kpi_engine.sources.conftest import Sourced, make_source
from tests.kpi_engine.sources.support import source_column, source_name
from tests.kpi_engine.sources.test_parity import answer

NEXT_DAY = date(2026, 5, 16)


@pytest.fixture(scope="module")
def sourced(reference: tuple[Engine, Settings], tmp_path_factory: pytest.TempPathFactory,
            sqlite_template: Path) -> Iterator[Sourced]:
    yield from make_source(reference[0], "sqlite", tmp_path_factory.mktemp("refresh"), sqlite_template)


def append_events(url: str) -> None:
    """Three events of one new user-day, an hour apart (one gap session each with a 30-minute gap)."""
    c = source_column
    engine = create_engine(url)
    with engine.begin() as conn:
        user = conn.execute(text(f"SELECT {c('user_id')} FROM {source_name('users')} LIMIT 1")).scalar_one()
        for hour in (9, 10, 11):
            conn.execute(text(f"INSERT INTO {source_name('events')} ({c('event_id')}, {c('user_id')}, "
                              f"{c('occurred_at')}, {c('name')}) VALUES (:id, :user, :at, 'page_view')"),
                         {"id": f"new-{hour}", "user": user, "at": f"2026-05-16 {hour:02d}:00:00.000000"})
    engine.dispose()


def questions() -> list[MetricQuery]:
    weekly = [MetricQuery(metric=m, as_of=NEXT_DAY, granularity="week") for m in ("sessions", "dau", "page_views")]
    return [MetricQuery(metric="active_users", as_of=NEXT_DAY), *weekly]


def test_appended_day_incrementally_equals_full_rebuild(sourced: Sourced) -> None:
    from kpi_engine.periods import Period

    assert refresh(sourced.settings).mode == "current"
    append_events(sourced.source_url)
    result = CliRunner().invoke(build_app("refresh"), ["refresh"], env={
        "DATABASE_URL": sourced.settings.database_url, "KPI_SOURCE_URL": sourced.source_url,
        "KPI_SOURCE_MAP": str(sourced.settings.kpi_source_map), "KPI_SOURCE_SCRATCH_SCHEMA": "kpi",
        "KPI_TIMEZONE": "UTC"})
    assert result.exit_code == 0, result.output
    assert "refresh incremental" in result.output and "newest event 2026-05-16 11:00:00" in result.output
    forget_sources()
    one_day = MetricQuery(metric="sessions", as_of=NEXT_DAY, period=Period(NEXT_DAY, NEXT_DAY))
    assert answer(sourced.state, one_day, sourced.settings)["value"] == 3  # three events an hour apart
    incremental = [answer(sourced.state, q, sourced.settings) for q in questions()]
    assert refresh(sourced.settings, full=True).mode == "full"
    forget_sources()
    assert [answer(sourced.state, q, sourced.settings) for q in questions()] == incremental
    assert DEMO_END < NEXT_DAY  # the appended day is after the demo's history
