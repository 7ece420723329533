"""App Home: the user's pinned KPIs (value, change, sparkline), refreshed when opened, and a short how-to."""
