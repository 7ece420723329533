"""What "help" shows, the same in the terminal and in Slack."""

from __future__ import annotations

HELP_INTRO = "Ask for a KPI in plain words. I answer with the value, the change, the target and a chart."

EXAMPLE_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("mrr", "a metric now (stock metrics at the end of today, others over the last 30 days)"),
    ("new mrr last month", "a calendar period: today, this week, last quarter, ytd, 2026-Q1, March 2026"),
    ("churn rate by plan last quarter", "a breakdown by a dimension (plan, segment, channel, country, ...)"),
    ("dau by week this quarter", "a series: by day, week, month or quarter; “trend” picks one"),
    ("signups in Germany last 7 days", "a filter: a country, or any plan, segment, channel, ... of your data"),
    ("top 3 countries by revenue", "groups sorted and cut; “A vs B mrr” compares two groups"),
    ("mrr and arr by plan and segment", "up to 4 metrics, and two dimensions at once"),
    ("nps this quarter", "survey scores with their sample size and 95% interval"),
    ("why did mrr change last month", "the MRR bridge: new, expansion, contraction, churn"),
    ("funnel signup > activation > purchase", "a funnel between events"),
    ("monthly retention cohorts", "users by signup month and the share still active after 1, 2, … months"),
    ("define ltv", "how a metric is defined"),
    ("list metrics", "every metric, by area"),
)

FOLLOW_UPS = "Follow-ups: break an answer down, see its trend, or ask how it is computed."
