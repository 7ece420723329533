"""`kpibot import` against DuckDB doing the same load and derivation on the same files, in the same run.

    python benchmarks/ingest_vs_duckdb.py                       # 50,000 users, 1,000,000 events, then a day
    python benchmarks/ingest_vs_duckdb.py --events 10000000     # the 10 M case
    python benchmarks/ingest_vs_duckdb.py --database-url postgresql+psycopg://postgres@127.0.0.1/kpibench
    python benchmarks/ingest_vs_duckdb.py --store duckdb                        # into the columnar store

Generates users and a year of events (20% without a session id), then the next day's events (1% of the
year's). Every step runs as its own process, the way users run it: `kpibot import users`, `kpibot import
events` (validation, upsert and every derived table), `kpibot import events` of the next day; and a DuckDB
process loading the same CSV files into tables with their keys and building user-days and 30-minute-gap
sessions (explicit session ids, and gaps for the events without one). Prints per operation: rows, seconds, CPU seconds,
peak memory of that process (ru_maxrss), rows/s, and the ratio to DuckDB (bulk) or to the bulk cost per row
(next day); and the load average of the machine before and after.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from import_events import START, event_chunks, write_users  # noqa: E402  (benchmarks run as scripts)

SPAN_SECONDS = 365 * 24 * 3600
Result = tuple[str, int, float, float, float]  # operation, rows, seconds, CPU seconds, peak MiB
WITHOUT_SESSION = 0.2
DUCKDB_WORK = """
import sys, duckdb
users_csv, events_csv, folder = sys.argv[1:4]
con = duckdb.connect(folder + "/bench.duckdb")
con.execute("CREATE TABLE users (user_id VARCHAR PRIMARY KEY, created_at TIMESTAMP)")
con.execute(f"INSERT INTO users SELECT user_id, created_at FROM read_csv('{users_csv}')")
con.execute("CREATE TABLE events (event_id VARCHAR PRIMARY KEY, user_id VARCHAR, occurred_at TIMESTAMP, "
            "name VARCHAR, feature VARCHAR, session_id VARCHAR)")
con.execute(f"INSERT INTO events SELECT event_id, user_id, occurred_at, name, feature, session_id "
            f"FROM read_csv('{events_csv}')")
con.execute("CREATE TABLE user_days AS SELECT user_id, CAST(occurred_at AS DATE) AS day, count(*) AS events "
            "FROM events GROUP BY ALL")
con.execute('''CREATE TABLE sessions AS
    WITH gap AS (SELECT user_id, occurred_at,
                        lag(occurred_at) OVER (PARTITION BY user_id ORDER BY occurred_at) AS prev
                 FROM events WHERE session_id IS NULL),
         runs AS (SELECT user_id, occurred_at, sum(CASE WHEN prev IS NULL OR occurred_at - prev > INTERVAL 30 MINUTE
                                                   THEN 1 ELSE 0 END)
                         OVER (PARTITION BY user_id ORDER BY occurred_at) AS run FROM gap)
    SELECT user_id, 's:' || session_id AS session_key, min(occurred_at) AS started_at, max(occurred_at) AS ended_at,
           count(*) AS events FROM events WHERE session_id IS NOT NULL GROUP BY user_id, session_id
    UNION ALL
    SELECT user_id, 'g:' || CAST(min(occurred_at) AS VARCHAR), min(occurred_at), max(occurred_at), count(*)
    FROM runs GROUP BY user_id, run''')
con.close()
"""


def write_events(path: Path, rows: int, users: int, seed: int, first_id: int, start: np.datetime64,
                 span_seconds: int) -> None:
    rng = np.random.default_rng(seed + 100)
    writer: pacsv.CSVWriter | None = None
    for chunk in event_chunks(rows, users, True, seed=seed, first_id=first_id, start=start,
                              span_seconds=span_seconds):
        blank = pa.array(rng.random(chunk.num_rows) < WITHOUT_SESSION)
        sessions = pc.if_else(blank, pa.scalar("", pa.string()), chunk.column("session_id"))
        chunk = chunk.set_column(chunk.schema.get_field_index("session_id"), "session_id", sessions)
        if writer is None:
            writer = pacsv.CSVWriter(path, chunk.schema)
        writer.write_table(chunk)
    if writer is not None:
        writer.close()


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Runs a process; (seconds, CPU seconds (user + system), its peak RSS in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    output = process.stdout.read().decode() if process.stdout else ""
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def kpibot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli.main", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="import into this database (default: a fresh SQLite file)")
    parser.add_argument("--store", choices=("sqlite", "duckdb"), default="sqlite",
                        help="where the data goes: DATABASE_URL (sqlite) or the columnar store, KPI_DATA_URL (duckdb)")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        work = Path(folder)
        users_csv, events_csv, next_csv = work / "users.csv", work / "events.csv", work / "next_day.csv"
        started = time.perf_counter()
        write_users(users_csv, args.users)
        write_events(events_csv, args.events, args.users, 7, 0, START, SPAN_SECONDS)
        next_rows = max(args.events // 100, 1)
        write_events(next_csv, next_rows, args.users, 8, args.events, START + np.timedelta64(SPAN_SECONDS, "s"),
                     86_400)
        print(f"generated {args.users:,} users, {args.events:,} + {next_rows:,} events in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        url = args.database_url or f"sqlite:///{work / 'kpibot.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        if args.store == "duckdb":
            env["KPI_DATA_URL"] = f"duckdb:///{work / 'kpibot-data.duckdb'}"
        results: list[Result] = []
        for label, rows, command in (
            ("kpibot import users", args.users, kpibot("import", "users", str(users_csv))),
            ("kpibot import events", args.events, kpibot("import", "events", str(events_csv))),
            ("kpibot import events (next day)", next_rows, kpibot("import", "events", str(next_csv))),
            ("duckdb load + user-days + sessions", args.users + args.events,
             [sys.executable, "-c", DUCKDB_WORK, str(users_csv), str(events_csv), folder]),
        ):
            seconds, cpu, peak = timed(command, env)
            results.append((label, rows, seconds, cpu, peak))
            print(f"  {label}: {seconds:.1f} s ({cpu:.1f} s CPU), peak {peak:.0f} MiB", flush=True)
    print_table(results, load_before, os.getloadavg())


def print_table(results: list[Result], before: tuple[float, ...], after: tuple[float, ...]) -> None:
    """Ratios in wall-clock seconds, and in CPU seconds (steadier on a shared machine; DuckDB's CPU seconds add
    up its threads)."""
    by_label = {label: (rows, seconds, cpu) for label, rows, seconds, cpu, _ in results}
    bulk = [by_label["kpibot import users"][i] + by_label["kpibot import events"][i] for i in range(3)]
    bulk_rows, bulk_seconds, bulk_cpu = bulk
    _, duck_seconds, duck_cpu = by_label["duckdb load + user-days + sessions"]
    print(f"\n{'operation':<36} {'rows':>11} {'seconds':>8} {'CPU s':>7} {'peak MiB':>9} {'rows/s':>10}  ratio")
    for label, rows, seconds, cpu, peak in results:
        ratio = ""
        if label == "kpibot import events (next day)":
            ratio = (f"{(seconds / rows) / (bulk_seconds / bulk_rows):.1f}× the bulk cost per row "
                     f"({(cpu / rows) / (bulk_cpu / bulk_rows):.1f}× in CPU)")
        print(f"{label:<36} {rows:>11,} {seconds:>8.1f} {cpu:>7.1f} {peak:>9.0f} {rows / seconds:>10,.0f}  {ratio}")
    print(f"{'kpibot import users + events':<36} {bulk_rows:>11,} {bulk_seconds:>8.1f} {bulk_cpu:>7.1f} {'':>9} "
          f"{bulk_rows / bulk_seconds:>10,.0f}  {bulk_seconds / duck_seconds:.1f}× DuckDB "
          f"({bulk_cpu / duck_cpu:.1f}× in CPU)")
    print(f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
