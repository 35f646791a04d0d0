"""Signal methods: how each kind of stored data becomes a value for the diagnosis.

A method is chosen by its registered name in signals.yaml (never looked up with
`eval`) and returns a `Reading`: the value, what it was computed from (message
parameters for the evidence sentence) and its sources — or, when the store does
not hold what it needs, no value and the reason, so the diagnosis can say which
data would decide it instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from zonescope.mindset import facts
from zonescope.regions import Region, registry
from zonescope.trade.detail import get_concentration, get_mode_shares

if TYPE_CHECKING:
    from zonescope.mindset.spec import SignalSpec


@dataclass
class Reading:
    """One signal's raw value with its evidence, or the reason it has none."""

    value: float | None
    unit: str | None = None
    period: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    missing: str | None = None


def num(value: float | None, digits: int = 2) -> str:
    """A number for a sentence: integers without decimals, others to `digits` places.

    >>> num(3300.0), num(0.55555), num(47.70), num(None)
    ('3,300', '0.56', '47.7', '—')
    """
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def _source(row: dict[str, Any]) -> dict[str, Any]:
    return {"source": row.get("source"), "source_ref": row.get("source_ref")}


def _unique(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for item in sources:
        key = (item.get("source"), item.get("source_ref"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def read_indicator(con: duckdb.DuckDBPyConnection, region: Region,
                   spec: SignalSpec) -> Reading:
    code = spec.params["indicator"]
    row = facts.get_indicator(con, region.id, code)
    if row is None:
        return Reading(None, missing="no_indicator", facts={"indicator": code})
    return Reading(row["value"], row["unit"], str(row["year"]),
                   {"value": num(row["value"]), "unit": row["unit"], "year": row["year"]},
                   [_source(row)])


def read_indicator_ratio(con: duckdb.DuckDBPyConnection, region: Region,
                         spec: SignalSpec) -> Reading:
    top = facts.get_indicator(con, region.id, spec.params["numerator"])
    bottom = facts.get_indicator(con, region.id, spec.params["denominator"])
    if top is None or bottom is None or not bottom["value"]:
        # a zero denominator is as unusable as a missing one
        absent = [c for c, r in ((spec.params["numerator"], top),
                                 (spec.params["denominator"], bottom))
                  if r is None or not r["value"]]
        return Reading(None, missing="no_indicator", facts={"indicator": absent})
    ratio = top["value"] / bottom["value"]
    return Reading(ratio, None, f"{top['year']}/{bottom['year']}", {
        "top": num(top["value"]), "top_year": top["year"], "bottom": num(bottom["value"]),
        "bottom_year": bottom["year"], "pct": num(ratio * 100, 1)},
        [_source(top), _source(bottom)])


def _directory(con: duckdb.DuckDBPyConnection, region: Region
               ) -> tuple[Region | None, list[dict[str, Any]] | None]:
    province = registry().province_of(region)
    if province is None:
        return None, None
    return province, facts.get_region_clusters(con, province)


def read_clusters_city(con: duckdb.DuckDBPyConnection, region: Region,
                       spec: SignalSpec) -> Reading:
    if region.level not in ("prefecture", "county", "province"):
        return Reading(None, missing="not_city", facts={"level": region.level})
    province, rows = _directory(con, region)
    if province is None or rows is None:
        return Reading(None, missing="no_directory", facts={"province": province or "—"})
    if region.level == "province":  # a municipality is its own province: all of it
        mine = rows
    else:
        key = "city_id" if region.level == "prefecture" else "county_id"
        mine = [r for r in rows if r[key] == region.id]
    return Reading(float(len(mine)), "个", None, {
        "count": len(mine), "province": province, "total": len(rows),
        "examples": "、".join(r["name"] for r in mine[:3]) or "—"},
        _unique([_source(r) for r in rows]))


def read_clusters_province(con: duckdb.DuckDBPyConnection, region: Region,
                           spec: SignalSpec) -> Reading:
    province, rows = _directory(con, region)
    if province is None or rows is None:
        return Reading(None, missing="no_directory", facts={"province": province or "—"})
    return Reading(float(len(rows)), "个", None, {"count": len(rows), "province": province},
                   _unique([_source(r) for r in rows]))


def read_policy_targets(con: duckdb.DuckDBPyConnection, region: Region,
                        spec: SignalSpec) -> Reading:
    summary = facts.get_policy_summary(con, region)
    total = summary["total"]
    if total < spec.min_count:
        return Reading(None, missing="too_few_policies", facts={"count": total,
                                                                "min": spec.min_count})
    ecommerce = summary["by_target"].get(spec.params["ecommerce_target"], 0)
    trade = summary["by_target"].get(spec.params["trade_target"], 0)
    if ecommerce + trade == 0:
        return Reading(None, missing="no_targets", facts={"count": total})
    years = sorted(y for y in summary["by_year"] if y.isdigit())
    span = "–".join(dict.fromkeys([years[0], years[-1]])) if years else None
    sources = [dict(zip(("source", "source_ref"), (*s.split(" ", 1), None)[:2], strict=True))
               for s in summary["sources"]]
    return Reading(ecommerce / (ecommerce + trade), None, span, {
        "count": total, "ecommerce": ecommerce, "trade": trade,
        "pct": num(ecommerce / (ecommerce + trade) * 100, 1), "span": span or "—"}, sources)


def read_association_focus(con: duckdb.DuckDBPyConnection, region: Region,
                           spec: SignalSpec) -> Reading:
    found = facts.get_associations(con, region.id)
    if not found:
        return Reading(None, missing="no_association")
    focus = " ".join(a["focus"] for a in found)
    seller = [k for k in spec.params["ecommerce_keywords"] if k in focus]
    factory = [k for k in spec.params["trade_keywords"] if k in focus]
    names = "、".join(a["name"] for a in found)
    if not seller and not factory:
        return Reading(None, missing="no_keywords", facts={"names": names})
    lean = (len(seller) - len(factory)) / (len(seller) + len(factory))
    return Reading(lean, None, None, {"names": names, "seller": "、".join(seller) or "—",
                                      "factory": "、".join(factory) or "—",
                                      "lean": num(lean)},
                   _unique([_source(a) for a in found]))


def read_mode_mix(con: duckdb.DuckDBPyConnection, region: Region, spec: SignalSpec) -> Reading:
    retail, b2b = list(spec.params["ecommerce_modes"]), list(spec.params["trade_modes"])
    found = facts.get_mode_trade(con, region.id, retail + b2b, spec.params["flow"])
    if found is not None:
        values, period, unit = found["values"], found["period"], "亿元"
        sources = [{"source": s, "source_ref": f"{period} {found['span']}"}
                   for s in found["sources"]]
    else:
        rows = (get_mode_shares(con, region.id, flow=spec.params["flow"])
                if facts.has_detail(con, region.id, "mode") else [])
        if not rows:
            return Reading(None, missing="no_modes", facts={"modes": retail + b2b})
        period = max(r["period_label"] for r in rows)
        values = {r["mode"]: r["value"] for r in rows if r["period_label"] == period}
        unit = next(r["value_unit"] for r in rows if r["period_label"] == period)
        sources = [{"source": "customs_detail", "source_ref": period}]
    e = sum(values.get(m) or 0 for m in retail)
    t = sum(values.get(m) or 0 for m in b2b)
    if e + t <= 0:
        return Reading(None, missing="no_modes", facts={"modes": retail + b2b})
    return Reading(e / (e + t), None, period, {
        "period": period, "retail": num(e), "b2b": num(t), "unit": unit,
        "retail_modes": "/".join(retail), "b2b_modes": "/".join(b2b),
        "pct": num(e / (e + t) * 100, 2)}, sources)


def read_concentration(con: duckdb.DuckDBPyConnection, region: Region,
                       spec: SignalSpec) -> Reading:
    rows = (get_concentration(con, region.id, flow=spec.params["flow"])
            if facts.has_detail(con, region.id, "hs") else [])
    if not rows:
        return Reading(None, missing="no_detail")
    newest = max(r["period_label"] for r in rows)
    row = sorted((r for r in rows if r["period_label"] == newest),
                 key=lambda r: r["currency"] != "CNY")[0]
    return Reading(row["hhi"], "HHI", newest, {
        "period": newest, "hhi": num(row["hhi"], 0), "chapters": row["chapters"],
        "top": row["top_chapter"], "top_pct": num(row["top_share_pct"], 1)},
        [{"source": "customs_detail", "source_ref": newest}])


def read_export_share(con: duckdb.DuckDBPyConnection, region: Region,
                      spec: SignalSpec) -> Reading:
    row = facts.get_export_share(con, region)
    if row is None:
        return Reading(None, missing="no_export_share")
    province = registry().get(row["province_id"])
    return Reading(row["share_pct"], "%", row["period"], {
        "period": row["period"], "span": row["span"], "value": num(row["value"]),
        "parent_value": num(row["parent_value"]), "pct": num(row["share_pct"], 1),
        "province": province or row["province_id"]},
        [{"source": row.get("source"), "source_ref": f"{row['period']} {row['span']}"}])


Reader = Callable[[duckdb.DuckDBPyConnection, Region, "SignalSpec"], Reading]

# method name -> (the params signals.yaml must give, the reader)
METHODS: dict[str, tuple[tuple[str, ...], Reader]] = {
    "indicator": (("indicator",), read_indicator),
    "indicator_ratio": (("numerator", "denominator"), read_indicator_ratio),
    "clusters_city": ((), read_clusters_city),
    "clusters_province": ((), read_clusters_province),
    "policy_targets": (("ecommerce_target", "trade_target"), read_policy_targets),
    "association_focus": (("ecommerce_keywords", "trade_keywords"), read_association_focus),
    "mode_mix": (("ecommerce_modes", "trade_modes", "flow"), read_mode_mix),
    "concentration": (("flow",), read_concentration),
    "export_share_of_province": ((), read_export_share),
}


def read(con: duckdb.DuckDBPyConnection, region: Region, spec: SignalSpec) -> Reading:
    """Compute one signal's reading for `region` with the method its spec names."""
    return METHODS[spec.method][1](con, region, spec)
