"""Plotly figure specs (plain dicts) built from page contexts; drawn by static/app.js.

Specs are written by hand rather than through `plotly.graph_objects`: same JSON,
a fraction of the time. The map takes its geometry from the bundled GeoJSON by
URL on this server (`/static/geo/…`), never from a tile server or a CDN.
"""

from __future__ import annotations

from typing import Any

from zonescope.i18n import translate

GEOJSON_URL = "/static/geo/china-provinces.geojson"
FONT = {"family": "Noto Sans CJK SC, Noto Sans SC, sans-serif", "size": 12}


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {"title": {"text": title, "font": {"size": 14}}, "font": FONT,
            "margin": {"l": 50, "r": 20, "t": 40, "b": 40}, "height": 340, **extra}


def _name(row: dict[str, Any], lang: str) -> str:
    return str(row.get("name_zh" if lang == "zh" else "name_en") or row.get("region_id"))


def china_map(ids: list[str], values: list[Any], text: list[str], title: str,
              colorbar: str) -> dict[str, Any]:
    """A choropleth of provinces keyed by GB/T 2260 code."""
    trace = {"type": "choropleth", "geojson": GEOJSON_URL, "featureidkey": "properties.id",
             "locations": ids, "z": values, "text": text, "hoverinfo": "text+z",
             "colorscale": "Blues", "reversescale": True,
             "marker": {"line": {"color": "#888", "width": 0.5}},
             "colorbar": {"title": {"text": colorbar}, "thickness": 12}}
    geo = {"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"},
           "showframe": False, "bgcolor": "rgba(0,0,0,0)"}
    return {"data": [trace], "layout": _layout(title, geo=geo, height=420,
                                                margin={"l": 0, "r": 0, "t": 40, "b": 0})}


def overview(data: dict[str, Any], lang: str) -> dict[str, Any]:
    t = translate
    out: dict[str, Any] = {}
    pilots = data["pilot_zones"]
    out["pilot_map"] = china_map(
        [p["id"] for p in pilots["provinces"]], [p["count"] for p in pilots["provinces"]],
        [f"{_name(p, lang)}：{t('web.overview.first_batch', lang, batch=p['first_batch'])}"
         for p in pilots["provinces"]],
        t("web.overview.pilot_map", lang), t("web.overview.zones", lang))
    out["pilot_batches"] = {"data": [{
        "type": "bar", "x": [t("web.overview.batch", lang, batch=b["batch"])
                             for b in pilots["batches"]],
        "y": [b["count"] for b in pilots["batches"]], "marker": {"color": "#1f5f99"}}],
        "layout": _layout(t("web.overview.by_batch", lang))}
    if data["provinces"]:
        rows = data["provinces"]
        out["province_map"] = china_map(
            [r["region_id"] for r in rows], [r["value"] for r in rows],
            [_name(r, lang) for r in rows],
            t("web.overview.province_map", lang, period=data["period"]),
            t("web.unit.yi_yuan", lang))
    series = data["national"]
    if series:
        traces = []
        for flow in ("export", "import"):
            rows = [r for r in series if r["flow"] == flow]
            traces.append({"type": "bar", "name": t(f"flow.{flow}", lang),
                           "x": [r["period"] for r in rows], "y": [r["value"] for r in rows]})
        out["national"] = {"data": traces, "layout": _layout(
            t("web.overview.national", lang), barmode="stack",
            yaxis={"title": {"text": t("web.unit.yi_yuan", lang)}})}
    return out


def bars(title: str, labels: list[str], values: list[Any], *, horizontal: bool = False,
         height: int = 340) -> dict[str, Any]:
    trace: dict[str, Any] = {"type": "bar", "marker": {"color": "#1f5f99"}}
    if horizontal:
        trace.update(x=values, y=labels, orientation="h")
        layout = _layout(title, height=height, yaxis={"autorange": "reversed"},
                         margin={"l": 120, "r": 20, "t": 40, "b": 40})
    else:
        trace.update(x=labels, y=values)
        layout = _layout(title, height=height)
    return {"data": [trace], "layout": layout}


def lines(title: str, series: dict[str, tuple[list[Any], list[Any]]], unit: str
          ) -> dict[str, Any]:
    traces = [{"type": "scatter", "mode": "lines+markers", "name": name, "x": x, "y": y}
              for name, (x, y) in series.items()]
    return {"data": traces, "layout": _layout(title, yaxis={"title": {"text": unit}})}
