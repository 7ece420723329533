"""The alert's footer shows the rule as Slack renders it: the channel as a link, `>` as text (issue 14)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.alerts.blocks import slack_text
from bot.alerts.checker import AlertEnvironment, check_alerts
from tests.bot.alerts.conftest import T0, add_rule
from tests.bot.support.block_check import validate_blocks
from tests.bot.support.fake_slack import FakeSlack


def test_slack_text_keeps_links_and_mentions_and_escapes_the_rest() -> None:
    assert slack_text("mrr > 10k in <#C0ALERT|alerts>") == "mrr &gt; 10k in <#C0ALERT|alerts>"
    assert slack_text("ping <@U0BOB> & <!here>, see <https://example.com/a?b=1|docs>") == (
        "ping <@U0BOB> &amp; <!here>, see <https://example.com/a?b=1|docs>")
    assert slack_text("a <b> c") == "a &lt;b&gt; c"  # not Slack markup: escaped


@pytest.mark.usefixtures("company")
def test_alert_footer_links_the_channel(engine: Engine, alert_env: AlertEnvironment, fake_slack: FakeSlack) -> None:
    fake_slack.add_channel("C0ALERT")
    add_rule(engine, "signups < 5 in <#C0ALERT|alerts>")
    assert [o.action for o in check_alerts(alert_env, T0)] == ["fired"]
    [alert] = [c.params for c in fake_slack.calls("chat.postMessage")]
    assert alert["channel"] == "C0ALERT"
    validate_blocks(alert["blocks"])  # type: ignore[arg-type]
    footer = alert["blocks"][1]["elements"][0]["text"]  # type: ignore[index]
    assert footer.startswith("Alert #1 · signups &lt; 5 in <#C0ALERT|alerts> · set by <@U0ALICE>")
    assert "&lt;#C0ALERT" not in footer
