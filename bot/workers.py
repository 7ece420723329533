"""The worker pool that does the slow part of every answer (queries, charts, uploads) after the ack.

Bolt's own listener threads only ack; nothing on the ack path waits on the database or matplotlib.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

logger = logging.getLogger(__name__)


class WorkerPool:
    def __init__(self, size: int) -> None:
        self.size = size
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="kpibot-worker")
        self._lock = threading.Lock()
        self._pending = 0

    @property
    def pending(self) -> int:
        """Jobs queued or running."""
        return self._pending

    def submit(self, job: Callable[[], None]) -> Future[None]:
        with self._lock:
            self._pending += 1
        return self._executor.submit(self._run, job)

    def _run(self, job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:  # jobs report their own failures; this is the last line of defence
            logger.exception("unhandled error in a worker job")
        finally:
            with self._lock:
                self._pending -= 1

    def shutdown(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=not wait)
