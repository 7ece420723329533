"""`kpibot refresh` timings on a demo used as a source: the full build, then one appended day (incremental).

    python benchmarks/source_refresh.py --scale small [--backend sqlite|postgres|clickhouse]

Builds the demo into a SQLite file, exports it in another shape (tests/kpi_engine/sources/support.py: renamed
tables and columns, a table in Tokyo time, events through a whole SELECT) to the source, refreshes into the
scratch schema `kpi` (ClickHouse, which has none: into DATABASE_URL), appends a copy of the last day's events one
day later, and refreshes again (re-reading KPI_REFRESH_LOOKBACK_HOURS before the watermark, 72 by default).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from kpi_engine.db.engine import make_engine, upgrade_schema
from kpi_engine.demo import build_demo
from kpi_engine.settings import Settings
from kpi_engine.sources.refresh import refresh
from tests.kpi_engine.engines.copies import export_parquet, load_clickhouse_in_their_shape
from tests.kpi_engine.sources.support import export_source, source_column, source_name, write_mapping

END = date(2026, 3, 31)


def append_day(url: str, day: date) -> int:
    """A copy of the events of `day` one day later (new ids): the events a daily sync would append."""
    ev, c = source_name("events"), source_column
    engine = create_engine(url)
    moved = "datetime({0}, '+1 day')" if url.startswith("sqlite") else "{0} + interval '1 day'"
    if url.startswith("clickhousedb"):
        moved = "{0} + INTERVAL 1 DAY"
    with engine.begin() as conn:
        conn.execute(text(
            f"INSERT INTO {ev} ({c('event_id')}, {c('user_id')}, {c('occurred_at')}, {c('name')}, {c('feature')}, "
            f"{c('session_id')}) SELECT {c('event_id')} || '-next', {c('user_id')}, "
            f"{moved.format(c('occurred_at'))}, {c('name')}, {c('feature')}, "
            f"CASE WHEN {c('session_id')} IS NULL THEN NULL ELSE {c('session_id')} || '-next' END FROM {ev} "
            f"WHERE {c('occurred_at')} >= :s AND {c('occurred_at')} < :e"),
            {"s": day.isoformat(), "e": (day + timedelta(days=1)).isoformat()})
        next_day = {"s": (day + timedelta(days=1)).isoformat(), "e": (day + timedelta(days=2)).isoformat()}
        added = conn.execute(text(f"SELECT count(*) FROM {ev} WHERE {c('occurred_at')} >= :s "
                                  f"AND {c('occurred_at')} < :e"), next_day).scalar_one()  # (ClickHouse: no rowcount)
    engine.dispose()
    return added


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small")
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres", "clickhouse"])
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/kpibot_source_bench")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="source_refresh_"))
    demo_url = f"sqlite:///{work / 'demo.sqlite3'}"
    demo = make_engine(demo_url)
    upgrade_schema(demo)
    settings = Settings(_env_file=None, DATABASE_URL=demo_url)  # type: ignore[call-arg]
    t = time.perf_counter()
    build_demo(demo, settings, args.scale, END, 42)
    print(f"demo {args.scale}: {time.perf_counter() - t:.1f} s")
    scratch: str | None = "kpi"
    if args.backend == "sqlite":
        source_url = f"sqlite:///{work / 'source.sqlite3'}"
    elif args.backend == "clickhouse":  # chDB in this process, standing in for a server
        source_url = f"clickhousedb://?interface=chdb&path={work / 'source.chdb'}"
        scratch = None
    else:
        admin = create_engine(args.postgres_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        name = args.postgres_url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        source_url = args.postgres_url
    target = create_engine(source_url)
    if args.backend == "clickhouse":
        with target.connect() as conn:
            load_clickhouse_in_their_shape(conn, export_parquet(demo, work / "parquet"), work / "shaped")
    else:
        export_source(demo, target)
    if args.backend == "postgres":  # the user's scratch schema
        with target.begin() as conn:
            conn.execute(text("CREATE SCHEMA kpi"))
    target.dispose()
    state = work / "state.sqlite3"
    shutil.copy(work / "demo.sqlite3", state)  # any migrated database: the state holds no raw rows here
    bench = Settings(_env_file=None, DATABASE_URL=f"sqlite:///{state}", KPI_SOURCE_URL=source_url,  # type: ignore[call-arg]
                     KPI_SOURCE_MAP=write_mapping(work / "map.yaml"), KPI_SOURCE_SCRATCH_SCHEMA=scratch)
    print(refresh(bench, full=True).line())
    print(f"appended {append_day(source_url, END):,} events on {END + timedelta(days=1)}")
    print(refresh(bench).line())
    print(refresh(bench).line())
    shutil.rmtree(work, ignore_errors=True)
    if args.backend == "postgres":
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
