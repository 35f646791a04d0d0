"""产业集群: the filterable directory and its statistics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from zonescope.clusters import ClusterFilter, get_cluster_stats, get_clusters
from zonescope.errors import ZoneScopeError
from zonescope.ingest.kinds import vocabulary
from zonescope.regions.resolve import resolve
from zonescope.web import charts
from zonescope.web.views import store_of, twin

router = APIRouter()


def _charts(data: dict[str, Any], lang: str) -> dict[str, Any]:
    sectors = data["stats"]["sectors"]
    name = "name_zh" if lang == "zh" else "name_en"
    return {"sectors": charts.bars("", [s[name] or s["sector"] for s in sectors],
                                   [s["unique"] for s in sectors], horizontal=True, height=420)}


@twin(router, "/clusters", "clusters.html", summary="Industrial-cluster directory and stats",
      charts=_charts)
def get_cluster_page(request: Request, province: str | None = Query(None, max_length=60),
                     city: str | None = Query(None, max_length=60),
                     sector: str | None = Query(None, max_length=60),
                     unique: bool = Query(False)) -> dict[str, Any]:
    """Directory rows filtered (as `zonescope clusters`) and the statistics (`clusters stats`)."""
    sectors = vocabulary("sectors")
    if sector and sector not in sectors:
        raise ZoneScopeError("value.not_in_vocabulary", items=sector, known=list(sectors))
    where = ClusterFilter(province=resolve(province, level="province").region if province else None,
                          city=resolve(city, level="prefecture").region if city else None,
                          sector=sector or None, unique=unique)
    store = store_of(request)
    with store.read() as con:
        rows = store.cached(("clusters", where), lambda: get_clusters(con, where))
        stats = store.cached(("cluster_stats",), lambda: get_cluster_stats(con))
    return {"clusters": rows, "stats": stats, "sectors": list(sectors.values())}
