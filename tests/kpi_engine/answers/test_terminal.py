"""Terminal rendering of answers: values with context, breakdowns, series, tables, help and errors."""

from __future__ import annotations

from datetime import date

from kpi_engine.answers.ask import Answer
from kpi_engine.answers.tables import column_unit, formatted_rows, table_text
from kpi_engine.answers.terminal import render_answer, series_lines
from kpi_engine.catalog import load_catalog
from kpi_engine.parser.result import ParseResult
from kpi_engine.results import SeriesPoint
from tests.kpi_engine.answers.samples import (
    breakdown_result,
    funnel_table,
    metric_result,
    movements_table,
    nps_result,
    retention_table,
    series_result,
)


def answer_for(result: object, **parse: object) -> Answer:
    parsed = ParseResult(intent="query", **parse)  # type: ignore[arg-type]
    return Answer("question", parsed, result, None, load_catalog())  # type: ignore[arg-type]


def test_metric_answer_reads_value_change_and_definition() -> None:
    text = render_answer(answer_for(metric_result(), notes=("Assumed the end of April.",)))
    assert text.splitlines() == [
        "MRR — end of April 2026",
        "  $12,500",
        "  up 4.2% (+$500) — good vs $12,000 in March 2026",
        "",
        "MRR: Monthly recurring revenue at the end of the period.",
        "",
        "Note: Assumed the end of April.",
    ]


def test_survey_answer_shows_sample_and_interval() -> None:
    text = render_answer(answer_for(nps_result()))
    assert "  45\n  up 5 pts — good vs 40 in March 2026\n  n = 100 · 95% interval ± 14.5 (30.5 to 59.5)" in text


def test_breakdown_table_lists_groups_with_previous() -> None:
    text = render_answer(answer_for(breakdown_result()))
    lines = text.splitlines()
    start = lines.index("By plan:")
    assert lines[start + 1:start + 5] == [
        "  plan     MRR  previous",
        "  pro     $100       $90",
        "  basic    $50       $40",
        "  (none)    $7       -$3",
    ]


def test_series_lists_buckets_with_previous_and_target() -> None:
    lines = render_answer(answer_for(series_result())).splitlines()
    assert "  Target $400: 75% of target, not met yet" in lines
    start = lines.index("By week:")
    assert lines[start + 1:start + 5] == [
        "  period        from          to      MRR  previous",
        "  Apr 1   2026-04-01  2026-04-05     $100",  # five days cut short by April: not against a whole week
        "  Apr 6   2026-04-06  2026-04-12  no data       $95",
        "  Apr 13  2026-04-13  2026-04-19     $300",
    ]


def test_series_compares_only_like_for_like_buckets() -> None:
    """`sessions by week last month` in November 2026: Nov 1 (a Sunday, one day) and Nov 23..29 are not set
    beside October's Oct 1..4 and Oct 26..31; whole months of 28 and 31 days are; two days to date are."""
    def points(value: float, *spans: tuple[date, date]) -> list[SeriesPoint]:
        return [SeriesPoint(start=a, end=b, value=value + i) for i, (a, b) in enumerate(spans)]

    weeks = metric_result(granularity="week", series=points(
        1, (date(2026, 11, 1), date(2026, 11, 1)), (date(2026, 11, 2), date(2026, 11, 8)),
        (date(2026, 11, 23), date(2026, 11, 29))), previous_series=points(
        10, (date(2026, 10, 1), date(2026, 10, 4)), (date(2026, 10, 5), date(2026, 10, 11)),
        (date(2026, 10, 26), date(2026, 10, 31))))
    assert [line.split()[4:] for line in series_lines(weeks)[2:]] == [["$1"], ["$2", "$11"], ["$3"]]
    months = metric_result(granularity="month", series=points(
        1, (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 12, 1), date(2026, 12, 2))), previous_series=points(
        10, (date(2026, 1, 1), date(2026, 1, 31)), (date(2025, 12, 1), date(2025, 12, 2))))
    assert [line.split()[4:] for line in series_lines(months)[2:]] == [["$1", "$10"], ["$2", "$11"]]


def test_filters_are_named_in_the_title() -> None:
    text = render_answer(answer_for(metric_result(filters={"plan": ["pro", "basic"]})))
    assert text.startswith("MRR — end of April 2026 (plan: pro, basic)\n")


def test_movements_table_in_currency_with_counts() -> None:
    text = render_answer(answer_for(movements_table()))
    assert text.splitlines()[:4] == [
        "MRR movements — April 2026",
        "  Movement         MRR  Customers",
        "  Starting MRR  $1,000         10",
        "  New             $200          2",
    ]
    assert "  Churned        -$120          1" in text
    assert text.rstrip().endswith("Net new MRR: +100.00")


def test_table_columns_get_their_units() -> None:
    funnel, retention = funnel_table(), retention_table()
    assert [column_unit(funnel, i) for i in range(3)] == ["count", "count", "percent"]
    assert formatted_rows(funnel)[1] == ["activation", "120", "60.0%"]
    assert [column_unit(retention, i) for i in range(5)] == ["count", "count", "percent", "percent", "percent"]
    assert formatted_rows(retention)[1] == ["2026-02", "80", "100.0%", "40.0%", "–"]
    text, hidden = table_text(retention, max_rows=2)
    assert hidden == 1 and len(text.splitlines()) == 3


def test_help_list_and_define_intents() -> None:
    catalog = load_catalog()
    help_text = render_answer(Answer("help", ParseResult(intent="help"), catalog=catalog))
    assert "Examples:" in help_text and "why did mrr change last month" in help_text
    listing = render_answer(Answer("list", ParseResult(intent="list"), catalog=catalog))
    assert listing.startswith("Revenue\n  mrr ")
    definition = render_answer(Answer("define mrr", ParseResult(intent="define", metric_id="mrr"), catalog=catalog))
    assert definition.startswith("MRR (mrr)\n\nMonthly recurring revenue")
    assert "Break down: plan, segment, channel, country" in definition


def test_unknown_question_offers_suggestions() -> None:
    parsed = ParseResult(intent="unknown", suggestions=("mrr", "arr", "not_a_metric"), message="Which metric?")
    text = render_answer(Answer("mmr", parsed, error="Which metric?", catalog=load_catalog()))
    assert text.splitlines() == ["Which metric?", "", "Did you mean:", f"  {'mrr':<28} MRR", f"  {'arr':<28} ARR"]
    named = ParseResult(intent="unknown", suggestions=("mrr",), message="I don't know 'mmr'. Closest: MRR (`mrr`).")
    # no Slack markup in the terminal: `mrr` reads “mrr”
    assert render_answer(Answer("mmr", named, error=named.message, catalog=load_catalog())) == (
        "I don't know 'mmr'. Closest: MRR (“mrr”).")
    empty = render_answer(Answer("", None, error="Ask me something.", catalog=load_catalog()))
    assert empty.endswith("Try “help” for examples or “list metrics” for every metric.")
