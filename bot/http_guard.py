"""What every request to /slack/events passes before any listener, middleware or error handler sees it.

1. Size: a declared Content-Length over the limit is refused (413) before reading; a body streamed without one
   is read only up to the limit.
2. Signature: `X-Slack-Request-Timestamp` must be an integer within five minutes, and `X-Slack-Signature` the
   HMAC-SHA256 of `v0:{timestamp}:{body}` under the signing secret. Anything else: 401, nothing else runs.
3. Shape: the signed body must be UTF-8 and one of Slack's shapes (a JSON object, a slash command form, or a
   form whose `payload` is a JSON object of a known kind with the fields Bolt reads). Anything else: 400.

Log lines name the reason and the body's length, never the body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

logger = logging.getLogger(__name__)

MAX_CLOCK_SKEW_SECONDS = 300
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Refusal(Exception):
    status: int
    reason: str

    def response(self) -> Response:
        words = {400: "bad request", 401: "invalid request signature", 413: "request too large"}
        return PlainTextResponse(words.get(self.status, "refused"), status_code=self.status)


async def read_limited_body(request: Request, max_bytes: int) -> bytes:
    """The raw body, or Refusal(413) once it is known to be over `max_bytes` (without reading the rest)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Refusal(400, "content_length_not_a_number")
        if int(declared) > max_bytes:
            raise Refusal(413, "declared_too_large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise Refusal(413, "streamed_too_large")
        chunks.append(chunk)
    return b"".join(chunks)


def signature_problem(secret: str, timestamp: str | None, signature: str | None, body: bytes,
                      now: float | None = None) -> str | None:
    """Why the request is not Slack's (None when it is)."""
    if not secret:
        return "no_signing_secret"
    if timestamp is None or signature is None:
        return "missing_headers"
    stamp = timestamp.strip()
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        return "timestamp_not_a_number"
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > MAX_CLOCK_SKEW_SECONDS:
        return "stale_timestamp"
    base = b"v0:" + stamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.strip().encode("utf-8", "replace")):
        return "bad_signature"
    return None


def verify_signature(secret: str, headers: Any, body: bytes) -> None:
    problem = signature_problem(secret, headers.get("x-slack-request-timestamp"),
                                headers.get("x-slack-signature"), body)
    if problem is not None:
        raise Refusal(401, problem)


# --- the shape of a signed body ------------------------------------------------------------------------------

PAYLOAD_KINDS = frozenset({"block_actions", "view_submission", "view_closed", "shortcut", "message_action",
                           "block_suggestion", "interactive_message", "dialog_submission"})


def check_shape(body: bytes, content_type: str) -> None:
    """Raises Refusal(400) unless the body is one of the shapes Slack sends."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refusal(400, "not_utf8") from exc
    if "application/json" in content_type.lower() or text.lstrip().startswith("{"):
        _check_json_body(_json_object(text, "json_body"))
        return
    form = _form(text)
    if "payload" in form:
        _check_payload(_json_object(form["payload"], "payload"))
    elif "command" in form:
        _check_command(form)
    elif "ssl_check" not in form:
        raise Refusal(400, "unknown_form")


def _form(text: str) -> dict[str, str]:
    try:
        parsed = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict",
                          max_num_fields=500)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Refusal(400, "bad_form") from exc
    if any(len(values) != 1 for values in parsed.values()):
        raise Refusal(400, "repeated_form_field")
    return {key: values[0] for key, values in parsed.items()}


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Refusal(400, f"{what}_not_json") from exc
    if not isinstance(value, dict):
        raise Refusal(400, f"{what}_not_an_object")
    return value


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise Refusal(400, reason)


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 255


def _check_json_body(body: dict[str, Any]) -> None:
    kind = body.get("type")
    _require(isinstance(kind, str), "json_without_type")
    if kind == "url_verification":
        _require(isinstance(body.get("challenge"), str), "challenge_not_a_string")
        return
    if kind == "event_callback":
        event = body.get("event")
        _require(isinstance(event, dict) and isinstance(event.get("type"), str), "event_without_type")
        _require(body.get("team_id") is None or _is_id(body.get("team_id")), "bad_team_id")
        _require(body.get("authorizations") is None or isinstance(body.get("authorizations"), list),
                 "bad_authorizations")
        for key in ("user", "channel"):
            value = event.get(key)  # type: ignore[union-attr]
            _require(value is None or isinstance(value, str | dict), f"bad_event_{key}")
        return
    if kind == "app_rate_limited":
        return
    raise Refusal(400, "unknown_json_type")


def _check_command(form: dict[str, str]) -> None:
    _require(form["command"].startswith("/"), "command_without_slash")
    for key in ("user_id", "team_id"):
        _require(_is_id(form.get(key)), f"command_without_{key}")
    _require(form.get("channel_id") is None or _is_id(form.get("channel_id")), "bad_channel_id")


def _check_payload(payload: dict[str, Any]) -> None:
    kind = payload.get("type")
    _require(isinstance(kind, str) and kind in PAYLOAD_KINDS, "unknown_payload_type")
    user = payload.get("user")
    _require(isinstance(user, dict) and _is_id(user.get("id")), "payload_without_user")
    team = payload.get("team")
    _require(team is None or (isinstance(team, dict) and (team.get("id") is None or _is_id(team.get("id")))),
             "bad_team")
    for key in ("channel", "container", "enterprise", "message"):
        _require(payload.get(key) is None or isinstance(payload.get(key), dict), f"bad_{key}")
    _require(payload.get("response_url") is None or isinstance(payload.get("response_url"), str),
             "bad_response_url")
    if kind == "block_actions":
        actions = payload.get("actions")
        _require(isinstance(actions, list) and bool(actions), "block_actions_without_actions")
        for action in actions:  # type: ignore[union-attr]
            _require(isinstance(action, dict) and _is_id(action.get("action_id")), "action_without_action_id")
            _require(action.get("value") is None or isinstance(action.get("value"), str), "bad_action_value")
            _require(action.get("block_id") is None or isinstance(action.get("block_id"), str), "bad_block_id")
    if kind in ("view_submission", "view_closed"):
        view = payload.get("view")
        _require(isinstance(view, dict) and _is_id(view.get("id")) and _is_id(view.get("callback_id")),
                 "view_without_id")
        state = view.get("state")  # type: ignore[union-attr]
        _require(state is None or (isinstance(state, dict) and isinstance(state.get("values", {}), dict)),
                 "bad_view_state")
        _require(isinstance(view.get("private_metadata", ""), str), "bad_private_metadata")  # type: ignore[union-attr]
    if kind in ("shortcut", "message_action"):
        _require(_is_id(payload.get("callback_id")), "shortcut_without_callback_id")


def refusal_log(refusal: Refusal, request: Request, length: int | None) -> None:
    client = request.client.host if request.client else "?"
    logger.warning("refused a request to %s: %s %s (from %s, %s bytes)", request.url.path, refusal.status,
                   refusal.reason, client, "?" if length is None else length)
