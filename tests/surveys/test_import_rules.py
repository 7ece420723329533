"""The survey domain knows nothing of Slack's SDKs or the bot (DESIGN: surveys/ may import kpi_engine only)."""

from __future__ import annotations

import ast
from pathlib import Path

import surveys

FORBIDDEN = ("slack_bolt", "slack_sdk", "bot")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_surveys_never_imports_slack_or_bot() -> None:
    files = sorted(Path(surveys.__file__).parent.glob("**/*.py"))
    assert len(files) > 10
    offenders = {f.name: sorted(m for m in imported_modules(f) if m.split(".")[0] in FORBIDDEN) for f in files}
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_survey_files_stay_small() -> None:
    roots = [Path(surveys.__file__).parent, Path(surveys.__file__).parent.parent / "bot" / "surveys"]
    sizes = {f.name: len(f.read_text(encoding="utf-8").splitlines()) for root in roots for f in root.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n >= 300} == {}
