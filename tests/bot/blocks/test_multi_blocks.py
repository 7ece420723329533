"""Block Kit for the richer shapes, on hand-made results: the pivot's cut, unique block ids, rankings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.blocks.answers import answer_blocks
from bot.blocks.multi import ranked_blocks, two_dimension_blocks, unique_block_ids
from kpi_engine.answers.ask import Answer
from kpi_engine.catalog import load_catalog
from kpi_engine.parser.result import ParseResult
from kpi_engine.query import MetricQuery
from kpi_engine.results import GroupValue
from tests.bot.blocks.validation import assert_valid_blocks
from tests.kpi_engine.answers.samples import APRIL, metric_result

AS_OF = date(2026, 5, 10)


def test_a_pivot_shows_six_columns_and_fifteen_rows_and_says_what_it_left_out() -> None:
    """20 plans × 8 segments, every cell 1: 14 plans and 2 segments are not shown."""
    cells = [GroupValue(group=f"plan{p:02d}", subgroup=f"seg{s}", value=1.0) for p in range(20) for s in range(8)]
    result = metric_result(breakdown=cells, breakdown_dimension="plan", subgroup_dimension="segment")
    blocks = two_dimension_blocks(result, "$")
    table = blocks[0]["text"]["text"]
    assert "seg5" in table and "seg6" not in table and "plan14" in table and "plan15" not in table
    assert blocks[1]["elements"][0]["text"] == "5 more plan and 2 more segment not shown"


def test_a_missing_cell_is_a_dash() -> None:
    cells = [GroupValue(group="pro", subgroup="smb", value=5.0), GroupValue(group="basic", subgroup="ent", value=7.0)]
    result = metric_result(breakdown=cells, breakdown_dimension="plan", subgroup_dimension="segment")
    lines = two_dimension_blocks(result, "$")[0]["text"]["text"].strip("`").splitlines()
    assert [line.split() for line in lines[-2:]] == [["pro", "$5", "–"], ["basic", "–", "$7"]]


def test_repeated_block_ids_get_a_suffix_and_the_first_keeps_its_id() -> None:
    blocks = [{"type": "section", "block_id": "a"}, {"type": "divider"}, {"type": "section", "block_id": "a"},
              {"type": "section", "block_id": "a"}]
    assert [b.get("block_id") for b in unique_block_ids(blocks)] == ["a", None, "a.2", "a.3"]


def test_a_ranking_names_the_first_when_there_is_no_summary() -> None:
    groups = [GroupValue(group="DE", value=300.0), GroupValue(group="FR", value=200.0)]
    blocks = ranked_blocks(metric_result(breakdown=groups, breakdown_dimension="country"), "$")
    assert blocks[0]["text"]["text"] == ":trophy: DE comes first"
    assert "1  DE" in blocks[1]["text"]["text"] and "2  FR" in blocks[1]["text"]["text"]


def test_four_metrics_fit_one_valid_message() -> None:
    catalog = load_catalog()

    def one(metric: str) -> Answer:
        query = MetricQuery(metric=metric, as_of=AS_OF, period=APRIL, breakdown="plan")
        groups = [GroupValue(group=f"plan{i}", value=float(i)) for i in range(12)]
        result = metric_result(metric=metric, breakdown=groups, breakdown_dimension="plan")
        return Answer(metric, ParseResult(intent="query", query=query, metric_id=metric), result, None, catalog,
                      "$", AS_OF)

    first, *others = [one(m) for m in ("mrr", "arr", "arpa", "nrr")]
    blocks = answer_blocks(replace(first, others=tuple(others)))
    assert_valid_blocks(blocks)
    assert len([b for b in blocks if b["type"] == "header"]) == 4
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == len(set(ids))
