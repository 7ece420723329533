"""Action and callback ids of the App Home and its modal (answers' ids are in bot.blocks.ids)."""

from __future__ import annotations

from enum import StrEnum


class HomeActionId(StrEnum):
    UNPIN = "home.unpin"
    ADD_PIN = "home.add_pin"
    REFRESH = "home.refresh"
    PIN_METRIC_SELECT = "home.pin_modal.metric"  # inside the modal; read on submission, no listener


class HomeCallbackId(StrEnum):
    PIN_MODAL = "home.pin_modal"


PIN_METRIC_BLOCK = "home.pin_modal.metric_block"
