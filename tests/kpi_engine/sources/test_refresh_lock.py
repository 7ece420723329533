"""One refresh of a target at a time, across processes: while the target's refresh lock is held (here by the test's
own process, as a refresh holds it for its whole build), a `kpibot refresh` process skips with one line naming
the holder; a refresh asked to wait (a thread, or `kpibot refresh --wait`) waits until the lock is released, then
refreshes. On SQLite the
lock is a file lock beside the scratch database; on PostgreSQL an advisory lock every replica sees."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from kpi_engine.compute.dialect.locks import database_lock
from kpi_engine.settings import Settings
from kpi_engine.sources.refresh import RefreshOutcome, refresh
from tests.kpi_engine.sources.conftest import SCRATCH, Sourced, make_source

ROOT = Path(__file__).parents[3]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sourced(request: pytest.FixtureRequest, reference: tuple[Engine, Settings],
            tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Sourced]:
    yield from make_source(reference[0], request.param, tmp_path_factory.mktemp(f"lock_{request.param}"),
                           sqlite_template)


def refresh_env(sourced: Sourced) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KPI", "DATABASE_URL"))}
    env.update({"DATABASE_URL": sourced.settings.database_url, "KPI_SOURCE_URL": sourced.source_url,
                "KPI_SOURCE_MAP": str(sourced.settings.kpi_source_map), "KPI_SOURCE_SCRATCH_SCHEMA": SCRATCH,
                "KPI_TIMEZONE": "UTC", "COLUMNS": "300"})
    return env


def refresh_process(sourced: Sourced) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli.main", "refresh"], cwd=ROOT, env=refresh_env(sourced),
                          capture_output=True, text=True, timeout=300)


def test_a_second_refresh_process_skips_while_the_target_is_locked(sourced: Sourced) -> None:
    target = create_engine(sourced.source_url)  # the scratch schema lives in the source
    try:
        with database_lock(target, "kpibot-refresh", wait=False, schema=SCRATCH):
            skipped = refresh_process(sourced)
    finally:
        target.dispose()
    assert skipped.returncode == 0, skipped.stderr
    line = skipped.stdout.strip()
    assert line.startswith(f"refresh skipped: another refresh of schema {SCRATCH} of "), line
    if sourced.backend == "sqlite":
        assert f"(process {os.getpid()} on {socket.gethostname()} since " in line
    else:
        assert "(PostgreSQL session " in line
    after = refresh_process(sourced)
    assert after.returncode == 0 and after.stdout.startswith("refresh current"), after.stdout + after.stderr


def test_a_refresh_asked_to_wait_waits_for_the_lock(sourced: Sourced) -> None:
    outcomes: list[RefreshOutcome] = []
    target = create_engine(sourced.source_url)
    try:
        with database_lock(target, "kpibot-refresh", wait=False, schema=SCRATCH):
            waiting = threading.Thread(target=lambda: outcomes.append(refresh(sourced.settings, wait=True)))
            waiting.start()
            waiting.join(timeout=3)
            assert waiting.is_alive() and not outcomes  # still waiting for the lock
        waiting.join(timeout=120)
    finally:
        target.dispose()
    assert [o.mode for o in outcomes] == ["current"]


def test_a_refresh_process_asked_to_wait_refreshes_once_the_lock_is_released(sourced: Sourced) -> None:
    target = create_engine(sourced.source_url)
    try:
        with database_lock(target, "kpibot-refresh", wait=False, schema=SCRATCH):
            waiting = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "refresh", "--wait"], cwd=ROOT,
                                       env=refresh_env(sourced), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True)
            with pytest.raises(subprocess.TimeoutExpired):
                waiting.wait(timeout=8)  # started, and still waiting for the lock
        output = waiting.communicate(timeout=300)[0]
    finally:
        target.dispose()
    assert waiting.returncode == 0 and output.startswith("refresh current"), output
