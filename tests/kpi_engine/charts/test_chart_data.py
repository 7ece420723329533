"""Golden tests of what each chart plots (the pure data-prep functions)."""

from __future__ import annotations

from kpi_engine.charts.bars import bar_data
from kpi_engine.charts.comparison import comparison_data
from kpi_engine.charts.funnel import funnel_data
from kpi_engine.charts.line import line_data
from kpi_engine.charts.nps import nps_data
from kpi_engine.charts.retention import retention_data
from kpi_engine.charts.sparkline import spark_data
from kpi_engine.charts.style import thinned_ticks, truncate
from kpi_engine.charts.waterfall import WaterfallStep, waterfall_data
from kpi_engine.results import TableResult
from tests.kpi_engine.answers.samples import (
    APRIL,
    breakdown_result,
    funnel_table,
    grouped_funnel_table,
    metric_result,
    movements_table,
    nps_result,
    retention_table,
    series_result,
)


def test_line_data_aligns_previous_series_and_keeps_gaps() -> None:
    data = line_data(series_result())
    assert data.title == "MRR — end of April 2026"
    assert data.subtitle == "by week"
    assert data.labels == ["Apr 1", "Apr 6", "Apr 13"]
    assert data.values == [100.0, None, 300.0]
    assert data.previous == [90.0, 95.0, None]  # one bucket shorter: padded
    assert data.previous_label == "March 2026"
    assert data.target == 400.0
    assert data.unit == "currency"


def test_bar_data_keeps_top_groups_and_counts_the_rest() -> None:
    data = bar_data(breakdown_result(groups=15), top=12)
    assert data.labels[:3] == ["pro", "basic", "(none)"]
    assert data.labels[3] == "country number 0 with…"
    assert len(data.labels) == 12 and data.hidden == 3
    assert data.values[:3] == [100.0, 50.0, 7.0]
    assert data.previous is not None and data.previous[:3] == [90.0, 40.0, -3.0]
    assert data.subtitle == "by plan · top 12 of 15"


def test_comparison_data_puts_previous_first() -> None:
    data = comparison_data(metric_result())
    assert data.labels == ["March 2026", "April 2026"]
    assert data.values == [12000.0, 12500.0]
    assert data.subtitle == "up 4.2% (+$500) — good"
    alone = comparison_data(metric_result(previous_period=None, previous_value=None))
    assert alone.labels == ["April 2026"] and alone.values == [12500.0] and alone.subtitle == ""


def test_nps_data_from_shares_or_counts() -> None:
    data = nps_data(nps_result())
    assert data.labels == ["Detractors (0–6)", "Passives (7–8)", "Promoters (9–10)"]
    assert [round(s, 6) for s in data.shares] == [0.15, 0.25, 0.6]
    assert data.subtitle == "NPS 45 · n = 100 · 95% interval ± 14.5 (30.5 to 59.5)"
    counts = nps_result().model_copy(update={"parts": {"promoters": 60, "passives": 25, "detractors": 15}})
    assert [round(s, 6) for s in nps_data(counts).shares] == [0.15, 0.25, 0.6]


def test_waterfall_steps_float_between_levels() -> None:
    data = waterfall_data(movements_table())
    assert data.title == "MRR movements — April 2026"
    assert data.subtitle == "net change +$100"
    assert data.steps == [
        WaterfallStep("Starting MRR", 0.0, 1000.0, 1000.0, "total"),
        WaterfallStep("New", 1000.0, 1200.0, 200.0, "up"),
        WaterfallStep("Reactivation", 1200.0, 1200.0, 0.0, "up"),
        WaterfallStep("Expansion", 1200.0, 1250.0, 50.0, "up"),
        WaterfallStep("Contraction", 1220.0, 1250.0, -30.0, "down"),
        WaterfallStep("Churned", 1100.0, 1220.0, -120.0, "down"),
        WaterfallStep("Ending MRR", 0.0, 1100.0, 1100.0, "total"),
    ]


def test_waterfall_signs_unsigned_losses_and_skips_net_rows() -> None:
    table = TableResult(kind="movements", title="MRR movements", period=APRIL, columns=["movement", "amount"],
                        rows=[["start_mrr", 100.0], ["churned_mrr", 10.0], ["net_new_mrr", -10.0],
                              ["end_mrr", 90.0]], unit="currency")
    steps = waterfall_data(table).steps
    assert [(s.label, s.bottom, s.top, s.kind) for s in steps] == [
        ("Start MRR", 0.0, 100.0, "total"), ("Churned MRR", 90.0, 100.0, "down"), ("End MRR", 0.0, 90.0, "total"),
    ]


def test_funnel_conversion_from_first_and_previous_step() -> None:
    data = funnel_data(funnel_table())
    assert data.steps == ["signup", "activation", "purchase"]
    assert data.groups == [""]
    assert data.counts == [[200.0, 120.0, 30.0]]
    assert data.from_first == [[1.0, 0.6, 0.15]]
    assert data.from_previous == [[None, 0.6, 0.25]]
    assert data.subtitle == "signup → activation → purchase"


def test_grouped_funnel_orders_groups_by_first_step() -> None:
    data = funnel_data(grouped_funnel_table())
    assert data.groups == ["pro", "basic"]
    assert data.counts == [[40.0, 30.0], [10.0, 5.0]]
    assert data.from_first == [[1.0, 0.75], [1.0, 0.5]]


def test_retention_matrix_with_cohort_sizes() -> None:
    data = retention_data(retention_table())
    assert data.cohorts == ["2026-01 (100)", "2026-02 (80)", "2026-03 (40)"]
    assert data.offsets == ["month 0", "month 1", "month 2"]
    assert data.shares == [[1.0, 0.5, 0.25], [1.0, 0.4, None], [1.0, None, None]]


def test_sparkline_data_marks_the_last_known_point() -> None:
    assert spark_data([1, 2, None]).last_index == 1
    assert spark_data([None, None]).last_index is None
    assert spark_data([3]).values == [3.0]


def test_ticks_are_thinned_and_keep_the_last() -> None:
    labels = [str(i) for i in range(30)]
    ticks = thinned_ticks(labels, limit=10)
    assert [i for i, _ in ticks] == [0, 3, 6, 9, 12, 15, 18, 21, 24, 29]
    assert thinned_ticks(["a", "b"], limit=10) == [(0, "a"), (1, "b")]
    assert truncate("a" * 30, 10) == "aaaaaaaaa…"
