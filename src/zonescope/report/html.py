"""The report as one self-contained HTML file: Jinja2 template, plotly.js embedded once.

The file needs no network: plotly.js is read from the installed `plotly` package and
inlined, fonts are the reader's (a CJK font stack), and there are no external links.
`chart_specs_json` gives the same charts as data, drawn alone for chart images.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from zonescope.i18n import translate
from zonescope.report.charts import figure_spec
from zonescope.report.model import Report


@cache
def plotly_js() -> str:
    """plotly.js's cartesian bundle, shipped in the package (no CDN, no download).

    The report draws only bar and line charts; this bundle is a third of the full
    plotly.min.js (data/js/README.md), so reports are smaller and quicker to open.
    """
    return (resources.files("zonescope") / "data" / "js" / "plotly-cartesian.min.js"
            ).read_text("utf-8")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("zonescope.report", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["cell"] = cell
    return env


def cell(value: Any) -> str:
    """A table cell: — for missing, floats with separators and at most 2 decimals, ints as is.

    >>> cell(None), cell(45048.2412), cell(3300.0), cell(2021), cell(-5.2)
    ('—', '45,048.24', '3,300', '2021', '-5.2')
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    return str(value)


def specs(report: Report) -> dict[str, dict[str, Any]]:
    return {f.anchor: figure_spec(f) for f in report.figures()}


def _chart_json(found: dict[str, dict[str, Any]]) -> str:
    return json.dumps(list(found.values()), ensure_ascii=False, default=str).replace("</", "<\\/")


def _depths(report: Report) -> dict[str, int]:
    depth: dict[str, int] = {}

    def visit(section: Any, level: int) -> None:
        depth[section.id] = level
        for child in section.children:
            visit(child, level + 1)

    for top in report.sections:
        visit(top, 1)
    return depth


def render_html(report: Report) -> str:
    found = specs(report)
    template = _environment().get_template("report.html.j2")
    return template.render(report=report, specs=found,
                           chart_json=jinja2.utils.markupsafe.Markup(_chart_json(found)),
                           plotly_js=jinja2.utils.markupsafe.Markup(plotly_js()),
                           depth=_depths(report),
                           t=lambda key, **p: translate(key, report.lang, **p))


def chart_specs_json(report: Report) -> str:
    """The report's charts as JSON (id, height, data, layout, config), for chart images."""
    return _chart_json(specs(report))
