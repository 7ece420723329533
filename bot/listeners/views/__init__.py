"""Modal submissions."""

from __future__ import annotations

from slack_bolt import App

from bot.home.ids import HomeCallbackId
from bot.listeners.views.pin_modal_submitted import pin_modal_submitted


def register(app: App) -> None:
    app.view(HomeCallbackId.PIN_MODAL.value)(pin_modal_submitted)
