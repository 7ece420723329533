"""Block Kit (plain dicts) for what the `/kpi survey …` commands answer, and for the customer-experience alert."""

from __future__ import annotations

from typing import Any

from kpi_engine.answers.format import format_value
from surveys.account_context import AccountContext
from surveys.answers import Answer
from surveys.campaigns import Campaign
from surveys.kinds import kind_of
from surveys.presenting import comment_lines, headline, plan_lines, response_rate_line
from surveys.results import CampaignResults

Block = dict[str, Any]
SECTION_LIMIT = 2900

HELP = "\n".join([
    "*Surveys in Slack*",
    "`/kpi survey send nps to @ann @bob #customers` — NPS (or `csat`, `ces`) to people, user groups, "
    "channel members or emails. Options: `anonymous`, `in channel` (post in that one channel), "
    '`question "…"`, `follow-up "…"` or `no follow-up`, `expires in 7 days`, `topic onboarding`.',
    "`/kpi survey status [CAMPAIGN]` — who got it, who is waiting for morning, who could not be reached.",
    "`/kpi survey results [CAMPAIGN|nps|csat|ces] [detractors|passives|promoters] [plan PRO]` — score, n, "
    "95% interval, response rate, distribution, comments.",
    "`/kpi survey list` · `/kpi survey close CAMPAIGN` · `/kpi survey link @person ACCOUNT_ID`",
])


def section(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT] or " "}}
    if block_id:
        block["block_id"] = block_id
    return block


def lines_blocks(title: str, lines: list[str]) -> list[Block]:
    return [section(f"*{title}*\n" + "\n".join(lines))]


def results_blocks(results: CampaignResults, *, min_group_size: int, file_id: str | None = None) -> list[Block]:
    campaign = results.campaign
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"{kind_of(campaign.survey).label} results"[:150]}},
        section(f"*{headline(campaign, results.summary)}*\n{response_rate_line(results)}\n_{campaign.question}_"),
    ]
    if file_id is not None:
        blocks.append({"type": "image", "slack_file": {"id": file_id},
                       "alt_text": f"Distribution of scores: {headline(campaign, results.summary)}"})
    plans = plan_lines(results, min_group_size)
    if plans:
        blocks.append(section("*By plan*\n" + "\n".join(plans)))
    comments = comment_lines(results, min_group_size)
    label = " ".join(part for part in (results.filters.sentiment and results.filters.sentiment + "s",
                                      results.filters.plan and f"plan {results.filters.plan}") if part)
    title = f"*Recent comments{f' ({label})' if label else ''}*"
    blocks.append(section(title + "\n" + ("\n".join(comments) if comments else "No comments yet.")))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
        f"Campaign `{campaign.campaign_id}` · {campaign.status} · groups with fewer than {min_group_size} "
        "answers are hidden")}]})
    return blocks


def alert_text(campaign: Campaign, answer: Answer) -> str:
    kind = kind_of(campaign.survey)
    who = "detractor" if kind.name == "nps" else "unhappy customer"
    return f"{kind.label} {who}: {answer.score} on {kind.low}–{kind.high} ({campaign.campaign_id})"


def alert_blocks(campaign: Campaign, answer: Answer, respondent: str | None, account: AccountContext | None,
                 currency: str) -> list[Block]:
    """Posted to the customer-experience channel for NPS 0–6 and CSAT 1–2 (updated when the comment arrives)."""
    person = f"<@{respondent}>" if respondent else "an anonymous respondent"
    if account is None:
        company = "Account: not linked (link it with `kpibot survey link SLACK_USER ACCOUNT_ID`)"
    else:
        name = f"*{account.name}* ({account.account_id})" if account.name else f"*{account.account_id}*"
        mrr = format_value(account.mrr, "currency", currency=currency)
        company = (f"Account: {name} · plan *{account.plan or '(none)'}* · MRR *{mrr}* · "
                   f"open tickets *{account.open_tickets}*")
    comment = ("\n".join(f"> {line}" for line in answer.comment[:2000].splitlines() if line.strip())
               if answer.comment else "_No comment yet._")
    return [
        section(f":rotating_light: *{alert_text(campaign, answer)}* from {person}\n_{campaign.question}_"),
        section(f"{company}\n{comment}"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"Answered {answer.responded_at:%Y-%m-%d %H:%M} UTC · campaign `{campaign.campaign_id}`")}]},
    ]
