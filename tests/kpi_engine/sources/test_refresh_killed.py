"""kill -9 in the middle of a real `kpibot refresh` process: the derived tables stay as the last refresh left them
(nothing half-written), and the next refresh brings them to exactly what a full rebuild gives (nothing lost,
nothing counted twice)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kpi_engine.compute.dialect.source_engine import sqlite_scratch_file
from kpi_engine.settings import Settings
from kpi_engine.sources.refresh import refresh
from kpi_engine.sources.source import forget_sources
from tests.kpi_engine.sources.conftest import SCRATCH, Sourced, make_source
from tests.kpi_engine.sources.test_parity import answer
from tests.kpi_engine.sources.test_refresh import append_events, questions

ROOT = Path(__file__).parents[3]


@pytest.fixture(scope="module")
def sourced(reference: tuple[Engine, Settings], tmp_path_factory: pytest.TempPathFactory,
            sqlite_template: Path) -> Iterator[Sourced]:
    yield from make_source(reference[0], "sqlite", tmp_path_factory.mktemp("killed"), sqlite_template)


def refresh_process(sourced: Sourced, *args: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KPI", "DATABASE_URL"))}
    env.update({"DATABASE_URL": sourced.settings.database_url, "KPI_SOURCE_URL": sourced.source_url,
                "KPI_SOURCE_MAP": str(sourced.settings.kpi_source_map), "KPI_SOURCE_SCRATCH_SCHEMA": SCRATCH,
                "KPI_TIMEZONE": "UTC"})
    return subprocess.Popen([sys.executable, "-m", "bot.cli.main", "refresh", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def kill_while_writing(process: subprocess.Popen[bytes], scratch_file: str) -> None:
    """SIGKILL as soon as the scratch database has an open write transaction (its journal exists)."""
    journals = [Path(scratch_file + suffix) for suffix in ("-journal", "-wal")]
    deadline = time.monotonic() + 120
    while not any(j.exists() for j in journals):
        if process.poll() is not None:
            pytest.fail("the refresh ended before it was killed:\n" + process.communicate()[0].decode()[-2000:])
        assert time.monotonic() < deadline, "the refresh never started writing"
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_killed_refresh_leaves_the_last_state_and_the_next_one_completes(sourced: Sourced, full: bool) -> None:
    assert refresh(sourced.settings).mode in ("current", "incremental", "full")
    if not full:
        append_events(sourced.source_url)  # a new day in the source, not yet in the derived tables
    forget_sources()
    before = [answer(sourced.state, q, sourced.settings) for q in questions()]
    scratch_file = sqlite_scratch_file(sourced.source_url.removeprefix("sqlite:///"), SCRATCH)
    kill_while_writing(refresh_process(sourced, *(["--full"] if full else [])), scratch_file)

    forget_sources()
    assert [answer(sourced.state, q, sourced.settings) for q in questions()] == before  # nothing half-written

    refresh(sourced.settings, full=full)
    forget_sources()
    resumed = [answer(sourced.state, q, sourced.settings) for q in questions()]
    refresh(sourced.settings, full=True)
    forget_sources()
    assert resumed == [answer(sourced.state, q, sourced.settings) for q in questions()]  # nothing lost or twice
    if not full:
        assert resumed != before  # the appended day is in
