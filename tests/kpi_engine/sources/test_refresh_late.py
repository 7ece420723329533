"""Late-arriving events: stamped before the last refresh's watermark, they reach the source after it. An incremental
refresh re-reads KPI_REFRESH_LOOKBACK_HOURS (72 by default) before the watermark: a late event within them is
counted, and the tables equal a full rebuild; one older than that waits for `refresh --full`.

The tiny demo's newest event is 2026-05-15 23:51:36 (the watermark); 72 hours before it is 2026-05-12 23:51:36,
so the incremental refresh rebuilds from the local day 2026-05-12 on. Each late event is a page view of a user
without any other event that day: one more session and one more active user on its day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.refresh import refresh
from kpi_engine.sources.source import forget_sources
from tests.kpi_engine.demo.conftest import DEMO_END
from tests.kpi_engine.sources.conftest import Sourced, make_source
from tests.kpi_engine.sources.support import source_column, source_name
from tests.kpi_engine.sources.test_parity import answer

WITHIN = date(2026, 5, 14)  # inside the 72 hours before the watermark
BEFORE = date(2026, 5, 10)  # older than that


@pytest.fixture(scope="module")
def sourced(reference: tuple[Engine, Settings], tmp_path_factory: pytest.TempPathFactory,
            sqlite_template: Path) -> Iterator[Sourced]:
    yield from make_source(reference[0], "sqlite", tmp_path_factory.mktemp("late"), sqlite_template)


def add_late_event(url: str, day: date, event_id: str) -> None:
    """A page view at noon of `day` by a user who has no event that day."""
    c = source_column
    engine = create_engine(url)
    with engine.begin() as conn:
        user = conn.execute(text(
            f"SELECT {c('user_id')} FROM {source_name('users')} WHERE {c('user_id')} NOT IN (SELECT {c('user_id')} "
            f"FROM {source_name('events')} WHERE substr({c('occurred_at')}, 1, 10) = :day) ORDER BY {c('user_id')} "
            "LIMIT 1"), {"day": day.isoformat()}).scalar_one()
        conn.execute(text(f"INSERT INTO {source_name('events')} ({c('event_id')}, {c('user_id')}, {c('occurred_at')}, "
                          f"{c('name')}) VALUES (:id, :user, :at, 'page_view')"),
                     {"id": event_id, "user": user, "at": f"{day.isoformat()} 12:00:00.000000"})
    engine.dispose()


def on_day(sourced: Sourced, metric: str, day: date) -> float:
    forget_sources()
    got = answer(sourced.state, MetricQuery(metric=metric, as_of=DEMO_END, period=Period(day, day)), sourced.settings)
    assert isinstance(got, dict), got
    return float(got["value"])


def usage_answers(sourced: Sourced) -> list[object]:
    forget_sources()
    queries = [MetricQuery(metric=m, as_of=DEMO_END, granularity="week") for m in ("sessions", "dau", "page_views")]
    queries.append(MetricQuery(metric="active_users", as_of=DEMO_END, breakdown="plan"))
    return [answer(sourced.state, q, sourced.settings) for q in queries]


def test_a_late_event_within_the_lookback_is_counted_and_equals_a_full_rebuild(sourced: Sourced) -> None:
    assert sourced.settings.kpi_refresh_lookback_hours == 72
    sessions, dau = on_day(sourced, "sessions", WITHIN), on_day(sourced, "dau", WITHIN)
    add_late_event(sourced.source_url, WITHIN, "late-within")
    outcome = refresh(sourced.settings)
    assert outcome.mode == "current"  # no event newer than the watermark, yet the lookback was read again
    assert outcome.watermark is not None and outcome.watermark.isoformat(sep=" ") == "2026-05-15 23:51:36"
    assert (on_day(sourced, "sessions", WITHIN), on_day(sourced, "dau", WITHIN)) == (sessions + 1, dau + 1)
    incremental = usage_answers(sourced)
    assert refresh(sourced.settings, full=True).mode == "full"
    assert usage_answers(sourced) == incremental


def test_a_late_event_older_than_the_lookback_waits_for_a_full_refresh(sourced: Sourced) -> None:
    sessions = on_day(sourced, "sessions", BEFORE)
    add_late_event(sourced.source_url, BEFORE, "late-before")
    assert refresh(sourced.settings).mode == "current"
    assert on_day(sourced, "sessions", BEFORE) == sessions  # before 2026-05-12: not read again
    assert refresh(sourced.settings, full=True).mode == "full"
    assert on_day(sourced, "sessions", BEFORE) == sessions + 1
