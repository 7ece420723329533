"""Block Kit for digests (pure functions → dicts): the digest message, its thread, and late/empty notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.blocks.text import Block, code_block, context, cut, escape, header, section
from bot.digests.details import Breakdown, Comment, DigestDetails
from bot.digests.report import DigestReport
from bot.digests.wording import ARROWS, kpi_line_text, plain_line
from bot.shared.metric_names import describe_filters
from kpi_engine.answers.format import describe_change, format_value
from kpi_engine.answers.tables import table_text
from kpi_engine.periods import Period

CHART_BLOCK_ID = "digest.chart"
MAX_KPI_LINES = 40  # 50 blocks per message, with room for the header, notes and the chart
FALLBACK_KPIS = 4


@dataclass(frozen=True)
class Lateness:
    due_local: datetime  # the slot, local wall-clock time
    timezone: str
    missed_before: int = 0  # earlier digests not sent while the bot was offline


def week_label(week: Period) -> str:
    """`Mar 9 – 15, 2026`, `Mar 30 – Apr 5, 2026`, `Dec 29, 2025 – Jan 4, 2026`."""
    start, end = week.start, week.end

    def month_day(day: date) -> str:
        return f"{day.strftime('%b')} {day.day}"

    if start.year != end.year:
        return f"{month_day(start)}, {start.year} – {month_day(end)}, {end.year}"
    if start.month != end.month:
        return f"{month_day(start)} – {month_day(end)}, {end.year}"
    return f"{month_day(start)} – {end.day}, {end.year}"


def late_text(lateness: Lateness) -> str:
    due = lateness.due_local
    text = (f":hourglass: *Late:* this digest was due {due.strftime('%a %d %b %H:%M')} ({lateness.timezone}); "
            "I was offline then.")
    if lateness.missed_before:
        many = "digest was" if lateness.missed_before == 1 else "digests were"
        text += f" {lateness.missed_before} earlier {many} not sent; this one covers the latest complete week."
    return text


def digest_title(report: DigestReport) -> str:
    return f"Weekly KPIs · {week_label(report.week)}"


def digest_blocks(report: DigestReport, *, chart_file_id: str | None, subscription_id: int | None = None,
                  lateness: Lateness | None = None, timezone: str | None = None,
                  in_thread: list[str] | None = None) -> list[Block]:
    iso_year, iso_week, _ = report.week.start.isocalendar()
    about = [f"ISO week {iso_week} of {iso_year} (Mon–Sun)"]
    if report.filters:
        about.append(escape(describe_filters(report.filters)))
    if timezone:
        about.append(timezone)
    blocks: list[Block] = [header(digest_title(report)), context(" · ".join(about))]
    if lateness is not None:
        blocks.append(context(late_text(lateness)))
    for line in report.lines[:MAX_KPI_LINES]:
        blocks.append(section(kpi_line_text(line, report.currency)))
    if len(report.lines) > MAX_KPI_LINES:
        blocks.append(context(f"{len(report.lines) - MAX_KPI_LINES} more KPIs are left out of this message."))
    if chart_file_id is not None:
        blocks.append({"type": "image", "block_id": CHART_BLOCK_ID, "slack_file": {"id": chart_file_id},
                       "alt_text": cut(chart_alt_text(report), 2000),
                       "title": {"type": "plain_text", "text": "The last 12 weeks"}})
    notes: list[str] = []
    if report.left_out:
        notes.append(f"Not shown in this conversation (access rules): {escape(', '.join(report.left_out))}.")
    if in_thread:
        topics = in_thread[0] if len(in_thread) == 1 else ", ".join(in_thread[:-1]) + " and " + in_thread[-1]
        notes.append(f"{topics[:1].upper()}{topics[1:]} in the thread.")
    if subscription_id is not None:
        notes.append(f"Digest #{subscription_id} · `/kpi digest remove {subscription_id}` to stop it.")
    if notes:
        blocks.append(context(" ".join(notes)))
    return blocks


def digest_text(report: DigestReport, lateness: Lateness | None = None) -> str:
    """The notification text: the first KPIs in a sentence."""
    parts = []
    for shown in [line.shown for line in report.lines if line.has_data and line.shown][:FALLBACK_KPIS]:
        change = shown.change
        arrow = f" {ARROWS[change.movement]}" if change is not None and change.movement != "flat" else ""
        parts.append(f"{shown.label} {shown.format(shown.value, compact=True)}{arrow}")
    late = " (late)" if lateness is not None else ""
    return cut(f"{digest_title(report)}{late}: " + ", ".join(parts), 3000)


def chart_alt_text(report: DigestReport) -> str:
    return "Weekly trend of each KPI over the last 12 weeks: " + "; ".join(
        plain_line(line, report.currency).split("\n")[0] for line in report.lines)


def _breakdown_text(item: Breakdown, currency: str) -> str:
    parts = []
    for group in item.groups:
        value = format_value(group.value, item.unit, currency=currency, compact=True)
        change = describe_change(group.value, group.previous, item.unit, item.direction, currency=currency)
        moved = f" ({ARROWS[change.movement]} {change.amount})" if change and change.movement != "flat" else ""
        parts.append(f"{escape(group.group)} {value}{moved}")
    more = f" · and {item.more} more" if item.more else ""
    return f"*{escape(item.label)} by {item.dimension}:* " + " · ".join(parts) + more


def _comment_text(comment: Comment) -> str:
    topic = f" · {escape(comment.topic)}" if comment.topic else ""
    return f"> “{escape(cut(comment.text, 280))}” — {comment.survey.upper()} {comment.score}{topic}"


def thread_topics(details: DigestDetails) -> list[str]:
    """What the thread holds, in words: `breakdowns`, `MRR movements`, `survey comments`."""
    topics = ["breakdowns"] if details.breakdowns else []
    if details.movements is not None:
        topics.append("MRR movements")
    if details.comments:
        topics.append("survey comments")
    return topics


def details_blocks(details: DigestDetails, currency: str) -> list[Block]:
    """The thread under the digest; empty when there is nothing to add."""
    blocks: list[Block] = []
    if details.breakdowns:
        blocks.append(section("*Breakdowns this week*\n" + "\n".join(
            _breakdown_text(item, currency) for item in details.breakdowns)))
    if details.movements is not None:
        text, _hidden = table_text(details.movements, currency=currency)
        blocks.append(section(code_block(text, title="*MRR movements this week*")))
    if details.comments:
        shown = len(details.comments)
        count = f"{shown} of {details.comment_count}" if details.comment_count > shown else str(shown)
        blocks.append(section(f"*What customers said this week* ({count} comments)\n" + "\n".join(
            _comment_text(c) for c in details.comments)))
    return blocks


def details_text(details: DigestDetails) -> str:
    return "Digest details: " + ", ".join(thread_topics(details))
