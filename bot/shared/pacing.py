"""Pacing posts to Slack's rate limits: about one chat.postMessage per second per channel, and a workspace-wide
spacing so a hundred digests (or alerts) due at the same minute go out as a steady stream rather than a burst.

Each caller reserves the next free slot under a lock and sleeps outside it, so threads posting to different
channels never wait for each other beyond the global spacing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.posting import post_message

PER_CHANNEL_SECONDS = 1.0
GLOBAL_SECONDS = 0.05  # ≤ 20 posts a second across the workspace


class ChannelPacer:
    def __init__(self, per_channel_seconds: float = PER_CHANNEL_SECONDS, global_seconds: float = GLOBAL_SECONDS,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.per_channel_seconds = per_channel_seconds
        self.global_seconds = global_seconds
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_in_channel: dict[str, float] = {}
        self._next_anywhere = 0.0

    def wait(self, channel_id: str) -> float:
        """Blocks until a post to `channel_id` is allowed; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_in_channel.get(channel_id, 0.0), self._next_anywhere)
            self._next_in_channel[channel_id] = slot + self.per_channel_seconds
            self._next_anywhere = slot + self.global_seconds
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return max(delay, 0.0)

    def posted(self, channel_id: str) -> None:
        """After a post returns: a post that was slowed down (a 429 retried after Retry-After) still keeps the
        next one in that channel a full interval away."""
        with self._lock:
            after = self._clock() + self.per_channel_seconds
            self._next_in_channel[channel_id] = max(self._next_in_channel.get(channel_id, 0.0), after)


def paced_post(client: WebClient, pacer: ChannelPacer, channel_id: str, text: str,
               blocks: list[dict[str, object]] | None = None, thread_ts: str | None = None,
               metadata: dict[str, Any] | None = None) -> str:
    """chat.postMessage within the channel's pace; returns the message ts."""
    pacer.wait(channel_id)
    try:
        return post_message(client, channel_id, text=text, blocks=blocks, thread_ts=thread_ts, metadata=metadata)
    finally:
        pacer.posted(channel_id)
