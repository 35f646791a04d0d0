"""概览: national and provincial trade, pilot zones by batch on the map, top cities."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request

from zonescope.regions import registry
from zonescope.regions.registry import NATION_ID as NATION
from zonescope.store.queries import get_status
from zonescope.trade import SeriesQuery, get_ranking, get_series
from zonescope.web import charts
from zonescope.web.views import store_of, twin

router = APIRouter()
TOP_CITIES = 15


def _pilot_zones() -> dict[str, Any]:
    """Pilot zones per batch and per province (from the region registry's reference list)."""
    reg = registry()
    by_batch: dict[int, list[str]] = defaultdict(list)
    by_province: dict[str, dict[str, Any]] = {}
    for zone in reg.pilot_zones:
        if not zone.active:
            continue
        by_batch[zone.batch].append(zone.name)
        region = reg.get(zone.region_id)
        province = reg.province_of(region) if region else None
        if province is None:
            continue
        entry = by_province.setdefault(province.id, {
            "id": province.id, "name_zh": province.name_zh, "name_en": province.name_en,
            "count": 0, "first_batch": zone.batch, "zones": []})
        entry["count"] += 1
        entry["first_batch"] = min(entry["first_batch"], zone.batch)
        entry["zones"].append({"name": zone.name, "batch": zone.batch})
    return {"batches": [{"batch": b, "count": len(n), "zones": n}
                        for b, n in sorted(by_batch.items())],
            "provinces": sorted(by_province.values(), key=lambda p: p["id"]),
            "total": sum(len(n) for n in by_batch.values()), "source": "ref-pilot-zones"}


def _overview(con: Any) -> dict[str, Any]:
    status = {d["dataset"]: d for d in get_status(con)}
    latest = status["trade"]["last"]
    nation = registry().get(NATION)
    assert nation is not None
    year = latest[:4] if latest else None
    series = get_series(con, SeriesQuery(nation, ("export", "import", "total"), ("month",),
                                         "all", f"{year}-01" if year else None, latest)
                        ) if latest else []
    provinces = get_ranking(con, level="province", period=latest, span="ytd") if latest else []
    cities = get_ranking(con, level="prefecture", period=latest, span="ytd") if latest else []
    cities = sorted(cities, key=lambda r: -(r.get("value") or 0))[:TOP_CITIES]
    return {"period": latest, "span": "ytd", "national": series, "provinces": provinces,
            "top_cities": cities, "pilot_zones": _pilot_zones(),
            "datasets": list(status.values())}


@twin(router, "/", "overview.html", summary="Overview: trade, pilot zones, top cities",
      charts=charts.overview, api="/overview")
def get_overview(request: Request) -> dict[str, Any]:
    """National monthly trade, provinces ranked at the latest period, pilot zones, top cities."""
    store = store_of(request)
    with store.read() as con:
        return store.cached(("overview",), lambda: _overview(con))  # type: ignore[no-any-return]

