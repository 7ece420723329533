"""Pinning and unpinning, on the worker pool: access checks, the database, then a fresh App Home."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient

from bot.access import Asker
from bot.errors import friendly_error_text, log_failure
from bot.home.pins import MAX_PINS, add_pin, remove_pin
from bot.home.refresh import refresh_home_safely
from bot.services import Services
from kpi_engine.catalog import Catalog, MetricDefinition

logger = logging.getLogger(__name__)


def pin_metric(services: Services, client: WebClient, asker: Asker, name: str, question: str) -> str:
    """Pins after the access checks and returns what to tell the person. `name` is a metric id, label or alias
    (or, failing that, the question the answer came from)."""
    try:
        return _pin(services, client, asker, name, question)
    except Exception as exc:
        return friendly_error_text(log_failure(exc, f"pinning {name!r} for {asker.user_id}"))


def _pin(services: Services, client: WebClient, asker: Asker, name: str, question: str) -> str:
    verdict = services.access.may_read_kpis(client, asker)
    if not verdict.allowed:
        return verdict.message
    catalog = services.catalog()
    metric = catalog.find(name) or _metric_in_question(question, catalog, services)
    if metric is None:
        return "Only answers about one metric can be pinned."
    verdict = services.access.may_see_metric(metric.group, asker, posted_in_channel=False)
    if not verdict.allowed:
        return verdict.message
    if not add_pin(services.engine, asker.installing_team_id or "", asker.user_id, metric.id, question or metric.id):
        return f"You already have {MAX_PINS} pinned KPIs. Unpin one in the App Home first."
    return f"Pinned *{metric.label}* to your App Home."


def pin_and_refresh(services: Services, client: WebClient, asker: Asker, name: str, question: str, *,
                    tell: Callable[[str], object] | None = None) -> None:
    """The outcome goes to `tell` when given (an ephemeral message), else onto the App Home as a note."""
    message = pin_metric(services, client, asker, name, question)
    if tell is not None:
        tell(message)
    refresh_home_safely(services, client, asker, note=None if tell is not None else message)


def unpin_metric(services: Services, client: WebClient, asker: Asker, metric_id: str) -> None:
    try:
        remove_pin(services.engine, asker.installing_team_id or "", asker.user_id, metric_id)
    except Exception as exc:
        log_failure(exc, f"unpinning {metric_id!r} for {asker.user_id}")
    refresh_home_safely(services, client, asker)


def _metric_in_question(question: str, catalog: Catalog, services: Services) -> MetricDefinition | None:
    from kpi_engine.parser import parse_question

    try:
        parsed = parse_question(question, as_of=services.today(), catalog=catalog)
    except Exception:
        logger.info("could not read %r to find its metric", question)
        return None
    metric_id = parsed.metric_id or getattr(parsed.query, "metric", None)
    return catalog.find(metric_id) if metric_id else None
