"""`kpibot serve` warms up before it listens: the derived tables are made current, the answer path is loaded,
and every worker and chart process has drawn once (matplotlib, its fonts and the Agg canvas loaded), so the
first answer after /healthz says ready pays none of it."""

from __future__ import annotations

import sys

from sqlalchemy import select

from bot.cli.serve import warm_up
from bot.job_runner import ProcessJobRunner, ThreadJobRunner
from bot.rendering import ChartRenderer
from bot.services import ServicesSpec
from kpi_engine.db.models import DerivedState
from tests.bot.conftest import bot_config

DRAWN = "matplotlib.backends.backend_agg"  # loaded by drawing, not by importing the chart modules


def test_warm_up_makes_the_derived_tables_current(bot_app, bot_settings, engine) -> None:
    warm_up(bot_app, bot_settings.data)
    with engine.connect() as conn:
        assert conn.execute(select(DerivedState.value).where(DerivedState.key == "usage.version")).scalar()


def _answer_path_ready() -> list[bool]:
    return [DRAWN in sys.modules, "kpi_engine.answers.ask" in sys.modules]


def test_a_worker_process_has_drawn_and_loaded_the_answer_path_when_warm(bot_settings, fake_slack) -> None:
    spec = ServicesSpec(settings=bot_settings.data, config=bot_config(), api_base_url=fake_slack.api_url, as_of=None,
                        slack=bot_settings.slack, scheduling=bot_settings.scheduling)
    here = spec.build()
    runner = ProcessJobRunner(spec, processes=1, here=ThreadJobRunner(here))
    try:
        runner.warm_up()
        assert runner._executor.submit(_answer_path_ready).result(timeout=60) == [True, True]  # noqa: SLF001
    finally:
        runner.shutdown()
        here.shutdown()


def test_a_chart_process_has_drawn_before_its_first_chart() -> None:
    renderer = ChartRenderer(1)
    try:
        assert renderer._pool().submit(_answer_path_ready).result(timeout=60)[0]  # noqa: SLF001
    finally:
        renderer.shutdown()
