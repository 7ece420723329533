"""The catalog an answer uses: the built-in metrics, plus the custom ones with their computations."""

from __future__ import annotations

from sqlalchemy import Engine

from kpi_engine.catalog.loader import Catalog, builtin_catalog
from kpi_engine.settings import Settings


def load_catalog(settings: Settings | None = None, engine: Engine | None = None) -> Catalog:
    """The built-in catalog, plus the custom metrics of `settings.kpi_custom_metrics_file` when given.

    Custom metrics are validated against the database, so they need the engine.
    """
    if settings is None or settings.kpi_custom_metrics_file is None or engine is None:
        return builtin_catalog()
    from kpi_engine.custom.registry import catalog_with_custom

    return catalog_with_custom(settings.kpi_custom_metrics_file, engine)
