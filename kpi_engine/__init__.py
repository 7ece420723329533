"""KPI engine: schema, import, demo data, the metric catalog, query model, parser, SQL computation, charts.

Knows nothing of Slack.
"""
