"""Survey deliveries and responses.

The bot runs a monthly NPS campaign (`nps-YYYY-MM`) and a quarterly onboarding CES campaign
(`ces-onboarding-YYYY-Qn`): each sends deliveries to users of accounts in use; about a third answer,
and a few answer the same campaign twice (the delivery points at the latest answer). CSAT answers come
from the help desk after resolved tickets (one campaign per ticket, imported, so no deliveries).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from kpi_engine.demo.company import Company
from kpi_engine.demo.config import SURVEY_TOPICS, Scale
from kpi_engine.demo.names import comments
from kpi_engine.demo.people import NO_ACCOUNT, People
from kpi_engine.demo.timeline import History, seconds

RESPONSE_RATE = {"nps": 0.35, "ces": 0.4}
ANSWER_TWICE = 0.07
CSAT_SHARE = 0.3
PRAISE = (0, 3, 4)  # topics promoters write about (indices into SURVEY_TOPICS)
COMPLAINTS = (1, 2, 5)


@dataclass
class SurveyData:
    responses: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in (
        "survey", "score", "comment", "respondent_id", "account_id", "responded_at", "campaign_id", "topic")})
    deliveries: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in (
        "campaign_id", "survey", "respondent_id", "account_id", "sent_at", "response")})

    def respond(self, survey: str, score: int, comment: str | None, respondent: str | None, account: str | None,
                at: np.datetime64, campaign: str | None, topic: str | None) -> int:
        values = (survey, score, comment, respondent, account, at, campaign, topic)
        for key, value in zip(self.responses, values, strict=True):
            self.responses[key].append(value)
        return len(self.responses["survey"]) - 1


def survey_rows(rng: np.random.Generator, history: History, company: Company, people: People, scale: Scale,
                tickets: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(survey_responses rows, survey_deliveries rows), ids numbered in time order."""
    data = SurveyData()
    account_ids = np.asarray(company.ids + [None], dtype=object)
    first_days = [d for d in range(history.days) if d == 0 or history.months[d] != history.months[d - 1]]
    for d in first_days:
        day = history.start.toordinal() + d
        month = date.fromordinal(day)
        _campaign(rng, data, history, company, people, account_ids, "nps", f"nps-{month:%Y-%m}", d + 2,
                  scale.deliveries_per_campaign, d / history.days)
        if month.month % 3 == 1 and d >= 90:
            _campaign(rng, data, history, company, people, account_ids, "ces",
                      f"ces-onboarding-{month.year}-Q{(month.month + 2) // 3}", d + 3,
                      scale.deliveries_per_campaign // 2, d / history.days, joined_since=d - 92)
    _csat(rng, data, history, company, people, tickets)
    return _number(data)


def _campaign(rng: np.random.Generator, data: SurveyData, history: History, company: Company, people: People,
              account_ids: np.ndarray, survey: str, campaign: str, day: int, size: int, progress: float,
              joined_since: int | None = None) -> None:
    if day >= history.days:
        return
    sent_base = history.at(np.asarray([day]), np.asarray([10 * 3600.0]))[0]
    paying = np.zeros(len(company) + 1, dtype=bool)
    paying[company.paying_at(sent_base)] = True
    candidates = np.flatnonzero(paying[people.account] & (people.account != NO_ACCOUNT)
                                & (people.created < sent_base)
                                & ((people.created_day >= joined_since) if joined_since is not None else True))
    chosen = np.sort(rng.choice(candidates, min(size, len(candidates)), replace=False))
    sent = sent_base + seconds(rng.uniform(0, 3600, len(chosen)))
    answers = rng.random(len(chosen)) < RESPONSE_RATE[survey]
    answered = sent + seconds(300 + rng.exponential(1.5 * 86_400, len(chosen)))
    for user, sent_at, answers_it, at in zip(chosen, sent, answers, answered, strict=True):
        account = account_ids[people.account[user]]
        response = None
        if answers_it and at < history.finish:
            response = _answer(rng, data, survey, people.ids[user], account, at, campaign, progress)
            again = at + seconds(600 + rng.exponential(86_400))
            if rng.random() < ANSWER_TWICE and again < history.finish:
                response = _answer(rng, data, survey, people.ids[user], account, again, campaign, progress)
        for key, value in zip(data.deliveries, (campaign, survey, people.ids[user], account, sent_at, response),
                              strict=True):
            data.deliveries[key].append(value)


def _answer(rng: np.random.Generator, data: SurveyData, survey: str, respondent: str, account: str | None,
            at: np.datetime64, campaign: str, progress: float) -> int:
    if survey == "nps":
        promoter, detractor = 0.42 + 0.12 * progress, 0.24 - 0.08 * progress
        u = rng.random()
        if u < promoter:
            score, happy = int(rng.integers(9, 11)), True
        elif u < promoter + detractor:
            score, happy = int(rng.choice([0, 2, 3, 4, 5, 5, 6, 6, 6])), False
        else:
            score, happy = int(rng.integers(7, 9)), True
    else:
        score = int(np.clip(np.round(rng.normal(5.0 + 0.6 * progress, 1.3)), 1, 7))
        happy = score >= 5
    topic, comment = None, None
    if rng.random() < 0.45:
        topic = SURVEY_TOPICS[int(rng.choice(PRAISE if happy else COMPLAINTS))]
        comment = comments(rng, [topic])[0]
    return data.respond(survey, score, comment, respondent, account, at, campaign, topic)


def _csat(rng: np.random.Generator, data: SurveyData, history: History, company: Company, people: People,
          tickets: Mapping[str, Any]) -> None:
    index = {account_id: i for i, account_id in enumerate(company.ids)}
    owners = people.owners(len(company))
    resolved = np.asarray(tickets["resolved_at"])
    opened = np.asarray(tickets["opened_at"])
    asked = np.flatnonzero(~np.isnat(resolved) & (rng.random(len(resolved)) < CSAT_SHARE))
    answered = resolved[asked] + seconds(600 + rng.exponential(8 * 3600, len(asked)))
    hours = (resolved[asked] - opened[asked]).astype(np.int64) / 3600.0
    scores = np.clip(np.round(rng.normal(4.6 - 0.25 * np.log1p(hours / 24.0), 0.9)), 1, 5).astype(int)
    for i, at, score in zip(asked, answered, scores, strict=True):
        if at >= history.finish:
            continue
        account = tickets["account_id"][i]
        ticket = tickets["ticket_id"][i]
        respondent = f"guest-{ticket}" if account is None else people.ids[owners[index[account]]]
        comment = "Quick and helpful, thanks!" if score >= 4 and rng.random() < 0.3 else None
        data.respond("csat", int(score), comment, respondent, account, at, f"csat-{ticket}",
                     tickets["category"][i])


def _number(data: SurveyData) -> tuple[dict[str, Any], dict[str, Any]]:
    responses = {k: np.asarray(v, dtype=object) for k, v in data.responses.items()}
    at = np.asarray(data.responses["responded_at"], dtype="datetime64[s]")
    order = np.argsort(at, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    response_ids = np.asarray([f"resp_{i + 1:07d}" for i in range(len(order))], dtype=object)
    response_rows = {"response_id": response_ids, **{k: v[order] for k, v in responses.items()}}
    response_rows["responded_at"] = at[order]
    response_rows["score"] = np.asarray(data.responses["score"], dtype=np.int64)[order]

    sent = np.asarray(data.deliveries["sent_at"], dtype="datetime64[s]")
    d_order = np.argsort(sent, kind="stable")
    linked = [None if r is None else response_ids[rank[r]] for r in data.deliveries["response"]]
    delivery_rows = {
        "delivery_id": [f"dlv_{i + 1:07d}" for i in range(len(d_order))],
        **{k: np.asarray(data.deliveries[k], dtype=object)[d_order]
           for k in ("campaign_id", "survey", "respondent_id", "account_id")},
        "sent_at": sent[d_order],
        "response_id": np.asarray(linked, dtype=object)[d_order],
    }
    return response_rows, delivery_rows
