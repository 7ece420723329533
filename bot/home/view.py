"""Block Kit for the App Home and the "Pin a KPI" modal (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.blocks.text import button, context, divider, escape, header, option, section
from bot.home.ids import PIN_METRIC_BLOCK, HomeActionId, HomeCallbackId
from kpi_engine.catalog import Catalog
from kpi_engine.catalog.model import AREA_TITLES

View = dict[str, Any]
SPARK_CHARACTERS = "▁▂▃▄▅▆▇█"
MODAL_OPTION_LIMIT = 100

HOW_TO = (
    "*How to ask*\n"
    "• `/kpi mrr last month` anywhere — only you see the answer\n"
    "• `@KPI Bot nps by plan this quarter` in a channel — I answer in the thread\n"
    "• or write to me here in *Messages*\n"
    "Under an answer: *Share in channel*, *Break down by*, *Trend*, *How is this computed?*, *Pin to Home*."
)


@dataclass(frozen=True)
class PinCard:
    metric_id: str
    label: str
    value_text: str = ""
    period_text: str = ""
    change_text: str | None = None
    spark_values: Sequence[float | None] = field(default=())
    spark_file_id: str | None = None
    problem: str | None = None  # shown instead of the value (no access, no data, an error)


def text_sparkline(values: Sequence[float | None]) -> str:
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    scale = (high - low) or 1.0
    last = len(SPARK_CHARACTERS) - 1
    return "".join(" " if v is None else SPARK_CHARACTERS[round((v - low) / scale * last)] for v in values[-40:])


def _card_blocks(card: PinCard, *, with_images: bool) -> list[dict[str, Any]]:
    if card.problem is not None:
        lines = f"*{escape(card.label)}*\n{escape(card.problem)}"
    else:
        lines = f"*{escape(card.label)}* — {escape(card.period_text)}\n*{escape(card.value_text)}*"
        if card.change_text:
            lines += f"  {escape(card.change_text)}"
    block = section(lines)
    block["accessory"] = button("Unpin", HomeActionId.UNPIN, card.metric_id)
    blocks = [block]
    if card.problem is None and with_images and card.spark_file_id:
        blocks.append({"type": "image", "slack_file": {"id": card.spark_file_id},
                       "alt_text": f"Trend of {card.label}"[:2000]})
    elif card.problem is None and (spark := text_sparkline(card.spark_values)):
        blocks.append(context(f"`{spark}`"))
    return blocks


def home_view(cards: Sequence[PinCard], *, note: str | None = None, can_pin: bool = True,
              with_images: bool = True) -> View:
    blocks: list[dict[str, Any]] = [header("Your KPIs")]
    if note:
        blocks.append(section(escape(note)))
    if can_pin:
        blocks.append({"type": "actions", "block_id": "home.toolbar", "elements": [
            button("Pin a KPI", HomeActionId.ADD_PIN, "add", style="primary"),
            button("Refresh", HomeActionId.REFRESH, "refresh"),
        ]})
        if not cards:
            blocks.append(section("Nothing pinned yet. Press *Pin to Home* under any answer, or *Pin a KPI* above."))
        for card in cards:
            blocks += _card_blocks(card, with_images=with_images)
    blocks += [divider(), section(HOW_TO)]
    return {"type": "home", "blocks": blocks[:100]}


def pin_modal(catalog: Catalog) -> View:
    groups = []
    remaining = MODAL_OPTION_LIMIT
    for area, metrics in catalog.by_area().items():
        options = [option(m.label, m.id) for m in sorted(metrics, key=lambda m: m.label.lower())][:remaining]
        if options:
            groups.append({"label": {"type": "plain_text", "text": AREA_TITLES.get(area, area)[:75]},
                           "options": options})
        remaining -= len(options)
        if remaining <= 0:
            break
    return {
        "type": "modal",
        "callback_id": str(HomeCallbackId.PIN_MODAL),
        "title": {"type": "plain_text", "text": "Pin a KPI"},
        "submit": {"type": "plain_text", "text": "Pin"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [{
            "type": "input",
            "block_id": PIN_METRIC_BLOCK,
            "label": {"type": "plain_text", "text": "Metric"},
            "element": {"type": "static_select", "action_id": str(HomeActionId.PIN_METRIC_SELECT),
                        "placeholder": {"type": "plain_text", "text": "Choose a metric"},
                        "option_groups": groups},
        }],
    }
