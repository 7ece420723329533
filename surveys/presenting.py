"""Survey results, status and campaign lists as lines of text (mrkdwn-light: they read well in a terminal too)."""

from __future__ import annotations

from datetime import datetime

from kpi_engine.answers.format import format_value
from surveys.campaigns import Campaign
from surveys.kinds import kind_of
from surveys.results import CampaignResults, ScoreSummary
from surveys.status import CampaignStatus

SKIP_REASONS = {
    "asked_recently": "asked in another survey recently",
    "not_a_person": "bots or deactivated accounts",
    "expired": "not reached before the campaign expired",
    "closed": "not reached before the campaign was closed",
}


def unit_of(survey: str) -> str:
    return "percent" if survey == "csat" else "score"


def score_text(survey: str, value: float | None) -> str:
    return format_value(value, unit_of(survey))


def headline(campaign: Campaign, summary: ScoreSummary) -> str:
    label = kind_of(campaign.survey).label
    if summary.n == 0:
        return f"{label}: no answers yet"
    text = f"{label} {score_text(campaign.survey, summary.value)} (n = {summary.n}"
    if summary.ci95 is not None:
        low, high = (score_text(campaign.survey, v) for v in summary.ci95)
        text += f", 95% interval {low} to {high}"
    return text + ")"


def response_rate_line(results: CampaignResults) -> str:
    if not results.sent:
        return "Response rate: no surveys delivered yet"
    rate = format_value(results.response_rate, "percent")
    return f"Response rate {rate} ({results.answered} of {results.sent} answered)"


def campaign_line(campaign: Campaign) -> str:
    anonymous = ", anonymous" if campaign.anonymous else ""
    return (f"{campaign.campaign_id}: {kind_of(campaign.survey).label} to {campaign.audience}{anonymous} "
            f"— {campaign.status}, until {campaign.expires_at:%Y-%m-%d}")


def plan_lines(results: CampaignResults, min_group_size: int) -> list[str]:
    lines = [f"{g.group}: {score_text(results.campaign.survey, g.value)} (n = {g.n})" for g in results.by_plan]
    if results.hidden_groups:
        lines.append(f"{results.hidden_groups} plan(s) with fewer than {min_group_size} answers not shown")
    return lines


def comment_lines(results: CampaignResults, min_group_size: int) -> list[str]:
    if results.comments_hidden:
        return [f"Comments of plan {results.filters.plan} are not shown: fewer than {min_group_size} answers"]
    lines = []
    for comment in results.comments:
        who = f"<@{comment.respondent_id}>" if comment.respondent_id else "anonymous"
        text = " ".join(comment.text.split())[:300]
        lines.append(f"{comment.score} · {who} · {comment.plan} · {comment.responded_at:%Y-%m-%d}: “{text}”")
    return lines


def status_lines(status: CampaignStatus) -> list[str]:
    lines = [campaign_line(status.campaign),
             f"{status.total} people: {status.sent} sent, {status.answered} answered, {status.reminded} reminded"]
    if status.waiting or status.in_flight:
        lines.append(f"{status.waiting + status.in_flight} being sent now")
    if status.deferred:
        when = f" (next at {status.next_due:%Y-%m-%d %H:%M} UTC)" if status.next_due else ""
        lines.append(f"{status.deferred} waiting for the end of their night{when}")
    for reason, count in sorted(status.skipped.items()):
        lines.append(f"{count} skipped: {SKIP_REASONS.get(reason, reason)}")
    for error, count in sorted(status.failed.items()):
        people = ", ".join(f"<@{u}>" for u in status.failed_people.get(error, []))
        more = "…" if count > len(status.failed_people.get(error, [])) else ""
        lines.append(f"{count} not delivered ({error}): {people}{more}")
    if status.uncertain:
        lines.append(f"{status.uncertain} not confirmed after a restart (not sent again, to avoid duplicates)")
    if status.campaign.unresolved:
        lines.append(f"Could not reach: {status.campaign.unresolved}")
    return lines


def started_lines(campaign: Campaign, planned: int, unresolved: list[str], messages_per_second: float,
                  now: datetime) -> list[str]:
    kind = kind_of(campaign.survey)
    lines = [f"{kind.label} survey {campaign.campaign_id} started: {planned} people to ask.",
             f"Question: {campaign.question}",
             f"Sending at up to {messages_per_second:g} message(s) a second; nobody is asked during their night or "
             f"twice within the cool-down. Open until {campaign.expires_at:%Y-%m-%d}."]
    if campaign.anonymous:
        lines.append("Anonymous: answers are stored without the person's id.")
    if unresolved:
        lines.append("Could not reach: " + "; ".join(unresolved))
    return lines
