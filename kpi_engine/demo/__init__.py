"""A deterministic synthetic SaaS company for demos, tests and benchmarks (`kpibot demo`)."""

from kpi_engine.demo.build import DEFAULT_SEED, DERIVED_STEP, ProgressHook, build_demo
from kpi_engine.demo.config import PUBLIC_SCALES, SCALES, Scale
from kpi_engine.demo.writer import DEMO_TABLES

__all__ = ["DEFAULT_SEED", "DEMO_TABLES", "DERIVED_STEP", "PUBLIC_SCALES", "SCALES", "ProgressHook", "Scale",
           "build_demo"]
