"""Custom metrics defined in a YAML file (KPI_CUSTOM_METRICS_FILE), without code."""

from kpi_engine.custom.load import CustomMetricError, load_custom_metrics

__all__ = ["CustomMetricError", "load_custom_metrics"]
