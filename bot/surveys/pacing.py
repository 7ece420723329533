"""Sending pace: an overall rate, at most one message per `per_channel_interval` in any one channel, and a pause
for everyone after Slack answers 429 (for its Retry-After seconds). Time comes from the injected clock."""

from __future__ import annotations

import threading

from surveys.clock import Clock

MAX_TRACKED_CHANNELS = 10_000


class Pacer:
    def __init__(self, clock: Clock, messages_per_second: float, per_channel_interval: float) -> None:
        self._clock = clock
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
        delay = self._paused_until - self._clock.monotonic()
        if delay > 0:
            self._clock.sleep(delay)

    def pause(self, seconds: float) -> None:
        with self._lock:
            self.pauses += 1
            until = self._clock.monotonic() + max(seconds, 0.0)
            self._paused_until = max(self._paused_until, until)
            self._next_any = max(self._next_any, until)
