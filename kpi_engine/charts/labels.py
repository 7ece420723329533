"""Words on charts: the headline ("$167k, +4.3% vs Oct"), short period names, and time ticks with their year.

Numbers go through kpi_engine.answers.format (compact form), so a chart reads like the text beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.figure import Figure, SubFigure

from kpi_engine.answers.format import Change, describe_change, format_value
from kpi_engine.charts.style import DARK_GREY, GREEN, MAX_X_TICKS, VERMILLION, chart_header, new_figure
from kpi_engine.periods import Period, grain_start, grain_step
from kpi_engine.results import MetricResult


@dataclass(frozen=True)
class Headline:
    value: str  # "$167k", "$167k so far"
    change: str  # "+4.3% vs Oct", "" when there is nothing to compare
    colour: str  # green when the change is good, vermillion when worse (by the metric's direction), else grey


def headed_figure(title: str, subtitle: str, top: Headline) -> tuple[Figure, Figure | SubFigure]:
    """A 1200 × 675 figure with the title line and the headline drawn; returns (figure, where to draw)."""
    fig = new_figure()
    return fig, chart_header(fig, title, subtitle, top.value, top.change, top.colour)


def signed_compact(delta: float, unit: str, currency: str = "$") -> str:
    return ("-" if delta < 0 else "+") + format_value(abs(delta), unit, currency=currency, compact=True)


def change_amount(value: float, previous: float, unit: str, currency: str = "$") -> str:
    """`+4.3%`, `-1.2 pp` for rates, `+3 pts` for scores, `+$500` against 0 (no percentage of nothing)."""
    delta = value - previous
    if unit == "percent":
        return f"{delta * 100:+.1f} pp"
    if unit == "score":
        return f"{'+' if delta >= 0 else '-'}{format_value(abs(delta), 'score')} pts"
    if previous == 0:
        return signed_compact(delta, unit, currency)
    return f"{delta / abs(previous) * 100:+.1f}%"


def signed_change(change: Change) -> str:
    """A Change as a chart headline says it, signed and without the verdict: `+4.3%`, `-1.2 pp`, `+3 pts`,
    `+$500` against 0, `no change`; the same figure as the Change's words beside the chart."""
    if change.movement == "flat":
        return change.words
    return ("+" if change.movement == "up" else "-") + change.amount


def change_colour(change: Change) -> str:
    """Green when the change is good, vermillion when worse, grey without a verdict or within the noise."""
    return {"good": GREEN, "worse": VERMILLION}.get(change.judgement or "", DARK_GREY)


def versus(result: MetricResult) -> str:
    """What the change is against, short: `Oct`, `Q3`, `Nov 1–2` (from the engine's comparison words when given)."""
    if result.comparison_text and " vs " in result.comparison_text:
        return result.comparison_text.split(" vs ", 1)[1].strip()
    if result.previous_period is None:
        return ""
    return short_period(result.previous_period, result.period.end.year)


def to_date(period: Period) -> bool:
    """A calendar period cut at its as-of day (`this year` on Nov 18): running, whatever the engine flagged."""
    if period.kind not in ("week", "month", "quarter", "year"):
        return False
    start = grain_start(period.start, period.kind)
    return start == period.start and period.end < start + grain_step(period.kind) - timedelta(days=1)


def headline(result: MetricResult, *, currency: str = "$") -> Headline:
    value = format_value(result.value, result.unit, currency=currency, compact=True)
    running = result.partial or to_date(result.period)
    if running and result.value is not None and result.kind != "stock":
        value += " so far"  # a stock is a state, known as of today: it is not "so far"
    change, colour = "", DARK_GREY
    if result.value is not None and result.previous_value is not None:
        against = versus(result)
        change = change_amount(result.value, result.previous_value, result.unit, currency)
        change += f" vs {against}" if against else ""
        verdict = describe_change(result.value, result.previous_value, result.unit, result.direction)
        if verdict is not None and verdict.verdict is not None and not (running and verdict.verdict == "worse"):
            colour = GREEN if verdict.verdict == "good" else VERMILLION
    elif result.previous_period is not None and result.value is not None:
        change = f"no data for {versus(result)}"
    return Headline(value, change, colour)


def _month_day(day: date) -> str:
    return f"{day.strftime('%b')} {day.day}"


def short_period(period: Period, year_of_reference: int | None = None) -> str:
    """`Oct`, `Oct 2025` (another year than the reference, or no reference), `Q3`, `2025`, `Nov 23–29`."""
    with_year = year_of_reference is None or period.end.year != year_of_reference
    kind = period.kind
    if kind in ("month", "quarter", "year") and grain_start(period.start, kind) == period.start:
        if kind == "month":
            name = period.start.strftime("%b %Y" if with_year else "%b")
        elif kind == "quarter":
            quarter = f"Q{(period.start.month - 1) // 3 + 1}"
            name = f"{quarter} {period.start.year}" if with_year else quarter
        else:
            name = str(period.start.year)
        full_end = period.start + grain_step(kind) - timedelta(days=1)
        return name if period.end >= full_end else span_label(period.start, period.end, show_year=with_year)
    return span_label(period.start, period.end, show_year=with_year)


def span_label(start: date, end: date, *, show_year: bool = True) -> str:
    """`Dec 2025 – Nov 2026` for whole months, `Nov 23–29`, `Dec 28, 2025 – Jan 3, 2026`."""
    if start == end:
        return f"{_month_day(start)}, {start.year}" if show_year else _month_day(start)
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    if whole_months:
        if (start.year, start.month) == (end.year, end.month):
            return start.strftime("%b %Y")
        first = start.strftime("%b") if start.year == end.year else start.strftime("%b %Y")
        return f"{first} – {end.strftime('%b %Y')}"
    if start.year != end.year:
        return f"{_month_day(start)}, {start.year} – {_month_day(end)}, {end.year}"
    if start.month == end.month:
        body = f"{_month_day(start)}–{end.day}"
    else:
        body = f"{_month_day(start)} – {_month_day(end)}"
    return f"{body}, {end.year}" if show_year else body


def chart_period(result: MetricResult) -> str:
    """The period a chart covers, as a reader says it; `at end of` only for a single stock value."""
    period = result.period
    words = short_period(period)
    if result.kind == "stock" and not result.series and not result.group_series:
        whole = period.kind in ("month", "quarter", "year") and \
            period.end >= period.start + grain_step(period.kind) - timedelta(days=1)
        return f"at end of {words}" if whole else f"on {_month_day(period.end)}, {period.end.year}"
    return words


def bucket_tick(start: date, grain: str | None, with_year: bool) -> str:
    """`Jan` / `Jan\\n2026`, `Mar 2` / `Mar 2\\n2026`, `Q1` / `Q1\\n2026`."""
    if grain == "month":
        text = start.strftime("%b")
    elif grain == "quarter":
        text = f"Q{(start.month - 1) // 3 + 1}"
    elif grain == "year":
        return str(start.year)
    else:
        text = _month_day(start)
    return f"{text}\n{start.year}" if with_year else text


def time_ticks(starts: list[date], grain: str | None, limit: int = MAX_X_TICKS) -> list[tuple[int, str]]:
    """Evenly spaced ticks counted back from the latest bucket; the year under the first tick and wherever it
    changes, so a series over two years never leaves the reader guessing."""
    if not starts:
        return []
    step = max(1, -(-len(starts) // limit))
    positions = sorted(range(len(starts) - 1, -1, -step))
    ticks: list[tuple[int, str]] = []
    year = None
    for i in positions:
        ticks.append((i, bucket_tick(starts[i], grain, starts[i].year != year)))
        year = starts[i].year
    return ticks


