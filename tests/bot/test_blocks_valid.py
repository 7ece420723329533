"""Every message and view the bot sends validates with slack_sdk's Block Kit models, and every action id
in them has a listener."""

from __future__ import annotations

from bot.blocks.ids import ActionId
from bot.home.pins import add_pin
from bot.home.view import PinCard, home_view, pin_modal
from kpi_engine.catalog import load_catalog
from tests.bot.conftest import STRANGER, wait_until_idle
from tests.bot.support.block_check import (
    MESSAGE_METHODS,
    VIEW_METHODS,
    action_ids,
    message_blocks,
    validate_blocks,
    validate_everything_sent,
    validate_view,
    view_of,
)
from tests.bot.support.recording_app import registered_listeners


def test_everything_sent_in_a_busy_session_is_valid_block_kit(slack, fake_slack, engine, bot_app,
                                                              mrr_data) -> None:
    add_pin(engine, "T0TEAM", "U0ALICE", "mrr", "mrr")
    help_ack = slack.slash_command("help").json()
    validate_blocks(help_ack["blocks"])
    for question in ("mrr last month", "mrr by plan last month", "mrr by month this year", "list metrics",
                     "define mrr", "why did mrr change last month", "blorp", "nps this quarter"):
        slack.slash_command(question)
    slack.mention("mrr last month")
    slack.direct_message("mrr by plan")
    slack.slash_command("mrr", user_id=STRANGER)
    slack.home_opened()
    responses = fake_slack.wait_for("response_url", count=9)
    actions = next(b for call in responses for b in message_blocks(call)
                   if b["type"] == "actions" and b["elements"][0]["action_id"] == ActionId.SHARE_ANSWER)
    for element in actions["elements"]:
        if element["type"] == "button":
            slack.block_action({"action_id": element["action_id"], "type": "button", "value": element["value"],
                                "block_id": actions["block_id"]})
    wait_until_idle(bot_app)
    fake_slack.settle(0.3)

    sent = validate_everything_sent(fake_slack)
    assert sent >= 12

    listeners = registered_listeners()
    seen: set[str] = set()
    for call in fake_slack.calls():
        blocks = (message_blocks(call) if call.method in MESSAGE_METHODS
                  else view_of(call).get("blocks", []) if call.method in VIEW_METHODS else [])
        seen.update(action_ids(blocks))
    assert {ActionId.SHARE_ANSWER, ActionId.HOW_COMPUTED, ActionId.PIN_TO_HOME} <= seen
    for action_id in seen:
        assert listeners.handles_action(action_id), f"{action_id} is sent but nothing listens to it"


def test_home_views_and_the_pin_modal_are_valid_at_their_largest() -> None:
    cards = [PinCard(f"m{i}", f"Metric {i}", "$1,234", "last 30 days", "up 4.2% vs $1,100 in the 30 days before",
                     spark_values=[1.0, 2.0, None, 3.0], spark_file_id=f"F{i:08d}") for i in range(12)]
    validate_view(home_view(cards, note="A note."))
    validate_view(home_view(cards, with_images=False))
    validate_view(home_view([], note="Sorry.", can_pin=False))
    validate_view(pin_modal(load_catalog()))
