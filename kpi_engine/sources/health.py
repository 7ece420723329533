"""What `kpibot serve` knows about its source: the check run at start (problems logged as warnings, never a
refusal to start), the last refresh, and the freshness `/healthz` shows. One status per process."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kpi_engine.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class SourceStatus:
    checked_at: datetime | None = None
    check_ok: bool | None = None
    check_error: str | None = None
    freshness: dict[str, Any] | None = None
    refreshed_at: datetime | None = None
    refresh: str | None = None  # the last refresh's line, or why it failed
    refresh_ok: bool | None = None

    def payload(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat(timespec="seconds") if value else None

        return {"checked_at": iso(self.checked_at), "ok": self.check_ok, "error": self.check_error,
                "tables": self.freshness or {}, "refreshed_at": iso(self.refreshed_at), "refresh": self.refresh,
                "refresh_ok": self.refresh_ok}


STATUS = SourceStatus()
_LOCK = threading.Lock()


def run_startup_check(settings: Settings) -> SourceStatus:
    """`kpibot source check`, logged: each problem is one warning line."""
    from kpi_engine.sources.check import check_source
    from kpi_engine.sources.source import current_source

    report = check_source(current_source(settings))
    with _LOCK:
        STATUS.checked_at = datetime.now(UTC)
        STATUS.check_ok, STATUS.check_error = report.ok, report.error
        STATUS.freshness = report.freshness()
    if report.error is not None:
        log.warning("source check: %s", report.error)
    for table in report.tables:
        for problem in table.problems:
            log.warning("source check: %s", problem)
    if report.ok:
        log.info("source check: %d tables ok", sum(1 for t in report.tables if t.note is None))
    return STATUS


def run_refresh(settings: Settings) -> None:
    from kpi_engine.sources.refresh import RefreshNotPossible, refresh
    from kpi_engine.sources.source import NoDataSource, SourceUnavailable, forget_sources

    started = time.monotonic()
    try:
        outcome = refresh(settings)
        line, ok = outcome.line(), True
        forget_sources()  # a first refresh may have created the scratch tables: reopen to see them
    except (RefreshNotPossible, SourceUnavailable, NoDataSource) as exc:
        line, ok = str(exc), False
        log.warning("refresh: %s", exc)
    with _LOCK:
        STATUS.refreshed_at, STATUS.refresh, STATUS.refresh_ok = datetime.now(UTC), line, ok
    log.info("refresh: %s (%.1f s)", line, time.monotonic() - started)


def health_payload(settings: Settings) -> dict[str, Any] | None:
    """The `source` part of /healthz, or None when no source is configured."""
    if not settings.uses_source:
        return None
    with _LOCK:
        return STATUS.payload()


class SourceJobs:
    """The scheduler's source work: the check once at start, then a refresh every KPI_REFRESH_MINUTES, each in
    its own thread so a long build never delays digests and alerts (one at a time per process)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.checked = False
        self.next_refresh = 0.0
        self.worker: threading.Thread | None = None

    def run_due(self, monotonic_now: float | None = None) -> None:
        if not self.settings.uses_source:
            return
        now = time.monotonic() if monotonic_now is None else monotonic_now
        if self.worker is not None and self.worker.is_alive():
            return
        check = not self.checked
        minutes = self.settings.kpi_refresh_minutes
        if check and self.settings.kpi_data_url:
            # the store's imports keep its derived tables current: a refresh at start would only hold its file
            # while the first answers wait; the scheduled ones copy the answers given in Slack into it
            self.next_refresh = now + minutes * 60
        refresh_due = bool(minutes) and now >= self.next_refresh
        if refresh_due:
            self.next_refresh = now + minutes * 60
        if check or refresh_due:
            self.checked = True
            self.worker = threading.Thread(target=self._work, args=(check, refresh_due), name="kpibot-source",
                                           daemon=True)
            self.worker.start()

    def _work(self, check: bool, refresh_due: bool) -> None:
        try:
            if check:
                run_startup_check(self.settings)
            if refresh_due:
                run_refresh(self.settings)
        except Exception:  # the thread must not die silently; the next round tries again
            log.exception("source check or refresh failed")
