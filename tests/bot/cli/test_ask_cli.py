"""`kpibot ask` and `kpibot metrics` end to end on a small hand-made database (SQLite and PostgreSQL).

Subscriptions: account a (plan pro) pays 100 from 2026-04-01 to 2026-05-01; b (basic) 50 from 2026-03-15;
an account without an accounts row pays 7 from 2026-03-15. So MRR is 157 at the end of April and 57 at
the end of March (KPI_SPEC §3: a row ending 2026-05-01 still counts at the end of April).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from bot.cli.main import app
from tests.conftest import insert_small_mrr_company

runner = CliRunner()
APRIL = {"start": "2026-04-01", "end": "2026-04-30"}
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def company(engine: Engine, db_url: str) -> dict[str, Any]:
    insert_small_mrr_company(engine)
    return {"DATABASE_URL": db_url, "KPI_TIMEZONE": "UTC", "KPI_CUSTOM_METRICS_FILE": None,
            "KPI_CURRENCY_SYMBOL": "$"}


def kpibot(env: dict[str, Any], *args: str) -> Result:
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


def ask_json(env: dict[str, Any], question: str, *extra: str) -> dict[str, Any]:
    result = kpibot(env, "ask", question, "--as-of", "2026-06-10", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_contract_for_a_value(company: dict[str, Any]) -> None:
    out = ask_json(company, "mrr in April 2026")
    assert {k: out[k] for k in ("metric", "label", "unit", "period", "value", "previous")} == {
        "metric": "mrr", "label": "MRR", "unit": "currency", "period": APRIL, "value": 157.0,
        "previous": {"period": MARCH, "value": 57.0},
    }
    assert "breakdown" not in out and "series" not in out and "n" not in out


def test_json_breakdown(company: dict[str, Any]) -> None:
    out = ask_json(company, "mrr by plan in April 2026")
    assert out["value"] == 157.0
    assert [{"group": g["group"], "value": g["value"]} for g in out["breakdown"]] == [
        {"group": "pro", "value": 100.0}, {"group": "basic", "value": 50.0}, {"group": "(none)", "value": 7.0},
    ]


def test_json_series(company: dict[str, Any]) -> None:
    out = ask_json(company, "mrr by month from 2026-03-01 to 2026-04-30")
    assert out["period"] == {"start": "2026-03-01", "end": "2026-04-30"}
    assert out["series"] == [{**MARCH, "value": 57.0}, {**APRIL, "value": 157.0}]


def test_stock_without_a_time_phrase_is_taken_at_the_end_of_the_as_of_day(company: dict[str, Any]) -> None:
    result = kpibot(company, "ask", "mrr", "--as-of", "2026-04-30", "--json")
    out = json.loads(result.stdout)
    assert out["period"] == {"start": "2026-04-30", "end": "2026-04-30"}
    # KPI_SPEC §1: compared with the end of the same day one month earlier (03-30: 50 + 7)
    assert out["previous"]["period"] == {"start": "2026-03-30", "end": "2026-03-30"}
    assert (out["value"], out["previous"]["value"]) == (157.0, 57.0)
    assert out["comparison_text"] == "end of today vs a month ago" and out["partial"] is True


def test_text_answer_and_chart_file(company: dict[str, Any], tmp_path: Path) -> None:
    chart = tmp_path / "mrr.png"
    result = kpibot(company, "ask", "mrr in April 2026", "--as-of", "2026-06-10", "--chart", str(chart))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # KPI_SPEC §1 wording: the comparison in words on its own line, the year left out in the as-of year
    assert lines[:4] == ["MRR — end of April", "  $157", "  up 175.4% (+$100) — good vs $57",
                         "  end of April vs end of March"]
    assert "`" not in result.stdout and ":" not in "".join(lines[:4]).replace("MRR:", "")
    with Image.open(io.BytesIO(chart.read_bytes())) as image:
        assert (image.format, image.size) == ("PNG", (1600, 900))


def test_chart_as_jpeg(company: dict[str, Any], tmp_path: Path) -> None:
    chart = tmp_path / "mrr.jpg"
    result = kpibot(company, "ask", "mrr in April 2026", "--as-of", "2026-06-10", "--chart", str(chart))
    assert result.exit_code == 0, result.output
    with Image.open(io.BytesIO(chart.read_bytes())) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1600, 900))


@pytest.mark.parametrize(("name", "message"), [
    ("missing/mrr.png", "does not exist"), ("mrr.gif", "writes a .png or .jpg file"),
])
def test_chart_path_that_cannot_be_written_is_one_line(company: dict[str, Any], tmp_path: Path, name: str,
                                                       message: str) -> None:
    result = kpibot(company, "ask", "mrr in April 2026", "--as-of", "2026-06-10", "--chart", str(tmp_path / name))
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_with_chart(company: dict[str, Any], tmp_path: Path) -> None:
    chart = tmp_path / "plans.png"
    out = ask_json(company, "mrr by plan in April 2026", "--chart", str(chart))
    assert out["metric"] == "mrr" and chart.stat().st_size > 1000


def test_unknown_question_exits_1_with_suggestions(company: dict[str, Any]) -> None:
    result = kpibot(company, "ask", "how many florps did we glorp", "--as-of", "2026-06-10", "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert set(out) == {"error", "suggestions"} and out["error"]
    text = kpibot(company, "ask", "", "--as-of", "2026-06-10")
    assert text.exit_code == 1 and text.stdout.strip()


def test_metrics_lists_the_catalog_and_shows_one(company: dict[str, Any]) -> None:
    listing = kpibot(company, "metrics")
    assert listing.exit_code == 0 and "Revenue" in listing.stdout and "mrr" in listing.stdout
    as_json = json.loads(kpibot(company, "metrics", "--json").stdout)
    assert {"id": "mrr", "unit": "currency", "kind": "stock"}.items() <= next(
        m for m in as_json if m["id"] == "mrr").items()
    shown = kpibot(company, "metrics", "show", "arpu")
    assert shown.exit_code == 0
    assert "ARPA (arpa)" in shown.stdout and "higher is better" in shown.stdout
    assert json.loads(kpibot(company, "metrics", "show", "mrr", "--json").stdout)["formula"]
    unknown = kpibot(company, "metrics", "show", "mmr")
    assert unknown.exit_code == 1 and "Did you mean: mrr" in unknown.stderr
