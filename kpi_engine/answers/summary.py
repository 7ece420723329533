"""What an answer says in words beyond its number: the difference between compared groups, the winner of a
ranking, the verdict on a trend ("is churn getting worse"), and a two-dimension breakdown as a small table."""

from __future__ import annotations

from datetime import date

from kpi_engine.answers.format import format_value
from kpi_engine.answers.tables import aligned
from kpi_engine.query import MetricQuery
from kpi_engine.results import GroupValue, MetricResult, SeriesPoint

STEADY = 0.02  # a relative change smaller than this between the halves of a trend is "about steady"
_ORDER_WORDS = {"best": "best", "worst": "worst", "highest": "highest", "lowest": "lowest"}


def summary_text(
    query: MetricQuery, result: MetricResult, *, currency: str = "$", verdict: bool = False, today: date | None = None
) -> str | None:
    if verdict and result.series:
        return trend_verdict(result, currency=currency, today=today)
    groups = [g for g in result.breakdown or [] if g.subgroup is None]
    if query.groups and groups:
        return groups_compared(query, result, groups, currency=currency)
    if (query.top or query.order) and groups:
        return winner(query, result, groups, currency=currency)
    return None


def groups_compared(query: MetricQuery, result: MetricResult, groups: list[GroupValue], *, currency: str) -> str:
    """`Business 5,400 vs Team 1,560: Business is $3,840 (246.2%) higher`; missing groups are named."""
    found = {g.group.lower(): g for g in groups}
    missing = [name for name in query.groups if name.lower() not in found]
    known = [g for g in groups if g.value is not None]
    shown = " vs ".join(f"{g.group} {format_value(g.value, result.unit, currency=currency)}" for g in groups)
    text = f"{result.label}: {shown}" if shown else f"{result.label}: no data for these groups"
    if len(known) == 2:
        first, second = known
        text += ". " + _difference(first, second, result, currency)
    elif len(known) > 2:
        ranked = sorted(known, key=lambda g: g.value or 0.0, reverse=True)
        text += (f". Highest: {ranked[0].group} ({format_value(ranked[0].value, result.unit, currency=currency)}),"
                 f" lowest: {ranked[-1].group} ({format_value(ranked[-1].value, result.unit, currency=currency)})")
    if missing:
        text += f". No data for {', '.join(missing)}"
    return text


def _difference(first: GroupValue, second: GroupValue, result: MetricResult, currency: str) -> str:
    a, b = first.value or 0.0, second.value or 0.0
    if abs(a - b) < 1e-12:
        return f"{first.group} and {second.group} are the same"
    high, low = (first, second) if a > b else (second, first)
    gap = abs(a - b)
    if result.unit == "percent":
        amount = f"{gap * 100:.1f} pp"
    else:
        amount = format_value(gap, result.unit, currency=currency)
        if low.value:
            amount += f" ({gap / abs(low.value) * 100:.1f}%)"
    verdict = ""
    if result.direction in ("higher", "lower"):
        better = high if result.direction == "higher" else low
        verdict = f"; {better.group} is better"
    return f"{high.group} is {amount} higher than {low.group}{verdict}"


def winner(query: MetricQuery, result: MetricResult, groups: list[GroupValue], *, currency: str) -> str:
    """`Business has the highest MRR: $450 (of 3 plans shown)`."""
    first = groups[0]
    order = _ORDER_WORDS.get(query.order or "best", "best")
    dimension = result.breakdown_dimension or "group"
    value = format_value(first.value, result.unit, currency=currency)
    text = f"{first.group} is the {order} {dimension} for {result.label}: {value}"
    if len(groups) > 1:
        text += "; then " + ", ".join(
            f"{g.group} ({format_value(g.value, result.unit, currency=currency)})" for g in groups[1:4])
    return text


def trend_verdict(result: MetricResult, *, currency: str = "$", today: date | None = None) -> str:
    """Compares the mean of the later half of the complete buckets with the earlier half, in the metric's
    direction: `Customer churn rate is getting better: 2.1% on average in the last 6 months, 2.8% before`."""
    points = _complete(result.series or [], today)
    if len(points) < 2:
        return f"Not enough complete periods to tell whether {result.label} is getting better or worse"
    half = len(points) // 2
    before = [p.value for p in points[: len(points) - half] if p.value is not None]
    after = [p.value for p in points[len(points) - half :] if p.value is not None]
    if not before or not after:
        return f"Not enough data to tell whether {result.label} is getting better or worse"
    early, late = sum(before) / len(before), sum(after) / len(after)
    change = (late - early) / abs(early) if early else (1.0 if late else 0.0)
    if abs(change) < STEADY:
        word = "about steady"
    elif result.direction == "neutral":
        word = "rising" if change > 0 else "falling"
    else:
        improving = (change > 0) == (result.direction == "higher")
        word = "getting better" if improving else "getting worse"
    grain = result.granularity or "period"
    return (f"{result.label} is {word}: {format_value(late, result.unit, currency=currency)} on average in the last "
            f"{len(after)} {grain}s, {format_value(early, result.unit, currency=currency)} in the {len(before)} before")


def _complete(points: list[SeriesPoint], today: date | None) -> list[SeriesPoint]:
    """The buckets that are over: not partial, and ending before the as-of day."""
    return [p for p in points if not p.partial and (today is None or p.end < today)]


def pivot_lines(result: MetricResult, *, currency: str = "$") -> list[str]:
    """`mrr by plan and segment` as a small table: one row per group, one column per subgroup."""
    rows: dict[str, dict[str, str]] = {}
    columns: list[str] = []
    for group in result.breakdown or []:
        sub = group.subgroup or "(none)"
        if sub not in columns:
            columns.append(sub)
        rows.setdefault(group.group, {})[sub] = format_value(group.value, result.unit, currency=currency)
    headers = [f"{result.breakdown_dimension} \\ {result.subgroup_dimension}", *columns]
    table = [[name, *(cells.get(c, "") for c in columns)] for name, cells in rows.items()]
    return [f"By {result.breakdown_dimension} and {result.subgroup_dimension}:", aligned(headers, table)]
