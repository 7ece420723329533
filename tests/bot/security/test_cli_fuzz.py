"""A CLI fuzz, in process through typer's CliRunner: 1,000 generated inputs (questions to `ask`, rules to `alert
add`, digests to `digest add`, values to `target set`), with as-of days and --now moments from year 1 to 9999.
No traceback ever, no SQL in what is printed; bounded time."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bot.cli.main import build_app
from tests.conftest import insert_small_mrr_company

WORDS = ["mrr", "arr", "churn", "rate", "signups", "by", "plan", "last", "this", "month", "week", "weeks", "year",
         "years", "daily", "weekly", "monthly", "retention", "cohort", "funnel", ">", "vs", "compared", "to", "in",
         "since", "between", "and", "999", "200", "0", "-1", "1e9", "q1", "2026", "1800", "9999", "0001",
         "2026-02-30", "9999-12-31", "0001-01-01", "nps", "csat", "trend", "top", "10", "dau", "wau", "%", "$"]
EXAMPLES = 1000


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory, sqlite_template) -> str:
    import shutil

    from kpi_engine.db.engine import make_engine

    path = tmp_path_factory.mktemp("cli_fuzz") / "kpibot.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    insert_small_mrr_company(engine)
    engine.dispose()
    return f"sqlite:///{path}"


questions = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join),
    st.text(max_size=60),
    st.lists(st.sampled_from(["signup", "purchase", "login", ">"]), min_size=1, max_size=40).map(" ".join),
)
moments = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(lambda d: d.isoformat()),
    st.sampled_from(["9999-12-31T23:59", "0001-01-01T00:00", "2026-06-10T09:00+14:00", "now", ""]),
)
as_of_values = st.one_of(
    st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01", "2026-02-30", "yesterday", ""]),
)


def _now_option(now: str | None) -> list[str]:
    return ["--now", now] if now is not None else []


asks = st.builds(lambda q, as_of, as_json: ["ask", q] + (["--as-of", as_of] if as_of is not None else [])
                 + (["--json"] if as_json else []), questions, as_of_values, st.booleans())
alerts = st.builds(lambda words, now: ["alert", "add", *(words.split() or ["x"]), "--channel", "C0GROWTH",
                                       *_now_option(now)], questions, moments)
digests = st.builds(lambda words, now: ["digest", "add", *words.split(), "--channel", "C0GROWTH",
                                        *_now_option(now)], questions, moments)
targets = st.builds(lambda metric, value, due: ["target", "set", metric or "mrr", value or "1"]
                    + (["--due", due] if due is not None else []),
                    st.sampled_from(["mrr", "churn rate", "signups", "nps", "nope", ""]),
                    st.one_of(st.sampled_from(["150k", "5%", "-1", "1e308", "9" * 400, "$", "2.5M", "0"]),
                              st.text(max_size=12)), as_of_values)
commands = st.one_of(asks, asks, asks, asks, asks, asks, alerts, digests, targets)


def test_a_thousand_generated_cli_inputs_never_end_in_a_traceback(cli_database: str, monkeypatch) -> None:
    from kpi_engine.db.engine import make_engine

    shared = make_engine(cli_database)  # opened once: the migration check per run is not what is fuzzed here
    for module in ("ask", "digest", "target"):
        monkeypatch.setattr(f"bot.cli.{module}.database", lambda _settings: shared)
    runner = CliRunner()
    app = build_app()
    env = {"DATABASE_URL": cli_database, "KPI_TIMEZONE": "UTC"}
    seen = {"runs": 0, "slowest": 0.0}
    started = time.monotonic()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(args=commands)
    def one(args: list[str]) -> None:
        begun = time.monotonic()
        result = runner.invoke(app, args, env=env, catch_exceptions=True)
        seen["slowest"] = max(seen["slowest"], time.monotonic() - begun)
        seen["runs"] += 1
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output and "OverflowError" not in result.output, args
        assert "SELECT" not in result.output and "sqlite3." not in result.output, (args, result.output[:300])

    one()
    shared.dispose()
    assert seen["runs"] >= EXAMPLES
    assert seen["slowest"] < 10, seen
    assert time.monotonic() - started < 300  # about 30 s of CPU; generous for a loaded machine
