"""Builds and publishes a user's App Home: pinned KPIs with fresh values and sparkline images."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import replace

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.access import Asker
from bot.audit import AuditRecord, record_question
from bot.errors import report_failure
from bot.home.cards import pin_card
from bot.home.pins import MAX_PINS, Pin, list_pins, remember_sparkline
from bot.home.view import PinCard, home_view
from bot.posting import PostRefused, publish_home, upload_png
from bot.services import Services

logger = logging.getLogger(__name__)


def refresh_home(services: Services, client: WebClient, asker: Asker, *, note: str | None = None) -> None:
    verdict = services.access.may_read_kpis(client, asker)
    if not verdict.allowed:
        publish_home(client, asker.user_id, home_view([], note=verdict.message, can_pin=False))
        return
    team_id = asker.installing_team_id or ""
    pins = list_pins(services.engine, team_id, asker.user_id)
    catalog = services.catalog()
    day = services.today()
    cards = []
    for pin in pins:
        metric = catalog.find(pin.metric_id)
        allowed = services.access.may_see_metric(metric.group if metric else None, asker, posted_in_channel=False)
        if not allowed.allowed:
            cards.append(PinCard(pin.metric_id, metric.label if metric else pin.metric_id, problem=allowed.message))
            continue
        card = pin_card(pin, engine=services.engine, settings=services.settings, catalog=catalog, day=day)
        cards.append(_with_sparkline_image(services, client, team_id, asker.user_id, pin, card))
    if len(pins) >= MAX_PINS and note is None:
        note = f"You have {MAX_PINS} pins, the most there can be. Unpin one to pin another."
    _publish(client, asker.user_id, cards, note)
    record_question(services.engine, AuditRecord(
        team_id=asker.installing_team_id, user_id=asker.user_id, channel_id=None, source="home",
        question="App Home", outcome="answered", detail=", ".join(p.metric_id for p in pins) or None,
    ))


def _publish(client: WebClient, user_id: str, cards: list[PinCard], note: str | None) -> None:
    try:
        publish_home(client, user_id, home_view(cards, note=note))
    except SlackApiError as exc:
        if exc.response.get("error") != "invalid_blocks":
            raise
        # Slack would not show a sparkline file: the text sparklines still tell the trend.
        logger.warning("App Home images refused (%s); publishing text sparklines", exc.response.get("errors"))
        publish_home(client, user_id, home_view(cards, note=note, with_images=False))


def _with_sparkline_image(services: Services, client: WebClient, team_id: str, user_id: str, pin: Pin,
                          card: PinCard) -> PinCard:
    """Uploads the sparkline only when its numbers changed since the last upload."""
    if card.problem is not None or len([v for v in card.spark_values if v is not None]) < 2:
        return card
    digest = hashlib.sha256(json.dumps(list(card.spark_values)).encode()).hexdigest()
    if digest == pin.sparkline_digest and pin.sparkline_file_id:
        return replace(card, spark_file_id=pin.sparkline_file_id)
    try:
        file_id = upload_png(client, services.charts.sparkline(card.spark_values), title=f"{card.label} trend",
                             alt_text=f"Trend of {card.label}")
    except (SlackApiError, PostRefused) as exc:
        logger.warning("sparkline upload for %s failed: %s", card.metric_id, exc)
        return card
    remember_sparkline(services.engine, team_id, user_id, pin.metric_id, file_id, digest)
    return replace(card, spark_file_id=file_id)


def refresh_home_safely(services: Services, client: WebClient, asker: Asker, *, note: str | None = None) -> None:
    """After a pin or unpin: a failure still leaves the person a Home tab with an error id."""
    try:
        refresh_home(services, client, asker, note=note)
    except Exception as exc:
        report_failure(exc, f"refreshing the App Home of {asker.user_id}", home_notice(client, asker.user_id))


def home_notice(client: WebClient, user_id: str) -> Callable[[str], None]:
    """Tells the person on their App Home (a Home with only this note): where Home jobs report a failure."""
    return lambda text: publish_home(client, user_id, home_view([], note=text, can_pin=False))
