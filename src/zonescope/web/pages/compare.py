"""城市 and 对比: everything about one city; two to four cities side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from zonescope.compare import get_comparison
from zonescope.errors import ZoneScopeError
from zonescope.regions import registry
from zonescope.regions.resolve import resolve
from zonescope.trade import SeriesQuery, get_series
from zonescope.web import charts
from zonescope.web.views import store_of, twin

router = APIRouter()


def pilot_cities() -> list[str]:
    """Names offered in the region pickers: every active pilot zone's region."""
    reg = registry()
    names = {}
    for zone in reg.pilot_zones:
        region = reg.get(zone.region_id)
        if zone.active and region:
            names[region.id] = region.name_zh
    return sorted(names.values())


def _region_info(region_id: str) -> dict[str, Any]:
    reg = registry()
    region = reg.get(region_id)
    assert region is not None
    return {"id": region.id, "name_zh": region.name_zh, "name_en": region.name_en,
            "level": region.level, "path": reg.path(region),
            "pilot_zones": [{"batch": z.batch, "name": z.name, "approval_doc": z.approval_doc,
                             "approval_date": z.approval_date, "active": z.active,
                             "source": z.source} for z in reg.pilot(region.id)]}


def _city(con: Any, name: str) -> dict[str, Any]:
    region = resolve(name).region
    comparison = get_comparison(con, [region], latest_only=True).to_dict()
    series = get_series(con, SeriesQuery(region, ("total", "export", "import"), ("ytd", "year"),
                                         "all", None, None))
    return {"region": _region_info(region.id), "comparison": comparison, "series": series}


def city_charts(data: dict[str, Any], lang: str) -> dict[str, Any]:
    rows = [r for r in (data.get("series") or []) if r["span"] in ("ytd", "year")]
    if not rows:
        return {}
    from zonescope.i18n import translate

    lines = {}
    for flow in ("total", "export", "import"):
        picked = [r for r in rows if r["flow"] == flow]
        if picked:
            lines[translate(f"flow.{flow}", lang)] = ([f"{r['period']} {r['span']}"
                                                       for r in picked],
                                                      [r["value"] for r in picked])
    return {"series": charts.lines(translate("web.city.series", lang), lines,
                                   translate("web.unit.yi_yuan", lang))}


@twin(router, "/cities", "city.html", summary="One city: facts by dimension, trade series",
      charts=city_charts)
def get_city(request: Request, region: str | None = Query(None, max_length=60)
             ) -> dict[str, Any]:
    """Everything the store holds about one region (as `zonescope show`), plus its series."""
    if not region:
        return {"region": None, "choices": pilot_cities()}
    store = store_of(request)
    with store.read() as con:
        found = store.cached(("city", region), lambda: _city(con, region))
    return {**found, "choices": pilot_cities()}


@twin(router, "/compare", "compare.html", summary="Two to four regions side by side")
def get_compare(request: Request,
                regions: Annotated[list[str] | None, Query(
                    max_length=4, description="2–4 region names")] = None,
                period: str | None = Query(None, max_length=10)) -> dict[str, Any]:
    """Side-by-side facts by the five dimensions (as `zonescope compare`)."""
    names = [r.strip() for r in regions or [] if r.strip()]
    if not names:
        return {"comparison": None, "choices": pilot_cities(), "asked": []}
    if not 2 <= len(names) <= 4:
        raise ZoneScopeError("compare.count", count=len(names))
    found = [resolve(n).region for n in names]
    store = store_of(request)
    with store.read() as con:
        result = store.cached(("compare", tuple(r.id for r in found), period), lambda: (
            get_comparison(con, found, period=period, latest_only=period is None).to_dict()))
    return {"comparison": result, "choices": pilot_cities(), "asked": names,
            "reports": _report_formats()}


def _report_formats() -> list[str]:
    """Formats the report package offers (issue #8); empty until it exists."""
    try:
        from zonescope.web.pages.report import FORMATS
    except ImportError:
        return []
    return list(FORMATS)
