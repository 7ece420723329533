"""The security suite: the bot over signed HTTP against the fake Slack, on SQLite (the access rules do not depend
on the database; the other suites cover PostgreSQL), with mrr limited to the finance group.

People: an external user (Slack Connect), a guest, a member without finance access, a finance member and a
workspace admin (not in finance). Restricted numbers: MRR of May ($57) and April ($157), the MRR target
(4,321) and the value in the MRR alert's log (98,765).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.settings import ServerSettings
from tests.bot.conftest import GENERAL, GUEST, MEMBER, SHARED, STRANGER, bot_config
from tests.bot.support.fake_slack import Call, FakeSlack

FINANCE_MEMBER, ADMIN = "U0BOB", "U0ADMIN"
FINANCE = "C0FINANCE"
PERSONAS = {"external": STRANGER, "guest": GUEST, "member_without_finance": MEMBER, "finance_member": FINANCE_MEMBER,
            "admin": ADMIN}
RESTRICTED_NUMBERS = ("$57", "$157", "4,321", "4321", "4.32", "98,765", "98765")
NOW = datetime(2026, 6, 10, 12, 0)
__all__ = ["ADMIN", "FINANCE", "FINANCE_MEMBER", "GENERAL", "GUEST", "MEMBER", "PERSONAS", "SHARED", "STRANGER"]


@pytest.fixture
def db_url(sqlite_url: str) -> Iterator[str]:
    yield sqlite_url


@pytest.fixture
def finance_access_file(tmp_path: Path) -> Path:
    path = tmp_path / "access.yaml"
    rules = f"groups:\n  finance:\n    users: [{FINANCE_MEMBER}]\n    channels: [{FINANCE}]\n"
    path.write_text(rules, encoding="utf-8")
    return path


@pytest.fixture
def config(finance_access_file: Path) -> ServerSettings:
    return bot_config(KPIBOT_ACCESS_FILE=str(finance_access_file))


@pytest.fixture
def security_slack(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.add_user(ADMIN, is_admin=True)
    fake_slack.add_channel(FINANCE)
    return fake_slack


def outbound(fake: FakeSlack) -> list[Call]:
    """Every call that can show something to someone (posts, ephemerals, response_urls, views, uploads)."""
    reads = ("users.info", "conversations.info", "auth.test", "conversations.open", "conversations.history",
             "conversations.list")
    return [c for c in fake.calls() if c.method not in reads]


def leaked_numbers(fake: FakeSlack) -> list[tuple[str, str]]:
    """(method, number) for every restricted number found in what went out to someone who may not see it.

    Posts into the finance channel are allowed (an admin may send the finance digest there); an upload is seen
    by nobody until a message shows it (its alt text holds the numbers)."""
    found = []
    for call in outbound(fake):
        if call.params.get("channel") == FINANCE or call.method.startswith("files.") or call.method == "upload":
            continue
        text = call.body.decode("utf-8", "replace") + repr(call.params)
        for number in RESTRICTED_NUMBERS:
            if number in text:
                found.append((call.method, number))
    return found


def restricted_rows(engine: Engine) -> None:
    """A finance member's MRR alert #1 (with a logged value), MRR target and MRR digest #1 in the finance channel;
    the same member's signups alert #2 and signups digest #2 in #general."""
    from bot.alerts import repository as alerts
    from bot.alerts.rules import parse_alert_rule
    from bot.digests import repository as digests
    from bot.digests.schedule import Schedule
    from kpi_engine.catalog import load_catalog
    from kpi_engine.db import session_scope
    from kpi_engine.targets import set_target

    catalog = load_catalog()
    spec = parse_alert_rule("mrr over 1000", catalog, NOW.date())
    rule = alerts.create_rule(engine, spec, text="mrr over 1000", team_id="T0TEAM", channel_id=FINANCE,
                              created_by=FINANCE_MEMBER, now=NOW)
    alerts.log_event(engine, rule.id, "fired", NOW, value=98765.0, detail="MRR is $98,765, above $1,000")
    with session_scope(engine) as session:
        set_target(session, "mrr", 4321.0, None, created_by=FINANCE_MEMBER)
    signups = parse_alert_rule("signups over 1000000", catalog, NOW.date())
    alerts.create_rule(engine, signups, text="signups over 1000000", team_id="T0TEAM", channel_id=GENERAL,
                       created_by=FINANCE_MEMBER, now=NOW)
    for channel, metric in ((FINANCE, "mrr"), (GENERAL, "signups")):
        digests.create_subscription(engine, team_id="T0TEAM", channel_id=channel, dm_user_id=None,
                                    created_by=FINANCE_MEMBER, schedule=Schedule("UTC", 0, "09:00"), metrics=[metric],
                                    filters={}, now=NOW, next_run_at=datetime(2026, 6, 15, 9, 0))
