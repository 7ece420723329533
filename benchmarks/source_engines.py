"""Source engines benchmark: a demo copied into DuckDB and into chDB, used as the engine the computations run on.

Per metric of the catalog: the value, the previous period's and a 12-bucket monthly series (one `run_metric`),
timed on each engine, beside DuckDB computing the same numbers (the same statements, through the same code)
straight from the demo's tables exported to Parquet files (views over `read_parquet`, nothing loaded). Values are
cross-checked against that reference. Target: p95 ≤ 1 s per answer on the large demo.

    kpibot demo --scale large   # with DATABASE_URL=sqlite:////tmp/engines_large.sqlite3
    python benchmarks/source_engines.py --database-url sqlite:////tmp/engines_large.sqlite3
    python benchmarks/source_engines.py --engines clickhouse --metrics mrr active_users nps
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.pool import StaticPool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the copy helpers live with the parity tests

from benchmarks.engine_bench import benchmark_query  # noqa: E402
from kpi_engine.catalog import load_catalog  # noqa: E402
from kpi_engine.compute.dialect import prepare_engine  # noqa: E402
from kpi_engine.compute.runner import run_metric  # noqa: E402
from kpi_engine.db.engine import make_engine  # noqa: E402
from kpi_engine.db.models import Event  # noqa: E402
from kpi_engine.settings import Settings  # noqa: E402
from tests.kpi_engine.engines.copies import export_parquet, load_clickhouse, load_duckdb  # noqa: E402

TARGET_SECONDS = 1.0


def duckdb_copy(files: dict[str, Path], work: Path) -> Engine:
    engine = prepare_engine(create_engine(f"duckdb:///{work / 'copy.duckdb'}"))
    with engine.connect() as conn:
        load_duckdb(conn, files)
    return engine


def clickhouse_copy(files: dict[str, Path], work: Path) -> Engine:
    engine = prepare_engine(create_engine(f"clickhousedb://?interface=chdb&path={work / 'copy.chdb'}"))
    with engine.connect() as conn:
        load_clickhouse(conn, files)
    return engine


def parquet_reference(files: dict[str, Path]) -> Engine:
    """DuckDB in memory over the raw files: each table a view on its Parquet file."""
    engine = prepare_engine(create_engine("duckdb:///:memory:", poolclass=StaticPool))
    with engine.connect() as conn:
        for name, path in files.items():
            conn.exec_driver_sql(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{path}')")
        conn.commit()
    return engine


COPIES: dict[str, Callable[[dict[str, Path], Path], Engine]] = {"duckdb": duckdb_copy, "clickhouse": clickhouse_copy}


def timed_answers(engine: Engine, metric_ids: list[str], as_of: date, settings: Settings,
                  repeat: int) -> dict[str, tuple[list[float], float | None]]:
    catalog = load_catalog()
    out: dict[str, tuple[list[float], float | None]] = {}
    with engine.connect() as conn:
        run_metric(conn, benchmark_query(metric_ids[0], as_of), catalog, settings)  # warm: plans, caches
        for metric_id in metric_ids:
            query = benchmark_query(metric_id, as_of)
            runs, value = [], None
            for _ in range(repeat):
                started = time.perf_counter()
                value = run_metric(conn, query, catalog, settings).value
                runs.append(time.perf_counter() - started)
            out[metric_id] = (runs, value)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite:////tmp/engines_large.sqlite3", help="the built demo")
    parser.add_argument("--engines", default="duckdb,clickhouse")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/kpibot_source_engines"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--metrics", nargs="*", help="only these metric ids")
    args = parser.parse_args()
    console = Console()
    settings = Settings(_env_file=None, DATABASE_URL=args.database_url, KPI_TIMEZONE="UTC")  # type: ignore[call-arg]
    demo = make_engine(args.database_url)
    with demo.connect() as conn:
        last = conn.execute(select(func.max(Event.occurred_at))).scalar_one()
        events = conn.execute(select(func.count()).select_from(Event)).scalar_one()
    as_of = last.date()
    metric_ids = args.metrics or [m.id for m in load_catalog()]
    args.work_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    files = export_parquet(demo, args.work_dir / "parquet")
    console.print(f"exported {len(files)} tables to Parquet in {time.perf_counter() - started:.0f} s")

    reference = parquet_reference(files)
    expected = timed_answers(reference, metric_ids, as_of, settings, args.repeat)
    reference.dispose()
    summary = Table(title=f"Source engines: {events:,} events, as of {as_of}; value + previous + 12-bucket series")
    for column in ("engine", "answers", "p50 s", "p95 s", "target s", "Parquet DuckDB p95 s", "ratio p95",
                   "values equal"):
        summary.add_column(column, justify="left" if column == "engine" else "right")
    reference_runs = [t for runs, _ in expected.values() for t in runs]
    for name in args.engines.split(","):
        started = time.perf_counter()
        engine = COPIES[name](files, args.work_dir)
        console.print(f"loaded {name} in {time.perf_counter() - started:.0f} s")
        answers = timed_answers(engine, metric_ids, as_of, settings, args.repeat)
        engine.dispose()
        detail = Table(title=f"{name} per metric")
        for column in ("metric", f"{name} p50 s", "Parquet DuckDB p50 s", "ratio", "same value"):
            detail.add_column(column, justify="left" if column == "metric" else "right")
        for metric_id, (runs, value) in answers.items():
            ref_runs, ref_value = expected[metric_id]
            ratio = statistics.median(runs) / statistics.median(ref_runs)
            detail.add_row(metric_id, f"{statistics.median(runs):.3f}", f"{statistics.median(ref_runs):.3f}",
                           f"{ratio:.1f}×", "yes" if same(value, ref_value) else f"NO ({value} vs {ref_value})")
        console.print(detail)
        runs_all = [t for runs, _ in answers.values() for t in runs]
        equal = sum(same(v, expected[m][1]) for m, (_, v) in answers.items())
        summary.add_row(name, str(len(runs_all)), f"{statistics.median(runs_all):.3f}", f"{p95(runs_all):.3f}",
                        f"{TARGET_SECONDS:.1f}", f"{p95(reference_runs):.3f}",
                        f"{p95(runs_all) / p95(reference_runs):.1f}×", f"{equal}/{len(answers)}")
    console.print(summary)


if __name__ == "__main__":
    main()
