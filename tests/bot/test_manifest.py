"""manifest.yml is complete for "create app from manifest", and it matches the listeners both ways."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.blocks.ids import ActionId, suggestion_action_id
from bot.home.ids import HomeActionId, HomeCallbackId
from bot.scopes import BOT_SCOPES
from tests.bot.support.recording_app import RecordingApp, matches, registered_listeners

MANIFEST = Path(__file__).parents[2] / "manifest.yml"
SCOPE_FOR_EVENT = {"app_mention": "app_mentions:read", "message.im": "im:history", "app_home_opened": None,
                   "message.channels": "channels:history", "message.groups": "groups:history",
                   "app_uninstalled": None, "tokens_revoked": None}
INPUT_ONLY_ACTIONS = {HomeActionId.PIN_METRIC_SELECT}  # read from the view state on submission


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def listening() -> RecordingApp:
    return registered_listeners()


def test_display_information_and_bot_user(manifest) -> None:
    info = manifest["display_information"]
    assert 0 < len(info["name"]) <= 35
    assert 0 < len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", info["background_color"])
    bot_user = manifest["features"]["bot_user"]
    assert 0 < len(bot_user["display_name"]) <= 80
    assert re.fullmatch(r"[a-zA-Z0-9 ._-]+", bot_user["display_name"])
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True
    assert home["messages_tab_read_only_enabled"] is False  # people write questions there


def test_slash_command_has_description_usage_hint_and_url(manifest) -> None:
    [command] = manifest["features"]["slash_commands"]
    assert re.fullmatch(r"/[a-z0-9_-]{1,31}", command["command"])
    assert 0 < len(command["description"]) <= 2000
    assert 0 < len(command["usage_hint"]) <= 1000
    assert command["url"].startswith("https://") and command["url"].endswith("/slack/events")


def test_scopes_are_exactly_what_the_app_needs(manifest) -> None:
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert scopes == sorted(BOT_SCOPES)
    assert "user" not in manifest["oauth_config"]["scopes"]
    assert not any(s.endswith((":write.public", "admin")) for s in scopes)
    history = {s for s in scopes if s.endswith(":history")}  # only to read follow-ups in the bot's threads
    assert history == {"channels:history", "groups:history", "im:history"}
    for event_name in manifest["settings"]["event_subscriptions"]["bot_events"]:
        needed = SCOPE_FOR_EVENT[event_name]
        assert needed is None or needed in scopes


def test_settings_enable_events_interactivity_and_name_the_socket_mode_flag(manifest) -> None:
    settings = manifest["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    assert settings["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert isinstance(settings["socket_mode_enabled"], bool)
    assert settings["token_rotation_enabled"] is False
    assert all(url.startswith("https://") for url in manifest["oauth_config"]["redirect_urls"])


def test_every_command_has_a_listener_and_the_reverse(manifest, listening) -> None:
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == listening.commands


def test_every_event_has_a_listener_and_the_reverse(manifest, listening) -> None:
    subscribed = {name.split(".")[0] for name in manifest["settings"]["event_subscriptions"]["bot_events"]}
    assert subscribed == set(listening.events)


def test_every_action_id_has_a_listener_and_the_reverse(listening) -> None:
    ids = [suggestion_action_id(0) if a == ActionId.ASK_SUGGESTION else str(a) for a in ActionId]
    ids += [str(a) for a in HomeActionId if a not in INPUT_ONLY_ACTIONS]
    for action_id in ids:
        assert listening.handles_action(action_id), f"no listener for {action_id}"
    for constraint in listening.actions:
        assert any(matches(constraint, a) for a in ids), f"listener for {constraint} matches no action id"


def test_every_modal_callback_has_a_listener_and_the_reverse(listening) -> None:
    assert sorted(listening.views) == sorted(str(c) for c in HomeCallbackId)
