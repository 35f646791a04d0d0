"""The store, as the claim checker asks it: through the trade analytics, cached per run.

Every figure comes from `zonescope.trade` (`get_series`, `get_ranking`, `get_share`) —
the same code behind `zonescope trade show | rank | share` — so a claim is judged by
exactly the numbers the rest of ZoneScope shows; nothing here computes a metric.
"""

from __future__ import annotations

from typing import Any

import duckdb

from zonescope.claims.context import Period
from zonescope.errors import ZoneScopeError
from zonescope.regions import Region, registry
from zonescope.trade import SeriesQuery, get_ranking, get_series, get_share
from zonescope.trade.engine import duckdb_tables


class TradeData:
    """Cached lookups of published rows, rankings and shares for one checking run."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.tables = duckdb_tables(con)
        self._series: dict[str, list[dict[str, Any]]] = {}
        self._rankings: dict[tuple[str, str, str, str, str, str], list[dict[str, Any]]] = {}
        self._shares: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}

    def row(self, region: Region, period: Period, flow: str) -> dict[str, Any] | None:
        """The trade row for one region, period, span and flow (published before derived)."""
        if region.id not in self._series:
            self._series[region.id] = get_series(self.con, SeriesQuery(region),
                                                 tables=self.tables)
        for span in _spans(period):
            rows = [r for r in self._series[region.id] if r["period"] == period.key
                    and r["span"] == span and r["flow"] == flow and r.get("value") is not None]
            rows.sort(key=lambda r: bool(r.get("derived")))
            if rows:
                return rows[0]
        return None

    def ranking(self, level: str, period: Period, flow: str, by: str,
                parent: Region | None) -> list[dict[str, Any]]:
        """Siblings under `parent` ranked by value or growth (rows with the measure only)."""
        key = (level, period.key, period.span, flow, by, parent.id if parent else "")
        if key not in self._rankings:
            rows: list[dict[str, Any]] = []
            for span in _spans(period):
                rows = rows or get_ranking(self.con, level=level, period=period.key, span=span,
                                           flow=flow, by=by, parent=parent, tables=self.tables)
            self._rankings[key] = rows
        return self._rankings[key]

    def share(self, region: Region, period: Period, flow: str,
              of: Region | None) -> dict[str, Any] | None:
        """`get_share`'s row for one flow; None when `of` is not above `region`."""
        key = (region.id, period.key + period.span, flow, of.id if of else "")
        if key not in self._shares:
            self._shares[key] = []
            for span in _spans(period):
                try:
                    rows = get_share(self.con, region, period=period.key, span=span, of=of,
                                     tables=self.tables)
                except ZoneScopeError:
                    break
                if any(r["flow"] == flow and r.get("share_pct") is not None for r in rows):
                    self._shares[key] = rows
                    break
                self._shares[key] = self._shares[key] or rows
        return next((r for r in self._shares[key] if r["flow"] == flow), None)


def _spans(period: Period) -> tuple[str, ...]:
    """The spans that hold this period's figure: a whole year is also January–December to date."""
    if period.month == 12 and period.span in ("year", "ytd"):
        return (period.span, "ytd" if period.span == "year" else "year")
    return (period.span,)


def siblings(parent: Region, level: str) -> int:
    """How many regions of `level` sit directly under `parent` (the ranking's full field)."""
    return len([c for c in registry().children(parent.id) if c.level == level])


def source_of(row: dict[str, Any] | None) -> str | None:
    """`igdt-2022-04 表1` — the source id and where in it, for explanations."""
    if not row or not row.get("source"):
        return None
    ref = row.get("source_ref")
    return f"{row['source']} {ref}" if ref else str(row["source"])
