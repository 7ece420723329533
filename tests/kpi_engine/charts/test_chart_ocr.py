"""Every chart type, scaled to Slack's 480 px preview width, read back with Tesseract OCR: the title's metric name,
the headline value and at least half of the category or period labels must be legible.

The 480 px image is what a reader sees; it is enlarged ×3 (bicubic, no new detail) only because Tesseract is
tuned for text of 20–30 px. Skips where the `tesseract` binary is missing (Debian/Ubuntu: `tesseract-ocr`).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from kpi_engine.charts import render_chart
from kpi_engine.charts.composite import TrendPanel, composite_chart
from kpi_engine.charts.style import PREVIEW_PX
from tests.kpi_engine.charts import company

TESSERACT = shutil.which("tesseract")
pytestmark = pytest.mark.skipif(TESSERACT is None, reason="tesseract (apt-get install tesseract-ocr) is missing")


def squash(text: str) -> str:
    """Lower case, letters/digits/%/. only: OCR's spacing and dashes do not matter, the words do."""
    return re.sub(r"[^a-z0-9%.]", "", text.lower())


def read_at_preview_size(png: bytes, tmp_path: Path) -> str:
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
    preview = rgb.resize((PREVIEW_PX, round(rgb.height * PREVIEW_PX / rgb.width)), Image.Resampling.LANCZOS)
    enlarged = preview.resize((preview.width * 3, preview.height * 3), Image.Resampling.BICUBIC)
    path = tmp_path / "preview.png"
    enlarged.save(path)
    assert TESSERACT is not None
    done = subprocess.run([TESSERACT, str(path), "stdout", "--psm", "11"], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout


def digest_panels() -> bytes:
    weeks = [f"Mar {d}" for d in (2, 9, 16, 23, 30)]
    panels = [TrendPanel("MRR", "currency", weeks, [150e3, 155e3, 158e3, 160e3, 167e3], change="+4.4%"),
              TrendPanel("Signups", "count", weeks, [120, 130, 90, 140, 150], change="+7.1%"),
              TrendPanel("Churn rate", "percent", weeks, [0.03, 0.031, 0.029, 0.03, 0.028], change="-0.2 pp")]
    return composite_chart("Weekly KPIs · Mar 30 – Apr 5, 2026", "Weekly, last 12 weeks", panels)


CASES: dict[str, tuple[Callable[[], bytes | None], str, str, list[str]]] = {
    # name: (draw, metric name in the title, headline value, category or period labels)
    "line": (lambda: render_chart(company.signups_by_week()), "Signups", "2.2k",
             ["Nov 3", "Dec 1", "Dec 29", "Jan 26", "Feb 23", "2025", "2026"]),
    "bars": (lambda: render_chart(company.mrr_by_plan()), "MRR", "$167k", ["enterprise", "pro", "basic"]),
    "comparison": (lambda: render_chart(company.mrr()), "MRR", "$167k", ["Oct", "Nov 1"]),
    "nps": (lambda: render_chart(company.nps_score()), "NPS", "45", ["Detractors", "Passives", "Promoters"]),
    "score_series": (lambda: render_chart(company.nps_by_month()), "NPS", "36",
                     ["Jan", "Mar", "May", "Jul", "Sep", "Nov", "2026"]),
    "waterfall": (lambda: render_chart(company.movements()), "MRR movements", "$167k",
                  ["Starting MRR", "New", "Reactivation", "Expansion", "Contraction", "Churned", "Ending MRR"]),
    "retention": (lambda: render_chart(company.retention()), "Retention", "45%",
                  ["Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"]),
    "funnel": (lambda: render_chart(company.funnel()), "Funnel", "15%", ["signup", "activation", "purchase"]),
    "two_dimensions": (lambda: render_chart(company.mrr_by_plan_and_segment()), "MRR", "$167k",
                       ["enterprise", "pro", "basic", "mid-market", "smb"]),
    "group_series": (lambda: render_chart(company.mrr_by_plan_by_month()), "MRR", "$167k",
                     ["enterprise", "pro", "basic", "Jan", "Mar", "May", "Jul", "Sep", "Nov"]),
    "several_metrics": (lambda: render_chart(company.several_metrics()), "MRR", "$167k",
                        ["MRR", "Churn rate", "NPS", "Dec", "Nov"]),
    "digest": (digest_panels, "Weekly", "$167k", ["MRR", "Signups", "Churn rate", "Mar 2", "Mar 30"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_chart_reads_at_slack_preview_size(name: str, tmp_path: Path) -> None:
    draw, title, value, labels = CASES[name]
    png = draw()
    assert png is not None
    text = squash(read_at_preview_size(png, tmp_path))
    assert squash(title) in text, f"title {title!r} not read in {text!r}"
    # "$" reads as "S" or "$" at this size; the digits and the unit letter must be there
    assert squash(value.lstrip("$")) in text, f"headline {value!r} not read in {text!r}"
    read = [label for label in labels if squash(label) in text]
    assert len(read) * 2 >= len(labels), f"only {read} of {labels} read in {text!r}"
