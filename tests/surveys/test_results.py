"""Campaign results on a hand-made campaign: score, n, 95% interval, response rate, distribution, the breakdown by
plan without groups under 5, and comment filters (SQLite and PostgreSQL).

Counted answers (respondent U1's earlier 2 is replaced by their later 10):
  pro   10 (U1), 10, 9, 9, 8, 3   → 4 promoters, 1 passive, 1 detractor: NPS 100 × 3/6 = 50
  basic 0, 9                      → hidden (2 answers)
  none  7                         → hidden (1 answer)
  all   n = 9, p = 5/9, d = 2/9   → NPS 33.3; half-width 196 × sqrt((7/9 − 1/9) / 9) = 53.35
Deliveries: 12 sent, 9 answered → response rate 75%.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from kpi_engine.db.models import Account, SurveyDelivery, SurveyResponse
from surveys.campaigns import Campaign
from surveys.kinds import CES, CSAT
from surveys.presenting import comment_lines, headline, plan_lines, response_rate_line
from surveys.results import CommentFilter, campaign_results, summarize
from tests.conftest import insert_rows
from tests.surveys.support import new_campaign

T0 = datetime(2026, 3, 2, 10, 0)

ANSWERS = [  # respondent, account, score, comment, minutes after T0
    ("U1", "p1", 2, "bad", 1),
    ("U1", "p1", 10, "Love it", 50),
    ("U2", "p2", 10, None, 2),
    ("U3", "p3", 9, None, 3),
    ("U4", "p4", 9, "", 4),
    ("U5", "p5", 8, None, 5),
    ("U6", "p6", 3, "Slow exports", 40),
    ("U7", "b1", 0, "Too expensive", 30),
    ("U8", "b2", 9, None, 7),
    ("U9", None, 7, None, 8),
]


@pytest.fixture
def campaign(engine: Engine) -> Campaign:
    campaign = new_campaign(engine, [], T0)
    insert_rows(engine, Account, [{"account_id": a, "created_at": T0, "plan": "pro"} for a in
                                  ("p1", "p2", "p3", "p4", "p5", "p6")]
                + [{"account_id": a, "created_at": T0, "plan": "basic"} for a in ("b1", "b2")])
    insert_rows(engine, SurveyResponse, [
        {"response_id": f"r{i}", "survey": "nps", "score": score, "comment": comment, "respondent_id": who,
         "account_id": account, "responded_at": T0 + timedelta(minutes=minutes), "campaign_id": campaign.campaign_id,
         "topic": None}
        for i, (who, account, score, comment, minutes) in enumerate(ANSWERS)])
    answered = {who: f"r{i}" for i, (who, *_rest) in enumerate(ANSWERS)}  # the latest row of each respondent
    insert_rows(engine, SurveyDelivery, [
        {"delivery_id": f"d{n}", "campaign_id": campaign.campaign_id, "survey": "nps", "respondent_id": f"U{n}",
         "account_id": None, "sent_at": T0, "response_id": answered.get(f"U{n}")} for n in range(1, 13)])
    return campaign


def test_score_interval_rate_and_distribution(engine: Engine, campaign: Campaign) -> None:
    results = campaign_results(engine, campaign, min_group_size=5)
    summary = results.summary
    assert summary.n == 9
    assert summary.value == pytest.approx(100 * 3 / 9)
    half = 196 * math.sqrt((7 / 9 - (3 / 9) ** 2) / 9)
    assert half == pytest.approx(53.35, abs=0.01)
    assert summary.ci95 == pytest.approx((100 * 3 / 9 - half, 100 * 3 / 9 + half))
    assert summary.distribution == {0: 1, 1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 1, 8: 1, 9: 3, 10: 2}
    assert (results.sent, results.answered, results.response_rate) == (12, 9, 0.75)
    assert headline(campaign, summary) == "NPS 33.3 (n = 9, 95% interval -20 to 86.7)"
    assert response_rate_line(results) == "Response rate 75.0% (9 of 12 answered)"


def test_groups_under_five_are_hidden(engine: Engine, campaign: Campaign) -> None:
    results = campaign_results(engine, campaign, min_group_size=5)
    assert [(g.group, g.value, g.n) for g in results.by_plan] == [("pro", 50.0, 6)]
    assert results.hidden_groups == 2
    assert plan_lines(results, 5) == ["pro: 50 (n = 6)", "2 plan(s) with fewer than 5 answers not shown"]
    everything = campaign_results(engine, campaign, min_group_size=1)
    assert [(g.group, g.n) for g in everything.by_plan] == [("(none)", 1), ("basic", 2), ("pro", 6)]


def test_comment_filters(engine: Engine, campaign: Campaign) -> None:
    def texts(**filters: str) -> list[str]:
        results = campaign_results(engine, campaign, min_group_size=5, filters=CommentFilter(**filters))
        return [c.text for c in results.comments]

    assert texts() == ["Love it", "Slow exports", "Too expensive"]  # newest first; "bad" was replaced
    assert texts(sentiment="detractor") == ["Slow exports", "Too expensive"]
    assert texts(sentiment="promoter", plan="pro") == ["Love it"]
    assert texts(sentiment="passive") == []
    small = campaign_results(engine, campaign, min_group_size=5, filters=CommentFilter(plan="basic"))
    assert small.comments == [] and small.comments_hidden
    assert comment_lines(small, 5) == ["Comments of plan basic are not shown: fewer than 5 answers"]
    line = comment_lines(campaign_results(engine, campaign, min_group_size=5), 5)[0]
    assert line == "10 · <@U1> · pro · 2026-03-02: “Love it”"


def test_csat_and_ces_summaries() -> None:
    csat = summarize(CSAT, {5: 3, 4: 1, 2: 1})  # 4 of 5 satisfied
    assert (csat.value, csat.n) == (0.8, 5)
    assert csat.ci95 == pytest.approx((0.8 - 1.96 * math.sqrt(0.16 / 5), 0.8 + 1.96 * math.sqrt(0.16 / 5)))
    ces = summarize(CES, {7: 2, 5: 1, 1: 1})  # mean 20 / 4 = 5; sample variance (124 − 100) / 3 = 8
    assert (ces.value, ces.n) == (5.0, 4)
    assert ces.ci95 == pytest.approx((5 - 1.96 * math.sqrt(8) / 2, 5 + 1.96 * math.sqrt(8) / 2))
    assert summarize(CSAT, {}).value is None
