"""The one way the listeners' slow work runs: `services.jobs.submit(Job(...))` (see bot.handoff), in the
server's own threads or in worker processes, by the lane of the work's kind (bot.job_kinds). The runner owns the
once-key, the access check a kind asks for, and the error path.

Worker processes (KPIBOT_WORKER_PROCESSES > 0, the default) keep queries, pandas and matplotlib off the
server's GIL, so acks stay fast while answers are computed; each process runs KPIBOT_WORKERS threads, since
an answer mostly waits on the database and on Slack. With 0, jobs run on the server's thread pool.
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
import os
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.conversation.once import first_delivery_only
from bot.errors import log_failure, report_failure
from bot.job_kinds import kind_of
from bot.jobs import Job
from bot.services import JobRunner, NoJobRunner, Services, ServicesSpec

if TYPE_CHECKING:

    pass

logger = logging.getLogger(__name__)


def web_client(services: Services, token: str | None) -> WebClient:
    client = WebClient(token=token, base_url=services.api_base_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=services.config.rate_limit_retries))
    return client


def job_name(job: Job) -> str:
    """`AnswerWork:1a2b3c4d` (plus the event key when there is one): what the log lines of one job share."""
    name = f"{type(job.work).__name__}:{uuid.uuid4().hex[:8]}"
    return f"{name} ({job.once_key})" if job.once_key else name


def run_job(services: Services, job: Job) -> None:
    """Runs one job, once per once-key: the access check its kind asks for, the work, and on any failure the one
    error path (a log line with an error id, the friendly message with that id where the kind's notices go)."""
    name = job_name(job)
    try:
        client = web_client(services, job.token)
        if job.once_key is not None:
            first_delivery_only(services, job.once_key, job.team_id, lambda: _run(services, client, job, name))()
        else:
            _run(services, client, job, name)
    except Exception as exc:  # the once-key's bookkeeping; the work's own failures are handled in _run
        log_failure(exc, f"running job {name} in process {os.getpid()}")


def _run(services: Services, client: WebClient, job: Job, name: str) -> None:
    kind, work = kind_of(job.work), job.work
    tell = kind.notices(client, work)
    try:
        if kind.reader is not None:
            verdict = services.access.may_read_kpis(client, kind.reader(work))
            if not verdict.allowed:
                if tell is not None:
                    tell(verdict.message)
                return
        kind.run(services, client, work)
    except Exception as exc:
        where = f"running job {name} in process {os.getpid()}"
        error_id = report_failure(exc, where, tell) if tell is not None else log_failure(exc, where)
        if kind.failed is not None:
            kind.failed(services, work, error_id)


class ThreadJobRunner:
    """Every job on this process's threads ("now" work on the urgent ones, so it never waits behind answers)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def warm_up(self) -> None:
        return None

    def submit(self, job: Job) -> None:
        pool = self.services.urgent if kind_of(job.work).lane == "now" else self.services.pool
        pool.submit(lambda: run_job(self.services, job))

    def shutdown(self) -> None:
        return None  # the services' pools are shut down with the app


def runner_for(services: Services) -> JobRunner:
    """The app's runner: worker processes when KPIBOT_WORKER_PROCESSES > 0, else the server's threads."""
    here = ThreadJobRunner(services)
    processes = services.config.worker_processes
    return ProcessJobRunner(services.portable(), processes, here=here) if processes > 0 else here


# --- worker processes -------------------------------------------------------------------------------------

_process_services: Services | None = None


class _ToServerLoggers(logging.Handler):
    """In the server: hands each record from a worker process to the server's logger of the same name."""

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = f"[worker {record.process}] {record.msg}"
        logging.getLogger(record.name).handle(record)


def forward_worker_logs(queue: Any) -> logging.handlers.QueueListener:
    listener = logging.handlers.QueueListener(queue, _ToServerLoggers(), respect_handler_level=False)
    listener.start()
    return listener


def _log_to_queue(queue: Any) -> None:
    """In a worker process: every record (INFO and up) goes to the server through the queue."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(logging.handlers.QueueHandler(queue))
    root.setLevel(logging.INFO)


def _start_worker_process(spec: ServicesSpec, log_queue: Any = None) -> None:
    """In each worker process: its own engine and thread pool; a lower priority than the server process."""
    global _process_services
    if log_queue is not None:
        _log_to_queue(log_queue)
    if hasattr(os, "nice"):
        os.nice(5)
    _process_services = spec.build()
    _process_services.jobs = ThreadJobRunner(_process_services)
    _process_services.charts.sparkline([0.0, 1.0])  # matplotlib, its fonts and Agg loaded before the first answer


def _accept(job: Job) -> None:
    """Queues the job on this process's threads and returns at once (so every process keeps taking work)."""
    services = _process_services
    assert services is not None, "worker process not initialised"
    services.jobs.submit(job)  # this process's ThreadJobRunner


def _ping() -> int:
    import kpi_engine.answers.ask  # noqa: F401  (the answer path, imported before the first question)

    services = _process_services
    if services is not None:
        from kpi_engine.sources.routing import warm_source

        warm_source(services.engine, services.settings)
    return os.getpid()


class ProcessJobRunner:
    """"worker" work in the worker processes; the rest on the server's own threads (`here`)."""

    def __init__(self, spec: ServicesSpec, processes: int, *, here: JobRunner | None = None) -> None:
        self.here: JobRunner = here or NoJobRunner()  # without it, only "worker" work can be submitted
        # spawn, not fork: the server already runs threads, and a fork could copy a held lock.
        context = multiprocessing.get_context("spawn")
        self._log_queue = context.Queue()
        self._log_listener = forward_worker_logs(self._log_queue)
        self._executor = ProcessPoolExecutor(max_workers=processes, mp_context=context,
                                             initializer=_start_worker_process,
                                             initargs=(spec, self._log_queue))
        self.processes = processes

    def warm_up(self, timeout: float = 120.0) -> None:
        """Starts the processes now rather than on the first question, and waits until each one answered."""
        answered: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(answered) < self.processes and time.monotonic() < deadline:
            pings = [self._executor.submit(_ping) for _ in range(self.processes)]
            answered |= {ping.result(timeout=timeout) for ping in pings}

    def submit(self, job: Job) -> None:
        if kind_of(job.work).lane != "worker":
            self.here.submit(job)
            return
        self._executor.submit(_accept, job).add_done_callback(_log_failure)

    def shutdown(self) -> None:
        self.here.shutdown()
        self._executor.shutdown(wait=True)
        if self._log_listener._thread is not None:  # noqa: SLF001 (stop() is not idempotent)
            self._log_listener.stop()


def _log_failure(future: object) -> None:
    error = future.exception()  # type: ignore[attr-defined]
    if error is not None:
        logger.error("a job could not be handed to a worker process: %s", error)
