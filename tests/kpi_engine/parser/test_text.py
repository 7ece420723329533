"""Cleaning Slack messages and CLI questions before parsing."""

from __future__ import annotations

import pytest

from kpi_engine.parser.text import Scratch, clean, same_length_lower


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("<@U123ABC> mrr", "mrr"),
        ("<@U123ABC|kpibot>   what's   mrr?", "what's mrr"),
        ("@KPI Bot mrr by plan", "mrr by plan"),
        ("/kpi mrr", "mrr"),
        ("*MRR* _by_ ~plan~ `ytd`", "MRR by plan ytd"),
        ("customer_churn_rate", "customer_churn_rate"),
        ("signup -&gt; purchase &amp; more", "signup > purchase & more"),
        ("signup → purchase ⇒ paid", "signup > purchase > paid"),
        ("&gt; quoted mrr", "quoted mrr"),
        ("<https://x.example/a|the dashboard> mrr", "the dashboard mrr"),
        ("mrr :chart_with_upwards_trend: <!here>", "mrr"),
        ("How’s MRR", "How's MRR"),
        ("plan:pro", "plan:pro"),
        ("March–May", "March - May"),
    ],
)
def test_clean(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_lower_case_never_changes_length_so_spans_map_back() -> None:
    text = "İstanbul MRR ß"
    assert len(same_length_lower(text)) == len(text)
    scratch = Scratch(text)
    assert scratch.cased(9, 12) == "MRR"
