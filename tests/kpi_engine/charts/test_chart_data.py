"""Golden tests of what each chart plots (the pure data-prep functions), on the small company of company.py."""

from __future__ import annotations

from datetime import date

from kpi_engine.charts.bars import bar_data
from kpi_engine.charts.comparison import comparison_data
from kpi_engine.charts.funnel import funnel_data
from kpi_engine.charts.grid import grid_data
from kpi_engine.charts.groups import group_series_data
from kpi_engine.charts.labels import Headline, change_amount, headline, short_period, span_label, time_ticks
from kpi_engine.charts.line import line_data, without_leading_zeros
from kpi_engine.charts.multiples import metric_panel, multiples_title
from kpi_engine.charts.nps import nps_data
from kpi_engine.charts.retention import retention_data
from kpi_engine.charts.sparkline import spark_data
from kpi_engine.charts.style import DARK_GREY, GREEN, VERMILLION, thinned_ticks, truncate
from kpi_engine.charts.waterfall import WaterfallStep, axis_floor, waterfall_data
from kpi_engine.periods import Period
from tests.kpi_engine.charts import company


def test_headline_value_and_change_in_the_text_format() -> None:
    assert headline(company.mrr(partial=False)) == Headline("$167k", "+4.3% vs Oct", GREEN)
    # a running period: a flow says "so far" (a stock is a state, known today); a fall is never painted as a drop
    assert headline(company.mrr()).value == "$167k"
    assert headline(company.signups_by_week()).value == "2.2k so far"
    falling = company.mrr(value=150_000.0)
    assert headline(falling) == Headline("$150k", "-6.3% vs Oct", DARK_GREY)
    # the engine did not flag it, but Nov 1–15 of a month is still running
    assert headline(falling.model_copy(update={"partial": False})).colour == DARK_GREY
    october = falling.model_copy(update={"partial": False, "period": company.OCTOBER,
                                         "previous_period": company.OCTOBER.previous()})
    assert headline(october) == Headline("$150k", "-6.3% vs Sep", VERMILLION)
    assert change_amount(0.031, 0.027, "percent") == "+0.4 pp"
    assert change_amount(45, 40, "score") == "+5 pts"
    assert change_amount(500, 0, "currency") == "+$500"  # no percentage of nothing
    engine_words = company.mrr(comparison_text="Nov 1–15 vs Oct 1–15", partial=False)
    assert headline(engine_words).change == "+4.3% vs Oct 1–15"


def test_short_periods_and_spans() -> None:
    assert short_period(Period.calendar(date(2026, 10, 1), "month"), 2026) == "Oct"
    assert short_period(Period.calendar(date(2025, 10, 1), "month"), 2026) == "Oct 2025"
    assert short_period(Period.calendar(date(2026, 7, 1), "quarter"), 2026) == "Q3"
    assert short_period(company.NOVEMBER) == "Nov 1–15, 2026"
    # the title that read "end of 2025-12-01 – 2026-11-30"
    assert span_label(date(2025, 12, 1), date(2026, 11, 30)) == "Dec 2025 – Nov 2026"
    assert span_label(date(2025, 12, 28), date(2026, 1, 3)) == "Dec 28, 2025 – Jan 3, 2026"
    assert span_label(date(2026, 11, 23), date(2026, 11, 29), show_year=False) == "Nov 23–29"


def test_time_ticks_count_back_from_the_latest_and_name_each_year() -> None:
    weeks = [date(2025, 10, 13), date(2025, 10, 20), date(2025, 10, 27)]
    assert time_ticks(weeks, "week") == [(0, "Oct 13\n2025"), (1, "Oct 20"), (2, "Oct 27")]
    data = line_data(company.signups_by_week())
    assert data.ticks == [(3, "Nov 3\n2025"), (7, "Dec 1"), (11, "Dec 29"), (15, "Jan 26\n2026"), (19, "Feb 23")]
    months = group_series_data(company.mrr_by_plan_by_month()).ticks
    assert [label for _, label in months] == ["Jan\n2026", "Mar", "May", "Jul", "Sep", "Nov"]


def test_line_partial_week_and_previous_before_the_data() -> None:
    data = line_data(company.signups_by_week())
    assert data.title == "Signups" and data.subtitle == "by week · Oct 13, 2025 – Feb 25, 2026"
    assert data.partial == [False] * 19 + [True]  # the running week (3 signups so far) is drawn apart
    assert data.values[-2:] == [136.0, 3.0]
    assert data.previous is not None and data.previous[:6] == [None] * 5 + [80.0]  # zeros before the data: gone
    assert without_leading_zeros([0.0, 0.0, 5.0, 0.0]) == [None, None, 5.0, 0.0]
    assert data.headline == Headline("2.2k so far", "+81.1% vs May 26 – Oct 12, 2025", GREEN)


def test_survey_series_carries_n_and_the_interval() -> None:
    data = line_data(company.nps_by_month())
    assert data.n is not None and data.n[6] == 8 and data.n[0] == 40
    assert data.band is not None and data.band[0] == (15.0, 45.0)
    assert data.headline.change.startswith("+5 pts vs ")


def test_bars_mark_the_groups_that_got_worse_by_direction() -> None:
    data = bar_data(company.mrr_by_plan())
    assert data.labels == ["enterprise", "pro", "basic"]
    assert data.previous == [85_000.0, 55_000.0, 20_100.0]
    assert data.worse == [False, True, False]  # pro fell: worse for MRR
    assert data.changes == ["+5.9%", "-5.5%", "+24.4%"]
    churn = company.mrr_by_plan().model_copy(update={"direction": "lower"})
    assert bar_data(churn).worse == [True, False, True]  # for a lower-is-better metric, rising is worse
    two = bar_data(company.mrr_by_plan(), top=2)
    assert two.subtitle == "by plan · on Nov 15, 2026 · top 2 of 3" and two.hidden == 1


def test_comparison_puts_previous_first_and_marks_the_running_period() -> None:
    data = comparison_data(company.mrr())
    assert data.labels == ["Oct", "Nov 1–15"] and data.values == [160_100.0, 167_000.0]
    assert data.partial and data.subtitle == "on Nov 15, 2026"


def test_nps_shares_sample_and_headline() -> None:
    data = nps_data(company.nps_score())
    assert [round(s, 6) for s in data.shares] == [0.15, 0.25, 0.6]
    assert data.sample == "n = 100 · 95% interval ± 14.5 (30.5 to 59.5)"
    assert data.headline == Headline("45", "+5 pts vs Sep", GREEN)


def test_waterfall_axis_starts_near_the_start_mrr() -> None:
    data = waterfall_data(company.movements())
    # the lowest level is 160,100; the movements span 12,300 → floor 160,100 − 0.6 × 12,300 = 152,720 → 150,000
    assert data.floor == 150_000.0
    assert data.steps[0] == WaterfallStep("Starting MRR", 0.0, 160_100.0, 160_100.0, "total")
    assert data.steps[4] == WaterfallStep("Contraction", 171_200.0, 172_400.0, -1_200.0, "down")
    assert data.headline == Headline("$167k", "+$6.9k net (+4.3%)", GREEN)
    small = [WaterfallStep("Start", 0.0, 100.0, 100.0, "total"), WaterfallStep("New", 100.0, 900.0, 800.0, "up"),
             WaterfallStep("End", 0.0, 900.0, 900.0, "total")]
    assert axis_floor(small) == 0.0  # a bridge that moves a lot keeps its zero


def test_retention_rows_running_cells_and_small_cohorts() -> None:
    data = retention_data(company.retention())
    assert data.cohorts == ["Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"]
    assert data.small == [False, False, True, False, False, False]  # 12 users
    assert data.offsets == ["0", "1", "2", "3", "4", "5"] and data.grain == "month"
    # the cell holding 2026-11-15 is running in every row: the 3% along the diagonal is not a collapse
    assert [row.index(True) for row in data.running] == [5, 4, 3, 2, 1, 0]
    assert data.shares[0] == [1.0, 0.45, 0.4, 0.35, 0.3, 0.03]
    assert data.headline == Headline("45% after 1 month", "Sep cohort, +0.0 pp vs Aug", DARK_GREY)


def test_funnel_conversion_and_headline() -> None:
    data = funnel_data(company.funnel())
    assert data.counts == [[1200.0, 720.0, 180.0]]
    assert data.from_first == [[1.0, 0.6, 0.15]] and data.from_previous == [[None, 0.6, 0.25]]
    assert data.headline == Headline("15% convert", "1,200 → 180", DARK_GREY)


def test_two_dimension_grid() -> None:
    data = grid_data(company.mrr_by_plan_and_segment())
    assert data.rows == ["enterprise", "pro", "basic"] and data.columns == ["mid-market", "smb"]
    assert data.cells == [[70_000.0, 20_000.0], [22_000.0, 30_000.0], [None, 25_000.0]]
    assert data.subtitle.startswith("by plan and segment · ")


def test_series_per_group_largest_first_partial_last() -> None:
    data = group_series_data(company.mrr_by_plan_by_month())
    assert [line.group for line in data.lines] == ["enterprise", "pro", "basic"]
    assert data.lines[0].values[-1] == 60_000.0 + 2_500.0 * 11
    assert data.lines[0].partial[-2:] == [False, True]


def test_several_metrics_panels() -> None:
    results = company.several_metrics()
    assert multiples_title(results) == ("MRR, Churn rate and NPS", "by month · Dec 1, 2025 – Nov 15, 2026")
    churn = metric_panel(results[1])
    assert churn.change == "+0.4 pp" and churn.change_colour == VERMILLION  # churn up: worse
    assert churn.value == 0.031 and churn.labels[0] == "Dec"
    assert metric_panel(results[0]).partial


def test_sparkline_and_tick_helpers() -> None:
    assert spark_data([1, 2, None]).last_index == 1
    assert spark_data([None, None]).last_index is None
    assert [i for i, _ in thinned_ticks([str(i) for i in range(30)], limit=10)] == [2, 5, 8, 11, 14, 17, 20, 23,
                                                                                    26, 29]
    assert truncate("a" * 30, 10) == "aaaaaaaaa…"
