"""`kpibot gallery DIR` on a real database (the tiny demo): every chart type, each a 1200 px wide PNG."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli.main import app
from kpi_engine.catalog import load_catalog
from kpi_engine.charts.gallery import gallery_charts
from kpi_engine.charts.line import partial_flags
from kpi_engine.results import SeriesPoint
from kpi_engine.settings import Settings
from tests.kpi_engine.demo.conftest import DEMO_END, tiny_demo  # noqa: F401  (fixture)

TYPES = ["line", "bars", "comparison", "group_series", "two_dimensions", "waterfall", "score_series", "score",
         "retention", "funnel", "several_metrics"]


def test_every_chart_type_is_drawn_from_the_database(tiny_demo: tuple[Engine, Settings]) -> None:  # noqa: F811
    engine, settings = tiny_demo
    charts = gallery_charts(engine, settings, load_catalog(settings, engine), DEMO_END)
    assert [c.name for c in charts] == TYPES
    for chart in charts:
        with Image.open(io.BytesIO(chart.png)) as image:
            assert image.width == 1200, chart.name


def test_gallery_command_writes_the_files(tiny_demo: tuple[Engine, Settings], tmp_path: Path,  # noqa: F811
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    engine, settings = tiny_demo
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    result = CliRunner().invoke(app, ["gallery", str(tmp_path / "out"), "--as-of", DEMO_END.isoformat(),
                                      "--only", "line", "--only", "retention"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["line.png", "retention.png"]


def test_buckets_cut_short_by_the_period_are_drawn_apart() -> None:
    """A period from Wed 2026-09-23 to Wed 2026-11-18 by week: the first and last weeks hold 5 and 3 days."""
    weeks = [SeriesPoint(start=date(2026, 9, 23), end=date(2026, 9, 27), value=15.0),
             SeriesPoint(start=date(2026, 9, 28), end=date(2026, 10, 4), value=25.0),
             SeriesPoint(start=date(2026, 11, 16), end=date(2026, 11, 18), value=10.0)]
    assert partial_flags(weeks, False, "week") == [True, False, True]
    assert partial_flags(weeks[1:2], False, "week") == [False]
    assert partial_flags(weeks[1:2], True, "week") == [True]  # the period is partial: so is its last bucket


def test_gallery_of_an_empty_database_draws_nothing(sqlite_engine: Engine, sqlite_url: str) -> None:
    from tests.conftest import make_settings

    settings = make_settings(sqlite_url)
    assert gallery_charts(sqlite_engine, settings, load_catalog(settings, sqlite_engine), DEMO_END) == []
