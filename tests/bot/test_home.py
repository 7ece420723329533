"""App Home: pinned KPIs with value, change and a sparkline, refreshed when opened; pin and unpin."""

from __future__ import annotations

from sqlalchemy import select

from bot.access import NOT_A_MEMBER
from bot.blocks.ids import ActionId
from bot.blocks.payload import encode_ref
from bot.home.ids import PIN_METRIC_BLOCK, HomeActionId, HomeCallbackId
from bot.home.pins import add_pin
from kpi_engine.db.models.slack_app import SlackPin
from kpi_engine.query import MetricQuery
from tests.bot.conftest import AS_OF, GUEST
from tests.bot.support.block_check import texts, view_of


def pinned(engine) -> list[tuple[str, str]]:
    table = SlackPin.__table__
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table.c.user_id, table.c.metric_id))]


def test_pin_to_home_from_an_answer(slack, fake_slack, engine, mrr_data) -> None:
    value = encode_ref("mrr last month", MetricQuery(metric="mrr", as_of=AS_OF))
    slack.block_action({"action_id": ActionId.PIN_TO_HOME.value, "type": "button", "value": value})
    [told] = fake_slack.wait_for("response_url")
    assert told.params["text"] == "Pinned *MRR* to your App Home."
    [published] = fake_slack.wait_for("views.publish")
    assert published.params["user_id"] == "U0ALICE"
    assert "MRR" in texts(view_of(published)["blocks"])
    assert pinned(engine) == [("U0ALICE", "mrr")]


def test_opening_the_home_shows_fresh_values_and_a_sparkline(slack, fake_slack, engine, mrr_data) -> None:
    add_pin(engine, "T0TEAM", "U0ALICE", "mrr", "mrr")
    slack.home_opened(user_id="U0ALICE")
    [published] = fake_slack.wait_for("views.publish")
    view = view_of(published)
    assert view["type"] == "home"
    words = texts(view["blocks"])
    assert "$57" in words  # MRR at the end of 2026-06-10: 50 + 7
    [complete] = fake_slack.calls("files.completeUploadExternal")
    [image] = [b for b in view["blocks"] if b["type"] == "image"]
    assert image["slack_file"]["id"] in complete.params["files"]
    unpin = [b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("action_id") == HomeActionId.UNPIN]
    assert [u["value"] for u in unpin] == ["mrr"]

    slack.home_opened(user_id="U0ALICE")  # the same numbers: the sparkline is not uploaded again
    fake_slack.wait_for("views.publish", count=2)
    assert len(fake_slack.calls("files.completeUploadExternal")) == 1


def test_unpin_removes_the_card(slack, fake_slack, engine, mrr_data) -> None:
    add_pin(engine, "T0TEAM", "U0ALICE", "mrr", "mrr")
    slack.block_action({"action_id": HomeActionId.UNPIN.value, "type": "button", "value": "mrr"},
                       channel_id=None, container={"type": "view", "view_id": "V1"})
    [published] = fake_slack.wait_for("views.publish")
    assert "Nothing pinned yet" in texts(view_of(published)["blocks"])
    assert pinned(engine) == []


def test_a_guest_sees_only_the_how_to(slack, fake_slack, engine, mrr_data, data_queries) -> None:
    add_pin(engine, "T0TEAM", GUEST, "mrr", "mrr")
    slack.home_opened(user_id=GUEST)
    [published] = fake_slack.wait_for("views.publish")
    words = texts(view_of(published)["blocks"])
    assert NOT_A_MEMBER in words
    assert "$57" not in words
    assert data_queries.statements == []


def test_when_slack_refuses_the_sparkline_images_text_sparklines_are_shown(slack, fake_slack, engine,
                                                                          mrr_data) -> None:
    add_pin(engine, "T0TEAM", "U0ALICE", "mrr", "mrr")
    fake_slack.fail("views.publish", "invalid_blocks")
    slack.home_opened(user_id="U0ALICE")
    first, second = fake_slack.wait_for("views.publish", count=2)
    assert any(b["type"] == "image" for b in view_of(first)["blocks"])
    blocks = view_of(second)["blocks"]
    assert not any(b["type"] == "image" for b in blocks)
    assert any("▁" in texts([b]) or "█" in texts([b]) for b in blocks)


def test_pin_a_kpi_from_the_home_modal(slack, fake_slack, engine, mrr_data) -> None:
    slack.block_action({"action_id": HomeActionId.ADD_PIN.value, "type": "button", "value": "add"},
                       channel_id=None, container={"type": "view", "view_id": "V1"})
    [opened] = fake_slack.wait_for("views.open")
    modal = view_of(opened)
    assert modal["callback_id"] == HomeCallbackId.PIN_MODAL
    values = {PIN_METRIC_BLOCK: {HomeActionId.PIN_METRIC_SELECT.value: {
        "type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "MRR"}, "value": "mrr"}}}}
    response = slack.view_submission({**modal, "state": {"values": values}})
    assert response.status_code == 200
    [published] = fake_slack.wait_for("views.publish")
    assert "Pinned *MRR*" in texts(view_of(published)["blocks"])
    assert pinned(engine) == [("U0ALICE", "mrr")]


def test_the_pin_modal_asks_for_a_metric_when_none_is_chosen(slack, fake_slack, engine) -> None:
    response = slack.view_submission({"callback_id": HomeCallbackId.PIN_MODAL.value, "state": {"values": {}}})
    assert response.json() == {"response_action": "errors", "errors": {PIN_METRIC_BLOCK: "Choose a metric to pin."}}
    assert pinned(engine) == []
