"""Malformed requests to /slack/events, generated from Slack's real shapes (deterministic: a seeded Random)."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

STRANGE_VALUES: list[Any] = [None, [], {}, "", 0, -1, 1.5, True, "x" * 300, [None], {"id": None}, "null", "%7B",
                             "\u0000", "é" * 50, [{"a": 1}], {"type": []}, 10**30]
FIXED: list[tuple[bytes, str]] = [
    (b"payload=%7B", "application/x-www-form-urlencoded"),
    (b"payload=null", "application/x-www-form-urlencoded"),
    (b"payload=%5B%5D", "application/x-www-form-urlencoded"),
    (b"payload=", "application/x-www-form-urlencoded"),
    (b"[]", "application/json"),
    (b"null", "application/json"),
    (b"\"text\"", "application/json"),
    (b"{", "application/json"),
    (b"{}", "application/json"),
    (b"\xff\xfe\xfa", "application/json"),
    (b"payload=\xff\xfe", "application/x-www-form-urlencoded"),
    (b"", "application/x-www-form-urlencoded"),
    (b"", "application/json"),
    (b"command=%2Fkpi", "application/x-www-form-urlencoded"),
    (b"a=1&a=2", "application/x-www-form-urlencoded"),
    (b"=&=&&", "application/x-www-form-urlencoded"),
    (b"%", "application/x-www-form-urlencoded"),
    (b"[" * 5000 + b"]" * 5000, "application/json"),
    (b"payload=" + b"%5B" * 3000, "application/x-www-form-urlencoded"),
]


def base_payloads(user: str, team: str, response_url: str) -> list[tuple[str, dict[str, Any]]]:
    block_actions = {"type": "block_actions", "user": {"id": user, "team_id": team}, "team": {"id": team},
                     "api_app_id": "A0KPIBOT", "container": {"type": "message", "channel_id": "C0GENERAL"},
                     "channel": {"id": "C0GENERAL"}, "trigger_id": "1.1.t",
                     "response_url": response_url,
                     "actions": [{"action_id": "answer.trend", "block_id": "b1", "type": "button", "value": "mrr"}]}
    view = {"type": "view_submission", "user": {"id": user, "team_id": team}, "team": {"id": team},
            "api_app_id": "A0KPIBOT", "trigger_id": "1.1.t",
            "view": {"id": "V1", "callback_id": "home.pin_modal", "type": "modal", "private_metadata": "",
                     "state": {"values": {}}}}
    event = {"type": "event_callback", "team_id": team, "api_app_id": "A0KPIBOT", "event_id": "Ev0FUZZ",
             "event": {"type": "app_mention", "user": user, "channel": "C0GENERAL", "text": "<@U0KPIBOT> mrr",
                       "ts": "1.0"}, "authorizations": [{"team_id": team, "user_id": "U0KPIBOT", "is_bot": True}]}
    command = {"command": "/kpi", "text": "mrr", "user_id": user, "team_id": team, "channel_id": "C0GENERAL",
               "response_url": response_url, "trigger_id": "1.1.t"}
    return [("payload", block_actions), ("payload", view), ("json", event), ("form", command)]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from _paths(child, (*prefix, index))


def _mutate(payload: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    changed = copy.deepcopy(payload)
    for _ in range(rng.randint(1, 3)):
        paths = list(_paths(changed))
        if not paths:
            break
        path = rng.choice(paths)
        parent: Any = changed
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and rng.random() < 0.3:
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(STRANGE_VALUES))
    return changed


def _encode(kind: str, payload: dict[str, Any]) -> tuple[bytes, str]:
    if kind == "json":
        return json.dumps(payload).encode(), "application/json"
    if kind == "payload":
        return urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
    form = {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in payload.items()}
    return urlencode(form).encode(), "application/x-www-form-urlencoded"


def malformed_bodies(count: int, user: str, team: str, response_url: str,
                     seed: int = 15) -> list[tuple[bytes, str]]:
    rng = random.Random(seed)
    bodies = list(FIXED)
    bases = base_payloads(user, team, response_url)
    while len(bodies) < count:
        kind, payload = rng.choice(bases)
        body, content_type = _encode(kind, _mutate(payload, rng))
        roll = rng.random()
        if roll < 0.05:
            body = body[: rng.randint(0, len(body))]  # cut short
        elif roll < 0.08:
            body = body + bytes([rng.randint(128, 255)])  # invalid UTF-8 at the end
        elif roll < 0.10:
            content_type = "application/json" if content_type != "application/json" else "text/plain"
        bodies.append((body, content_type))
    return bodies
