"""Help, catalog and definition blocks: content and Slack limits, for the whole catalog and a huge one."""

from __future__ import annotations

from bot.blocks.catalog import catalog_blocks, define_blocks, help_blocks
from kpi_engine.catalog import Catalog, MetricDefinition, load_catalog
from tests.bot.blocks.validation import assert_valid_blocks


def test_help_blocks() -> None:
    blocks = help_blocks()
    assert_valid_blocks(blocks)
    assert "• `mrr by plan last month`" not in blocks[2]["text"]["text"]  # examples come from one list
    assert "• `churn rate by plan last quarter` — a breakdown" in blocks[2]["text"]["text"]


def test_catalog_blocks_list_every_metric_by_area() -> None:
    catalog = load_catalog()
    blocks = catalog_blocks(catalog)
    assert_valid_blocks(blocks)
    text = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert all(f"`{m.id}`" in text for m in catalog)
    assert text.startswith("*Revenue*\n`mrr` MRR _(currency)_")


def _metric(i: int) -> MetricDefinition:
    return MetricDefinition(id=f"custom_metric_{i}", label=f"Custom metric number {i} " + "x" * 40, area="custom",
                            unit="count", kind="flow", description="d", formula="f")


def test_a_huge_catalog_stays_within_50_blocks() -> None:
    blocks = catalog_blocks(Catalog([*load_catalog(), *(_metric(i) for i in range(3000))]))
    assert_valid_blocks(blocks)
    assert blocks[-2]["elements"][0]["text"] == "3000 more metrics not shown; `kpibot metrics` lists them all."


def test_define_blocks_for_every_metric() -> None:
    for metric in load_catalog():
        assert_valid_blocks(define_blocks(metric))
    blocks = define_blocks(load_catalog().get("arpu"))
    assert blocks[0]["text"]["text"] == "ARPA"
    fields = [f["text"] for f in blocks[2]["fields"]]
    assert fields[:4] == ["*Unit*\ncurrency", "*Kind*\nstock", "*Direction*\nhigher is better",
                          "*Break down by*\nplan, segment, channel, country"]
    assert blocks[3]["text"]["text"].startswith("*Formula*\n```MRR(e) / paying(e)")
