"""Every route × every kind of person, with correctly signed, forged payloads: no restricted number goes out to
anyone who may not see it (asserted on what the fake Slack received), refusals are audited, and only creators
or admins remove. The finance member is the positive control: the same routes do show them the numbers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.blocks.ids import ActionId
from bot.blocks.payload import encode_ref
from bot.home.ids import PIN_METRIC_BLOCK, HomeActionId, HomeCallbackId
from bot.home.pins import add_pin
from kpi_engine.db.models import AlertRule, DigestSubscription, Target
from kpi_engine.db.models.slack_app import SlackAuditEntry
from kpi_engine.query import MetricQuery
from tests.bot.conftest import AS_OF, wait_until_idle
from tests.bot.security.conftest import (
    ADMIN,
    FINANCE_MEMBER,
    GENERAL,
    MEMBER,
    PERSONAS,
    leaked_numbers,
    outbound,
    restricted_rows,
)

COMMANDS = ["mrr last month", "mrr by plan last month", "alert log", "alert log 1", "alert list",
            "alert mrr > 10 in <#C0GENERAL>", "alert mrr > 10", "target list", "target mrr 999",
            "target remove mrr", "digest list", "digest preview 1", "digest log", "digest send-now 1",
            "digest add in <#C0GENERAL> mrr", "digest remove 1", "digest remove 2", "alert remove 1",
            "alert remove 2"]


def run_every_route(slack, fake, bot_app, engine, user: str) -> None:
    add_pin(engine, "T0TEAM", user, "mrr", "mrr")
    ref = encode_ref("mrr last month", MetricQuery(metric="mrr", as_of=AS_OF))
    for text in COMMANDS:
        assert slack.slash_command(text, user_id=user, channel_id=GENERAL).status_code == 200
        wait_until_idle(bot_app)
    assert slack.mention("mrr last month", user_id=user, channel_id=GENERAL).status_code == 200
    assert slack.direct_message("mrr last month", user_id=user, channel_id="D" + user[1:]).status_code == 200
    assert slack.home_opened(user_id=user).status_code == 200
    for action_id in (ActionId.SHARE_ANSWER, ActionId.BREAKDOWN, ActionId.TREND, ActionId.HOW_COMPUTED,
                      ActionId.PIN_TO_HOME):
        action = {"action_id": action_id.value, "type": "button", "value": ref}
        assert slack.block_action(action, user_id=user, channel_id=GENERAL).status_code == 200
    suggestion = {"action_id": f"{ActionId.ASK_SUGGESTION.value}.0", "type": "button", "value": "mrr last month"}
    assert slack.block_action(suggestion, user_id=user).status_code == 200
    home = {"type": "view", "view_id": "V1"}
    for action_id, value in ((HomeActionId.REFRESH, "x"), (HomeActionId.ADD_PIN, "x"), (HomeActionId.UNPIN, "arr")):
        assert slack.block_action({"action_id": action_id.value, "type": "button", "value": value}, user_id=user,
                                  channel_id=None, container=home).status_code == 200
    state = {"values": {PIN_METRIC_BLOCK: {HomeActionId.PIN_METRIC_SELECT.value: {
        "type": "static_select", "selected_option": {"value": "mrr", "text": {"type": "plain_text", "text": "MRR"}}}}}}
    assert slack.view_submission({"callback_id": HomeCallbackId.PIN_MODAL.value, "state": state,
                                  "private_metadata": ""}, user_id=user).status_code == 200
    wait_until_idle(bot_app)
    fake.settle(0.4)
    wait_until_idle(bot_app)


def table_ids(engine, model, **where) -> list:
    table = model.__table__
    stmt = select(table)
    for column, value in where.items():
        stmt = stmt.where(table.c[column] == value)
    with engine.connect() as conn:
        return list(conn.execute(stmt))


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_restricted_number_reaches_anyone_not_allowed(persona, slack, security_slack, bot_app, engine,
                                                         mrr_data) -> None:
    user = PERSONAS[persona]
    restricted_rows(engine)
    run_every_route(slack, security_slack, bot_app, engine, user)
    said = " ".join(c.body.decode("utf-8", "replace") for c in outbound(security_slack))
    assert outbound(security_slack), "the routes answered something"
    active_rules = {r.id for r in table_ids(engine, AlertRule, active=True)}
    active_digests = {d.id for d in table_ids(engine, DigestSubscription, active=True)}
    refusals = [r for r in table_ids(engine, SlackAuditEntry, user_id=user) if r.outcome == "refused"]
    if user == FINANCE_MEMBER:  # allowed: sees the numbers, removes their own things
        assert "%2457" in said or "$57" in said
        assert leaked_numbers(security_slack)
        assert active_rules == set() and not active_digests & {1, 2}
        return
    assert leaked_numbers(security_slack) == []
    assert refusals, "every refusal is audited"
    assert table_ids(engine, Target, metric_id="mrr"), "nobody but finance removes the MRR target"
    if user == ADMIN:  # an admin removes anyone's digests and visible alerts, but sees no finance numbers
        assert not active_digests & {1, 2} and active_rules == {1}
    else:
        assert {1, 2} <= active_digests and active_rules == {1, 2}
    if user == MEMBER:
        reasons = {r.detail for r in refusals}
        assert {"target_restricted:finance", "not_the_creator", "alert_restricted:finance"} <= reasons
