"""Sending pace: an overall rate, at most one message per `per_channel_interval` in any one channel, and a pause
for everyone after Slack answers 429 (for its Retry-After seconds). Time comes from the injected clock.

With a `SharedPause` the 429 pause is written to the database, so every process sending on it waits too.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from kpi_engine.db.models.security import SlackRatePause
from surveys.clock import Clock

logger = logging.getLogger(__name__)
PAUSES = SlackRatePause.__table__

MAX_TRACKED_CHANNELS = 10_000


class SharedPause:
    """A Retry-After pause in the database (`slack_rate_pauses`), one row per scope (e.g. the workspace)."""

    def __init__(self, engine: Engine, scope: str = "surveys") -> None:
        self.engine = engine
        self.scope = scope[:100]

    def extend(self, until: datetime) -> None:
        try:
            with self.engine.begin() as conn:
                changed = conn.execute(update(PAUSES).where(PAUSES.c.scope == self.scope,
                                                            PAUSES.c.paused_until < until)
                                       .values(paused_until=until)).rowcount
                if not changed and conn.scalar(select(PAUSES.c.scope).where(PAUSES.c.scope == self.scope)) is None:
                    with conn.begin_nested():
                        conn.execute(PAUSES.insert().values(scope=self.scope, paused_until=until))
        except IntegrityError:  # another process wrote it at the same moment: its pause stands, try ours again
            self.extend(until)
        except SQLAlchemyError as exc:  # this process still pauses; the others will get their own 429
            logger.warning("could not share a Retry-After pause: %s", type(exc).__name__)

    def until(self) -> datetime | None:
        try:
            with self.engine.connect() as conn:
                return conn.scalar(select(PAUSES.c.paused_until).where(PAUSES.c.scope == self.scope))
        except SQLAlchemyError as exc:
            logger.warning("could not read the shared Retry-After pause: %s", type(exc).__name__)
            return None


class Pacer:
    def __init__(self, clock: Clock, messages_per_second: float, per_channel_interval: float,
                 shared: SharedPause | None = None) -> None:
        self._clock = clock
        self._shared = shared
        self._spacing = 1.0 / messages_per_second
        self._per_channel = per_channel_interval
        self._next_any = 0.0
        self._next_in: dict[str, float] = {}
        self._paused_until = 0.0
        self._lock = threading.Lock()
        self.waited_seconds = 0.0
        self.pauses = 0

    def wait_turn(self, channel: str | None = None) -> None:
        """Blocks until a message may be posted (to `channel`), and books that slot."""
        self._adopt_shared_pause()
        with self._lock:
            now = self._clock.monotonic()
            slot = max(now, self._next_any, self._paused_until, self._next_in.get(channel or "", 0.0))
            self._next_any = slot + self._spacing
            if channel:
                self._next_in[channel] = slot + self._per_channel
                if len(self._next_in) > MAX_TRACKED_CHANNELS:
                    self._next_in = {c: t for c, t in self._next_in.items() if t > now}
        if slot > now:
            self.waited_seconds += slot - now
            self._clock.sleep(slot - now)

    def wait_pause(self) -> None:
        """Blocks while a 429 pause is on (for calls that are not messages, e.g. users.info)."""
        self._adopt_shared_pause()
        delay = self._paused_until - self._clock.monotonic()
        if delay > 0:
            self._clock.sleep(delay)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self.pauses += 1
            until = self._clock.monotonic() + max(seconds, 0.0)
            self._paused_until = max(self._paused_until, until)
            self._next_any = max(self._next_any, until)
        if self._shared is not None:
            self._shared.extend(self._clock.now() + timedelta(seconds=max(seconds, 0.0)))

    def _adopt_shared_pause(self) -> None:
        """A pause another process wrote (Slack's 429 to it) holds here too."""
        if self._shared is None:
            return
        until = self._shared.until()
        if until is None:
            return
        remaining = (until - self._clock.now()).total_seconds()
        if remaining > 0:
            with self._lock:
                local_until = self._clock.monotonic() + remaining
                self._paused_until = max(self._paused_until, local_until)
                self._next_any = max(self._next_any, local_until)
