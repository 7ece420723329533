"""What the survey listeners, commands and the background sender share, and the sender's thread.

One `SurveyRuntime` per app: the database, settings, the clock, the client used for sending (no automatic
retries; see gateway) and a daemon thread that sends due surveys and reminders every `poll_seconds`, at once
when woken (a new campaign). Several replicas may each run one: claims in the database keep them apart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.surveys.gateway import SurveySlack, sending_client
from bot.surveys.pacing import Pacer, SharedPause
from bot.surveys.sender import CampaignSender, SendReport
from kpi_engine.settings import Settings
from surveys.clock import Clock, SystemClock, public_clock
from surveys.config import SurveySettings

logger = logging.getLogger(__name__)
CONTEXT_KEY = "kpibot_surveys"


@dataclass
class SurveyRuntime:
    engine: Engine
    settings: Settings
    rules: SurveySettings
    client: WebClient  # for sending: built by `sending_client` from the app's client
    clock: Clock = field(default_factory=SystemClock)
    pacer: Pacer | None = None
    autostart: bool = False  # the first `wake` starts the thread (the app's runtime; tests drive theirs by hand)
    _thread: threading.Thread | None = field(default=None, init=False)
    _wake: threading.Event = field(default_factory=threading.Event, init=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False)
    _run_lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        if self.pacer is None:
            self.pacer = Pacer(self.clock, self.rules.messages_per_second, self.rules.per_channel_interval_seconds,
                               shared=SharedPause(self.engine))

    @classmethod
    def build(cls, engine: Engine, settings: Settings, client: WebClient, *, rules: SurveySettings | None = None,
              clock: Clock | None = None, now: str | None = None, autostart: bool = False) -> SurveyRuntime:
        """`now`: KPIBOT_NOW, the public clock's fixed moment (when no `clock` is given)."""
        return cls(engine, settings, rules or SurveySettings(), sending_client(client),
                   clock or public_clock(now),
                   autostart=autostart)

    @property
    def slack(self) -> SurveySlack:
        assert self.pacer is not None
        return SurveySlack(self.client, self.pacer)

    def sender(self) -> CampaignSender:
        return CampaignSender(self.engine, self.slack, self.rules, self.settings, self.clock, self._stop.is_set)

    def run_once(self) -> SendReport:
        """One pass over everything due (one pass at a time per process)."""
        with self._run_lock:
            return self.sender().run_once()

    # the background thread ------------------------------------------------------------------------------
    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="kpibot-surveys", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        if self.autostart and not self.running:
            self.start()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                report = self.run_once()
                if report.outcomes:
                    logger.info("survey sender: %s", dict(report.outcomes))
            except Exception:
                logger.exception("survey sender pass failed; trying again at the next poll")
            self._wake.wait(self.rules.poll_seconds)


def runtime_middleware(runtime: SurveyRuntime) -> Callable[..., None]:
    def middleware(context: BoltContext, next: Callable[[], Any]) -> None:  # noqa: A002 (Bolt's name)
        context[CONTEXT_KEY] = runtime
        next()

    return middleware


def runtime_of(context: BoltContext) -> SurveyRuntime:
    return context[CONTEXT_KEY]
