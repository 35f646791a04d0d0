"""Small read-only questions to the store that the diagnosis, stage and commonalities ask.

Each returns plain rows with their source, or None when the store holds nothing —
never a default that could be mistaken for data.
"""

from __future__ import annotations

from typing import Any

import duckdb

from zonescope.clusters import ClusterFilter, get_clusters
from zonescope.policies.compare import get_policy_comparison
from zonescope.regions import Region, registry
from zonescope.trade import get_share


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def get_indicator(con: duckdb.DuckDBPyConnection, region_id: str, indicator: str,
                  year: int | None = None) -> dict[str, Any] | None:
    """The latest row (by year, then period) of `indicator` for the region, or of `year`."""
    return get_first_indicator(con, [region_id], indicator, year)


def get_first_indicator(con: duckdb.DuckDBPyConnection, region_ids: list[str], indicator: str,
                        year: int | None = None) -> dict[str, Any] | None:
    """The latest row of `indicator` for the first of `region_ids` that has one (one query)."""
    rows = _dicts(con.execute(
        "SELECT region_id, year, period, indicator, value, unit, value_raw, unit_raw, source, "
        "source_ref, cited_source, note FROM indicators WHERE list_contains($1, region_id) "
        "AND indicator = $2 AND value IS NOT NULL AND ($3 IS NULL OR year = $3) "
        "ORDER BY list_position($1, region_id), year DESC, period DESC LIMIT 1",
        [region_ids, indicator, year]))
    return rows[0] if rows else None


def get_policy_summary(con: duckdb.DuckDBPyConnection, region: Region) -> dict[str, Any]:
    """The policy library's summary of the region: total, counts by target, category, year.

    Taken from `zonescope.policies.compare` so that policy counts are defined once
    (policies of the region and of the places within it).
    """
    return get_policy_comparison(con, [region])["regions"][0]


def get_associations(con: duckdb.DuckDBPyConnection, region_id: str) -> list[dict[str, Any]]:
    return _dicts(con.execute(
        "SELECT name, founded, members, focus, source, source_ref FROM associations "
        "WHERE region_id = ? ORDER BY name", [region_id]))


def get_innovations(con: duckdb.DuckDBPyConnection, region_id: str) -> list[dict[str, Any]]:
    return _dicts(con.execute(
        "SELECT year, title, source, source_ref FROM innovations WHERE region_id = ? "
        "ORDER BY year NULLS LAST, title", [region_id]))


def get_pilot(con: duckdb.DuckDBPyConnection, region_id: str) -> dict[str, Any] | None:
    """The region's first still-valid pilot-zone approval (batch, date, document)."""
    rows = _dicts(con.execute(
        "SELECT batch, approval_date, approval_doc, name, source FROM pilot_zones "
        "WHERE region_id = ? AND revoked_by IS NULL ORDER BY approval_date LIMIT 1",
        [region_id]))
    return rows[0] if rows else None


def get_full_year_trade(con: duckdb.DuckDBPyConnection,
                        region_id: str) -> dict[str, Any] | None:
    """The latest full year (span year, or ytd to December) with a total: flow → value (亿元)."""
    rows = _dicts(con.execute(
        "SELECT period, span, flow, value, source, source_ref FROM trade WHERE region_id = ? "
        "AND mode = 'all' AND unit = '亿元' AND value IS NOT NULL "
        "AND (span = 'year' OR (span = 'ytd' AND right(period, 2) = '12')) "
        "ORDER BY period DESC, span", [region_id]))
    totals = [r for r in rows if r["flow"] == "total"]
    if not totals:
        return None
    chosen = totals[0]
    same = [r for r in rows if (r["period"], r["span"]) == (chosen["period"], chosen["span"])]
    return {"period": chosen["period"], "span": chosen["span"], "year": int(chosen["period"][:4]),
            "values": {r["flow"]: r["value"] for r in same},
            "source": chosen["source"], "source_ref": chosen["source_ref"]}


def get_mode_trade(con: duckdb.DuckDBPyConnection, region_id: str, modes: list[str],
                   flow: str) -> dict[str, Any] | None:
    """The latest period (year or ytd) with trade rows for any of `modes`: mode → value."""
    marks = ", ".join("?" for _ in modes)
    rows = _dicts(con.execute(
        "SELECT period, span, mode, value, source FROM trade WHERE region_id = ? AND flow = ? "
        f"AND mode IN ({marks}) AND span IN ('year', 'ytd') AND value IS NOT NULL "
        "ORDER BY period DESC, span", [region_id, flow, *modes]))
    if not rows:
        return None
    first = rows[0]
    same = [r for r in rows if (r["period"], r["span"]) == (first["period"], first["span"])]
    return {"period": first["period"], "span": first["span"],
            "values": {r["mode"]: r["value"] for r in same},
            "sources": sorted({r["source"] for r in same})}


def get_export_share(con: duckdb.DuckDBPyConnection, region: Region) -> dict[str, Any] | None:
    """The region's share of its province's exports in the newest period both have.

    The period is chosen with one SQL join (full years, or ytd to December, first;
    then the newest); the share itself comes from `zonescope.trade.get_share`, so the
    metric is defined once and computed once per region.
    """
    province = registry().province_of(region)
    if province is None or province.id == region.id:
        return None
    both = con.execute(
        "SELECT DISTINCT c.period, c.span FROM trade c JOIN trade p ON p.period = c.period "
        "AND p.span = c.span AND p.flow = c.flow AND p.mode = c.mode "
        "WHERE c.region_id = ? AND p.region_id = ? AND c.flow = 'export' AND c.mode = 'all' "
        "AND c.span IN ('year', 'ytd') AND c.value IS NOT NULL AND p.value IS NOT NULL",
        [region.id, province.id]).fetchall()
    if not both:
        return None
    period, span = max(both, key=lambda ps: (ps[1] == "year" or ps[0].endswith("-12"), ps[0]))
    rows = get_share(con, region, period=period, span=span, of=province)
    row = next((r for r in rows if r["flow"] == "export"), None)
    if row is None or row.get("share_pct") is None:
        return None
    return {**row, "province_id": province.id}


def has_detail(con: duckdb.DuckDBPyConnection, region_id: str, dim: str) -> bool:
    """Whether customs detail with dimension `dim` exists for the region (a cheap pre-check)."""
    row = con.execute("SELECT 1 FROM customs_detail WHERE region_id = ? AND "
                      "(',' || dims || ',') LIKE ? LIMIT 1", [region_id, f"%,{dim},%"]).fetchone()
    return row is not None


def get_region_clusters(con: duckdb.DuckDBPyConnection,
                        province: Region) -> list[dict[str, Any]] | None:
    """Unique directory rows of the province, or None when no directory of it is stored."""
    rows = get_clusters(con, ClusterFilter(province=province, unique=True))
    return rows or None


def get_data_year(con: duckdb.DuckDBPyConnection, region_id: str) -> int | None:
    """The year of the region's newest stored fact (trade, indicators, policies, innovations)."""
    row = con.execute(
        "SELECT max(y) FROM ("
        "SELECT max(CAST(left(period, 4) AS INTEGER)) AS y FROM trade WHERE region_id = $1 "
        "UNION ALL SELECT max(year) FROM indicators WHERE region_id = $1 "
        "UNION ALL SELECT max(CAST(left(published, 4) AS INTEGER)) FROM policies "
        "WHERE region_id = $1 AND published IS NOT NULL "
        "UNION ALL SELECT max(year) FROM innovations WHERE region_id = $1)",
        [region_id]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def get_store_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest trade year in the store: the fallback 'as of' year for a region with no data."""
    row = con.execute("SELECT max(CAST(left(period, 4) AS INTEGER)) FROM trade").fetchone()
    return int(row[0]) if row and row[0] is not None else None
