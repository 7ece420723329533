"""Nothing before verification; malformed bodies are the sender's fault (4xx, never 5xx); size limits."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import httpx
import pytest

from tests.bot.conftest import SIGNING_SECRET, STRANGER, bot_config
from tests.bot.security.fuzz_bodies import malformed_bodies
from tests.bot.support.fake_slack import TEAM_ID
from tests.bot.support.slack_requests import signature


def signed_headers(body: bytes, content_type: str, timestamp: str | None = None) -> dict[str, str]:
    stamp = timestamp or str(int(time.time()))
    base = f"v0:{stamp}:".encode() + body
    import hashlib
    import hmac

    digest = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": digest}


@pytest.fixture
def config():
    return bot_config(KPIBOT_MAX_REQUEST_BYTES=1024 * 1024)


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "-5", "12345678901234567890", "0x10"])
def test_an_unverifiable_timestamp_gets_401_and_nothing_runs(slack, fake_slack, audit, timestamp) -> None:
    """The response_url, channel and user of the unverified body point at the fake Slack: nothing may call it."""
    before = fake_slack.methods()  # the app's own auth.test at start-up
    body = slack.command_body("mrr last month", user_id="U0ALICE", channel_id="C0GENERAL",
                              response_url=fake_slack.response_url("blind"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": signature(SIGNING_SECRET, 0, body)}
    response = httpx.post(slack.events_url, content=body.encode(), headers=headers)
    assert response.status_code == 401
    event = slack.event_body({"type": "app_mention", "user": "U0ALICE", "channel": "C0GENERAL", "text": "mrr",
                              "ts": "1.0"})
    response = httpx.post(slack.events_url, content=event.encode(),
                          headers={"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp})
    assert response.status_code == 401
    fake_slack.settle(0.3)
    assert fake_slack.methods() == before  # no response_url, no chat.postEphemeral, not even users.info
    assert audit() == []


def test_missing_signature_headers_get_401(slack, fake_slack) -> None:
    before = fake_slack.methods()
    body = slack.command_body("mrr", user_id="U0ALICE", channel_id="C0GENERAL")
    assert httpx.post(slack.events_url, content=body.encode(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 401
    fake_slack.settle(0.2)
    assert fake_slack.methods() == before


def test_five_hundred_malformed_signed_bodies_never_get_a_5xx(slack, fake_slack, caplog) -> None:
    bodies = malformed_bodies(520, STRANGER, TEAM_ID, fake_slack.response_url("fuzz"))
    statuses: dict[int, int] = {}
    with caplog.at_level(logging.INFO), httpx.Client(timeout=30) as http:
        for body, content_type in bodies:
            status = http.post(slack.events_url, content=body, headers=signed_headers(body, content_type)).status_code
            statuses[status] = statuses.get(status, 0) + 1
    assert len(bodies) >= 500
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses.get(400, 0) >= 300  # most are refused as malformed; the rest are well-formed enough to answer
    assert max((len(r.getMessage()) for r in caplog.records), default=0) < 2000


def test_a_body_over_the_limit_gets_413_before_it_is_read_and_is_never_logged(slack, fake_slack, caplog) -> None:
    before = fake_slack.methods()
    big = b"payload=" + b"A" * (10 * 1024 * 1024)
    with caplog.at_level(logging.DEBUG):
        response = httpx.post(slack.events_url, content=big,
                              headers={"Content-Type": "application/x-www-form-urlencoded",
                                       "X-Slack-Request-Timestamp": "abc"})
        assert response.status_code == 413

        def chunks():
            yield b"payload="
            for _ in range(20):
                yield b"B" * (128 * 1024)

        streamed = httpx.post(slack.events_url, content=chunks(), headers=signed_headers(b"", "application/json"))
        assert streamed.status_code == 413
    assert all("AAAAAAAAAA" not in r.getMessage() and "BBBBBBBBBB" not in r.getMessage() for r in caplog.records)
    assert fake_slack.methods() == before


def test_a_signed_body_just_under_the_limit_is_read(slack) -> None:
    text = "x" * (1024 * 1024 - 2000)
    body = slack.command_body(text, user_id=STRANGER, channel_id="C0GENERAL").encode()
    assert len(body) < 1024 * 1024
    response = httpx.post(slack.events_url, content=body,
                          headers=signed_headers(body, "application/x-www-form-urlencoded"))
    assert response.status_code == 200


def test_block_actions_without_actions_and_an_empty_view_are_400(slack, fake_slack) -> None:
    before = fake_slack.methods()
    for payload in ('{"type":"block_actions","user":{"id":"U0ALICE"},"actions":[]}',
                    '{"type":"view_submission","user":{"id":"U0ALICE"},"view":{}}'):
        body = urlencode({"payload": payload}).encode()
        response = httpx.post(slack.events_url, content=body,
                              headers=signed_headers(body, "application/x-www-form-urlencoded"))
        assert response.status_code == 400
    fake_slack.settle(0.2)
    assert fake_slack.methods() == before
