"""Charts drawn in a small process pool: matplotlib is CPU-bound and holds the GIL, so drawing in a thread
would slow every ack the server makes meanwhile. `processes=0` draws in the calling thread (tests, tiny setups).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from kpi_engine.results import MetricResult, TableResult

RENDER_TIMEOUT_SECONDS = 60


def _warm_up() -> None:
    """Runs in each chart process: yield the CPU to the server process first, then draw once (matplotlib, its
    fonts and the Agg canvas loaded, ~0.4 s, before the first answer)."""
    import os

    if hasattr(os, "nice"):
        os.nice(10)
    draw_sparkline([0.0, 1.0])


def draw_chart(result: MetricResult | TableResult, currency: str) -> bytes | None:
    from kpi_engine.charts import render_chart

    return render_chart(result, currency=currency)


def draw_sparkline(values: Sequence[float | None]) -> bytes:
    from kpi_engine.charts.sparkline import sparkline

    return sparkline(values)


class ChartRenderer:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def chart(self, result: MetricResult | TableResult, currency: str) -> bytes | None:
        if self.processes == 0:
            return draw_chart(result, currency)
        return self._pool().submit(draw_chart, result, currency).result(timeout=RENDER_TIMEOUT_SECONDS)

    def sparkline(self, values: Sequence[float | None]) -> bytes:
        if self.processes == 0:
            return draw_sparkline(values)
        return self._pool().submit(draw_sparkline, list(values)).result(timeout=RENDER_TIMEOUT_SECONDS)

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # spawn, not fork: the server process already runs threads (a fork could copy a held lock)
                self._executor = ProcessPoolExecutor(max_workers=self.processes, initializer=_warm_up,
                                                     mp_context=multiprocessing.get_context("spawn"))
            return self._executor

    def shutdown(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None
