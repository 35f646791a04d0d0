"""Plotly figures (as plain Plotly JSON: `{"data": […], "layout": {…}}`) from a report's charts.

Presentation only: every number is already in the `Chart`. Figures are built as
dicts rather than `plotly.graph_objects`, which costs about a second to import and
adds nothing here; the browser's plotly.js draws them (HTML, PDF, chart images).
"""

from __future__ import annotations

from typing import Any

from zonescope.report.model import Chart, Figure, Series

FONT = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
        '"PingFang SC", sans-serif')
COLORS = ["#1f4e79", "#c0504d", "#4f8f3a", "#d79b00", "#7a5195", "#2a9d8f", "#8c564b"]
LINE_COLORS = ["#e07b00", "#6a6a6a", "#b23a48", "#2a9d8f", "#7a5195"]
CONFIG = {"displaylogo": False, "responsive": True,
          "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def figure_spec(figure: Figure) -> dict[str, Any]:
    """The Plotly figure (data, layout, config) for one report figure, keyed by its anchor."""
    chart = figure.chart
    build = {"combo": _combo, "bar": _bars, "hbar": _bars, "interval": _interval}[chart.type]
    data, layout = build(chart)
    base = {"font": {"family": FONT, "size": 13, "color": "#222"},
            "margin": {"l": 70, "r": 70 if chart.type == "combo" else 30, "t": 30, "b": 60},
            "legend": {"orientation": "h", "y": -0.18, "x": 0.5, "xanchor": "center"},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
            "hoverlabel": {"font": {"family": FONT}}}
    base.update(layout)
    return {"id": figure.anchor, "data": data, "layout": base, "config": CONFIG,
            "height": _height(chart)}


def _height(chart: Chart) -> int:
    if chart.type == "hbar":
        return max(320, 80 + int(18 * len(chart.categories) * (1 + 0.5 * len(chart.series))))
    return 420


def _axis(title: str | None, **extra: Any) -> dict[str, Any]:
    axis = {"title": {"text": title or ""}, "gridcolor": "#e5e5e5", "zeroline": True,
            "zerolinecolor": "#999", "automargin": True}
    axis.update(extra)
    return axis


def _bar_trace(series: Series, chart: Chart, color: str) -> dict[str, Any]:
    horizontal = chart.type == "hbar"
    values = series.values
    trace: dict[str, Any] = {
        "type": "bar", "name": series.name, "marker": {"color": color},
        "hovertemplate": "%{" + ("y" if horizontal else "x") + "}: %{"
                         + ("x" if horizontal else "y") + "}" + _unit(series) + "<extra>"
                         + series.name + "</extra>"}
    if horizontal:
        trace.update(orientation="h", y=chart.categories, x=values)
    else:
        trace.update(x=chart.categories, y=values)
    return trace


def _unit(series: Series) -> str:
    return f" {series.unit}" if series.unit else ""


def _bars(chart: Chart) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    data = [_bar_trace(s, chart, COLORS[i % len(COLORS)]) for i, s in enumerate(chart.series)]
    mode = "stack" if chart.stacked else "group"
    if chart.type == "hbar":
        return data, {"barmode": mode, "xaxis": _axis(chart.y_title),
                      "yaxis": _axis(None, autorange="reversed", gridcolor="#ffffff"),
                      "margin": {"l": 200, "r": 30, "t": 20, "b": 60}}
    y = _axis(chart.y_title, type="log") if chart.log_y else _axis(chart.y_title)
    return data, {"barmode": mode, "xaxis": _axis(None, gridcolor="#ffffff"), "yaxis": y}


def _combo(chart: Chart) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Cumulative values as bars (left axis), growth and share as lines (right axis)."""
    data = []
    bars = [s for s in chart.series if s.type == "bar"]
    lines = [s for s in chart.series if s.type != "bar"]
    for i, s in enumerate(bars):
        data.append(_bar_trace(s, chart, COLORS[i % len(COLORS)]))
    labelled = len(lines) <= 2
    for i, s in enumerate(lines):
        data.append({"type": "scatter", "mode": "lines+markers" + ("+text" if labelled else ""),
                     "name": s.name,
                     "x": chart.categories, "y": s.values, "yaxis": "y2",
                     "text": [_label(v) for v in s.values], "textposition": "top center",
                     "textfont": {"size": 10, "color": LINE_COLORS[i % len(LINE_COLORS)]},
                     "line": {"color": LINE_COLORS[i % len(LINE_COLORS)], "width": 2},
                     "connectgaps": False,
                     "hovertemplate": "%{x}: %{y}" + _unit(s) + "<extra>" + s.name
                                      + "</extra>"})
    return data, {"barmode": "group", "xaxis": _axis(None, gridcolor="#ffffff"),
                  "yaxis": _axis(chart.y_title),
                  "yaxis2": _axis(chart.y2_title, overlaying="y", side="right",
                                  showgrid=False, zeroline=False, tickmode="auto",
                                  nticks=8)}


def _label(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _interval(chart: Chart) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Nominal ranks with their 5–95 % interval as asymmetric error bars (rank 1 on top)."""
    data = []
    for i, s in enumerate(chart.series):
        low, high = s.error_low or [], s.error_high or []
        plus = [None if h is None or v is None else h - v
                for v, h in zip(s.values, high, strict=False)]
        minus = [None if lo is None or v is None else v - lo
                 for v, lo in zip(s.values, low, strict=False)]
        data.append({"type": "scatter", "mode": "markers", "name": s.name,
                     "x": chart.categories, "y": s.values,
                     "marker": {"size": 11, "color": COLORS[i % len(COLORS)]},
                     "error_y": {"type": "data", "symmetric": False, "array": plus,
                                 "arrayminus": minus, "color": "#555", "thickness": 2}})
    return data, {"xaxis": _axis(None, gridcolor="#ffffff"),
                  "yaxis": _axis(chart.y_title, autorange="reversed")}
