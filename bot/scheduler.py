"""The scheduler inside `kpibot serve`: a daemon thread that, every minute, sends the due digests and checks the
due alerts (and, with a source configured, checks it at start and runs `kpibot refresh` every
KPI_REFRESH_MINUTES, in a thread of its own). `kpibot digest run-due` / `kpibot alert check` do one round for
cron-style deployments.

Every replica may run it: exactly-once comes from the database (claimed digest runs, compare-and-set alert
state), not from there being one scheduler. Each process ticks at its own random second of the minute, so
replicas do not hit the database and Slack in the same instant.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.access_groups import GroupRules, configured_rules
from bot.alerts.checker import AlertEnvironment, AlertOutcome, check_alerts
from bot.digests.runner import DigestEnvironment, DigestOutcome, run_due
from bot.errors import log_failure
from bot.settings import AppSettings
from bot.shared.command import utc_now
from bot.shared.pacing import ChannelPacer
from bot.shared.slack_clients import client_source
from kpi_engine.answers.ask import resolve_catalog
from kpi_engine.sources.health import SourceJobs

logger = logging.getLogger(__name__)

INTERVAL_SECONDS = 60.0
MAX_JITTER_SECONDS = 10.0


@dataclass(frozen=True)
class Round:
    digests: list[DigestOutcome]
    alerts: list[AlertOutcome]


class Scheduler:
    """What one round needs, built once per process; the pacer is shared so rounds never burst past Slack's limits.
    The access rules come from whoever starts it (the app's own, or the access file the CLI reads)."""

    def __init__(self, settings: AppSettings, engine: Engine, client: WebClient, *, rules: GroupRules,
                 pacer: ChannelPacer | None = None) -> None:
        self.settings = settings.data
        self.engine = engine
        self.clients = client_source(settings.slack, engine, client)
        self.rules = rules
        self.pacer = pacer or ChannelPacer()
        self.source_jobs = SourceJobs(settings.data)  # with a source: the check at start, then the refresh interval

    def run_digests(self, now: datetime) -> list[DigestOutcome]:
        catalog = resolve_catalog(self.engine, self.settings)
        return run_due(DigestEnvironment(self.engine, self.settings, self.clients, catalog, self.pacer, self.rules),
                       now)

    def run_alerts(self, now: datetime) -> list[AlertOutcome]:
        catalog = resolve_catalog(self.engine, self.settings)
        return check_alerts(AlertEnvironment(self.engine, self.settings, self.clients, catalog, self.pacer,
                                             self.rules), now)

    def run_once(self, now: datetime | None = None) -> Round:
        now = now or utc_now()
        digests: list[DigestOutcome] = []
        alerts: list[AlertOutcome] = []
        try:
            self.source_jobs.run_due()
        except Exception as exc:  # a broken source never stops digests and alerts
            log_failure(exc, "checking or refreshing the source")
        try:
            digests = self.run_digests(now)
        except Exception as exc:  # the next round tries again
            log_failure(exc, "running due digests")
        try:
            alerts = self.run_alerts(now)
        except Exception as exc:
            log_failure(exc, "checking alerts")
        for outcome in digests:
            logger.info("digest #%s %s %s", outcome.subscription_id, outcome.status, outcome.error or "")
        for alert in alerts:
            if alert.action not in ("quiet", "taken"):
                logger.info("alert #%s %s", alert.rule_id, alert.action)
        return Round(digests, alerts)


def seconds_to_next_tick(now: float, interval: float, offset: float) -> float:
    """Seconds until the next `offset` seconds past an interval boundary (e.g. 7 s past each minute)."""
    wait = (offset - now) % interval
    return wait if wait > 0.001 else interval


def start_scheduler(settings: AppSettings, engine: Engine, client: WebClient, *,
                    interval_seconds: float = INTERVAL_SECONDS, rules: GroupRules | None = None,
                    clock: Callable[[], datetime] | None = None) -> Callable[[], None]:
    """Starts the background thread (a first round at once: catches up after downtime); returns `stop()`.
    `rules`: the app's access rules; without them, those of the configured access file (KPIBOT_ACCESS_FILE)."""
    scheduler = Scheduler(settings, engine, client, rules=rules if rules is not None else configured_rules())
    if clock is None:  # real time, or KPIBOT_NOW (tests): the same public clock as the survey sender
        from surveys.clock import public_clock

        clock = public_clock(settings.scheduling.now).now
    stop_event = threading.Event()
    offset = random.uniform(0, min(MAX_JITTER_SECONDS, interval_seconds / 2))

    def loop() -> None:
        while not stop_event.is_set():
            try:
                scheduler.run_once(clock())
            except Exception as exc:  # never let the thread die
                log_failure(exc, "a scheduler round")
            stop_event.wait(seconds_to_next_tick(time.time(), interval_seconds, offset))

    thread = threading.Thread(target=loop, name="kpibot-scheduler", daemon=True)
    thread.start()
    logger.info("scheduler started: digests and alerts every %.0f s", interval_seconds)

    def stop() -> None:
        stop_event.set()
        thread.join(timeout=30)

    return stop
