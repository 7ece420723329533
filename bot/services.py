"""Everything a listener needs besides what Bolt injects, handed to it through `context["kpibot"]`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from slack_bolt import BoltContext
from sqlalchemy import Engine

from bot.access import AccessPolicy
from bot.access_groups import load_group_rules
from bot.directory import SlackDirectory
from bot.rendering import ChartRenderer
from bot.settings import SchedulingSettings, ServerSettings, SlackSettings
from bot.workers import WorkerPool
from kpi_engine.catalog import Catalog
from kpi_engine.settings import Settings

if TYPE_CHECKING:
    from bot.jobs import Job
    from bot.surveys.runtime import SurveyRuntime

CONTEXT_KEY = "kpibot"


class JobRunner(Protocol):
    """Runs the listeners' jobs after the ack (bot.job_runner: in threads or worker processes)."""

    def submit(self, job: Job) -> None: ...

    def warm_up(self) -> None: ...

    def shutdown(self) -> None: ...


class NoJobRunner:
    """Until the edge (the app factory, a worker process's start) gives the services their runner."""

    def submit(self, job: Job) -> None:
        raise RuntimeError("these services have no job runner: build the app with bot.app.create_app")

    def warm_up(self) -> None:
        return None

    def shutdown(self) -> None:
        return None


@dataclass(frozen=True)
class ServicesSpec:
    """What a worker process needs to build its own Services (all picklable)."""

    settings: Settings
    config: ServerSettings
    api_base_url: str
    as_of: date | None
    slack: SlackSettings
    scheduling: SchedulingSettings

    def build(self, engine: Engine | None = None, *, chart_processes: int = 0) -> Services:
        """Everything but the job runner, which the caller assembles (see bot.job_runner.runner_for)."""
        from kpi_engine.db.engine import make_engine

        return Services(
            settings=self.settings,
            config=self.config,
            engine=engine or make_engine(self.settings.database_url),
            access=AccessPolicy(SlackDirectory(self.config.directory_cache_seconds),
                                load_group_rules(self.config.access_file)),
            pool=WorkerPool(self.config.workers),
            urgent=WorkerPool(2),
            charts=ChartRenderer(chart_processes),
            api_base_url=self.api_base_url,
            as_of=self.as_of,
            slack=self.slack,
            scheduling=self.scheduling,
        )


@dataclass
class Services:
    settings: Settings
    config: ServerSettings
    engine: Engine
    access: AccessPolicy
    pool: WorkerPool  # threads for slow work in this process
    urgent: WorkerPool  # calls that must happen within Slack's 3 s (views.open with a trigger_id)
    charts: ChartRenderer
    api_base_url: str  # the Web API the jobs' clients talk to (SLACK_API_URL)
    slack: SlackSettings
    scheduling: SchedulingSettings
    as_of: date | None = None  # a fixed "today" (tests, demos); None: today in the reporting zone
    jobs: JobRunner = field(default_factory=NoJobRunner)  # every listener's slow work, in threads or processes
    surveys: SurveyRuntime | None = None  # the server's survey runtime (bot.surveys.listeners.register)

    def today(self) -> date:
        """as_of, else the day of KPIBOT_NOW (tests of `serve`), else today, in the reporting zone."""
        if self.as_of is not None:
            return self.as_of
        if self.scheduling.now:
            from surveys.clock import parse_moment

            return parse_moment(self.scheduling.now).replace(tzinfo=UTC).astimezone(self.settings.tz).date()
        return datetime.now(self.settings.tz).date()

    def catalog(self) -> Catalog:
        """The catalog with custom metrics merged (cached by the engine side until the file changes)."""
        from kpi_engine.answers.ask import resolve_catalog

        return resolve_catalog(self.engine, self.settings)

    def portable(self) -> ServicesSpec:
        return ServicesSpec(self.settings, self.config, self.api_base_url, self.as_of, self.slack, self.scheduling)

    def shutdown(self) -> None:
        self.jobs.shutdown()
        self.urgent.shutdown(wait=True)
        self.pool.shutdown(wait=True)
        self.charts.shutdown()

    def middleware(self, context: BoltContext, next: Callable[[], Any]) -> None:  # noqa: A002 (Bolt's name)
        context[CONTEXT_KEY] = self
        next()


def services_of(context: BoltContext) -> Services:
    return context[CONTEXT_KEY]
