"""Targets that carry filters (issue 14): `mrr 20k for plan pro` applies only to answers for plan pro."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from kpi_engine.catalog import load_catalog
from kpi_engine.compute.runner import run_metric
from kpi_engine.db import session_scope
from kpi_engine.query import Filter, MetricQuery
from kpi_engine.targets import (
    TargetValueError,
    describe_scope,
    list_targets,
    parse_filters,
    scope_key,
    set_target,
    split_for,
)
from tests.conftest import insert_small_mrr_company


def test_filters_are_read_and_kept_in_one_canonical_form() -> None:
    assert split_for(" mrr 20k for plan pro") == (" mrr 20k", {"plan": ["pro"]})
    assert split_for(" mrr 20k") == (" mrr 20k", {})
    assert parse_filters("plan=pro, basic and segment smb") == {"plan": ["basic", "pro"], "segment": ["smb"]}
    assert parse_filters("plan pro or basic") == {"plan": ["basic", "pro"]}
    assert scope_key({"segment": ["smb"], "plan": ["Pro", "basic"]}) == "plan=basic,pro;segment=smb"
    assert scope_key({}) == "" and scope_key(None) == ""
    assert describe_scope({"plan": ["pro"]}) == "for plan pro"
    with pytest.raises(TargetValueError):
        parse_filters("!!")


def test_answers_get_only_the_target_of_their_own_filters(engine, settings) -> None:
    """MRR at the end of April 2026: 157 company-wide, 100 for plan pro (tests/conftest.py)."""
    insert_small_mrr_company(engine)
    with session_scope(engine) as session:
        set_target(session, "mrr", 150.0, None, "tester")
        set_target(session, "mrr", 200.0, None, "tester", filters={"plan": ["pro"]})
    catalog = load_catalog()
    april_end = date(2026, 4, 30)
    with engine.connect() as conn:
        everyone = run_metric(conn, MetricQuery(metric="mrr", as_of=april_end), catalog, settings)
        pro = run_metric(conn, MetricQuery(metric="mrr", as_of=april_end,
                                           filters=(Filter(dimension="plan", values=("pro",)),)), catalog, settings)
        basic = run_metric(conn, MetricQuery(metric="mrr", as_of=april_end,
                                             filters=(Filter(dimension="plan", values=("basic",)),)), catalog,
                           settings)
    assert everyone.value == 157.0 and everyone.target is not None and everyone.target.value == 150.0
    assert pro.value == 100.0 and pro.target is not None
    assert (pro.target.value, pro.target.attainment) == (200.0, 0.5)
    assert basic.value == 50.0 and basic.target is None  # the company-wide target is not the target of a slice


def test_target_cli_for_filters(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    created = runner.invoke(app, ["target", "set", "mrr", "20k", "--for", "plan=pro"])
    assert created.exit_code == 0, created.output
    assert "Target for MRR for plan pro: 20k" in created.output
    assert runner.invoke(app, ["target", "set", "mrr", "150k"]).exit_code == 0
    listed = runner.invoke(app, ["target", "list"])
    assert "plan=pro" in listed.output and "everything" in listed.output
    assert runner.invoke(app, ["target", "remove", "mrr", "--for", "plan=pro"]).exit_code == 0
    assert runner.invoke(app, ["target", "remove", "mrr", "--for", "plan=pro"]).exit_code == 1
    from kpi_engine.db.engine import make_engine

    with session_scope(make_engine(sqlite_url)) as session:
        assert [(t.metric_id, t.scope, t.value) for t in list_targets(session)] == [("mrr", "", 150_000.0)]


def test_metric_words_for_access_checks() -> None:
    from bot.targets.command import metric_words

    assert metric_words("mrr 20k for plan pro by 2026-12-31") == "mrr"
    assert metric_words("churn rate 3% by 2026-12-31 for plan pro") == "churn rate"
    assert metric_words("mrr for plan pro") == "mrr"
    assert metric_words("net new mrr 5k") == "net new mrr"
