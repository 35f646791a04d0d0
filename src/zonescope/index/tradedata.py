"""Raw indicator values computed from the store's trade table with `zonescope.trade.metrics`.

Nothing here re-implements a metric: values, published (or derived) growth, shares
of the province or the nation, contributions to the province's growth, balance and
the export/import ratio all come from the Ibis expressions in `trade.metrics`. This
module only chooses the period, span and flow, and links each unit to the region its
share is taken of. A unit that is itself a province has no share of "its province":
that cell is missing with a note, never 100 %.
"""

from __future__ import annotations

import math

import duckdb
import ibis
import ibis.expr.types as ir

from zonescope.index.framework import Indicator
from zonescope.regions import registry
from zonescope.regions.registry import NATION_ID
from zonescope.trade import metrics
from zonescope.trade.engine import duckdb_tables

Cell = tuple[float | None, str | None, str | None]  # value, source, note key


def trade_years(con: duckdb.DuckDBPyConnection, period: str, span: str) -> list[int]:
    """Years for which the store has all-mode trade rows at `period` (a `{year}` template)."""
    rows = con.execute("SELECT DISTINCT period FROM trade WHERE span = ? AND mode = 'all'",
                       [span]).fetchall()
    present = {r[0] for r in rows}
    years = {int(p[:4]) for p in present if p[:4].isdigit()}
    return sorted((y for y in years if period.format(year=y) in present), reverse=True)


def _links(units: list[str], parent: str) -> tuple[ir.Table, dict[str, str]]:
    """(region_id, level, parent_id) linking each unit to its province or the nation."""
    reg = registry()
    rows: dict[str, list[str]] = {"region_id": [], "level": [], "parent_id": []}
    notes: dict[str, str] = {}
    for unit in units:
        region = reg.get(unit)
        if region is None:
            continue
        target = NATION_ID
        if parent == "province":
            province = reg.province_of(region)
            if province is None or province.id == region.id:
                notes[unit] = "index.note_is_province"
                continue
            target = province.id
        rows["region_id"].append(unit)
        rows["level"].append(region.level)
        rows["parent_id"].append(target)
    schema = {"region_id": "string", "level": "string", "parent_id": "string"}
    return ibis.memtable(rows, schema=schema), notes


def _fetch(expr: ir.Table, column: str) -> dict[str, tuple[float | None, str | None]]:
    frame = expr.select("region_id", value=column, source="source").execute()
    out = {}
    for row in frame.to_dict("records"):
        value = row["value"]
        value = None if value is None or (isinstance(value, float) and math.isnan(value)) \
            else float(value)
        out[str(row["region_id"])] = (value, row["source"])
    return out


def _metric(trade: ir.Table, all_periods: ir.Table, indicator: Indicator, units: list[str],
            period: str) -> tuple[dict[str, tuple[float | None, str | None]], dict[str, str]]:
    metric, flow = indicator.metric, indicator.flow
    mine = trade.filter(trade.region_id.isin(units))
    if metric == "value":
        return _fetch(mine.filter(mine.flow == flow), "value"), {}
    if metric == "growth":
        grown = metrics.growth(all_periods.filter(all_periods.flow == flow))
        grown = grown.filter(grown.region_id.isin(units) & (grown.period == period))
        grown = grown.mutate(best=ibis.coalesce(grown.yoy_pct, grown.yoy_derived))
        return _fetch(grown, "best"), {}
    if metric in ("balance", "export_import_ratio"):
        wide = metrics.balance(mine)
        sources = mine.filter(mine.flow == "export").select("region_id", "source")
        return _fetch(wide.join(sources, "region_id"), metric), {}
    parent = "nation" if metric == "share_of_nation" else "province"
    links, notes = _links(units, parent)
    shared = metrics.shares(trade.filter(trade.flow == flow), links, trade.filter(
        trade.flow == flow))
    column = "contribution_pp" if metric == "contribution_to_province" else "share_pct"
    return _fetch(shared, column), notes


def trade_cells(con: duckdb.DuckDBPyConnection, indicators: tuple[Indicator, ...],
                units: list[str], period: str, span: str) -> dict[str, dict[str, Cell]]:
    """{indicator code: {unit: (value, source, note)}} for every unit with a value or a note."""
    tables = duckdb_tables(con)
    base = tables.trade.filter((tables.trade.span == span) & (tables.trade["mode"] == "all"))
    at_period = base.filter(base.period == period)
    cells: dict[str, dict[str, Cell]] = {}
    for indicator in indicators:
        values, notes = _metric(at_period, base, indicator, units, period)
        found: dict[str, Cell] = {u: (v, s, None) for u, (v, s) in values.items()}
        for unit, note in notes.items():
            found[unit] = (None, None, note)
        cells[indicator.code] = found
    return cells

