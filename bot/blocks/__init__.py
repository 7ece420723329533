"""Block Kit builders: pure functions returning dicts (no slack_bolt here); ids live in `ids`."""

from bot.blocks.answers import answer_blocks, how_computed_blocks, unknown_blocks
from bot.blocks.catalog import catalog_blocks, define_blocks, help_blocks
from bot.blocks.ids import ActionId, BlockId

__all__ = [
    "ActionId",
    "BlockId",
    "answer_blocks",
    "catalog_blocks",
    "define_blocks",
    "help_blocks",
    "how_computed_blocks",
    "unknown_blocks",
]
