"""Every chart type decodes as a PNG of the expected pixel size; render_chart picks the right type."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from kpi_engine.charts import render_chart
from kpi_engine.charts.bars import bar_chart
from kpi_engine.charts.comparison import comparison_chart
from kpi_engine.charts.funnel import funnel_chart
from kpi_engine.charts.grid import grid_chart
from kpi_engine.charts.groups import group_series_chart
from kpi_engine.charts.line import line_chart
from kpi_engine.charts.multiples import multiples_chart
from kpi_engine.charts.nps import nps_chart
from kpi_engine.charts.retention import retention_chart
from kpi_engine.charts.sparkline import sparkline, sparkline_for
from kpi_engine.charts.waterfall import waterfall_chart
from kpi_engine.results import MetricResult, TableResult
from tests.kpi_engine.answers.samples import (
    breakdown_result,
    funnel_table,
    grouped_funnel_table,
    metric_result,
    movements_table,
    nps_result,
    retention_table,
    series_result,
)
from tests.kpi_engine.charts import company

SLACK_SIZE = (1200, 675)  # text ≥ 28 px: ≥ 11 px in Slack's 480 px preview


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


@pytest.mark.parametrize(("draw", "make"), [
    (line_chart, series_result),
    (bar_chart, lambda: breakdown_result(groups=20)),
    (comparison_chart, metric_result),
    (nps_chart, nps_result),
    (waterfall_chart, movements_table),
    (funnel_chart, funnel_table),
    (funnel_chart, grouped_funnel_table),
    (retention_chart, retention_table),
], ids=["line", "bars", "comparison", "nps", "waterfall", "funnel", "funnel-groups", "retention"])
def test_each_chart_is_a_1200_by_675_png(draw: Callable[..., bytes], make: Callable[[], object]) -> None:
    assert png_size(draw(make())) == SLACK_SIZE


def test_sparkline_is_tiny() -> None:
    assert png_size(sparkline([1, 3, None, 2, 5])) == (480, 120)
    assert png_size(sparkline([None])) == (480, 120)
    assert sparkline_for(metric_result()) is None
    assert sparkline_for(series_result()) is not None


def assert_drawn(result: MetricResult | TableResult) -> None:
    png = render_chart(result)
    assert png is not None and png_size(png) == SLACK_SIZE


def test_render_chart_draws_the_new_answer_shapes() -> None:
    assert render_chart(company.mrr_by_plan_and_segment()) == grid_chart(company.mrr_by_plan_and_segment())
    assert render_chart(company.mrr_by_plan_by_month()) == group_series_chart(company.mrr_by_plan_by_month())
    several = render_chart(company.several_metrics())
    assert several == multiples_chart(company.several_metrics())
    assert several is not None and png_size(several)[0] == 1200
    assert render_chart([company.mrr()]) == render_chart(company.mrr())
    assert render_chart([]) is None


def test_render_chart_picks_by_result_shape() -> None:
    assert render_chart(breakdown_result()) == bar_chart(breakdown_result())
    assert render_chart(series_result()) == line_chart(series_result())
    assert render_chart(nps_result()) == nps_chart(nps_result())
    assert render_chart(metric_result()) == comparison_chart(metric_result())
    assert render_chart(movements_table()) == waterfall_chart(movements_table())
    assert render_chart(funnel_table()) == funnel_chart(funnel_table())
    assert render_chart(retention_table()) == retention_chart(retention_table())


def test_nothing_to_draw() -> None:
    assert render_chart(metric_result(value=None, previous_value=None)) is None
    empty = movements_table().model_copy(update={"rows": []})
    assert render_chart(empty) is None


def test_charts_survive_missing_values() -> None:
    assert_drawn(metric_result(value=None))
    gaps = series_result().model_copy(update={"series": [p.model_copy(update={"value": None})
                                                         for p in series_result().series or []]})
    assert_drawn(gaps)
    negative = metric_result(unit="percent", value=-0.05, previous_value=0.02)
    assert_drawn(negative)
