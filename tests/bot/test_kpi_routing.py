"""`/kpi` routed by its first word (signed HTTP in, the fake Slack out): each subcommand hands one job to the
runner, anything else is a question, and a failing subcommand tells the person an error id that is in the log."""

from __future__ import annotations

import logging
import pickle
import re
import sys
import time
from collections.abc import Iterator

import pytest

from bot.access import Asker
from bot.alerts.commands import handle_alert_command
from bot.app import KpiBotApp
from bot.digests.commands import handle_digest_command
from bot.home.ids import HomeActionId
from bot.jobs import AnswerWork, CommandWork, Job, SurveyCommandWork, Work
from bot.services import JobRunner
from bot.targets.access import guarded_target_command
from tests.bot.support.fake_slack import FakeSlack
from tests.bot.support.slack_requests import SlackSender


class RecordingRunner:
    """The app's own runner, noting each job it is handed."""

    def __init__(self, runner: JobRunner) -> None:
        self.runner = runner
        self.works: list[Work] = []

    def submit(self, job: Job) -> None:
        self.works.append(job.work)
        self.runner.submit(job)

    def warm_up(self) -> None:
        self.runner.warm_up()

    def shutdown(self) -> None:
        self.runner.shutdown()


@pytest.fixture
def jobs(bot_app: KpiBotApp) -> Iterator[RecordingRunner]:
    recording = RecordingRunner(bot_app.services.jobs)
    bot_app.services.jobs = recording
    yield recording


def ask(slack: SlackSender, fake: FakeSlack, text: str) -> str:
    """Sends `/kpi <text>`; returns the text that came back through its response_url."""
    name = f"r{len(fake.calls('response_url'))}"
    assert slack.slash_command(text, response_url=fake.response_url(name)).status_code == 200
    [reply] = fake.wait_for("response_url", where=lambda c: c.path.endswith(name))
    return str(reply.params["text"])


@pytest.mark.parametrize(("text", "handler", "rest"), [
    ("digest list", handle_digest_command, "list"),
    ("Digests   list", handle_digest_command, "list"),
    ("alert list", handle_alert_command, "list"),
    ("targets list", guarded_target_command, "list"),
])
def test_each_subcommand_reaches_the_runner_once(jobs: RecordingRunner, slack: SlackSender, fake_slack: FakeSlack,
                                                 text: str, handler: object, rest: str) -> None:
    ask(slack, fake_slack, text)
    [work] = jobs.works
    assert isinstance(work, CommandWork)
    assert (work.run, work.text, work.asker.user_id, work.asker.channel_id) == (handler, rest, "U0ALICE", "C0GENERAL")


def test_survey_reaches_the_runner_once_with_its_whole_text(jobs: RecordingRunner, slack: SlackSender,
                                                            fake_slack: FakeSlack) -> None:
    assert ask(slack, fake_slack, "survey list") == "Survey campaigns"
    [work] = jobs.works
    assert isinstance(work, SurveyCommandWork)
    assert (work.text, work.asker.user_id) == ("survey list", "U0ALICE")


@pytest.mark.parametrize("text", ["digestive mrr last month", "alerting mrr", "mrr target"])
def test_an_unknown_first_word_is_a_question(jobs: RecordingRunner, audit, slack: SlackSender,
                                             fake_slack: FakeSlack, text: str) -> None:
    ask(slack, fake_slack, text)
    [work] = jobs.works
    assert isinstance(work, AnswerWork)
    assert work.ask.question == text
    [row] = audit()
    assert (row["source"], row["question"]) == ("command", text)


def test_help_is_answered_in_the_ack_without_a_job(jobs: RecordingRunner, slack: SlackSender) -> None:
    response = slack.slash_command("help")
    assert response.json()["text"] == "How to ask KPI Bot"
    assert jobs.works == []


@pytest.mark.parametrize("text", ["digest list", "alert list", "target list", "survey list"])
def test_a_failing_subcommand_tells_an_error_id_that_is_in_the_log(slack: SlackSender, fake_slack: FakeSlack,
                                                                   caplog: pytest.LogCaptureFixture,
                                                                   text: str) -> None:
    fake_slack.override("users.info", {"ok": True})  # no "user": the runner's access check fails
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        told = ask(slack, fake_slack, text)
    assert told.startswith(":warning: Sorry, something went wrong on my side")
    match = re.search(r"error id[^`]*`([0-9a-f]{10})`", told)
    assert match is not None
    assert [r for r in caplog.records if f"error_id={match.group(1)}" in r.getMessage()]


def test_a_guest_is_refused_before_the_subcommand_runs(slack: SlackSender, fake_slack: FakeSlack) -> None:
    slack.slash_command("digest list", user_id="U0GUEST", response_url=fake_slack.response_url("guest"))
    [reply] = fake_slack.wait_for("response_url")
    assert str(reply.params["text"]).startswith("Sorry, KPIs are only available")


def test_a_subcommand_job_is_plain_data_that_crosses_into_a_process() -> None:
    job = Job(CommandWork(handle_digest_command, "list", Asker("U0ALICE", "C0GENERAL", "T0TEAM"), "https://r/1"),
              token="xoxb-1", once_key=None, team_id="T0TEAM")
    copy = pickle.loads(pickle.dumps(job))
    assert copy == job
    assert copy.work.run is handle_digest_command


def test_a_modal_opens_within_slacks_3_s_while_every_worker_thread_is_busy(slack: SlackSender, fake_slack: FakeSlack,
                                                                           bot_app: KpiBotApp) -> None:
    """4 worker threads, 8 questions each waiting 3 s on users.info: the "Pin a KPI" modal does not wait behind
    them (the runner's "now" lane), so views.open comes well within the 3 s of its trigger_id."""
    assert bot_app.services.pool.size == 4
    fake_slack.delay("users.info", 3.0)
    for n in range(8):
        slack.slash_command("mrr last month", response_url=fake_slack.response_url(f"busy{n}"))
    started = time.monotonic()
    slack.block_action({"action_id": HomeActionId.ADD_PIN.value, "type": "button", "value": "add"},
                       channel_id=None, container={"type": "view", "view_id": "V1"})
    [opened] = fake_slack.wait_for("views.open", timeout=10)
    assert opened.at - started < 2.0
    assert bot_app.services.pool.pending >= 4  # the questions were still running or queued


@pytest.mark.parametrize(("text", "parses"), [("mrr last month", 2), ("list metrics", 1)])
def test_a_slack_question_is_parsed_once_without_data_then_once_with_its_values(
        slack: SlackSender, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, text: str, parses: int) -> None:
    """The data-free parse decides access and answers help/list/define; a query is parsed again only to match the
    data's values (plans, countries…) — never a third time by the bot."""
    from kpi_engine.parser import parse_question

    calls: list[bool] = []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(kwargs.get("values") is not None)
        return parse_question(*args, **kwargs)  # type: ignore[arg-type]

    for module in list(sys.modules.values()):  # wherever it was imported by name
        if getattr(module, "parse_question", None) is parse_question:
            monkeypatch.setattr(module, "parse_question", counted)
    ask(slack, fake_slack, text)
    assert calls == [False, True][:parses]
