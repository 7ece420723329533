"""Benchmark of `kpibot import`: N events for a set of users, through the real import code path.

    python benchmarks/import_events.py                      # 10,000,000 events on SQLite
    python benchmarks/import_events.py --rows 1000000 --postgres-url postgresql+psycopg://postgres@127.0.0.1/test
    python benchmarks/import_events.py --rows 10000000 --append-days 1   # then the next day's events on top

`--append-days N` imports, after the year of events, a file with the N days that follow (same density, new
ids): the derived tables are then rebuilt from the first new day only, and the row's time is compared with
the first import's ("ratio": the share of its time the appended import took).

Prints, per operation: rows, seconds, peak RSS of this process so far (ru_maxrss) and rows/s.
For PostgreSQL a scratch database is created next to the one in the URL and dropped afterwards.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from scratch_db import scratch_postgres  # noqa: E402  (benchmarks run as scripts)

from kpi_engine.db import open_database
from kpi_engine.importing import import_file
from kpi_engine.settings import Settings

EVENT_NAMES = ["page_view", "click", "search", "signup", "purchase", "share", "export", "login"]
FEATURES = ["", "", "", "reports", "dashboards", "alerts", "exports", "search"]
START = np.datetime64("2025-01-01T00:00:00", "s")
SPAN_SECONDS = 365 * 24 * 3600
GENERATE_CHUNK = 250_000


def write_users(path: Path, users: int) -> None:
    ids = pc.binary_join_element_wise("u", pa.array(np.arange(users).astype(str)), "")
    created = pa.array(START + np.arange(users, dtype=np.int64) % 86_400, pa.timestamp("s"))
    table = pa.table({"user_id": ids, "created_at": pc.strftime(created, format="%Y-%m-%dT%H:%M:%SZ")})
    pacsv.write_csv(table, path)


def event_chunks(rows: int, users: int, with_ids: bool, seed: int = 7, first_id: int = 0,
                 start: np.datetime64 = START, span_seconds: int = SPAN_SECONDS) -> Iterator[pa.Table]:
    rng = np.random.default_rng(seed)
    for first in range(0, rows, GENERATE_CHUNK):
        n = min(GENERATE_CHUNK, rows - first)
        numbers = np.arange(first_id + first, first_id + first + n)
        user = rng.integers(0, users, n)
        seconds = np.sort(rng.integers(0, span_seconds, n))
        columns: dict[str, pa.Array] = {}
        if with_ids:
            columns["event_id"] = pc.binary_join_element_wise("e", pa.array(numbers.astype(str)), "")
        columns["user_id"] = pc.binary_join_element_wise("u", pa.array(user.astype(str)), "")
        occurred = pa.array(start + seconds, pa.timestamp("s"))
        columns["occurred_at"] = pc.strftime(occurred, format="%Y-%m-%dT%H:%M:%SZ")
        columns["name"] = pa.array(np.array(EVENT_NAMES)[rng.integers(0, len(EVENT_NAMES), n)])
        columns["feature"] = pa.array(np.array(FEATURES)[rng.integers(0, len(FEATURES), n)])
        half_hours = ((start - START).astype(np.int64) + seconds) // 1800  # from START: ids never repeat
        sessions = (user * 100_000 + half_hours).astype(str)
        columns["session_id"] = pc.binary_join_element_wise("s", pa.array(sessions), "")
        yield pa.table(columns)


def write_events(path: Path, rows: int, users: int, with_ids: bool, append_days: int = 0) -> None:
    """The year of events, or with `append_days` the events of the days after it (ids following the year's)."""
    chunks = event_chunks(rows, users, with_ids)
    if append_days:
        chunks = event_chunks(rows * append_days // 365, users, with_ids, seed=8, first_id=rows,
                              start=START + np.timedelta64(SPAN_SECONDS, "s"), span_seconds=append_days * 86_400)
    writer: pacsv.CSVWriter | None = None
    for chunk in chunks:
        if writer is None:
            writer = pacsv.CSVWriter(path, chunk.schema)
        writer.write_table(chunk)
    if writer is not None:
        writer.close()


class PhaseTimer:
    """Progress sink that prints how long each step of an import took."""

    def __init__(self) -> None:
        self.current, self.since = "reading and validating", time.perf_counter()

    def start(self, total: int | None, unit: str) -> None:
        self.since = time.perf_counter()

    def advance(self, rows: int, position: int) -> None:
        return None

    def phase(self, description: str) -> None:
        self.finish()
        self.current, self.since = description, time.perf_counter()

    def finish(self) -> None:
        print(f"    {self.current}: {time.perf_counter() - self.since:.1f} s (peak RSS {peak_rss_mib():.0f} MiB)",
              flush=True)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux




def run_imports(label: str, url: str, users_csv: Path, events_csv: Path, batch_size: int,
                reimport: bool, appended_csv: Path | None = None) -> list[tuple[str, int, float, float]]:
    settings = Settings(_env_file=None, DATABASE_URL=url, KPIBOT_IMPORT_BATCH_SIZE=batch_size)  # type: ignore[call-arg]
    engine = open_database(settings)
    results = []
    steps = [("users", users_csv, ""), ("events", events_csv, "")]
    steps += [("events", events_csv, " (again)")] if reimport else []
    steps += [("events", appended_csv, " (next days)")] if appended_csv else []
    try:
        for table, path, suffix in steps:
            started = time.perf_counter()
            timer = PhaseTimer()
            report = import_file(engine, settings, table, path, progress=timer)
            timer.finish()
            seconds = time.perf_counter() - started
            results.append((f"{label}: import {table}{suffix}", report.rows_read, seconds, peak_rss_mib()))
            print(f"  {report.summary()}", flush=True)
    finally:
        engine.dispose()
    return results


def print_table(results: list[tuple[str, int, float, float]]) -> None:
    print(f"\n{'operation':<40} {'rows':>12} {'seconds':>9} {'peak RSS MiB':>13} {'rows/s':>11} {'ratio':>7}")
    first_events: dict[str, float] = {}
    for operation, rows, seconds, rss in results:
        backend = operation.split(":")[0]
        ratio = ""
        if operation.endswith("import events"):
            first_events[backend] = seconds
        elif operation.endswith("(next days)") and backend in first_events:
            ratio = f"{seconds / first_events[backend]:.3f}"
        print(f"{operation:<40} {rows:>12,} {seconds:>9.1f} {rss:>13.0f} {rows / seconds:>11,.0f} {ratio:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="events to generate (default 10,000,000)")
    parser.add_argument("--users", type=int, default=100_000, help="users the events belong to")
    parser.add_argument("--batch-size", type=int, default=Settings.model_fields["import_batch_size"].default)
    parser.add_argument("--without-event-id", action="store_true", help="leave event_id out (ids are derived)")
    parser.add_argument("--reimport", action="store_true", help="import the events file a second time")
    parser.add_argument("--append-days", type=int, default=0,
                        help="then import the events of the N days after the year (the incremental refresh)")
    parser.add_argument("--postgres-url", help="also run against PostgreSQL (a scratch database is created)")
    parser.add_argument("--workdir", type=Path, help="where to put the files and the SQLite database")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        workdir = Path(folder)
        users_csv, events_csv = workdir / "users.csv", workdir / "events.csv"
        started = time.perf_counter()
        write_users(users_csv, args.users)
        # a separate process, so that the peak RSS measured below is the import's alone
        generator = multiprocessing.get_context("spawn").Process(
            target=write_events, args=(events_csv, args.rows, args.users, not args.without_event_id))
        generator.start()
        generator.join()
        appended_csv = workdir / "appended.csv" if args.append_days else None
        if appended_csv is not None:
            write_events(appended_csv, args.rows, args.users, not args.without_event_id, args.append_days)
        size = events_csv.stat().st_size / 2**20
        print(f"generated {args.rows:,} events ({size:,.0f} MiB) in {time.perf_counter() - started:.1f} s", flush=True)
        results = run_imports("sqlite", f"sqlite:///{workdir / 'bench.sqlite3'}", users_csv, events_csv,
                              args.batch_size, args.reimport, appended_csv)
        if args.postgres_url:
            with scratch_postgres(args.postgres_url) as url:
                results += run_imports("postgresql", url, users_csv, events_csv, args.batch_size, args.reimport,
                                       appended_csv)
    print_table(results)


if __name__ == "__main__":
    main()
