"""Weekly KPI digests: subscriptions, schedule math, the report, its message and chart, and exactly-once runs."""
