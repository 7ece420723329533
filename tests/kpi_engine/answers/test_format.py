"""Every unit, the change words for every direction, targets, samples, periods and definitions."""

from __future__ import annotations

from datetime import date

import pytest

from kpi_engine.answers.format import (
    bucket_label,
    change_line,
    definition_line,
    describe_change,
    format_signed,
    format_value,
    how_computed,
    period_label,
    result_period_label,
    sample_line,
    target_line,
)
from kpi_engine.periods import Period
from kpi_engine.results import TargetStatus
from tests.kpi_engine.answers.samples import metric_result, nps_result


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (12500, "currency", "$12,500"),
    (12500.4, "currency", "$12,500"),
    (1.234, "currency", "$1.23"),
    (-1200, "currency", "-$1,200"),
    (0, "currency", "$0"),
    (0.053, "percent", "5.3%"),
    (1.0, "percent", "100.0%"),
    (-0.021, "percent", "-2.1%"),
    (0.0004, "percent", "0.04%"),
    (1234567, "count", "1,234,567"),
    (1234.5, "count", "1,234"),
    (12.34, "count", "12.3"),
    (2.5, "count", "2.5"),
    (3.2, "ratio", "3.2×"),
    (0.45, "ratio", "0.45×"),
    (4.2, "hours", "4.2 h"),
    (0.5, "hours", "30 min"),
    (3900, "seconds", "1 h 5 min"),
    (245, "seconds", "4 min 5 s"),
    (120, "seconds", "2 min"),
    (42, "seconds", "42 s"),
    (4.5, "seconds", "4.5 s"),
    (90000, "seconds", "1 d 1 h"),
    (3.5, "days", "3.5 days"),
    (1, "days", "1 day"),
    (5.333, "months", "5.3 months"),
    (1, "months", "1 month"),
    (45, "score", "45"),
    (5.2, "score", "5.2"),
    (-12.0, "score", "-12"),
])
def test_format_value_by_unit(value: float, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


@pytest.mark.parametrize("unit", ["currency", "percent", "count", "ratio", "seconds", "hours", "days", "months",
                                  "score"])
def test_none_and_nan_read_no_data(unit: str) -> None:
    assert format_value(None, unit) == "no data"
    assert format_value(float("nan"), unit) == "no data"


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (1_234_567, "currency", "$1.2M"),
    (12_500, "currency", "$12.5k"),
    (12_000, "currency", "$12k"),
    (950, "currency", "$950"),
    (72.15, "currency", "$72"),
    (1.234, "currency", "$1.23"),
    (2_500_000_000, "count", "2.5B"),
    (3900, "seconds", "1.1 h"),
    (150, "seconds", "2.5 min"),
    (0.8, "hours", "0.8 h"),
    (0, "hours", "0 h"),
])
def test_compact_values_for_axes_and_small_spaces(value: float, unit: str, expected: str) -> None:
    assert format_value(value, unit, compact=True) == expected


def test_currency_symbol_from_settings() -> None:
    assert format_value(12500, "currency", currency="€") == "€12,500"
    assert format_signed(-500, "currency", currency="£") == "-£500"
    assert format_signed(500, "currency") == "+$500"


@pytest.mark.parametrize(("value", "previous", "unit", "direction", "text"), [
    (104.2, 100, "currency", "higher", "up 4.2% (+$4.20) — good"),
    (12500, 12000, "currency", "higher", "up 4.2% (+$500) — good"),
    (95, 100, "count", "higher", "down 5.0% (-5) — worse"),
    (0.061, 0.053, "percent", "lower", "up 0.8 pp — worse"),
    (0.045, 0.053, "percent", "lower", "down 0.8 pp — good"),
    (0.061, 0.053, "percent", "higher", "up 0.8 pp — good"),
    (48, 45, "score", "higher", "up 3 pts — good"),
    (5.0, 5.2, "score", "lower", "down 0.2 pts — good"),
    (110, 100, "count", "neutral", "up 10.0% (+10)"),
    (10, 0, "count", "higher", "up 10 — good"),
    (3600, 3000, "seconds", "lower", "up 20.0% (+10 min) — worse"),
    (100, 100, "count", "higher", "no change"),
])
def test_change_words_follow_the_metric_direction(
    value: float, previous: float, unit: str, direction: str, text: str
) -> None:
    change = describe_change(value, previous, unit, direction)
    assert change is not None
    assert change.text == text


def test_no_change_without_both_values() -> None:
    assert describe_change(None, 1.0, "count", "higher") is None
    assert describe_change(1.0, None, "count", "higher") is None


def test_change_line_names_the_previous_period() -> None:
    assert change_line(metric_result()) == "up 4.2% (+$500) — good vs $12,000 in March 2026"
    assert change_line(metric_result(previous_value=None)) == "no data to compare in March 2026"
    assert change_line(metric_result(value=None)) == "$12,000 in March 2026"
    assert change_line(metric_result(previous_period=None, previous_value=None)) is None


def test_target_lines() -> None:
    on_track = metric_result(target=TargetStatus(value=15000, due=date(2026, 12, 31), attainment=12500 / 15000,
                                                 met=False))
    assert target_line(on_track) == "Target $15,000 by 2026-12-31: 83% of target, not met yet"
    met = metric_result(target=TargetStatus(value=10000, attainment=1.25, met=True))
    assert target_line(met) == "Target $10,000: 125% of target, met"
    churn = metric_result(unit="percent", value=None, target=TargetStatus(value=0.05))
    assert target_line(churn) == "Target 5.0%: no data yet"
    assert target_line(metric_result()) is None


def test_sample_line_for_survey_scores() -> None:
    assert sample_line(nps_result()) == "n = 100 · 95% interval ± 14.5 (30.5 to 59.5)"
    csat = metric_result(unit="percent", value=0.8, n=1200, ci95=(0.77, 0.83))
    assert sample_line(csat) == "n = 1,200 · 95% interval ± 3.0 pp (77.0% to 83.0%)"
    assert sample_line(metric_result(unit="score", n=1)) == "n = 1"
    assert sample_line(metric_result()) is None


@pytest.mark.parametrize(("period", "label"), [
    (Period.calendar(date(2026, 4, 9), "month"), "April 2026"),
    (Period(date(2026, 6, 1), date(2026, 6, 10), "month"), "June 2026 to 2026-06-10"),
    (Period.calendar(date(2026, 5, 1), "quarter"), "Q2 2026"),
    (Period.calendar(date(2026, 5, 1), "year"), "2026"),
    (Period.calendar(date(2026, 4, 9), "week"), "week of 2026-04-06"),
    (Period(date(2026, 4, 9), date(2026, 4, 9), "day"), "2026-04-09"),
    (Period(date(2026, 3, 11), date(2026, 4, 9)), "2026-03-11 – 2026-04-09"),
])
def test_period_labels(period: Period, label: str) -> None:
    assert period_label(period) == label


def test_stock_metrics_read_at_the_end_of_the_period() -> None:
    assert result_period_label(metric_result()) == "end of April 2026"
    assert result_period_label(metric_result(kind="flow")) == "April 2026"


@pytest.mark.parametrize(("grain", "label"), [
    ("day", "Apr 6"), ("week", "Apr 6"), ("month", "Apr 2026"), ("quarter", "Q2 2026"), ("year", "2026"),
])
def test_bucket_labels(grain: str, label: str) -> None:
    assert bucket_label(date(2026, 4, 6), grain) == label


def test_definition_and_how_computed() -> None:
    assert definition_line("MRR", "Monthly recurring\n  revenue.") == "MRR: Monthly recurring revenue."
    text = how_computed("sum(mrr)", ["SELECT 1\n", "SELECT 2"])
    assert text == "Formula: sum(mrr)\n\nSQL:\nSELECT 1;\n\nSELECT 2;"
    assert how_computed("", []) == "No computation details are available."
