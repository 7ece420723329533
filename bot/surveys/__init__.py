"""Surveys in Slack: sending campaigns, survey buttons and modal, `/kpi survey …` (the only Slack side of surveys)."""
