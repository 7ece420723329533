"""The metric catalog: declarative definitions (YAML files beside this module), also the data dictionary."""

from kpi_engine.catalog.loader import Catalog, CatalogError, load_catalog
from kpi_engine.catalog.model import MetricDefinition

__all__ = ["Catalog", "CatalogError", "MetricDefinition", "load_catalog"]
