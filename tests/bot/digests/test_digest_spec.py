"""Reading `digest add ...` and metric lists."""

from __future__ import annotations

import pytest

from bot.digests.spec import DigestSpec, SpecError, parse_digest_spec
from bot.shared.metric_names import default_kpis, read_metric_list, take_filters
from kpi_engine.catalog import load_catalog

CATALOG = load_catalog()


def test_everything_optional() -> None:
    assert parse_digest_spec("", CATALOG) == DigestSpec()


def test_full_spec() -> None:
    spec = parse_digest_spec(
        "in <#C0GROWTH|growth> fridays at 4:30pm tz America/New_York mrr, churn rate and nps plan=pro", CATALOG)
    assert spec == DigestSpec(channel_id="C0GROWTH", weekday=4, at_time="16:30", timezone="America/New_York",
                              metrics=("mrr", "customer_churn_rate", "nps"), filters={"plan": ["pro"]})


def test_dm_and_cron() -> None:
    spec = parse_digest_spec('to me cron "0 8 * * 1-5" signups wau', CATALOG)
    assert (spec.to_dm, spec.cron, spec.metrics) == (True, "0 8 * * 1-5", ("signups", "wau"))


def test_times_and_days() -> None:
    assert parse_digest_spec("monday 9am", CATALOG).at_time == "09:00"
    assert parse_digest_spec("every tuesday at 12am", CATALOG).at_time == "00:00"
    assert parse_digest_spec("on wed at 17:05", CATALOG).weekday == 2
    assert parse_digest_spec("at 8 Europe/Paris", CATALOG).at_time == "08:00"
    assert parse_digest_spec("at 8 Europe/Paris", CATALOG).timezone == "Europe/Paris"


def test_plain_channel_name_is_kept_for_lookup() -> None:
    spec = parse_digest_spec("in #growth kpis: mrr", CATALOG)
    assert (spec.channel_id, spec.channel_name, spec.metrics) == (None, "growth", ("mrr",))


def test_unknown_metric_names_are_reported() -> None:
    spec = parse_digest_spec("mrr, happiness quotient", CATALOG)
    assert spec.metrics == ("mrr",)
    assert spec.unknown == ("happiness quotient",)


@pytest.mark.parametrize("text", ["tz Mars/Olympus", "at 25:00", 'monday cron "0 9 * * 1"'])
def test_mistakes_are_explained(text: str) -> None:
    with pytest.raises(SpecError):
        parse_digest_spec(text, CATALOG)


def test_metric_list_forms() -> None:
    assert read_metric_list("weekly digest with the mrr and nps", CATALOG).metric_ids == ("mrr", "nps")
    assert read_metric_list("net new mrr first response time", CATALOG).metric_ids == (
        "net_new_mrr", "first_response_time")


def test_filters() -> None:
    assert take_filters("mrr plan=pro,basic country: DE") == ({"plan": ["pro", "basic"], "country": ["DE"]}, "mrr")
    assert take_filters("ratio=3") == ({}, "ratio=3")


def test_default_headline_set() -> None:
    assert default_kpis(CATALOG) == ["mrr", "net_new_mrr", "customer_churn_rate", "nrr", "signups", "wau",
                                     "trial_conversion_rate", "nps", "tickets", "first_response_time"]
