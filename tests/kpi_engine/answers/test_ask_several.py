"""`kpibot ask` on the second company (tests/support/second_company.py): several metrics print
`{"answers": [...]}`, compared groups carry the difference in words, two dimensions print a small table."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli.main import app
from kpi_engine.values import invalidate_values
from tests.support.second_company import write_second_company

runner = CliRunner()


@pytest.fixture
def env(engine: Engine, db_url: str) -> dict[str, Any]:
    invalidate_values()
    write_second_company(engine)
    return {"DATABASE_URL": db_url, "KPI_TIMEZONE": "UTC", "KPI_CUSTOM_METRICS_FILE": None, "KPI_CURRENCY_SYMBOL": "$"}


def kpibot(env: dict[str, Any], question: str, *extra: str) -> str:
    result = runner.invoke(app, ["ask", question, "--as-of", "2026-06-17", *extra], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_several_metrics_print_one_object_each(env: dict[str, Any]) -> None:
    out = json.loads(kpibot(env, "mrr and arr", "--json"))
    assert [(a["metric"], a["value"]) for a in out["answers"]] == [("mrr", 600.0), ("arr", 7200.0)]
    text = kpibot(env, "mrr and arr")
    assert "MRR" in text and "ARR" in text


def test_groups_compared_in_json(env: dict[str, Any]) -> None:
    out = json.loads(kpibot(env, "team vs business arr", "--json"))
    assert [(g["group"], g["value"]) for g in out["breakdown"]] == [("team", 1560.0), ("business", 5400.0)]
    assert out["summary"].endswith("business is $3,840 (246.2%) higher than team; business is better")


def test_top_n_in_json(env: dict[str, Any]) -> None:
    out = json.loads(kpibot(env, "top 2 plans by mrr", "--json"))
    assert [(g["group"], g["value"]) for g in out["breakdown"]] == [("business", 450.0), ("team", 130.0)]


def test_two_dimensions_as_a_small_table(env: dict[str, Any]) -> None:
    out = json.loads(kpibot(env, "mrr by plan and segment", "--json"))
    assert out["subgroup_dimension"] == "segment"
    assert {"group": "team", "subgroup": "mid", "value": 80.0} in out["breakdown"]
    text = kpibot(env, "mrr by plan and segment")
    assert "plan \\ segment" in text
    assert "By plan and segment:" in text
