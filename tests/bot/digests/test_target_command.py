"""`/kpi target mrr 20k for plan pro` through Bolt and the fake Slack: a target per filtered slice (issue 14)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from bot.app import KpiBotApp
from kpi_engine.db.models import Target
from tests.bot.digests.test_slash_commands import command, wired  # noqa: F401  (fixture)
from tests.bot.support.fake_slack import FakeSlack
from tests.bot.support.slack_requests import SlackSender


def test_target_for_a_plan(wired: KpiBotApp, slack: SlackSender, fake_slack: FakeSlack,  # noqa: F811
                           engine: Engine) -> None:
    reply = command(slack, fake_slack, "target mrr 20k for plan pro by 2026-12-31")
    assert reply["text"] == (":dart: Target for MRR for plan pro: $20,000 by 2026-12-31. "
                             "Answers, digests and charts for plan pro now show it.")
    command(slack, fake_slack, "target mrr 150k")
    command(slack, fake_slack, "target mrr 30k by 2027-06-30 for plan pro")  # replaces the plan pro one
    with engine.connect() as conn:
        rows = sorted((r.scope, r.value, str(r.due)) for r in conn.execute(select(Target.__table__)))
    assert rows == [("", 150_000.0, "None"), ("plan=pro", 30_000.0, "2027-06-30")]
    listed = str(command(slack, fake_slack, "target list")["text"])
    assert "• MRR: $150,000" in listed and "• MRR for plan pro: $30,000 by 2027-06-30" in listed
    removed = command(slack, fake_slack, "target remove mrr for plan pro")
    assert removed["text"] == "Target for MRR for plan pro removed."
    again = command(slack, fake_slack, "target remove MRR for plan=pro")  # another text: another response_url
    assert again["text"] == "There is no target for MRR for plan pro."
