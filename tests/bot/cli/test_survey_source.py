"""`kpibot survey results` and `unlink` read the accounts and users where they live: with KPI_SOURCE_URL, from the
source (the state database holds the answers and no accounts).

Hand-made rows: in the source, accounts a-pro (plan pro) and a-basic (plan basic), user u1 of Slack user U0ANN in
a-pro. In the state database: U0ANN's answer 10 to the campaign, linked to a-basic and then unlinked, so it goes back
to a-pro (the source's user row); U0BOB's answer 3 for a-basic. By plan: basic -100 (one detractor), pro 100 (one
promoter).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner, Result

from bot.cli.main import build_app
from kpi_engine.db.models import SurveyResponse
from kpi_engine.sources.source import forget_sources
from surveys.answers import load_delivery, record_score
from surveys.ids import delivery_id, response_id
from tests.conftest import insert_rows
from tests.surveys.support import new_campaign, state_apart_from_source

T0 = datetime(2026, 3, 2, 10, 0)


def survey(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(build_app("survey"), ["survey", *args], env=env, catch_exceptions=False)


def test_results_by_plan_and_unlink_read_the_sources_accounts(tmp_path: Path, sqlite_template: Path) -> None:
    state, source_url = state_apart_from_source(tmp_path, sqlite_template, "U0ANN", T0)
    campaign = new_campaign(state, ["U0ANN"], T0)
    ann = delivery_id(campaign.campaign_id, "U0ANN")
    delivery = load_delivery(state, ann)
    assert delivery is not None
    record_score(state, delivery, 10, T0 + timedelta(minutes=1))
    insert_rows(state, SurveyResponse, [
        {"response_id": "r-bob", "survey": "nps", "score": 3, "comment": None, "respondent_id": "U0BOB",
         "account_id": "a-basic", "responded_at": T0 + timedelta(minutes=2), "campaign_id": campaign.campaign_id,
         "topic": None}])
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'state.sqlite3'}", "KPI_TIMEZONE": "UTC",
           "KPI_SOURCE_URL": source_url, "KPIBOT_SURVEY_MIN_GROUP_SIZE": "1"}
    forget_sources()
    answer_account = select(SurveyResponse.__table__.c.account_id).where(
        SurveyResponse.__table__.c.response_id == response_id(ann))
    try:
        assert survey(env, "link", "U0ANN", "a-basic").exit_code == 0
        with state.connect() as conn:
            assert conn.scalar(answer_account) == "a-basic"
        unlinked = survey(env, "unlink", "U0ANN")
        assert unlinked.exit_code == 0 and "U0ANN unlinked." in unlinked.output, unlinked.output
        with state.connect() as conn:  # back to the account of U0ANN's user row, which only the source has
            assert conn.scalar(answer_account) == "a-pro"
        results = survey(env, "results", campaign.campaign_id)
    finally:
        forget_sources()
        state.dispose()
    assert results.exit_code == 0, results.output
    assert "basic: -100 (n = 1)" in results.output and "pro: 100 (n = 1)" in results.output
