"""Targets: value parsing, storage, and attainment reported in answers (both directions)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from kpi_engine.catalog import MetricDefinition, load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.db import session_scope
from kpi_engine.db.models import Subscription
from kpi_engine.query import MetricQuery
from kpi_engine.targets import TargetValueError, parse_target_value, set_target
from tests.conftest import insert_rows


def _metric(unit: str, direction: str = "higher") -> MetricDefinition:
    return MetricDefinition(id="m", label="M", area="custom", unit=unit, kind="flow", direction=direction,
                            description="d", formula="f")


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("150k", "currency", 150_000), ("$2.5M", "currency", 2_500_000), ("1,200", "count", 1200),
    ("5%", "percent", 0.05), ("5", "percent", 0.05), ("0.05", "percent", 0.05), ("40", "score", 40),
])
def test_parse_target_value(text: str, unit: str, expected: float) -> None:
    assert parse_target_value(text, _metric(unit)) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["lots", "5%", "", "1.2.3"])
def test_bad_target_values_are_refused(text: str) -> None:
    with pytest.raises(TargetValueError):
        parse_target_value(text, _metric("currency"))


def test_attainment_in_answer(engine, settings) -> None:
    insert_rows(engine, Subscription, [
        {"subscription_id": "s", "account_id": "a", "mrr": 120, "started_at": datetime(2026, 1, 1)},
    ])
    with session_scope(engine) as session:
        set_target(session, "mrr", 150.0, date(2026, 12, 31), "tester")
    with engine.connect() as conn:
        result = run_metric(conn, MetricQuery(metric="mrr", as_of=date(2026, 6, 1)), load_catalog(), settings)
    assert result.target is not None
    assert result.target.attainment == pytest.approx(0.8)
    assert result.target.met is False
    assert result.to_json()["target"]["due"] == "2026-12-31"


def test_target_cli_round_trip(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    created = runner.invoke(app, ["target", "set", "monthly recurring revenue", "150k", "--due", "2026-12-31"])
    assert created.exit_code == 0, created.output
    listed = runner.invoke(app, ["target", "list"])
    assert "mrr" in listed.output and "150000" in listed.output and "2026-12-31" in listed.output
    bad = runner.invoke(app, ["target", "set", "nonsense_metric", "1"])
    assert bad.exit_code == 1 and "Unknown metric" in bad.output
    assert runner.invoke(app, ["target", "remove", "mrr"]).exit_code == 0
    assert runner.invoke(app, ["target", "remove", "mrr"]).exit_code == 1
