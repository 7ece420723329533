"""Runs a job for the first delivery of a Slack event only (retries and other replicas skip it)."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable

from bot.dedupe import claim, forget_older_than
from bot.errors import log_failure
from bot.services import Services

logger = logging.getLogger(__name__)

PRUNE_EVERY = 500  # claims per process between two deletions of old event ids
_claims = itertools.count(1)


def first_delivery_only(services: Services, key: str, team_id: str | None,
                        job: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            first = claim(services.engine, key, team_id)
        except Exception as exc:
            log_failure(exc, f"recording delivery {key}")
            return
        if not first:
            logger.info("skipping %s: already handled", key)
            return
        if next(_claims) % PRUNE_EVERY == 0:
            _prune(services)
        job()

    return run


def _prune(services: Services) -> None:
    try:
        removed = forget_older_than(services.engine, services.config.processed_event_days)
    except Exception as exc:  # pruning can wait for the next time
        log_failure(exc, "forgetting old event ids")
        return
    logger.info("forgot %d event ids older than %d days", removed, services.config.processed_event_days)
