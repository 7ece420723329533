"""KPI alerts: rules (threshold, change, anomaly) checked on a schedule; fire once, then a cooldown; snooze."""
