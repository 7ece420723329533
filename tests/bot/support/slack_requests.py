"""Requests shaped and signed like Slack's: slash commands (form), events (JSON), block actions (form payload).

Signature: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the signing secret.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.bot.support.fake_slack import BOT_USER_ID, TEAM_ID

APP_ID = "A0KPIBOT"
_sequence = itertools.count(1)


def signature(secret: str, timestamp: int, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackSender:
    def __init__(self, app_url: str, signing_secret: str, *, team_id: str = TEAM_ID,
                 response_url_base: str = "http://127.0.0.1:9/response") -> None:
        self.events_url = f"{app_url}/slack/events"
        self.secret = signing_secret
        self.team_id = team_id
        self.response_url_base = response_url_base
        self.http = httpx.Client(timeout=30)

    def close(self) -> None:
        self.http.close()

    # transport ----------------------------------------------------------------------------------------
    def post(self, body: str, content_type: str, *, timestamp: int | None = None, secret: str | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        ts = int(time.time()) if timestamp is None else timestamp
        signed = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature(secret or self.secret, ts, body),
            **(headers or {}),
        }
        return self.http.post(self.events_url, content=body.encode(), headers=signed)

    # payload shapes -----------------------------------------------------------------------------------
    def command_body(self, text: str, *, user_id: str, channel_id: str, command: str = "/kpi",
                     response_url: str | None = None) -> str:
        n = next(_sequence)
        return urlencode({
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "team_domain": "acme",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url or f"{self.response_url_base}/cmd{n}",
            "trigger_id": f"{n}.{n}.trigger",
        })

    def slash_command(self, text: str, *, user_id: str = "U0ALICE", channel_id: str = "C0GENERAL",
                      response_url: str | None = None, **kwargs: Any) -> httpx.Response:
        body = self.command_body(text, user_id=user_id, channel_id=channel_id, response_url=response_url)
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def event_body(self, event: dict[str, Any], *, event_id: str | None = None,
                   is_ext_shared_channel: bool = False) -> str:
        n = next(_sequence)
        return json.dumps({
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{n:010d}",
            "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": self.team_id, "user_id": BOT_USER_ID,
                                "is_bot": True, "is_enterprise_install": False}],
            "is_ext_shared_channel": is_ext_shared_channel,
            "event_context": f"4-event-context-{n}",
        })

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None,
              is_ext_shared_channel: bool = False, **kwargs: Any) -> httpx.Response:
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        body = self.event_body(event, event_id=event_id, is_ext_shared_channel=is_ext_shared_channel)
        return self.post(body, "application/json", headers=headers, **kwargs)

    def mention(self, text: str, *, user_id: str = "U0ALICE", channel_id: str = "C0GENERAL",
                ts: str = "1780000000.000001", thread_ts: str | None = None, **kwargs: Any) -> httpx.Response:
        event = {"type": "app_mention", "user": user_id, "text": f"<@{BOT_USER_ID}> {text}", "ts": ts,
                 "channel": channel_id, "event_ts": ts, "team": self.team_id}
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, **kwargs)

    def direct_message(self, text: str, *, user_id: str = "U0ALICE", channel_id: str = "D0ALICE",
                       ts: str = "1780000000.000002", **kwargs: Any) -> httpx.Response:
        event = {"type": "message", "channel_type": "im", "user": user_id, "text": text, "ts": ts,
                 "channel": channel_id, "event_ts": ts, "team": self.team_id}
        return self.event(event, **kwargs)

    def home_opened(self, *, user_id: str = "U0ALICE", **kwargs: Any) -> httpx.Response:
        event = {"type": "app_home_opened", "user": user_id, "channel": "D0ALICE", "tab": "home",
                 "event_ts": f"{time.time():.6f}"}
        return self.event(event, **kwargs)

    def block_action(self, action: dict[str, Any], *, user_id: str = "U0ALICE", channel_id: str | None = "C0GENERAL",
                     response_url: str | None = None, container: dict[str, Any] | None = None,
                     view: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        n = next(_sequence)
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": self.team_id},
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "container": container or {"type": "message", "message_ts": "1780000000.000300",
                                       "channel_id": channel_id, "is_ephemeral": True},
            "trigger_id": f"{n}.{n}.trigger",
            "team": {"id": self.team_id, "domain": "acme"},
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [{"block_id": "b1", "action_ts": f"{time.time():.6f}", **action}],
        }
        if channel_id is not None:
            payload["channel"] = {"id": channel_id, "name": "general"}
        if view is not None:
            payload["view"] = view
        else:
            payload["response_url"] = response_url or f"{self.response_url_base}/act{n}"
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kwargs)

    def view_submission(self, view: dict[str, Any], *, user_id: str = "U0ALICE", **kwargs: Any) -> httpx.Response:
        n = next(_sequence)
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": "acme"},
            "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": self.team_id},
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "trigger_id": f"{n}.{n}.trigger",
            "view": {"id": f"V{n:08d}", "team_id": self.team_id, "type": "modal", "app_id": APP_ID, **view},
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded", **kwargs)
