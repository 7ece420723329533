"""The digest as people read it: the numbers of the fixture (worked out by hand in conftest), chart and thread."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.access_groups import GroupRule, GroupRules
from bot.digests.runner import DigestEnvironment, run_due
from kpi_engine.settings import Settings
from tests.bot.digests.conftest import DUE, GROWTH, digest_posts, make_env, subscribe
from tests.bot.support.block_check import validate_blocks
from tests.bot.support.fake_slack import FakeSlack

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def section_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


@pytest.fixture
def posted(engine: Engine, env: DigestEnvironment, fake: FakeSlack, company: None) -> dict[str, Any]:
    subscribe(engine)
    assert [o.status for o in run_due(env, DUE)] == ["sent"]
    [message] = digest_posts(fake)
    return message


def test_one_line_per_kpi_with_change_target_and_anomaly(posted: dict[str, Any]) -> None:
    blocks = posted["blocks"]
    validate_blocks(blocks)
    assert blocks[0]["text"]["text"] == "Weekly KPIs · Mar 2 – 8, 2026"
    assert blocks[1]["elements"][0]["text"] == "ISO week 10 of 2026 (Mon–Sun) · Europe/Berlin"
    assert section_texts(blocks) == [
        "*MRR*  $150  ·  ↑ 50.0% (+$50) vs the week before — good  ·  :dart: 50% of the $300 target (due 2026-12-31)"
        "\n:warning: *Unusual:* this week's change of +$50 is unusual: it did not move at all in the last 10 weeks"
        " — good news",
        "*Signups*  4  ·  ↓ 60.0% (-6) vs the week before — worse"
        "\n:warning: *Unusual:* 4 is far below the last 11 weeks (usually 9 to 12) — worth a look",
        "*Tickets*  3  ·  ↑ 3 vs the week before"
        "\n:warning: *Unusual:* 3 is far above the last 11 weeks (it was 0 every week)",
        "*NPS*  no data this week",
    ]
    assert posted["text"] == "Weekly KPIs · Mar 2 – 8, 2026: MRR $150 ↑, Signups 4 ↓, Tickets 3 ↑"
    assert posted["channel"] == GROWTH


def test_composite_chart_is_uploaded_once_and_shown_in_the_message(posted: dict[str, Any], fake: FakeSlack) -> None:
    [upload_url] = fake.calls("files.getUploadURLExternal")
    [complete] = fake.calls("files.completeUploadExternal")
    [upload] = fake.calls("upload")
    assert upload.body.startswith(PNG_SIGNATURE)
    assert int(upload_url.params["length"]) == len(upload.body)
    file_id = json.loads(complete.params["files"])[0]["id"]
    assert "channel_id" not in complete.params  # uploaded once, shown through the message's image block
    [image] = [b for b in posted["blocks"] if b["type"] == "image"]
    assert image["slack_file"] == {"id": file_id}
    assert image["alt_text"].startswith("Weekly trend of each KPI over the last 12 weeks: MRR  $150")


def test_details_go_in_the_thread(posted: dict[str, Any], fake: FakeSlack) -> None:
    [thread] = [c.params for c in fake.calls("chat.postMessage") if c.params.get("thread_ts")]
    assert thread["channel"] == GROWTH
    validate_blocks(thread["blocks"])
    texts = section_texts(thread["blocks"])
    assert texts[0] == ("*Breakdowns this week*\n*MRR by plan:* pro $100 · basic $50\n"
                        "*Signups by plan:* pro 4 (↓ 60.0%)\n*Tickets by plan:* pro 3")
    assert "Starting MRR  $100          1\nNew            $50          1" in texts[1]
    assert "Ending MRR    $150          2" in texts[1]
    assert posted["blocks"][-1]["elements"][0]["text"].startswith("Breakdowns and MRR movements in the thread.")


def test_filters_apply_to_every_kpi(engine: Engine, env: DigestEnvironment, fake: FakeSlack, company: None) -> None:
    """plan = basic: only account b (MRR 50 since Wednesday); signups and tickets all belong to account a (pro)."""
    subscribe(engine, metrics=["mrr", "signups"], filters={"plan": ["basic"]})
    run_due(env, DUE)
    [message] = digest_posts(fake)
    assert message["blocks"][1]["elements"][0]["text"] == "ISO week 10 of 2026 (Mon–Sun) · plan = basic · Europe/Berlin"
    texts = section_texts(message["blocks"])
    assert texts[0].startswith("*MRR*  $50  ·  ↑ $50 vs the week before — good")
    assert texts[1] == "*Signups*  0  ·  → no change vs the week before"


def test_chart_block_refused_goes_into_the_thread(engine: Engine, env: DigestEnvironment, fake: FakeSlack,
                                                  company: None) -> None:
    """Slack may refuse the image block while the upload settles: the digest goes out, its chart in the thread."""
    subscribe(engine)
    fake.fail("chat.postMessage", "invalid_blocks")
    [outcome] = run_due(env, DUE)
    assert (outcome.status, outcome.detail) == ("sent", "chart in the thread")
    refused, accepted = digest_posts(fake)
    assert [b["type"] for b in refused["blocks"]].count("image") == 1  # type: ignore[union-attr]
    assert [b["type"] for b in accepted["blocks"]].count("image") == 0  # type: ignore[union-attr]
    shared = [c.params for c in fake.calls("files.completeUploadExternal") if c.params.get("channel_id")]
    assert [(p["channel_id"], p["thread_ts"]) for p in shared] == [(GROWTH, outcome.message_ts)]


def test_access_rules_leave_finance_metrics_out(engine: Engine, settings: Settings, slack_client: WebClient,
                                                fake: FakeSlack, company: None) -> None:
    rules = GroupRules(groups={"finance": GroupRule(channels=frozenset({"C0FINANCE"}))})
    subscribe(engine)
    run_due(make_env(engine, settings, slack_client, rules=rules), DUE)
    [message] = digest_posts(fake)
    texts = section_texts(message["blocks"])  # type: ignore[arg-type]
    assert [t.split("*")[1] for t in texts] == ["Signups", "Tickets", "NPS"]
    assert "Not shown in this conversation (access rules): MRR." in str(message["blocks"])
    [thread] = [c.params for c in fake.calls("chat.postMessage") if c.params.get("thread_ts")]
    assert "MRR movements" not in str(thread["blocks"])


def test_externally_shared_channel_is_skipped(engine: Engine, env: DigestEnvironment, fake: FakeSlack,
                                              company: None) -> None:
    fake.add_channel(GROWTH, is_ext_shared=True)
    subscribe(engine)
    assert [(o.status, o.error) for o in run_due(env, DUE)] == [("skipped", "externally_shared")]
    assert fake.calls("chat.postMessage") == []
