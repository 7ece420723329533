"""`/kpi digest|target|alert ...` through Bolt: signed HTTP in, the fake Slack Web API out, real databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from bot.app import KpiBotApp
from bot.digests.repository import list_subscriptions
from bot.digests.schedule import reported_week, zone
from bot.shared.command import utc_now
from kpi_engine.db.models import Target, User
from kpi_engine.db.models.digests import AlertRule
from tests.bot.digests.conftest import BERLIN, CREATOR, GROWTH
from tests.bot.support.block_check import validate_blocks
from tests.bot.support.fake_slack import FakeSlack
from tests.bot.support.slack_requests import SlackSender
from tests.conftest import insert_rows


@pytest.fixture
def wired(bot_app: KpiBotApp, fake_slack: FakeSlack) -> Iterator[KpiBotApp]:
    fake_slack.add_user(CREATOR, tz=BERLIN)
    fake_slack.add_channel(GROWTH)
    yield bot_app  # the app's own wiring: /kpi digest|alert|target are routed by bot.listeners.commands


def command(slack: SlackSender, fake: FakeSlack, text: str, *, user_id: str = CREATOR,
            channel_id: str = GROWTH) -> dict[str, object]:
    """Sends the slash command; returns what came back through its response_url."""
    name = f"cmd-{abs(hash((text, user_id))) % 10**8}"
    response = slack.slash_command(text, user_id=user_id, channel_id=channel_id,
                                   response_url=fake.response_url(name))
    assert response.status_code == 200
    [reply] = fake.wait_for("response_url", where=lambda c: c.path.endswith(name))
    return reply.params


def test_add_list_and_remove_a_digest(wired: KpiBotApp, slack: SlackSender, fake_slack: FakeSlack,
                                      engine: Engine) -> None:
    reply = command(slack, fake_slack, "digest add in <#C0GROWTH|growth> fridays at 4:30pm mrr, signups plan=pro")
    assert str(reply["text"]).startswith(":white_check_mark: Digest #")
    assert "Fridays at 16:30 (Europe/Berlin)" in str(reply["text"])  # the creator's Slack time zone
    assert "KPIs: MRR, Signups." in str(reply["text"])
    [sub] = list_subscriptions(engine)
    assert (sub.channel_id, sub.schedule.weekday, sub.schedule.at_time, sub.schedule.timezone) == (
        GROWTH, 4, "16:30", BERLIN)
    assert (sub.metrics, sub.filters, sub.created_by) == (["mrr", "signups"], {"plan": ["pro"]}, CREATOR)
    assert sub.next_run_at > utc_now() - timedelta(minutes=1)
    listed = command(slack, fake_slack, "digest list")
    assert f"*#{sub.id}* <#C0GROWTH> · Fridays at 16:30 (Europe/Berlin) · MRR, Signups · plan = pro" in str(
        listed["text"])
    removed = command(slack, fake_slack, f"digest remove {sub.id}")
    assert removed["text"] == f"Digest #{sub.id} for <#C0GROWTH> removed."
    assert list_subscriptions(engine) == []


def test_default_digest_here(wired: KpiBotApp, slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    command(slack, fake_slack, "digest add")
    [sub] = list_subscriptions(engine)
    assert (sub.channel_id, sub.schedule.describe()) == (GROWTH, "Mondays at 09:00 (Europe/Berlin)")
    assert sub.metrics == ["mrr", "net_new_mrr", "customer_churn_rate", "nrr", "signups", "wau",
                           "trial_conversion_rate", "nps", "tickets", "first_response_time"]


def test_preview_and_send_now(wired: KpiBotApp, slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    """Three signups in the last complete week (Berlin) before now, none the week before."""
    week = reported_week(utc_now(), zone(BERLIN))
    monday = datetime.combine(week.start, datetime.min.time()) + timedelta(hours=12)
    insert_rows(engine, User, [{"user_id": f"p{i}", "created_at": monday + timedelta(hours=i)} for i in range(3)])
    command(slack, fake_slack, "digest add signups")
    [sub] = list_subscriptions(engine)
    preview = command(slack, fake_slack, f"digest preview {sub.id}")
    blocks = json.loads(preview["blocks"]) if isinstance(preview["blocks"], str) else preview["blocks"]
    validate_blocks(blocks)  # type: ignore[arg-type]
    assert blocks[1]["elements"][0]["text"] == ":eyes: Preview, only you can see it."  # type: ignore[index]
    assert any(b["type"] == "section" and b["text"]["text"].startswith("*Signups*  3  ·  ↑ 3 vs the week before")
               for b in blocks)  # type: ignore[union-attr,index]
    assert [b["slack_file"] for b in blocks if b["type"] == "image"] == [  # type: ignore[index]
        {"id": json.loads(fake_slack.calls("files.completeUploadExternal")[0].params["files"])[0]["id"]}]

    sent = command(slack, fake_slack, f"digest send-now {sub.id}")
    assert sent["text"] == f"Digest #{sub.id} sent to <#C0GROWTH>."
    [digest] = [c.params for c in fake_slack.calls("chat.postMessage")
                if c.params.get("channel") == GROWTH and not c.params.get("thread_ts")]
    assert str(digest["text"]).startswith("Weekly KPIs · ")
    log = command(slack, fake_slack, f"digest log {sub.id}")
    assert f"#{sub.id} week of {week.start.isoformat()} · manual · *sent*" in str(log["text"])


def test_targets(wired: KpiBotApp, slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    reply = command(slack, fake_slack, "target mrr 150k by 2026-12-31")
    assert reply["text"] == (":dart: Target for MRR: $150,000 by 2026-12-31. "
                             "Answers, digests and charts without filters now show it.")
    command(slack, fake_slack, "target churn rate 3%")
    with engine.connect() as conn:
        rows = {r.metric_id: (r.value, r.due) for r in conn.execute(select(Target.__table__))}
    assert rows["mrr"][0] == 150_000.0 and str(rows["mrr"][1]) == "2026-12-31"
    assert rows["customer_churn_rate"] == (pytest.approx(0.03), None)
    listed = command(slack, fake_slack, "target list")
    assert "• Customer churn rate: 3.0%" in str(listed["text"])
    assert "• MRR: $150,000 by 2026-12-31 · set by <@U0ALICE>" in str(listed["text"])


def test_alert_rule_from_words(wired: KpiBotApp, slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    reply = command(slack, fake_slack, "alert churn rate > 5% in <#C0GROWTH|growth>", channel_id="C0ELSEWHERE")
    assert str(reply["text"]).startswith(":bell: Alert #")
    assert "when Customer churn rate over the last 7 days is above 5.0%" in str(reply["text"])
    with engine.connect() as conn:
        [rule] = list(conn.execute(select(AlertRule.__table__)))
    assert (rule.channel_id, rule.kind, rule.metric_id, rule.operator, rule.threshold) == (
        GROWTH, "threshold", "customer_churn_rate", ">", pytest.approx(0.05))
    listed = command(slack, fake_slack, "alert list")
    assert f"*#{rule.id}* <#C0GROWTH> · Customer churn rate over the last 7 days is above 5.0% · ok" in str(
        listed["text"])


def test_guests_are_refused(wired: KpiBotApp, slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    reply = command(slack, fake_slack, "digest add", user_id="U0GUEST")
    assert "only available to full members" in str(reply["text"])
    assert list_subscriptions(engine) == []


def test_questions_still_reach_the_question_listener(wired: KpiBotApp, slack: SlackSender,
                                                     fake_slack: FakeSlack) -> None:
    reply = command(slack, fake_slack, "digestif sales")  # not a subcommand: answered as a question
    assert "Weekly KPI digests" not in str(reply)
    assert "I don't know `digest" not in str(reply)
