"""The metric catalog: declarative definitions (YAML files beside this module), also the data dictionary."""

from kpi_engine.catalog.loader import Catalog, CatalogError
from kpi_engine.catalog.model import MetricDefinition
from kpi_engine.catalog.resolve import load_catalog

__all__ = ["Catalog", "CatalogError", "MetricDefinition", "load_catalog"]
