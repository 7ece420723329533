"""The composite chart (kpi_engine.charts.composite): grid, headlines, and a real PNG."""

from __future__ import annotations

import io

import matplotlib.image
import pytest

from kpi_engine.charts.composite import (
    DPI,
    HEADER_HEIGHT,
    PANEL_HEIGHT,
    TrendPanel,
    composite_chart,
    composite_data,
    grid_for,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("count", "grid"), [(1, (1, 1)), (3, (3, 1)), (4, (2, 2)), (5, (3, 2)), (9, (3, 3)),
                                             (10, (3, 4)), (12, (3, 4))])
def test_grid(count: int, grid: tuple[int, int]) -> None:
    assert grid_for(count) == grid


def panel(label: str, unit: str, values: list[float | None], **kwargs: object) -> TrendPanel:
    return TrendPanel(label=label, unit=unit, labels=[f"W{i}" for i in range(len(values))], values=values,
                      **kwargs)  # type: ignore[arg-type]


def test_headlines_say_value_target_and_flag_in_words() -> None:
    data = composite_data("Weekly KPIs", "", [
        panel("MRR", "currency", [100.0, 150.0], target=300.0, flagged=True),
        panel("Churn", "percent", [0.05, None]),
        panel("NPS", "score", [None, None]),
    ])
    assert data.headlines == ["$150 · target $300 · unusual", "5.0%", "no data"]
    assert (data.columns, data.rows) == (3, 1)


def test_png_of_ten_panels() -> None:
    panels = [panel(f"KPI {i}", "count", [float(i + w) for w in range(12)]) for i in range(10)]
    png = composite_chart("Weekly KPIs · Mar 2 – 8, 2026", "Weekly values, last 12 weeks", panels)
    assert png.startswith(PNG_SIGNATURE)
    height, width, _ = matplotlib.image.imread(io.BytesIO(png)).shape
    assert width == 1200  # at most three panels a row: 400 px each, 160 px in Slack's 480 px preview
    assert height == round((HEADER_HEIGHT + PANEL_HEIGHT * 4) * DPI)
