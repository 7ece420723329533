"""Survey account links, campaign results by plan and the digest's comments read `accounts` and `users` where they
live: a separate source holds them, the bot's state database (migrated, survey answers in it) has none.

Hand-made rows: accounts a-pro (plan pro) and a-basic (plan basic), user u1 of Slack user U1 in a-pro, all in the
source. Answers of the campaign, in the state database: U1 10 "Great" (a-pro), U2 3 "Slow" (a-basic), U3 9 (no
account) → by plan: (none) 9, basic 3, pro 10; the comment of plan pro is "Great".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.digests.details import comments
from kpi_engine.db.models import Account, SurveyResponse, User
from kpi_engine.periods import Period
from kpi_engine.settings import Settings
from kpi_engine.sources.source import forget_sources
from surveys.campaigns import Campaign
from surveys.deliveries import claim_for_sending, due_deliveries
from surveys.links import account_for, unlink_account
from surveys.results import CommentFilter, campaign_results
from tests.conftest import insert_rows, make_settings
from tests.surveys.support import new_campaign, state_apart_from_source

T0 = datetime(2026, 3, 2, 10, 0)
WEEK = Period(date(2026, 3, 2), date(2026, 3, 8))


@dataclass
class Split:
    state: Engine
    settings: Settings
    campaign: Campaign


@pytest.fixture
def split(tmp_path: Path, sqlite_template: Path) -> Iterator[Split]:
    state, source_url = state_apart_from_source(tmp_path, sqlite_template, "U1", T0)
    campaign = new_campaign(state, [], T0)
    insert_rows(state, SurveyResponse, [
        {"response_id": f"r{i}", "survey": "nps", "score": score, "comment": comment, "respondent_id": who,
         "account_id": account, "responded_at": T0 + timedelta(minutes=i), "campaign_id": campaign.campaign_id,
         "topic": None}
        for i, (who, account, score, comment) in enumerate([("U1", "a-pro", 10, "Great"), ("U2", "a-basic", 3, "Slow"),
                                                            ("U3", None, 9, None)])])
    settings = make_settings(f"sqlite:///{tmp_path / 'state.sqlite3'}",
                             KPI_SOURCE_URL=source_url)
    forget_sources()
    yield Split(state, settings, campaign)
    forget_sources()
    state.dispose()


def test_the_state_database_has_no_accounts_or_users(split: Split) -> None:
    with split.state.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Account.__table__)) == 0
        assert conn.scalar(select(func.count()).select_from(User.__table__)) == 0


def test_a_respondents_account_comes_from_the_sources_users(split: Split) -> None:
    with split.state.connect() as conn:
        assert account_for(conn, "U1", split.settings) == "a-pro"
        assert account_for(conn, "U2", split.settings) is None  # no user row
    assert unlink_account(split.state, "U1", split.settings) is False  # nothing linked; answers stay with a-pro
    with split.state.connect() as conn:
        assert conn.scalar(select(SurveyResponse.__table__.c.account_id).where(
            SurveyResponse.__table__.c.response_id == "r0")) == "a-pro"


def test_campaign_results_by_plan_read_the_sources_accounts(split: Split) -> None:
    results = campaign_results(split.state, split.campaign, min_group_size=1, settings=split.settings)
    assert [(g.group, g.value, g.n) for g in results.by_plan] == [("(none)", 100.0, 1), ("basic", -100.0, 1),
                                                                  ("pro", 100.0, 1)]
    assert [(c.text, c.plan) for c in results.comments] == [("Slow", "basic"), ("Great", "pro")]
    pro = campaign_results(split.state, split.campaign, min_group_size=1, settings=split.settings,
                           filters=CommentFilter(plan="pro"))
    assert [c.text for c in pro.comments] == ["Great"]


def test_digest_comments_filtered_by_plan_read_the_sources_accounts(split: Split) -> None:
    found, count = comments(split.state, split.settings, WEEK, {"plan": ["pro"]})
    assert ([c.text for c in found], count) == (["Great"], 1)
    everything, total = comments(split.state, split.settings, WEEK, {})
    assert ([c.text for c in everything], total) == (["Slow", "Great"], 2)


def test_a_survey_sent_to_a_user_of_the_source_counts_for_their_account(split: Split) -> None:
    """The sender's claim reads the respondent's account where `users` lives (U1 → a-pro, in the source)."""
    campaign = new_campaign(split.state, ["U1"], T0)
    due = [d for d in due_deliveries(split.state, T0 + timedelta(days=1)) if d.campaign_id == campaign.campaign_id]
    assert [d.slack_user_id for d in due] == ["U1"]
    claim = claim_for_sending(split.state, due[0], T0 + timedelta(days=1), 90, split.settings)
    assert (claim.outcome, claim.account_id) == ("claimed", "a-pro")
