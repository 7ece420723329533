"""The distribution of a campaign's scores: one bar per score, coloured unhappy / neutral / happy, as a PNG.

`distribution_data` (pure) decides what is drawn; `distribution_chart` draws it with the engine's chart style.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.ticker import MaxNLocator

from kpi_engine.charts.style import GREEN, GREY, TEXT_PT, VERMILLION, new_figure, set_title, style_axes, to_png
from surveys.kinds import SurveyKind
from surveys.presenting import headline, response_rate_line
from surveys.results import CampaignResults

COLOURS = {"detractor": VERMILLION, "passive": GREY, "promoter": GREEN}


@dataclass(frozen=True)
class DistributionData:
    title: str
    subtitle: str
    scores: list[int]
    counts: list[int]
    colours: list[str]
    x_label: str


def distribution_data(results: CampaignResults, kind: SurveyKind) -> DistributionData:
    scores = list(kind.scores)
    counts = [results.summary.distribution.get(score, 0) for score in scores]
    return DistributionData(
        title=f"{headline(results.campaign, results.summary)}",
        subtitle=f"{results.campaign.campaign_id} · {response_rate_line(results)}",
        scores=scores,
        counts=counts,
        colours=[COLOURS[kind.sentiment(score)] for score in scores],
        x_label=f"{kind.low} = {kind.low_anchor} · {kind.high} = {kind.high_anchor}",
    )


def draw_distribution(data: DistributionData) -> bytes:
    fig = new_figure()
    ax = fig.add_subplot()
    style_axes(ax)
    bars = ax.bar([str(s) for s in data.scores], data.counts, color=data.colours, width=0.7)
    for bar, count in zip(bars, data.counts, strict=True):
        if count:
            ax.annotate(str(count), (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center",
                        va="bottom", fontsize=TEXT_PT, xytext=(0, 2), textcoords="offset points")
    ax.set_xlabel(data.x_label, fontsize=TEXT_PT)
    ax.set_ylabel("answers", fontsize=TEXT_PT)
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # matplotlib's default AutoLocator: ticks at whole answers
        locator.set_params(integer=True)
    set_title(fig, ax, data.title, data.subtitle)
    return to_png(fig)


def distribution_chart(results: CampaignResults, kind: SurveyKind) -> bytes:
    return draw_distribution(distribution_data(results, kind))
