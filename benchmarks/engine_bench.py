"""Engine benchmark: every catalog metric, value + previous + a 12-bucket monthly series.

Reference: DuckDB (the best single-machine analytic engine) running the SAME plans (our Selects compiled
for PostgreSQL, which DuckDB reads) straight from the tables exported to Parquet. Numbers are cross-checked.

    python benchmarks/engine_bench.py --database-url sqlite:////tmp/demo_large.sqlite3
    python benchmarks/engine_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1/kpibench --no-duckdb
"""

from __future__ import annotations

import argparse
import math
import resource
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import OperationalError

from kpi_engine.catalog import load_catalog
from kpi_engine.compute.base import ComputeContext, SqlComputation
from kpi_engine.compute.registry import computation_for
from kpi_engine.compute.runner import comparison_period, run_metric
from kpi_engine.compute.windows import make_windows
from kpi_engine.db import make_engine
from kpi_engine.db.models import Event, every_table
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from kpi_engine.settings import Settings

TARGET_SECONDS = 1.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def benchmark_query(metric_id: str, as_of: date) -> MetricQuery:
    this_month = as_of.replace(day=1)
    start = (this_month - timedelta(days=1)).replace(day=1)
    for _ in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    period = Period(start, this_month - timedelta(days=1))
    return MetricQuery(metric=metric_id, as_of=as_of, period=period, granularity="month")


def export_parquet(engine: Engine, out: Path, console: Console) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for table in every_table().sorted_tables:
        target = out / f"{table.name}.parquet"
        if target.exists():
            continue
        writer: pq.ParquetWriter | None = None
        try:
            with engine.connect().execution_options(stream_results=True, yield_per=200_000) as conn:
                result = conn.execute(select(table))
                for rows in result.partitions():
                    batch = pa.Table.from_pylist([dict(r._mapping) for r in rows])
                    writer = writer or pq.ParquetWriter(target, batch.schema)
                    writer.write_table(batch.cast(writer.schema))
        except OperationalError as exc:  # a database older than the models: that table is not compared
            console.print(f"[yellow]skipped {table.name}: {exc.orig}[/yellow]")
            if writer is not None:
                writer.close()
            target.unlink(missing_ok=True)
            continue
        if writer is None:
            empty = pa.schema([(c.name, pa.string()) for c in table.columns])
            pq.write_table(empty.empty_table(), target)
        else:
            writer.close()
        console.print(f"exported {table.name}")


def duckdb_time(duck: Any, query: MetricQuery, settings: Settings) -> tuple[float, float | None]:
    """Seconds DuckDB takes to run our plan, and its value for the current window (when checkable)."""
    catalog = load_catalog()
    metric = catalog.get(query.metric)
    computation = computation_for(metric.id)
    period = query.period
    assert period is not None and query.granularity is not None
    previous = comparison_period(query, period)
    periods = [period, previous, *period.buckets(query.granularity), *previous.buckets(query.granularity)]  # type: ignore[union-attr]
    ctx = ComputeContext(make_windows(periods, settings.tz), settings)
    statements = [
        str(s.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        for s in computation.plan(ctx)
    ]
    started = time.perf_counter()
    results = [duck.execute(sql).fetch_df() for sql in statements]
    elapsed = time.perf_counter() - started
    value = None
    if isinstance(computation, SqlComputation) and len(results) == 1:
        frame = results[0]
        for row in frame.to_dict("records"):
            clean = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            cell = computation.finish(clean)
            if cell.window == 0:
                value = cell.value
    return elapsed, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite:////tmp/demo_large.sqlite3")
    parser.add_argument("--as-of", type=date.fromisoformat)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-duckdb", action="store_true")
    parser.add_argument("--export-dir", type=Path, default=Path("benchmarks/data/parquet"))
    parser.add_argument("--metrics", nargs="*", help="only these metric ids")
    args = parser.parse_args()

    console = Console()
    settings = Settings(_env_file=None, DATABASE_URL=args.database_url)  # type: ignore[call-arg]
    engine = make_engine(args.database_url)
    with engine.connect() as conn:
        last = conn.execute(select(func.max(Event.occurred_at))).scalar_one()
        events = conn.execute(select(func.count()).select_from(Event)).scalar_one()
    as_of = args.as_of or (last.date() if last else date.today())
    catalog = load_catalog()
    metric_ids = args.metrics or [m.id for m in catalog]

    duck = None
    if not args.no_duckdb:
        import duckdb

        export_parquet(engine, args.export_dir, console)
        duck = duckdb.connect()
        for table in every_table().sorted_tables:
            path = args.export_dir / f"{table.name}.parquet"
            if not path.exists():
                continue
            duck.execute(f"CREATE VIEW {table.name} AS SELECT * FROM read_parquet('{path}')")
        duck.execute(f"SET TimeZone = '{settings.kpi_timezone}'")

    table = Table(title=f"Engine benchmark: {events:,} events, as of {as_of}, {engine.dialect.name}")
    for column in ("metric", "data size", "ours p50 s", "ours max s", "DuckDB s", "ratio ours/DuckDB", "same value"):
        table.add_column(column, justify="right" if column != "metric" else "left")
    timings: list[float] = []
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        for metric_id in metric_ids:
            query = benchmark_query(metric_id, as_of)
            runs = []
            result = None
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = run_metric(conn, query, catalog, settings)
                runs.append(time.perf_counter() - started)
            timings.extend(runs)
            p50 = statistics.median(runs)
            duck_cells = ["—", "—", "—"]
            if duck is not None:
                try:
                    duck_s, duck_value = duckdb_time(duck, query, settings)
                    ours = result.value if result else None
                    if duck_value is None and not isinstance(computation_for(metric_id), SqlComputation):
                        same = "—"
                    else:
                        same = "yes" if _close(duck_value, ours) else f"NO ({duck_value})"
                    duck_cells = [f"{duck_s:.3f}", f"{p50 / duck_s:.1f}×" if duck_s else "—", same]
                except Exception as exc:  # noqa: BLE001  (report, keep benchmarking)
                    duck_cells = ["error", "—", type(exc).__name__]
            table.add_row(metric_id, f"{events:,} ev", f"{p50:.3f}", f"{max(runs):.3f}", *duck_cells)
    console.print(table)
    timings.sort()
    p95 = timings[min(len(timings) - 1, math.ceil(0.95 * len(timings)) - 1)]
    summary = Table(title="Summary")
    for column in ("operation", "answers", "p50 s", "p95 s", "target s", "ratio p95/target", "peak RSS MiB"):
        summary.add_column(column)
    summary.add_row("value+previous+12-bucket series", str(len(timings)), f"{statistics.median(timings):.3f}",
                    f"{p95:.3f}", f"{TARGET_SECONDS:.1f}", f"{p95 / TARGET_SECONDS:.2f}", f"{peak_rss_mib():.0f}")
    console.print(summary)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


if __name__ == "__main__":
    main()
