"""Events API: mentions, messages (DMs and replies in the threads of answers), App Home."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.events.app_home_opened import app_home_opened
from bot.listeners.events.app_mention import app_mention
from bot.listeners.events.messages import message_posted


def register(app: App) -> None:
    app.event("app_mention")(app_mention)
    app.event("message")(message_posted)
    app.event("app_home_opened")(app_home_opened)
