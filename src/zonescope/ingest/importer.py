"""Importing a file: read, validate everything, then write it all in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from zonescope.errors import ImportRejected
from zonescope.ingest import customs
from zonescope.ingest.consistency import check_cumulative
from zonescope.ingest.kinds import get_kind
from zonescope.ingest.readers import read_table, sha256_of
from zonescope.ingest.validate import validate
from zonescope.store import writer


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file_name: str
    sha256: str
    rows: int
    added: int
    updated: int
    unchanged: int
    import_id: int | None

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def import_file(con: duckdb.DuckDBPyConnection, path: Path, kind_name: str, *,
                fx: dict[str, float] | None = None, origin: str = "user",
                display_name: str | None = None, detail: Any = None) -> ImportReport:
    """Import `path` as `kind_name`; raise `ImportRejected` (nothing written) on any bad cell.

    `customs-city` is not a stored kind but a reader of the customs tables, whose
    rows land in `trade` (see `zonescope.ingest.customs`).
    """
    if kind_name == customs.KIND:
        name = display_name or path.name
        rows, written, digest = customs.import_customs(con, path, name, origin)
        return ImportReport(customs.KIND, name, digest, rows, written.added, written.updated,
                            written.unchanged, written.import_id)
    if kind_name == "customs-detail":  # streamed; `detail` holds its DetailOptions
        from zonescope.ingest.customs_detail import import_detail  # (it imports this module)

        return import_detail(con, path, display_name or path.name, fx=fx, options=detail,
                             origin=origin)
    kind = get_kind(kind_name)
    sheet = read_table(path, sheet_name=kind.name)
    checked = validate(sheet, kind, fx)
    name = display_name or path.name
    if not checked.problems and kind.name == "trade":
        checked.problems.extend(check_cumulative(con, checked.records, checked.row_numbers))
    if checked.problems:
        raise ImportRejected(name, checked.problems)
    digest = sha256_of(path)
    options = ",".join(f"{k}={v}" for k, v in sorted((fx or {}).items())) or None
    meta = writer.ImportMeta(kind.name, name, digest, origin, options)
    result = writer.write_rows(con, kind.table, kind.storage_key, checked.records, meta)
    return ImportReport(kind.name, name, digest, len(checked.records), result.added,
                        result.updated, result.unchanged, result.import_id)
