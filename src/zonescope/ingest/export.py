"""Exporting a kind in its import format (CSV, XLSX, JSON) so that export → import round-trips.

Text cells that a spreadsheet would run as a formula (starting with = + - @,
tab or carriage return) get a leading apostrophe; the importer removes it again.
Numbers stay numbers.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from zonescope.errors import ZoneScopeError
from zonescope.ingest.kinds import PROVENANCE, Kind, get_kind
from zonescope.regions import registry
from zonescope.store.queries import get_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = (".csv", ".xlsx", ".json")


def get_export_rows(con: duckdb.DuckDBPyConnection, kind: Kind) -> list[dict[str, Any]]:
    """The stored rows of `kind` in its file format, with a readable region name beside codes."""
    storage = [c.storage for c in kind.columns]
    provenance = list(PROVENANCE) if kind.money else []
    rows = get_rows(con, kind.table, storage + provenance, list(kind.storage_key))
    reg = registry()
    out = []
    for row in rows:
        record: dict[str, Any] = {}
        for column in kind.columns:
            value = row[column.storage]
            if column.type == "list":
                value = ";".join(value or [])
            elif column.type == "period" and value == "":
                value = None
            record[column.name] = value
            if column.type == "region":
                region = reg.get(value) if value else None
                record[f"{column.name}_name"] = region.name_zh if region else None
        record.update({name: row[name] for name in provenance})
        out.append(record)
    return out


def neutralise(value: Any) -> Any:
    """Make a text cell inert in spreadsheets.

    >>> neutralise("=1+2"), neutralise(-3.5), neutralise("-")
    ("'=1+2", -3.5, "'-")
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_kind(con: duckdb.DuckDBPyConnection, kind_name: str, target: Path) -> int:
    """Write every row of `kind_name` to `target` (format from its extension); return the count."""
    kind = get_kind(kind_name)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ZoneScopeError("export.bad_format", suffix=target.suffix or "?",
                             formats=", ".join(FORMATS))
    rows = get_export_rows(con, kind)
    headers = list(rows[0]) if rows else _headers(kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        target.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    elif suffix == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            for row in rows:
                writer.writerow(["" if row[h] is None else _csv_cell(neutralise(row[h]))
                                 for h in headers])
    else:
        write_xlsx(target, {kind.name: [headers] + [[neutralise(r[h]) for h in headers]
                                                    for r in rows]})
    return len(rows)


def write_xlsx(target: Path, sheets: dict[str, list[list[Any]]]) -> None:
    """Write plain-value sheets; every str cell is stored as text, never as a formula."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, table in sheets.items():
        sheet = book.create_sheet(title)
        for row in table:
            sheet.append(row)
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    with _exact_floats():
        book.save(target)


@contextmanager
def _exact_floats() -> Iterator[None]:
    """openpyxl writes numbers with '%.16g', which can lose a float's 17th digit.

    Writing repr() keeps every float exact, so an export re-imports to the same
    value; the patch is limited to our own save and always undone.
    """
    from openpyxl.cell import _writer

    original = _writer.safe_string

    def exact(value: Any) -> str:
        if isinstance(value, float) and math.isfinite(value):
            return repr(value)
        return original(value)

    _writer.safe_string = exact
    try:
        yield
    finally:
        _writer.safe_string = original


def _csv_cell(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _headers(kind: Kind) -> list[str]:
    headers = []
    for column in kind.columns:
        headers.append(column.name)
        if column.type == "region":
            headers.append(f"{column.name}_name")
    return headers + (list(PROVENANCE) if kind.money else [])
