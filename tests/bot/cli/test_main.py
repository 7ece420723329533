"""`kpibot COMMAND` loads only that command's module; `kpibot --help` and `app` have every command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.cli.main import COMMAND_MODULES, build_app, main

HEAVY = ("slack_bolt", "slack_sdk", "pandas", "pyarrow", "matplotlib", "surveys")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    return set(out.split())


def test_ask_alone_loads_no_slack_pandas_or_matplotlib() -> None:
    assert _loaded_after("from bot.cli.main import build_app; build_app('ask')") == set()
    assert _loaded_after("from bot.cli.main import build_app; build_app()") == set(HEAVY)


def test_every_command_is_registered_under_its_name() -> None:
    names = {info.name for info in build_app().registered_commands}
    names |= {info.name for info in build_app().registered_groups}
    assert names == set(COMMAND_MODULES)
    single = build_app("metrics")
    assert [g.name for g in single.registered_groups] == ["metrics"] and not single.registered_commands


def test_main_runs_the_named_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["metrics", "show", "mrr"])
    assert done.value.code == 0
    assert "Monthly recurring revenue" in capsys.readouterr().out
    with pytest.raises(SystemExit) as unknown:
        main(["nosuch"])
    assert unknown.value.code == 2
