"""Static chart images (PNG) for Word and Markdown: the report's Plotly charts, drawn by
the same system Chromium and photographed element by element (one browser for all).
"""

from __future__ import annotations

from zonescope.report.browser import chart_images
from zonescope.report.html import chart_specs_json
from zonescope.report.model import Report


def render_chart_images(report: Report, fmt: str) -> dict[str, bytes]:
    """PNG bytes by figure anchor (`fig-3`)."""
    ids = [f.anchor for f in report.figures()]
    return chart_images(chart_specs_json(report), ids, fmt)
