"""Loads every `*.yaml` in this folder (plus custom metrics) into one validated, searchable catalog."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import ValidationError

from kpi_engine.catalog.model import AREA_TITLES, MetricDefinition

if TYPE_CHECKING:
    from kpi_engine.compute.base import Computation

CATALOG_DIR = Path(__file__).parent
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader: the same data, ~10x faster


class CatalogError(ValueError):
    pass


def normalise_name(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


class Catalog:
    """Metric definitions by id and name; custom metrics bring their computations with them."""

    def __init__(
        self, metrics: Iterable[MetricDefinition], computations: Mapping[str, Computation] | None = None
    ) -> None:
        self.computations: dict[str, Computation] = dict(computations or {})
        self.unlisted: frozenset[str] = frozenset()  # metrics without a data source: they answer, but are not listed
        self._metrics: dict[str, MetricDefinition] = {}
        self._names: dict[str, str] = {}
        for metric in metrics:
            if metric.id in self._metrics:
                raise CatalogError(f"metric {metric.id!r} is defined twice")
            self._metrics[metric.id] = metric
        for metric in self._metrics.values():
            for name in (metric.id, metric.label, *metric.aliases):
                key = normalise_name(name)
                owner = self._names.get(key)
                if owner is not None and owner != metric.id:
                    raise CatalogError(f"name {name!r} of {metric.id!r} is already used by {owner!r}")
                self._names[key] = metric.id

    def __iter__(self) -> Iterator[MetricDefinition]:
        return iter(self._metrics.values())

    def __len__(self) -> int:
        return len(self._metrics)

    def __contains__(self, metric_id: object) -> bool:
        return metric_id in self._metrics

    def get(self, name: str) -> MetricDefinition:
        """By id, label or alias (case and separators ignored). KeyError when unknown."""
        if name in self._metrics:
            return self._metrics[name]
        return self._metrics[self._names[normalise_name(name)]]

    def find(self, name: str) -> MetricDefinition | None:
        try:
            return self.get(name)
        except KeyError:
            return None

    def names(self) -> dict[str, str]:
        """Every searchable name (normalised) → metric id."""
        return dict(self._names)

    def by_area(self) -> dict[str, list[MetricDefinition]]:
        out: dict[str, list[MetricDefinition]] = {area: [] for area in AREA_TITLES}
        for metric in self._metrics.values():
            if metric.id not in self.unlisted:
                out[metric.area].append(metric)
        return {area: items for area, items in out.items() if items}

    def without_listing(self, metric_ids: Iterable[str]) -> Catalog:
        """The same catalog whose lists leave these metrics out (they still parse, and answer why)."""
        out = Catalog(self._metrics.values(), self.computations)
        out.unlisted = frozenset(metric_ids)
        return out

    def with_extra(
        self, extra: Iterable[MetricDefinition], computations: Mapping[str, Computation] | None = None
    ) -> Catalog:
        return Catalog([*self._metrics.values(), *extra], {**self.computations, **(computations or {})})


def read_definitions(path: Path) -> list[MetricDefinition]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, list):
        raise CatalogError(f"{path.name}: expected a list of metrics")
    out: list[MetricDefinition] = []
    for i, item in enumerate(raw):
        try:
            out.append(MetricDefinition.model_validate(item))
        except ValidationError as exc:
            ident = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            raise CatalogError(f"{path.name}: metric {ident}: {exc}") from exc
    return out


@lru_cache(maxsize=1)
def builtin_catalog() -> Catalog:
    metrics: list[MetricDefinition] = []
    for path in sorted(CATALOG_DIR.glob("*.yaml")):
        metrics.extend(read_definitions(path))
    return Catalog(metrics)

