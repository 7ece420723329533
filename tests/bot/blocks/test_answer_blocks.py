"""Block Kit for answers: content, limits, and what the buttons carry."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.blocks.answers import answer_blocks, how_computed_blocks, unknown_blocks
from bot.blocks.ids import SUGGESTION_ACTION, ActionId, BlockId
from bot.blocks.payload import decode_block_ref, decode_ref
from kpi_engine.answers.ask import Answer
from kpi_engine.catalog import load_catalog
from kpi_engine.parser.result import ParseResult
from kpi_engine.query import MetricQuery, MovementsQuery
from kpi_engine.results import GroupValue, MetricResult, TableResult
from tests.bot.blocks.validation import assert_valid_blocks
from tests.kpi_engine.answers.samples import (
    APRIL,
    breakdown_result,
    metric_result,
    movements_table,
    nps_result,
    series_result,
)

AS_OF = date(2026, 5, 10)
MRR_QUERY = MetricQuery(metric="mrr", as_of=AS_OF, period=APRIL)


def answer(result: MetricResult | TableResult, query: Any = MRR_QUERY, question: str = "mrr in april 2026",
           notes: tuple[str, ...] = ()) -> Answer:
    parsed = ParseResult(intent="query", query=query, metric_id=getattr(query, "metric", None), notes=notes)
    return Answer(question, parsed, result, None, load_catalog(), "$", AS_OF)


def by_type(blocks: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [b for b in blocks if b["type"] == kind]


def elements(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    (actions,) = by_type(blocks, "actions")
    return {e["action_id"]: e for e in actions["elements"]}


def test_metric_answer_headline_context_chart_and_actions() -> None:
    blocks = answer_blocks(answer(metric_result(), notes=("Read “april” as April 2026.",)), chart_file_id="F123")
    assert_valid_blocks(blocks)
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": "MRR — end of April 2026",
                                                     "emoji": True}}
    assert blocks[1]["text"]["text"] == "*$12,500*\nup 4.2% (+$500) — good vs $12,000 in March 2026"
    (image,) = by_type(blocks, "image")
    assert image["slack_file"] == {"id": "F123"}
    assert image["alt_text"] == "Chart: MRR comparison, end of April 2026: $12,500"
    (ctx,) = by_type(blocks, "context")
    assert [e["text"] for e in ctx["elements"]] == [
        "MRR: Monthly recurring revenue at the end of the period.",
        "Period: 2026-04-01 – 2026-04-30 · compared with March 2026",
        "Read “april” as April 2026.",
    ]
    actions = elements(blocks)
    assert list(actions) == [ActionId.SHARE_ANSWER, ActionId.BREAKDOWN, ActionId.TREND, ActionId.HOW_COMPUTED,
                             ActionId.PIN_TO_HOME]
    assert [o["value"] for o in actions[ActionId.BREAKDOWN]["options"]] == ["plan", "segment", "channel", "country"]


def test_buttons_carry_the_question_and_query() -> None:
    blocks = answer_blocks(answer(metric_result()))
    actions = elements(blocks)
    shared = decode_ref(actions[ActionId.SHARE_ANSWER]["value"])
    assert shared.question == "mrr in april 2026"
    assert shared.query == MRR_QUERY
    trend = decode_ref(actions[ActionId.TREND]["value"]).query
    assert isinstance(trend, MetricQuery)
    assert (trend.period, trend.granularity) == (APRIL, "day")
    (block,) = by_type(blocks, "actions")
    assert block["block_id"].startswith(f"{BlockId.ANSWER_ACTIONS}:")
    assert decode_block_ref(block["block_id"]) == MRR_QUERY


def test_breakdown_cut_to_top_rows_with_a_note() -> None:
    result = breakdown_result(groups=25)
    blocks = answer_blocks(answer(result, MRR_QUERY.model_copy(update={"breakdown": "plan"})))
    assert_valid_blocks(blocks)
    table = blocks[2]["text"]["text"]
    assert table.startswith("*By plan*\n```plan")
    assert len(table.split("```")[1].splitlines()) == 11  # header and the top 10 rows
    assert blocks[3] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "and 15 more"}]}
    options = elements(blocks)[ActionId.BREAKDOWN]["options"]
    assert "plan" not in [o["value"] for o in options]


def test_series_shown_as_text_without_chart_and_no_trend_button() -> None:
    result = series_result()
    blocks = answer_blocks(answer(result))
    assert_valid_blocks(blocks)
    assert any("*By week*" in b.get("text", {}).get("text", "") for b in blocks)
    assert ActionId.TREND not in elements(blocks)
    with_chart = answer_blocks(answer(result), chart_file_id="F1")
    assert not any("*By week*" in b.get("text", {}).get("text", "") for b in with_chart)


def test_survey_answer_shows_n_and_interval() -> None:
    query = MetricQuery(metric="nps", as_of=AS_OF, period=APRIL)
    blocks = answer_blocks(answer(nps_result(), query))
    assert_valid_blocks(blocks)
    assert "n = 100 · 95% interval ± 14.5 (30.5 to 59.5)" in blocks[1]["text"]["text"]
    by_plan = nps_result().model_copy(update={"breakdown_dimension": "plan", "breakdown": [
        GroupValue(group="pro", value=50.0, n=1200, previous=40.0), GroupValue(group="basic", value=-10.0, n=7)]})
    table = answer_blocks(answer(by_plan, query))[2]["text"]["text"]
    assert table.split("```")[1].splitlines() == [
        "plan   NPS  previous      n",
        "pro     50        40  1,200",
        "basic  -10   no data      7",
    ]


def test_table_answer_has_a_code_table_and_no_metric_actions() -> None:
    query = MovementsQuery(as_of=AS_OF, period=APRIL)
    blocks = answer_blocks(answer(movements_table(), query, "why did mrr change in april"), chart_file_id="F9")
    assert_valid_blocks(blocks)
    assert blocks[0]["text"]["text"] == "MRR movements — April 2026"
    assert "Starting MRR  $1,000" in blocks[1]["text"]["text"]
    assert list(elements(blocks)) == [ActionId.SHARE_ANSWER, ActionId.HOW_COMPUTED]
    assert decode_ref(elements(blocks)[ActionId.SHARE_ANSWER]["value"]).query == query


def test_without_actions_for_sharing() -> None:
    blocks = answer_blocks(answer(metric_result()), include_actions=False)
    assert by_type(blocks, "actions") == []


def test_user_text_is_escaped_and_long_questions_fit_in_button_values() -> None:
    question = "<!channel> & mrr " + "x" * 5000
    result = metric_result(filters={"plan": ["<pro>"]})
    blocks = answer_blocks(answer(result, question=question))
    assert_valid_blocks(blocks)
    assert "&lt;pro&gt;" in blocks[1]["text"]["text"]
    value = elements(blocks)[ActionId.SHARE_ANSWER]["value"]
    assert len(value) <= 2000 and decode_ref(value).query == MRR_QUERY


def test_how_computed_shows_formula_and_sql_within_limits() -> None:
    long_sql = "SELECT a < b AND c > d, " + ", ".join(f"col_{i}" for i in range(2000))
    result = metric_result(sql=[long_sql, "SELECT 2"])
    blocks = how_computed_blocks(answer(result))
    assert_valid_blocks(blocks)
    assert blocks[0]["text"]["text"] == "How MRR is computed"
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert texts[1] == "*Formula*\n```sum(mrr) of active subscriptions```"
    assert texts[2].startswith("*SQL 1 of 2*\n```SELECT a &lt; b AND c &gt; d") and texts[2].endswith("\n…```")
    assert texts[3] == "*SQL 2 of 2*\n```SELECT 2```"
    table_blocks = how_computed_blocks(answer(movements_table(), MovementsQuery(as_of=AS_OF)))
    assert_valid_blocks(table_blocks)


def test_unknown_answer_offers_buttons_for_suggestions() -> None:
    parsed = ParseResult(intent="unknown", suggestions=("mrr", "arr", "nope"), message="Which metric?")
    blocks = unknown_blocks(Answer("mmr <b>", parsed, error="Which metric? <b>", catalog=load_catalog()))
    assert_valid_blocks(blocks)
    assert blocks[0]["text"]["text"] == "Which metric? &lt;b&gt;"
    (actions,) = by_type(blocks, "actions")
    assert [(e["text"]["text"], e["value"]) for e in actions["elements"]] == [("MRR", "mrr"), ("ARR", "arr")]
    assert all(SUGGESTION_ACTION.match(e["action_id"]) for e in actions["elements"])
    assert answer_blocks(Answer("", None, error="Ask me.", catalog=load_catalog()))[0]["text"]["text"] == "Ask me."


def test_blocks_are_plain_json() -> None:
    blocks = answer_blocks(answer(breakdown_result()), chart_file_id="F1")
    assert json.loads(json.dumps(blocks)) == blocks
