"""The raw data of a build: units × indicators, each cell with its source.

Three origins, chosen by the framework's `data.from` (or by giving a file):

- `trade`: computed from the store's trade table (see `tradedata`);
- `indicators`: the store's indicators table (rows of `zonescope import --kind indicators`);
- `file`: a wide CSV/XLSX, one row per region and one column per indicator code (or
  its Chinese name) — what `zonescope index template -o data.xlsx` writes.

The units are the active pilot zones (`units: active_pilot_zones`) or whatever the
data lists (`units: data`). A unit without any value stays in the raw data so that
screening can list it; it is never scored as zero. An indicator with no value at all
is refused: the framework names data that is absent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from zonescope.errors import (
    CellProblem,
    ImportRejected,
    RegionAmbiguous,
    RegionNotFound,
    ZoneScopeError,
)
from zonescope.index.framework import Framework
from zonescope.index.tradedata import trade_cells, trade_years
from zonescope.ingest.readers import read_table, sha256_of
from zonescope.ingest.values import BadValue, parse_number
from zonescope.regions import registry
from zonescope.regions.resolve import resolve

REGION_HEADERS = ("region", "地区", "城市", "region_id", "地区代码")


@dataclass
class RawData:
    """Values (NaN = missing) of `codes` for `units`, with per-cell sources and notes."""

    units: list[str]
    codes: list[str]
    values: np.ndarray
    sources: list[list[str | None]]
    notes: dict[str, str] = field(default_factory=dict)   # "unit|code" -> message key
    origin: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> RawData:
        return RawData(list(self.units), list(self.codes), self.values.copy(),
                       [list(r) for r in self.sources], dict(self.notes), dict(self.origin))

    def to_dict(self) -> dict[str, Any]:
        return {"units": self.units, "codes": self.codes,
                "values": [[None if math.isnan(v) else float(v) for v in row]
                           for row in self.values],
                "sources": self.sources, "notes": self.notes, "origin": self.origin}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RawData:
        values = np.array([[np.nan if v is None else v for v in row] for row in data["values"]],
                          dtype=float).reshape(len(data["units"]), len(data["codes"]))
        return cls(list(data["units"]), list(data["codes"]), values,
                   [list(r) for r in data["sources"]], dict(data["notes"]),
                   dict(data["origin"]))


def active_pilot_units() -> list[str]:
    """Region ids of the active pilot zones, in the order of the pilot-zone list."""
    seen: dict[str, None] = {}
    for zone in registry().pilot_zones:
        if zone.active:
            seen.setdefault(zone.region_id, None)
    return list(seen)


def get_raw(con: duckdb.DuckDBPyConnection | None, framework: Framework, *,
            year: int | None = None, data: Path | None = None) -> RawData:
    """Assemble the raw data the framework asks for (a `data` file overrides `data.from`)."""
    if data is not None:
        return _from_file(framework, Path(data))
    spec = framework.data
    if spec.source == "file" or con is None:
        raise ZoneScopeError("index.data_file_needed", framework=framework.id)
    if spec.source == "trade":
        return _from_trade(con, framework, year)
    return _from_indicators(con, framework, year)


def _assemble(framework: Framework, units: list[str],
              cells: dict[str, dict[str, tuple[float | None, str | None, str | None]]],
              origin: dict[str, Any]) -> RawData:
    codes = [i.code for i in framework.indicators]
    absent = [c for c in codes if not any(v is not None for v, _, _ in cells[c].values())]
    if absent:
        raise ZoneScopeError("index.data_absent", codes=absent, origin=_origin_label(origin))
    values = np.full((len(units), len(codes)), np.nan)
    sources: list[list[str | None]] = [[None] * len(codes) for _ in units]
    notes: dict[str, str] = {}
    row_of = {u: i for i, u in enumerate(units)}
    for j, code in enumerate(codes):
        for unit, (value, source, note) in cells[code].items():
            if unit not in row_of:
                continue
            i = row_of[unit]
            if value is not None:
                values[i, j] = value
                sources[i][j] = source
            if note:
                notes[f"{unit}|{code}"] = note
    return RawData(units, codes, values, sources, notes, origin)


def _origin_label(origin: dict[str, Any]) -> str:
    return " ".join(str(origin[k]) for k in ("from", "file", "period", "span", "year")
                    if origin.get(k))


def _units(framework: Framework, listed: list[str]) -> list[str]:
    if framework.data.units == "active_pilot_zones":
        return active_pilot_units()
    return listed


def _from_trade(con: duckdb.DuckDBPyConnection, framework: Framework, year: int | None
                ) -> RawData:
    spec = framework.data
    years = trade_years(con, spec.period, spec.span)
    chosen = year or spec.year or (years[0] if years else None)
    if chosen is None or chosen not in years:
        raise ZoneScopeError("index.no_trade_year", year=chosen or "—",
                             period=spec.period.format(year=chosen or "YYYY"), span=spec.span,
                             years=years or ["—"])
    period = spec.period.format(year=chosen)
    units = _units(framework, [])
    cells = trade_cells(con, framework.indicators, units, period, spec.span)
    origin = {"from": "trade", "period": period, "span": spec.span, "year": chosen}
    return _assemble(framework, units, cells, origin)


def _from_indicators(con: duckdb.DuckDBPyConnection, framework: Framework, year: int | None
                     ) -> RawData:
    codes = [i.code for i in framework.indicators]
    marks = ", ".join("?" for _ in codes)
    years = [r[0] for r in con.execute(
        f"SELECT DISTINCT year FROM indicators WHERE indicator IN ({marks}) ORDER BY year DESC",
        codes).fetchall()]
    chosen = year or framework.data.year or (years[0] if years else None)
    if chosen is None:
        raise ZoneScopeError("index.data_absent", codes=codes, origin="indicators")
    rows = con.execute(
        f"SELECT indicator, region_id, value, source FROM indicators WHERE year = ? AND "
        f"indicator IN ({marks}) ORDER BY indicator, region_id, period", [chosen, *codes]
    ).fetchall()
    cells: dict[str, dict[str, tuple[float | None, str | None, str | None]]] = {
        c: {} for c in codes}
    for code, region, value, source in rows:  # the latest period of the year wins
        cells[code][region] = (value, source, None)
    listed = sorted({r[1] for r in rows})
    origin = {"from": "indicators", "year": chosen}
    return _assemble(framework, _units(framework, listed), cells, origin)


def _from_file(framework: Framework, path: Path) -> RawData:
    if not path.is_file():
        raise ZoneScopeError("file.missing", path=str(path))
    sheet = read_table(path)
    if sheet.problems:
        raise ImportRejected(path.name, sheet.problems)
    columns = _file_columns(framework, sheet.headers, path.name)
    problems: list[CellProblem] = []
    cells: dict[str, dict[str, tuple[float | None, str | None, str | None]]] = {
        i.code: {} for i in framework.indicators}
    listed: list[str] = []
    source = f"file:{path.name}"
    for number, row in sheet.rows:
        region = _region(row[columns["region"]], number, sheet.headers[columns["region"]],
                         problems)
        if region is None:
            continue
        listed.append(region)
        for code, j in columns.items():
            if code == "region":
                continue
            try:
                value, _ = parse_number(row[j])
            except BadValue as bad:
                problems.append(CellProblem(number, sheet.headers[j], str(row[j]), bad.key,
                                            bad.params))
                continue
            cells[code][region] = (value, source, None)
    if problems:
        raise ImportRejected(path.name, problems)
    origin = {"from": "file", "file": path.name, "sha256": sha256_of(path)}
    return _assemble(framework, _units(framework, list(dict.fromkeys(listed))), cells, origin)


def _file_columns(framework: Framework, headers: list[str], file: str) -> dict[str, int]:
    """Column index of the region and of each indicator (by code or Chinese name)."""
    columns: dict[str, int] = {}
    by_name = {i.name_zh: i.code for i in framework.indicators}
    codes = {i.code for i in framework.indicators}
    for j, header in enumerate(headers):
        text = header.strip()
        if text in REGION_HEADERS and "region" not in columns:
            columns["region"] = j
        elif text in codes or text in by_name:
            columns[by_name.get(text, text)] = j
    if "region" not in columns:
        raise ZoneScopeError("index.data_no_region", file=file, choices=list(REGION_HEADERS))
    absent = [i.code for i in framework.indicators if i.code not in columns]
    if absent:
        raise ZoneScopeError("index.data_absent", codes=absent, origin=file)
    return columns


def _region(cell: object, number: int, header: str, problems: list[CellProblem]) -> str | None:
    text = "" if cell is None else str(cell).strip()
    try:
        return resolve(text).region.id
    except (RegionNotFound, RegionAmbiguous) as exc:
        problems.append(CellProblem(number, header, text, exc.key, exc.params))
        return None
