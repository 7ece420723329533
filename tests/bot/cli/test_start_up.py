"""Start-up cost (issue 16): `kpibot ask` loads no chart, dataframe or migration code, maps none of the bot's own
state and configures no ORM mapper, and opening a database at head reads the heads from the version scripts
instead of running Alembic, while one behind head is upgraded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from kpi_engine.db.engine import alembic_config, at_head, make_engine, upgrade_schema
from kpi_engine.db.models import Account, Subscription
from kpi_engine.db.revisions import heads_in, migration_heads, script_revisions
from tests.conftest import insert_rows

NOT_FOR_A_TERMINAL_ANSWER = ("alembic", "pandas", "matplotlib", "pyarrow", "duckdb", "slack_bolt",
                             "sqlalchemy.dialects.postgresql", "kpi_engine.db.models.digests",
                             "kpi_engine.db.models.conversations", "kpi_engine.db.models.security",
                             "kpi_engine.db.models.slack_app", "kpi_engine.db.models.survey_campaigns")


def _run(code: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "KPI_TIMEZONE": "UTC"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)


def _loaded(heavy: tuple[str, ...]) -> str:
    return f"import sys; print(json.dumps([m for m in {heavy!r} if m in sys.modules]))"


def test_ask_answers_without_loading_charts_dataframes_or_migrations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    insert_rows(engine, Account, [{"account_id": a, "segment": s, "created_at": datetime(2025, 6, 1)}
                                  for a, s in (("a1", "smb"), ("a2", "mid"))])
    insert_rows(engine, Subscription, [
        {"subscription_id": "s1", "account_id": "a1", "plan": "pro", "mrr": 100.0, "started_at": datetime(2026, 1, 5)},
        {"subscription_id": "s2", "account_id": "a2", "plan": "team", "mrr": 50.0, "started_at": datetime(2026, 2, 9)},
    ])
    engine.dispose()
    code = ("import json\nfrom bot.cli.main import main\n"
            "try:\n    main(['ask', 'mrr by segment', '--as-of', '2026-03-31', '--json'])\nexcept SystemExit as done:\n"
            "    assert not done.code, done.code\n" + _loaded(NOT_FOR_A_TERMINAL_ANSWER) + "\n"
            "from sqlalchemy import inspect\nfrom kpi_engine.db.models import Account, Subscription\n"
            "print(json.dumps([inspect(m).configured for m in (Account, Subscription)]))")
    done = _run(code, url)
    assert done.returncode == 0, done.stderr
    answer, loaded, configured = done.stdout.strip().splitlines()
    by_segment = {row["group"]: row["value"] for row in json.loads(answer)["breakdown"]}
    assert by_segment == {"smb": 100.0, "mid": 50.0}  # both subscriptions active at the end of March, by account
    assert json.loads(loaded) == []
    assert json.loads(configured) == [False, False]  # Core statements only: no ORM mapping configured


def test_the_bots_own_state_is_mapped_on_first_use() -> None:
    code = ("import sys\nimport kpi_engine.db.models as models\n"
            "print('kpi_engine.db.models.digests' in sys.modules, 'digest_runs' in models.Base.metadata.tables)\n"
            "from kpi_engine.db.models import DigestRun\n"
            "print('kpi_engine.db.models.digests' in sys.modules, DigestRun.__tablename__)\n"
            "print('slack_pins' in models.every_table().tables)\n"
            "try:\n    models.NoSuchModel\nexcept AttributeError as missing:\n    print(missing)")
    done = _run(code, "sqlite://")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False False", "True digest_runs", "True",
                                        "module 'kpi_engine.db.models' has no attribute 'NoSuchModel'"]


def test_heads_read_from_the_scripts_are_alembics() -> None:
    assert migration_heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_script_revisions_of_a_first_a_typed_and_a_merge_script(tmp_path: Path) -> None:
    assert script_revisions('revision = "0001"\ndown_revision = None\n') == ("0001", ())
    assert script_revisions("revision: str = 'b'\ndown_revision: str | None = 'a'\n") == ("b", ("a",))
    merge = '"""Merge\n\nRevision ID: m\n"""\nrevision = "m"\ndown_revision = ("b", "c")\n'
    assert script_revisions(merge) == ("m", ("b", "c"))
    for name, body in {"a": 'revision = "a"\ndown_revision = None\n', "b": 'revision = "b"\ndown_revision = "a"\n',
                       "c": 'revision = "c"\ndown_revision = "a"\n'}.items():
        (tmp_path / f"{name}.py").write_text(body)
    assert heads_in(tmp_path) == {"b", "c"}  # two branches off "a"
    (tmp_path / "m.py").write_text(merge)
    assert heads_in(tmp_path) == {"m"}


def test_open_database_at_head_skips_alembic_and_upgrades_one_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    open_it = ("import json\nfrom kpi_engine.db.engine import at_head, open_database\n"
               "from kpi_engine.settings import Settings\n"
               "print(at_head(open_database(Settings(_env_file=None))))\n" + _loaded(("alembic",)))
    at_head_run = _run(open_it, url)
    assert at_head_run.stdout.split() == ["True", "[]"], at_head_run.stderr

    config = alembic_config()
    with engine.begin() as conn:  # 0010 added targets.scope: take it back off
        config.attributes["connection"] = conn
        command.downgrade(config, "0009_security")
    assert not at_head(engine)
    assert "scope" not in {c["name"] for c in inspect(engine).get_columns("targets")}
    engine.dispose()
    behind_run = _run(open_it, url)
    assert behind_run.stdout.split() == ["True", '["alembic"]'], behind_run.stderr
    assert "scope" in {c["name"] for c in inspect(engine).get_columns("targets")}
    with engine.connect() as conn:
        stored = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    assert stored == set(ScriptDirectory.from_config(alembic_config()).get_heads())  # Alembic's own heads
    engine.dispose()


def test_the_command_line_freezes_what_it_imported_and_a_caller_of_main_does_not() -> None:
    def frozen_after(call: str) -> str:
        code = ("import atexit, gc, sys\nsys.argv = ['kpibot', '--help']\n"
                "atexit.register(lambda: print('frozen' if gc.get_freeze_count() > 10_000 else 'not frozen'))\n"
                f"from bot.cli.main import main\n{call}")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert frozen_after("main()") == "frozen"  # the exit's collections skip the imported modules' objects
    assert frozen_after("main(['--help'])") == "not frozen"  # tests call main(argv) and keep running
