"""The industrial-cluster directory: filtered listings and unique counts by city, province, sector.

A cluster printed twice under another name (`duplicate_of`) stays in the
directory but counts once: "unique" means rows whose `duplicate_of` is empty.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import duckdb

from zonescope.ingest.kinds import vocabulary
from zonescope.regions import Region, registry


@dataclass(frozen=True)
class ClusterFilter:
    province: Region | None = None
    city: Region | None = None
    sector: str | None = None
    unique: bool = False


def get_clusters(con: duckdb.DuckDBPyConnection, where: ClusterFilter) -> list[dict[str, Any]]:
    """Directory rows with their resolved city and county, filtered as asked."""
    rows = con.execute(
        "SELECT province_id, number, name, place, industry, region_id, sector, duplicate_of, "
        "source, source_ref, note FROM clusters ORDER BY province_id, number").fetchall()
    out = []
    for province_id, number, name, place, industry, region_id, sector, dup, source, ref, note \
            in rows:
        if where.province and province_id != where.province.id:
            continue
        if where.sector and sector != where.sector:
            continue
        if where.unique and dup is not None:
            continue
        city, county = _city_and_county(region_id)
        if where.city and (city is None or city.id != where.city.id):
            continue
        out.append({
            "province_id": province_id, "number": number, "name": name, "place": place,
            "industry": industry, "region_id": region_id,
            "city_id": city.id if city else None, "city": city.name_zh if city else None,
            "county_id": county.id if county else None,
            "county": county.name_zh if county else None, "sector": sector,
            "sector_zh": vocabulary("sectors").get(sector or "", {}).get("name_zh"),
            "duplicate_of": dup, "source": source, "source_ref": ref, "note": note,
        })
    return out


def get_cluster_stats(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Unique clusters per province, per city (prefecture-level) and per sector.

    Rows placed only at province level (浙南, 南粤…) count for the province but
    not for any city; they are reported as `unplaced` per province.
    """
    rows = get_clusters(con, ClusterFilter(unique=True))
    printed = Counter(r["province_id"] for r in get_clusters(con, ClusterFilter()))
    by_province = Counter(r["province_id"] for r in rows)
    unplaced = Counter(r["province_id"] for r in rows if r["city_id"] is None)
    by_city = Counter((r["province_id"], r["city_id"]) for r in rows if r["city_id"])
    by_sector = Counter(r["sector"] for r in rows)
    sectors = vocabulary("sectors")
    return {
        "provinces": [{"province_id": p, "province": _name(p), "printed": printed[p],
                       "unique": n, "unplaced": unplaced[p]}
                      for p, n in sorted(by_province.items())],
        "cities": [{"province_id": p, "city_id": c, "city": _name(c), "unique": n,
                    "province": _name(p)}
                   for (p, c), n in sorted(by_city.items(), key=lambda kv: (-kv[1], kv[0]))],
        "sectors": [{"sector": s, "name_zh": sectors.get(s or "", {}).get("name_zh"),
                     "name_en": sectors.get(s or "", {}).get("name_en"), "unique": n}
                    for s, n in sorted(by_sector.items(), key=lambda kv: (-kv[1], kv[0] or ""))],
        "total": [{"printed": sum(printed.values()), "unique": len(rows)}],
    }


def _city_and_county(region_id: str | None) -> tuple[Region | None, Region | None]:
    reg = registry()
    region = reg.get(region_id) if region_id else None
    if region is None or region.level in ("nation", "province"):
        return None, None
    if region.level == "prefecture":
        return region, None
    city = next((a for a in reg.ancestors(region) if a.level == "prefecture"), None)
    return city, region


def _name(region_id: str) -> str | None:
    region = registry().get(region_id)
    return region.name_zh if region else None
