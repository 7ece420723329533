"""Survey domain (NPS, CSAT, CES campaigns in Slack). May import kpi_engine, never bot or slack_bolt."""
