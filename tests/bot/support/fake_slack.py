"""A fake Slack Web API on 127.0.0.1 (a thread) that records every call and can answer errors.

Serves `/api/<method>` (form or JSON bodies, like slack_sdk sends them), the upload URLs handed out by
files.getUploadURLExternal, and response_urls (`/response/<id>`).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TEAM_ID = "T0TEAM"
ENTERPRISE_ID = None
BOT_USER_ID = "U0KPIBOT"
BOT_ID = "B0KPIBOT"


@dataclass
class Call:
    method: str  # an API method, "upload" or "response_url"
    params: dict[str, Any]
    path: str
    headers: dict[str, str]
    body: bytes = b""
    at: float = field(default_factory=time.monotonic)


@dataclass
class ScriptedFailure:
    status: int
    error: str
    retry_after: int | None
    times: int


@dataclass
class FakeSlackState:
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[ScriptedFailure]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    overrides: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(default_factory=threading.Condition)


def member(user_id: str, **overrides: Any) -> dict[str, Any]:
    return {"id": user_id, "team_id": TEAM_ID, "name": user_id.lower(), "is_restricted": False,
            "is_ultra_restricted": False, "is_bot": False, "deleted": False, **overrides}


class FakeSlack:
    def __init__(self) -> None:
        self.state = FakeSlackState()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack", daemon=True)

    # lifecycle -------------------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    # scripting ---------------------------------------------------------------------------------------
    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        self._script(method, ScriptedFailure(200, error, None, times))

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        self._script(method, ScriptedFailure(429, "ratelimited", retry_after, times))

    def _script(self, method: str, failure: ScriptedFailure) -> None:
        with self.state.lock:
            self.state.failures.setdefault(method, []).append(failure)

    def override(self, method: str, payload: dict[str, Any]) -> None:
        """The next call to `method` gets `payload` (e.g. a malformed answer) instead of the usual one."""
        with self.state.lock:
            self.state.overrides.setdefault(method, []).append(payload)

    def delay(self, method: str, seconds: float) -> None:
        """Every call to `method` (or "response_url") takes this long to answer."""
        self.state.delays[method] = seconds

    def add_user(self, user_id: str, **overrides: Any) -> None:
        self.state.users[user_id] = member(user_id, **overrides)

    def add_channel(self, channel_id: str, **fields: Any) -> None:
        self.state.channels[channel_id] = {"id": channel_id, "is_channel": True, "is_ext_shared": False, **fields}

    # reading what happened ---------------------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[Call]:
        with self.state.lock:
            return [c for c in self.state.calls if method is None or c.method == method]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls()]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0,
                 where: Callable[[Call], bool] | None = None) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self.state.changed:
            while True:
                found = [c for c in self.calls(method) if where is None or where(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} call(s) to {method}, saw {self.methods()}")
                self.state.changed.wait(remaining)

    def settle(self, quiet_seconds: float = 0.5) -> None:
        """Waits until no call has arrived for `quiet_seconds` (to assert that nothing more happens)."""
        seen = -1
        while seen != len(self.calls()):
            seen = len(self.calls())
            time.sleep(quiet_seconds)

    # answering -----------------------------------------------------------------------------------------
    def record(self, call: Call) -> None:
        with self.state.lock:
            self.state.calls.append(call)
        with self.state.changed:
            self.state.changed.notify_all()

    def take_failure(self, method: str) -> ScriptedFailure | None:
        with self.state.lock:
            queue = self.state.failures.get(method) or []
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self.state.lock:
            queued = self.state.overrides.get(method)
            if queued:
                return queued.pop(0)
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        return handler(params) if handler else {"ok": True}

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _api_auth_test(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://acme.slack.com/", "team": "Acme", "user": "kpibot", "team_id": TEAM_ID,
                "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _api_oauth_v2_access(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("code") != "c0de":
            return {"ok": False, "error": "invalid_code"}
        return {"ok": True, "app_id": "A0KPIBOT", "authed_user": {"id": "U0ALICE"}, "token_type": "bot",
                "scope": "commands,chat:write", "access_token": "xoxb-installed-token", "bot_user_id": BOT_USER_ID,
                "team": {"id": TEAM_ID, "name": "Acme"}, "enterprise": None, "is_enterprise_install": False}

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.state.users.get(params.get("user", ""))
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _api_conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.state.channels.get(params.get("channel", ""))
        return {"ok": True, "channel": channel} if channel else {"ok": False, "error": "channel_not_found"}

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"{1_780_000_000 + next(self._ids)}.000100"
        message = {"ts": ts, "text": params.get("text")}
        return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": message}

    def _api_chat_postEphemeral(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": f"{1_780_000_000 + next(self._ids)}.000200"}

    def _api_views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": self.next_id("V"), **_json_field(params, "view")}}

    def _api_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": self.next_id("V"), **_json_field(params, "view")}}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": {"id": "D" + str(params.get("users", "X"))[1:]}}

    def _api_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = self.next_id("F")
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}

    def _api_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(params.get("files", "[]"))
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title"), "mimetype": "image/png"} for f in files]}


def _json_field(params: dict[str, Any], name: str) -> dict[str, Any]:
    value = params.get(name)
    if isinstance(value, str):
        return json.loads(value)
    return value or {}


def parse_body(body: bytes, content_type: str, query: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query))
    if not body:
        return params
    if "application/json" in content_type:
        params.update(json.loads(body))
    elif "application/x-www-form-urlencoded" in content_type:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return params


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: Any) -> None:
            return

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.do_POST()

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if url.path.startswith("/upload/"):
                fake.state.uploads[url.path.rsplit("/", 1)[1]] = body
                fake.record(Call("upload", {"file_id": url.path.rsplit("/", 1)[1], "length": len(body)},
                                 url.path, headers, body))
                self._send(200, f"OK - {len(body)}".encode(), "text/plain")
                return
            params = parse_body(body, headers.get("content-type", ""), url.query)
            method = "response_url" if url.path.startswith("/response/") else url.path.removeprefix("/api/")
            if fake.state.delays.get(method):
                time.sleep(fake.state.delays[method])
            if url.path.startswith("/response/"):
                fake.record(Call("response_url", params, url.path, headers, body))
                failure = fake.take_failure("response_url")
                if failure is not None:
                    self._send(404, json.dumps({"ok": False, "error": failure.error}).encode())
                    return
                self._send(200, b"ok", "text/plain")
                return
            fake.record(Call(method, params, url.path, headers, body))
            failure = fake.take_failure(method)
            if failure is not None:
                extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                self._send(failure.status, json.dumps({"ok": False, "error": failure.error}).encode(), extra=extra)
                return
            self._send(200, json.dumps(fake.answer(method, params)).encode())

        def _send(self, status: int, payload: bytes, content_type: str = "application/json",
                  extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

    return Handler
