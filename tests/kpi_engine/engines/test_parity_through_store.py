"""The parity question set answered from the columnar store (KPI_DATA_URL): every contract table of the tiny demo
imported with `kpibot import` (as a user runs it: validation, upsert and the derived tables, all inside the
DuckDB file), the survey answers given in Slack in DATABASE_URL. Every answer equals SQLite's on the same data.

Then the next-day path: the same events imported in two parts (the second one appended to a store already
holding the first, so its derived tables are brought up to date incrementally) leave the same derived tables as
one import of them all."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bot.cli.main import build_app
from kpi_engine.settings import Settings
from kpi_engine.sources.contract import DERIVED_TABLES
from kpi_engine.sources.source import forget_sources
from tests.conftest import make_settings
from tests.kpi_engine.engines.conftest import ParityDemo, Reference, parity_questions
from tests.kpi_engine.engines.questions import Question, differences
from tests.kpi_engine.engines.test_parity_through_source import SourcedDemo, ask, state_with_survey_answers

QUESTIONS = [pytest.param(q, id=q.label) for q in parity_questions()]
# references first: users name their account, events their user, ...
IMPORT_ORDER = ("accounts", "users", "subscriptions", "trials", "features", "orders", "events", "marketing_spend",
                "tickets", "work_items", "releases")


def kpibot_import(settings: Settings, table: str, path: Path) -> str:
    env = {"DATABASE_URL": settings.database_url, "KPI_DATA_URL": settings.kpi_data_url, "KPI_TIMEZONE": "UTC",
           "COLUMNS": "200"}
    result = CliRunner().invoke(build_app("import"), ["import", table, str(path)], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def store_settings(parity_demo: ParityDemo, directory: Path, name: str) -> Settings:
    return make_settings(f"sqlite:///{directory / 'state.sqlite3'}", KPI_DATA_URL=f"duckdb:///{directory / name}",
                         KPI_CUSTOM_METRICS_FILE=str(parity_demo.settings.kpi_custom_metrics_file))


@pytest.fixture(scope="module")
def store_demo(parity_demo: ParityDemo, sqlite_template: Path) -> Iterator[SourcedDemo]:
    directory = parity_demo.directory / "through_store"
    directory.mkdir(exist_ok=True)
    state = state_with_survey_answers(parity_demo, sqlite_template, directory / "state.sqlite3")
    settings = store_settings(parity_demo, directory, "data.duckdb")
    forget_sources()
    for table in IMPORT_ORDER:
        output = kpibot_import(settings, table, parity_demo.parquet[table])
        rows = pq.read_metadata(parity_demo.parquet[table]).num_rows
        assert f"{rows:,} inserted" in output, output
    forget_sources()
    yield SourcedDemo(state, settings)
    forget_sources()
    state.dispose()


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_from_the_store_equal_sqlite(store_demo: SourcedDemo, reference: Reference,
                                             question: Question) -> None:
    actual = ask(store_demo, question)
    problems = differences(reference.answers[question.label], actual)
    assert not problems, f"{question.label} from KPI_DATA_URL: " + "; ".join(problems[:5])


def test_the_store_keeps_its_tables_columnar_without_secondary_indexes(store_demo: SourcedDemo) -> None:
    """The store's tables carry no index (a columnar scan needs none; imports merge by key themselves)."""
    forget_sources()
    path = store_demo.settings.kpi_data_url.removeprefix("duckdb:///")  # type: ignore[union-attr]
    with duckdb.connect(path, read_only=True) as conn:
        indexes = conn.execute("SELECT index_name FROM duckdb_indexes()").fetchall()
        keyed = {row[0] for row in conn.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
        events = conn.execute("SELECT count(*) FROM events").fetchone()
    assert indexes == []
    assert keyed == {"derived_state"}
    assert events is not None and events[0] > 0


def derived_rows(path: str) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(path, read_only=True) as conn:
        out = {}
        for table in DERIVED_TABLES:
            if table == "derived_state":  # its watermark and fingerprints, not rows of the answers
                continue
            out[table] = conn.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    return out


def test_a_next_day_import_into_the_store_leaves_the_derived_tables_of_one_whole_import(
        store_demo: SourcedDemo, parity_demo: ParityDemo, sqlite_template: Path) -> None:
    directory = parity_demo.directory / "store_next_day"
    directory.mkdir(exist_ok=True)
    state_with_survey_answers(parity_demo, sqlite_template, directory / "state.sqlite3").dispose()
    settings = store_settings(parity_demo, directory, "data.duckdb")
    events = pq.read_table(parity_demo.parquet["events"])
    times = events.column("occurred_at")
    first, last = pc.min(times).as_py(), pc.max(times).as_py()
    cut = pa.scalar(last - (last - first) / 20, times.type)  # the last twentieth of the history comes a day later
    before = events.filter(pc.less(times, cut))
    after = events.filter(pc.greater_equal(times, cut))
    assert before.num_rows and after.num_rows
    pq.write_table(before, directory / "events_before.parquet")
    pq.write_table(after, directory / "events_after.parquet")
    forget_sources()
    for table in IMPORT_ORDER:
        if table == "events":
            kpibot_import(settings, table, directory / "events_before.parquet")
            output = kpibot_import(settings, table, directory / "events_after.parquet")
            assert f"{after.num_rows:,} inserted" in output
        else:
            kpibot_import(settings, table, parity_demo.parquet[table])
    forget_sources()
    whole = derived_rows(store_demo.settings.kpi_data_url.removeprefix("duckdb:///"))  # type: ignore[union-attr]
    appended = derived_rows(str(directory / "data.duckdb"))
    assert whole["sessions"] and whole["usage_days"]
    for table, rows in whole.items():
        assert appended[table] == rows, f"{table}: the appended store differs from the whole import"


HOLD = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read")
print("held", flush=True)
time.sleep(float(sys.argv[3]))
conn.close()
"""


def holding(path: str, mode: str, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the store's file lock (reading, as `kpibot serve` answering, or writing, as an
    import) for `seconds`; returns once the lock is held."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, path, mode, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_an_import_waits_for_another_process_reading_the_store(parity_demo: ParityDemo,
                                                               sqlite_template: Path) -> None:
    """DuckDB lets one process write a file or many read it: an import started while another process reads the
    store waits for it instead of failing on the lock."""
    directory = parity_demo.directory / "store_lock_import"
    directory.mkdir(exist_ok=True)
    state_with_survey_answers(parity_demo, sqlite_template, directory / "state.sqlite3").dispose()
    settings = store_settings(parity_demo, directory, "data.duckdb")
    forget_sources()
    kpibot_import(settings, "accounts", parity_demo.parquet["accounts"])
    holder = holding(str(directory / "data.duckdb"), "read", 1.5)
    try:
        output = kpibot_import(settings, "users", parity_demo.parquet["users"])
        assert holder.poll() is not None  # it could only write once the reader had let go
    finally:
        holder.wait()
    assert f"{pq.read_metadata(parity_demo.parquet['users']).num_rows:,} inserted" in output


def test_an_answer_waits_for_an_import_writing_the_store(store_demo: SourcedDemo, reference: Reference) -> None:
    question = next(q for q in parity_questions() if q.label.startswith("mrr"))
    forget_sources()
    path = store_demo.settings.kpi_data_url.removeprefix("duckdb:///")  # type: ignore[union-attr]
    holder = holding(path, "write", 1.5)
    try:
        actual = ask(store_demo, question)
        assert holder.poll() is not None
    finally:
        holder.wait()
        forget_sources()
    assert not differences(reference.answers[question.label], actual)


WRITE_OPEN = """
import sys, duckdb
try:
    duckdb.connect(sys.argv[1]).close()
except duckdb.IOException:
    sys.exit(3)
"""


def test_a_reader_lets_go_of_the_store_once_idle(store_demo: SourcedDemo, reference: Reference) -> None:
    """`kpibot serve` keeps the store open while it answers, and closes it once idle, so an import in another
    process can take the file between two answers (it would otherwise wait for serve to stop)."""
    question = next(q for q in parity_questions() if q.label.startswith("mrr"))
    forget_sources()
    path = store_demo.settings.kpi_data_url.removeprefix("duckdb:///")  # type: ignore[union-attr]
    try:
        assert not differences(reference.answers[question.label], ask(store_demo, question))
        deadline = time.monotonic() + 10
        while (code := subprocess.run([sys.executable, "-c", WRITE_OPEN, path]).returncode) == 3:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert code == 0  # opened for writing by another process while this one still has its cached source
    finally:
        forget_sources()
