"""What buttons carry round-trips, and always fits Slack's limits."""

from __future__ import annotations

from datetime import date

from bot.blocks.payload import block_ref, decode_block_ref, decode_ref, encode_ref
from kpi_engine.periods import Period
from kpi_engine.query import Filter, FunnelQuery, MetricQuery, RetentionQuery

QUERY = MetricQuery(metric="customer_churn_rate", as_of=date(2026, 5, 10),
                    period=Period.calendar(date(2026, 4, 1), "quarter"), granularity="month", breakdown="plan",
                    filters=(Filter(dimension="country", values=("DE", "FR")),))


def test_round_trip_of_every_query_type() -> None:
    for query in (QUERY, FunnelQuery(as_of=date(2026, 5, 10), steps=("signup", "purchase")),
                  RetentionQuery(as_of=date(2026, 5, 10), cohort_grain="week")):
        ref = decode_ref(encode_ref("question", query))
        assert (ref.question, ref.query) == ("question", query)


def test_compact_encoding_leaves_defaults_out() -> None:
    value = encode_ref("mrr", MetricQuery(metric="mrr", as_of=date(2026, 5, 10)))
    assert value == '{"q":"mrr","query":{"kind":"metric","as_of":"2026-05-10","metric":"mrr"}}'


def test_long_questions_are_cut_before_the_query() -> None:
    value = encode_ref("q" * 5000, QUERY)
    assert len(value) == 2000
    assert decode_ref(value).query == QUERY
    quoted = encode_ref('"\\' * 3000, QUERY)  # JSON escapes make the value longer than the question
    assert len(quoted) <= 2000 and decode_ref(quoted).query == QUERY
    tiny = encode_ref("q" * 50, QUERY, limit=40)
    assert len(tiny) <= 40 and decode_ref(tiny).query is None


def test_unreadable_values_come_back_as_questions() -> None:
    assert decode_ref("mrr last month").question == "mrr last month"
    assert decode_ref('{"q": "x", "query": {"kind": "metric"}}').query is None
    assert decode_ref("[1, 2]").query is None


def test_block_ref_fits_255_or_falls_back() -> None:
    ref = block_ref(QUERY)
    assert len(ref) <= 255 and decode_block_ref(ref) == QUERY
    many = QUERY.model_copy(update={"filters": (Filter(dimension="country", values=tuple("ABCDEFGHIJ" * 20)),)})
    assert block_ref(many) == "answer.actions"
    assert decode_block_ref("answer.actions") is None
    assert decode_block_ref("answer.actions:{broken") is None
    assert block_ref(None) == "answer.actions"
