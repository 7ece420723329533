"""Benchmark of `kpibot demo`: builds each scale into a database and measures time and peak memory.

    python benchmarks/demo_build.py                                  # small and medium, temporary SQLite file
    python benchmarks/demo_build.py --scale large --url sqlite:////tmp/demo_large.sqlite3
    python benchmarks/demo_build.py --scale small --url postgresql+psycopg://postgres@127.0.0.1/kpibot_bench

Each scale is built in a child process (the same code path as `kpibot demo`, derived tables included), so
the peak RSS reported is that build's alone. The database at --url is WIPED and refilled; without --url a
temporary SQLite file is used and removed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from kpi_engine.db import open_database
from kpi_engine.demo import DEFAULT_SEED, SCALES, build_demo
from kpi_engine.settings import Settings


def build_one(scale: str, url: str, end: date | None, seed: int) -> dict[str, object]:
    """Runs in the child: one build, then its figures as JSON on stdout."""
    settings = Settings(DATABASE_URL=url)  # type: ignore[call-arg]
    engine = open_database(settings)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    counts = build_demo(engine, settings, scale, end, seed, timings=timings)
    seconds = time.perf_counter() - started
    engine.dispose()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scale": scale, "events": counts["events"], "rows": sum(counts.values()), "seconds": seconds,
            "events_seconds": timings.get("events", 0.0), "derived_seconds": timings.get("derived tables", 0.0),
            "peak_rss_mib": peak_mib}


def run_child(scale: str, url: str, end: str | None, seed: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", "--scale", scale, "--url", url, "--seed", str(seed)]
    if end:
        command += ["--end", end]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ})
    if done.returncode != 0:
        sys.exit(f"building {scale} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", action="append", choices=sorted(SCALES), help="repeatable (default: small, medium)")
    parser.add_argument("--url", default=os.environ.get("KPIBOT_BENCH_URL"), help="database URL (it is wiped)")
    parser.add_argument("--end", default=None, help="last day of history (default: today)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    scales = args.scale or ["small", "medium"]
    if args.child:
        end = date.fromisoformat(args.end) if args.end else None
        print(json.dumps(build_one(scales[0], args.url, end, args.seed)))
        return

    with tempfile.TemporaryDirectory() as scratch:
        url = args.url or f"sqlite:///{Path(scratch) / 'demo_bench.sqlite3'}"
        table = Table(title=f"kpibot demo into {url.split('@')[-1]}")
        for column in ("scale", "events", "rows", "seconds", "events s", "derived s", "peak RSS MiB"):
            table.add_column(column, justify="right")
        for scale in scales:
            result = run_child(scale, url, args.end, args.seed)
            table.add_row(scale, f"{result['events']:,}", f"{result['rows']:,}", f"{result['seconds']:.1f}",
                          f"{result['events_seconds']:.1f}", f"{result['derived_seconds']:.1f}",
                          f"{result['peak_rss_mib']:.0f}")
        Console().print(table)


if __name__ == "__main__":
    main()
