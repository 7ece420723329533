"""Turning any failure into a friendly message with an error id, and a log line with the same id."""

from __future__ import annotations

import json
import logging
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from sqlalchemy.exc import StatementError

logger = logging.getLogger("bot.errors")


def new_error_id() -> str:
    return uuid.uuid4().hex[:10]


def log_failure(error: BaseException, where: str) -> str:
    """One log line with a new error id (returned). A database error is logged short: its first line and where it
    was raised, never the statement and its parameters (they can be 100 KB)."""
    error_id = new_error_id()
    if isinstance(error, StatementError):
        original = getattr(error, "orig", None) or error
        first = (str(original).splitlines() or [""])[0][:200]
        frames = traceback.extract_tb(error.__traceback__)[-3:]
        at = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
        logger.error("error_id=%s while %s: %s: %s (at %s)", error_id, where, type(original).__name__, first, at)
        return error_id
    logger.error("error_id=%s while %s: %s", error_id, where, error, exc_info=error)
    return error_id


def friendly_error_text(error_id: str) -> str:
    return (f":warning: Sorry, something went wrong on my side and I couldn't answer. "
            f"Please try again in a minute. If it keeps happening, give this error id to the team running "
            f"KPI Bot: `{error_id}`")


def report_failure(error: BaseException, where: str, tell: Callable[[str], object]) -> str:
    """The log line with a new error id (returned), and the friendly message with that id told to the person
    (a message that cannot be delivered leaves a warning: there is nowhere else to tell them)."""
    error_id = log_failure(error, where)
    try:
        tell(friendly_error_text(error_id))
    except Exception as exc:
        logger.warning("error_id=%s could not be reported to the person: %s", error_id, exc)
    return error_id


def handle_listener_error(error: Exception, body: dict[str, Any], respond: Respond | None,
                          client: WebClient | None) -> BoltResponse:
    """Bolt's global error handler: log it, tell the person, and answer Slack with 200 so it does not retry."""
    error_id = log_failure(error, f"handling a {body.get('type') or 'slash command'} request")
    text = friendly_error_text(error_id)
    if body.get("command"):
        # The ack response of a slash command is shown to the user.
        return BoltResponse(status=200, body=json.dumps({"response_type": "ephemeral", "text": text}),
                            headers={"content-type": ["application/json;charset=utf-8"]})
    try:
        if respond is not None and body.get("response_url"):
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif client is not None:
            _tell_event_author(client, body, text)
    except Exception as exc:  # the error message itself could not be delivered: the log line has it all
        logger.warning("error_id=%s could not be reported to the user: %s", error_id, exc)
    return BoltResponse(status=200, body="")


def _tell_event_author(client: WebClient, body: dict[str, Any], text: str) -> None:
    event = body.get("event") or {}
    channel, user = event.get("channel"), event.get("user")
    if channel and user:
        client.chat_postEphemeral(channel=channel, user=user, text=text)
