"""KPI targets from Slack: `/kpi target ...` (the command) behind the access rules (who may set and remove)."""
