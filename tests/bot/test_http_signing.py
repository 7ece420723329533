"""Requests reach listeners only when signed like Slack signs them, within five minutes."""

from __future__ import annotations

import time

import httpx


def test_help_is_answered_in_the_ack_itself(slack, fake_slack) -> None:
    response = slack.slash_command("help")
    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert body["blocks"][0]["type"] == "header"
    assert fake_slack.calls("response_url") == []


def test_bad_signature_is_refused_and_no_listener_runs(audit, slack, fake_slack) -> None:
    before = fake_slack.methods()
    response = slack.slash_command("mrr last month", secret="not-the-signing-secret")
    assert response.status_code == 401
    response = slack.mention("mrr", secret="not-the-signing-secret")
    assert response.status_code == 401
    fake_slack.settle(0.3)
    assert fake_slack.methods() == before  # not even users.info: nothing ran
    assert audit() == []


def test_a_timestamp_six_minutes_old_is_refused(audit, slack, fake_slack) -> None:
    before = fake_slack.methods()
    response = slack.slash_command("mrr last month", timestamp=int(time.time()) - 6 * 60)
    assert response.status_code == 401
    fake_slack.settle(0.3)
    assert fake_slack.methods() == before
    assert audit() == []


def test_a_body_changed_after_signing_is_refused(slack) -> None:
    ts = int(time.time())
    from tests.bot.support.slack_requests import signature

    body = slack.command_body("mrr", user_id="U0ALICE", channel_id="C0GENERAL")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": str(ts),
               "X-Slack-Signature": signature(slack.secret, ts, body)}
    response = httpx.post(slack.events_url, content=(body + "&text=arr").encode(), headers=headers)
    assert response.status_code == 401


def test_healthz_checks_the_database(slack) -> None:
    response = httpx.get(slack.events_url.replace("/slack/events", "/healthz"))
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["workers"] == 4


def test_url_verification_challenge_is_answered(slack) -> None:
    response = slack.post('{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",'
                          '"type":"url_verification"}', "application/json")
    assert response.status_code == 200
    assert response.json()["challenge"].startswith("3eZbrw1a")
