"""NPS as one 100% bar: promoters, passives and detractors, with the score, n and its interval."""

from __future__ import annotations

from dataclasses import dataclass

from kpi_engine.answers.format import format_value, result_period_label, sample_line
from kpi_engine.charts.style import GREEN, GREY, TEXT, VERMILLION, new_figure, set_title, to_png
from kpi_engine.results import MetricResult

SEGMENTS: tuple[tuple[str, str, str], ...] = (
    # part name, label, colour
    ("detractors", "Detractors (0–6)", VERMILLION),
    ("passives", "Passives (7–8)", GREY),
    ("promoters", "Promoters (9–10)", GREEN),
)


@dataclass(frozen=True)
class NpsData:
    title: str
    subtitle: str
    labels: list[str]
    shares: list[float]  # fractions in SEGMENTS order, summing to 1
    colours: list[str]


def has_nps_parts(result: MetricResult) -> bool:
    return all(isinstance(result.parts.get(name), int | float) for name, _, _ in SEGMENTS)


def nps_data(result: MetricResult) -> NpsData:
    """Shares from `result.parts` (fractions or counts: both are normalised to fractions)."""
    raw = [float(result.parts.get(name) or 0.0) for name, _, _ in SEGMENTS]
    total = sum(raw)
    shares = [value / total for value in raw] if total else [0.0] * len(raw)
    score = format_value(result.value, "score")
    subtitle = " · ".join(part for part in (f"NPS {score}", sample_line(result)) if part)
    return NpsData(
        title=f"{result.label} — {result_period_label(result)}",
        subtitle=subtitle,
        labels=[label for _, label, _ in SEGMENTS],
        shares=shares,
        colours=[colour for _, _, colour in SEGMENTS],
    )


def draw_nps(data: NpsData) -> bytes:
    fig = new_figure()
    ax = fig.add_subplot()
    ax.axis("off")
    left = 0.0
    for label, share, colour in zip(data.labels, data.shares, data.colours, strict=True):
        ax.barh([0], [share], left=left, color=colour, height=0.5, label=f"{label}: {share * 100:.0f}%")
        if share >= 0.06:
            ax.text(left + share / 2, 0, f"{share * 100:.0f}%", ha="center", va="center", fontsize=14,
                    fontweight="bold", color="white" if colour != GREY else TEXT)
        left += share
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, 0.6)
    set_title(fig, ax, data.title, data.subtitle)
    fig.legend(loc="outside lower center", ncol=3, frameon=False, fontsize=10)
    return to_png(fig)


def nps_chart(result: MetricResult) -> bytes:
    return draw_nps(nps_data(result))
