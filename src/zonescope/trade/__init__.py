"""Trade analytics over the store: series, rankings and shares, built from `trade.metrics`.

These functions choose what to compute and return plain rows (dicts); the
expressions themselves live in `metrics` so they run unchanged on any Ibis
backend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import duckdb
import ibis
import pandas as pd

from zonescope.errors import ZoneScopeError
from zonescope.regions import Region, registry
from zonescope.trade import metrics
from zonescope.trade.engine import Tables, duckdb_tables
from zonescope.trade.memo import is_remembered, remember, remembered

FLOWS = ("total", "export", "import")
SPANS = ("month", "ytd", "year")
RANK_BY = ("value", "growth", "share")


@dataclass(frozen=True)
class SeriesQuery:
    region: Region
    flows: tuple[str, ...] = FLOWS
    spans: tuple[str, ...] = SPANS
    mode: str = "all"
    start: str | None = None
    end: str | None = None


def get_series(con: duckdb.DuckDBPyConnection, query: SeriesQuery,
               tables: Tables | None = None) -> list[dict[str, Any]]:
    """Published rows plus single months derived from cumulative ones, with growth and share.

    A published single month always wins over a derived one for the same period.
    """
    _check(query.flows, FLOWS, "flow")
    _check(query.spans, SPANS, "span")
    return [row for row in _region_series(con, query.region, tables=tables)
            if row["flow"] in query.flows and row["span"] in query.spans
            and row["mode"] == query.mode
            and (not query.start or row["period"] >= query.start)
            and (not query.end or row["period"] <= query.end)]


@remembered
def _region_series(con: duckdb.DuckDBPyConnection, region: Region,
                   tables: Tables | None = None) -> list[dict[str, Any]]:
    """Every flow, span and mode of one region's series (what `get_series` selects from)."""
    return _series_rows(con, [region.id], tables).get(region.id, [])


def warm_series(con: duckdb.DuckDBPyConnection, regions: list[Region],
                tables: Tables | None = None) -> None:
    """Compute several regions' series in one set of queries and remember each.

    A report needs five or six regions; compiling the expressions once for all of
    them, rather than once per region, saves most of the time (docs/benchmarks.md).
    """
    todo = [r for r in dict.fromkeys(regions) if not is_remembered(_region_series, con, r)]
    if len(todo) < 2:
        return
    found = _series_rows(con, [r.id for r in todo], tables)
    for region in todo:
        remember(_region_series, con, (region,), found.get(region.id, []))


def _series_rows(con: duckdb.DuckDBPyConnection, region_ids: list[str],
                 tables: Tables | None) -> dict[str, list[dict[str, Any]]]:
    t = tables or duckdb_tables(con)
    trade = t.trade.filter(t.trade.region_id.isin(region_ids))
    published = metrics.growth(trade)
    published = published.mutate(months=ibis.ifelse(published.span == "month", 1,
                                                     ibis.null("int32")))
    derived = metrics.single_month_growth(trade)
    months = metrics.single_months(trade).left_join(
        derived, ["region_id", "period", "span", "flow", "mode"]).select(
        metrics.single_months(trade), "prior_implied", "yoy_derived")
    frame = _frame(published)
    extra = _frame(months)
    key = ["region_id", "period", "span", "flow", "mode"]
    if not extra.empty:
        have = set(frame[key].itertuples(index=False, name=None))
        keep = [row not in have for row in extra[key].itertuples(index=False, name=None)]
        frame = pd.concat([frame, extra[keep]], ignore_index=True)
    links = metrics.parent_links(t.regions)
    shares = _frame(metrics.shares(trade, links, t.trade).select(
        *key, "share_pct", "contribution_pp"))
    if not shares.empty:
        frame = frame.merge(shares, on=key, how="left")
    frame = frame.sort_values(["region_id", "period", "span", "flow"], key=_order)
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in frame.to_dict("records"):
        rows.setdefault(row["region_id"], []).append(_clean(row))
    return rows


@remembered
def get_ranking(con: duckdb.DuckDBPyConnection, *, level: str, period: str, span: str = "ytd",
                flow: str = "total", by: str = "value", parent: Region | None = None,
                mode: str = "all", tables: Tables | None = None) -> list[dict[str, Any]]:
    """Regions of one level ranked among their siblings, with the gap to the next rank."""
    _check((by,), RANK_BY, "by")
    _check((flow,), FLOWS, "flow")
    t = tables or duckdb_tables(con)
    ranked = metrics.ranks(t.trade, t.regions, by=by)
    ranked = ranked.filter((ranked.level == level) & (ranked.period == period)
                           & (ranked.span == span) & (ranked.flow == flow)
                           & (ranked["mode"] == mode))
    if parent is not None:
        ranked = ranked.filter(ranked.parent_id == parent.id)
    frame = _frame(ranked.select("region_id", "parent_id", "value", "yoy_pct", "share_pct",
                                 "rank", "siblings", "gap_to_above", "above_region_id",
                                 "contribution_pp", "source"))
    frame = frame.sort_values(["parent_id", "rank"])
    reg = registry()
    rows = []
    for row in frame.to_dict("records"):
        region = reg.get(row["region_id"])
        row["name_zh"] = region.name_zh if region else row["region_id"]
        row["name_en"] = region.name_en if region else row["region_id"]
        rows.append(_clean(row))
    return rows


@remembered
def get_share(con: duckdb.DuckDBPyConnection, region: Region, *, period: str,
              span: str = "ytd", of: Region | None = None, mode: str = "all",
              tables: Tables | None = None) -> list[dict[str, Any]]:
    """The region's share of a parent (its own by default, or any ancestor) per flow."""
    reg = registry()
    parent = of or reg.parent(region)
    if parent is None or parent.id not in {a.id for a in reg.ancestors(region)}:
        raise ZoneScopeError("trade.not_an_ancestor", region=region.label(),
                             parent=parent.label() if parent else "—")
    t = tables or duckdb_tables(con)
    link = ibis.memtable({"region_id": [region.id], "level": [region.level],
                          "parent_id": [parent.id]})
    found = metrics.shares(t.trade.filter(t.trade.region_id == region.id), link, t.trade)
    found = found.filter((found.period == period) & (found.span == span)
                         & (found["mode"] == mode))
    frame = _frame(found.select("flow", "value", "yoy_pct", "source", "parent_value",
                                "parent_yoy_pct", "share_pct", "contribution_pp"))
    rows = []
    for flow in FLOWS:
        match = frame[frame.flow == flow].to_dict("records")
        row: dict[str, Any] = {"region_id": region.id, "parent_id": parent.id, "flow": flow,
                               "period": period, "span": span, "mode": mode}
        row.update(match[0] if match else dict.fromkeys(
            ("value", "yoy_pct", "source", "parent_value", "parent_yoy_pct", "share_pct",
             "contribution_pp")))
        rows.append(_clean(row))
    return rows


def _frame(expr: ibis.Table) -> pd.DataFrame:
    return expr.execute()


def _order(column: pd.Series) -> pd.Series:
    order = {"month": 0, "ytd": 1, "year": 2, "total": 0, "export": 1, "import": 2}
    return column.map(lambda v: order.get(v, v)) if column.name in ("span", "flow") else column


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """NaN → None and numpy scalars → Python, so JSON and tables show — for missing."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        if value is pd.NA:
            value = None
        out[key] = value
    return out


def _check(values: tuple[str, ...], allowed: tuple[str, ...], name: str) -> None:
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ZoneScopeError("trade.bad_option", option=name, value="、".join(bad),
                             allowed=" | ".join(allowed))
