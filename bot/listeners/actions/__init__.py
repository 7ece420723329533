"""Interactivity: the buttons and menus under answers, and the App Home's buttons."""

from __future__ import annotations

from slack_bolt import App

from bot.blocks.ids import SUGGESTION_ACTION, ActionId
from bot.home.ids import HomeActionId
from bot.listeners.actions.breakdown import breakdown
from bot.listeners.actions.home_add_pin import home_add_pin
from bot.listeners.actions.home_refresh import home_refresh
from bot.listeners.actions.home_unpin import home_unpin
from bot.listeners.actions.how_computed import how_computed
from bot.listeners.actions.pin_to_home import pin_to_home
from bot.listeners.actions.share_answer import share_answer
from bot.listeners.actions.suggestion import suggestion
from bot.listeners.actions.trend import trend


def register(app: App) -> None:
    app.action(ActionId.SHARE_ANSWER.value)(share_answer)
    app.action(ActionId.BREAKDOWN.value)(breakdown)
    app.action(ActionId.TREND.value)(trend)
    app.action(ActionId.HOW_COMPUTED.value)(how_computed)
    app.action(ActionId.PIN_TO_HOME.value)(pin_to_home)
    app.action(SUGGESTION_ACTION)(suggestion)
    app.action(HomeActionId.UNPIN.value)(home_unpin)
    app.action(HomeActionId.ADD_PIN.value)(home_add_pin)
    app.action(HomeActionId.REFRESH.value)(home_refresh)
