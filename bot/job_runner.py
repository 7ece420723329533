"""Running jobs: in the server's own threads, or in worker processes.

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
from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.conversation.flow import handle_ask
from bot.conversation.once import first_delivery_only
from bot.conversation.reply import ConversationReply, EphemeralReply, Reply, SplitReply
from bot.errors import log_failure
from bot.home.pinning import pin_and_refresh, unpin_metric
from bot.home.refresh import refresh_home_safely
from bot.jobs import AnswerWork, ConversationRoute, EphemeralRoute, HomeWork, Job, PinWork, Route, UnpinWork
from bot.posting import respond_with
from bot.services import Services, ServicesSpec

logger = logging.getLogger(__name__)


def web_client(services: Services, token: str | None) -> WebClient:
    client = WebClient(token=token, base_url=services.api_base_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=services.config.rate_limit_retries))
    return client


def reply_for(route: Route, client: WebClient) -> Reply:
    if isinstance(route, EphemeralRoute):
        return EphemeralReply(client, Respond(response_url=route.response_url))
    if isinstance(route, ConversationRoute):
        return ConversationReply(client, route.channel_id, route.thread_ts,
                                 chart_under_answer=route.chart_under_answer, notice_user=route.notice_user)
    return SplitReply(reply_for(route.answers, client), reply_for(route.notices, client))


def job_name(job: Job) -> str:
    """`AnswerWork:1a2b3c4d` (plus the event key when there is one): what the log lines of one job share."""
    name = f"{type(job.work).__name__}:{uuid.uuid4().hex[:8]}"
    return f"{name} ({job.once_key})" if job.once_key else name


def run_job(services: Services, job: Job) -> None:
    """Runs one job; a failure it did not report itself is logged with the job and an error id."""
    name = job_name(job)
    try:
        _run_job(services, job)
    except Exception as exc:  # the job's own handlers tell the user; this line is for the operator
        log_failure(exc, f"running job {name} in process {os.getpid()}")


def _run_job(services: Services, job: Job) -> None:
    client = web_client(services, job.token)
    work = job.work

    def run() -> None:
        if isinstance(work, AnswerWork):
            handle_ask(services, client, work.ask, reply_for(work.route, client))
        elif isinstance(work, HomeWork):
            refresh_home_safely(services, client, work.asker, note=work.note)
        elif isinstance(work, PinWork):
            url = work.response_url
            tell = (lambda text: respond_with(Respond(response_url=url), text=text)) if url else None
            pin_and_refresh(services, client, work.asker, work.name, work.question, tell=tell)
        elif isinstance(work, UnpinWork):
            unpin_metric(services, client, work.asker, work.metric_id)

    if job.once_key is not None:
        first_delivery_only(services, job.once_key, job.team_id, run)()
    else:
        run()


class ThreadJobRunner:
    def __init__(self, services: Services) -> None:
        self.services = services

    def warm_up(self) -> None:
        return None

    def submit(self, job: Job) -> None:
        self.services.pool.submit(lambda: run_job(self.services, job))

    def shutdown(self) -> None:
        return None  # the services' pool is shut down with the app


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
    _process_services.charts.sparkline([0.0, 1.0])  # matplotlib, its fonts and Agg loaded before the first answer


def _accept(job: Job) -> None:
    """Queues the job on this process's threads and returns at once (so every process keeps taking work)."""
    services = _process_services
    assert services is not None, "worker process not initialised"
    services.pool.submit(lambda: run_job(services, job))


def _ping() -> int:
    import kpi_engine.answers.ask  # noqa: F401  (the answer path, imported before the first question)

    return os.getpid()


class ProcessJobRunner:
    def __init__(self, spec: ServicesSpec, processes: int) -> None:
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
        self._executor.submit(_accept, job).add_done_callback(_log_failure)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
        if self._log_listener._thread is not None:  # noqa: SLF001 (stop() is not idempotent)
            self._log_listener.stop()


def _log_failure(future: object) -> None:
    error = future.exception()  # type: ignore[attr-defined]
    if error is not None:
        logger.error("a job could not be handed to a worker process: %s", error)
