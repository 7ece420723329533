"""`kpibot --help` lists every command without importing the command modules, with the same one-line help."""

from __future__ import annotations

import subprocess
import sys

from typer.main import get_command

from bot.cli.main import COMMAND_HELP, COMMAND_MODULES, build_app, build_help_app


def test_the_help_listing_has_every_command_with_its_own_short_help() -> None:
    real = get_command(build_app()).commands  # type: ignore[attr-defined]
    listed = get_command(build_help_app()).commands  # type: ignore[attr-defined]
    assert list(listed) == list(COMMAND_MODULES)
    for name in COMMAND_HELP:
        assert listed[name].get_short_help_str(limit=300) == real[name].get_short_help_str(limit=300), name


def test_help_imports_no_command_module() -> None:
    code = ("import sys; from bot.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('bot.cli.', 'kpi_engine', 'pandas'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "['bot.cli.main']"
