"""DESIGN.md import rules, checked on the source: Slack libraries only in bot/, and layers point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "kpi_engine": ("slack_bolt", "slack_sdk", "bot", "surveys"),
    "surveys": ("slack_bolt", "slack_sdk", "bot"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_does_not_import_forbidden_packages(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_fixed_top_level_layout() -> None:
    for name in ("pyproject.toml", "README.md", "manifest.yml", "bot", "kpi_engine", "surveys", "tests"):
        assert (ROOT / name).exists(), f"{name} is missing"
