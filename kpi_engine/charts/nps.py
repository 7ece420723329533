"""NPS as one 100% bar: promoters, passives and detractors, with the score, n and its interval."""

from __future__ import annotations

from dataclasses import dataclass

from kpi_engine.answers.format import sample_line
from kpi_engine.charts.labels import Headline, headed_figure, headline
from kpi_engine.charts.line import subtitle_for
from kpi_engine.charts.style import (
    GREEN,
    GREY,
    TEXT,
    TEXT_PT,
    TITLE_PT,
    VERMILLION,
    to_png,
)
from kpi_engine.results import MetricResult

SEGMENTS: tuple[tuple[str, str, str], ...] = (
    # part name, label, colour
    ("detractors", "Detractors 0–6", VERMILLION),
    ("passives", "Passives 7–8", GREY),
    ("promoters", "Promoters 9–10", GREEN),
)


@dataclass(frozen=True)
class NpsData:
    title: str
    subtitle: str
    headline: Headline
    sample: str  # "n = 100 · 95% interval ± 14.5 (30.5 to 59.5)"
    labels: list[str]
    shares: list[float]  # fractions in SEGMENTS order, summing to 1
    colours: list[str]


def has_nps_parts(result: MetricResult) -> bool:
    return all(isinstance(result.parts.get(name), int | float) for name, _, _ in SEGMENTS)


def nps_data(result: MetricResult, *, currency: str = "$") -> NpsData:
    """Shares from `result.parts` (fractions or counts: both are normalised to fractions)."""
    raw = [float(result.parts.get(name) or 0.0) for name, _, _ in SEGMENTS]
    total = sum(raw)
    shares = [value / total for value in raw] if total else [0.0] * len(raw)
    return NpsData(
        title=result.label,
        subtitle=subtitle_for(result),
        headline=headline(result, currency=currency),
        sample=sample_line(result) or "",
        labels=[label for _, label, _ in SEGMENTS],
        shares=shares,
        colours=[colour for _, _, colour in SEGMENTS],
    )


def draw_nps(data: NpsData) -> bytes:
    fig, body = headed_figure(data.title, data.subtitle, data.headline)
    ax = body.add_subplot()
    ax.axis("off")
    left = 0.0
    for label, share, colour in zip(data.labels, data.shares, data.colours, strict=True):
        ax.barh([0], [share], left=left, color=colour, height=0.55, label=f"{label}: {share * 100:.0f}%")
        if share >= 0.08:
            ax.text(left + share / 2, 0, f"{share * 100:.0f}%", ha="center", va="center", fontsize=TITLE_PT,
                    fontweight="bold", color="white" if colour != GREY else TEXT)
        left += share
    if data.sample:
        ax.text(0, 0.42, data.sample, ha="left", va="bottom", fontsize=TEXT_PT, color=TEXT)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, 0.75)
    body.legend(loc="outside lower center", ncol=3, frameon=False, fontsize=TEXT_PT, handlelength=1.0,
                columnspacing=1.0)
    return to_png(fig)


def nps_chart(result: MetricResult) -> bytes:
    return draw_nps(nps_data(result))
