"""The one write path into the store: migrations, imports, reference tables, undo, reset.

Every change happens inside one transaction together with its entry in the
import log, so a process killed at any moment leaves the store as it was.
No other module issues INSERT, UPDATE, DELETE or DDL (a test checks).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from zonescope.errors import StoreError
from zonescope.store.connection import latest_version, migrations, schema_version
from zonescope.store.owner import check_owner


@dataclass(frozen=True)
class ImportMeta:
    """What the import log records about one file."""

    kind: str
    file_name: str
    sha256: str
    origin: str = "user"
    options: str | None = None


@dataclass(frozen=True)
class WriteResult:
    import_id: int | None
    added: int
    updated: int
    unchanged: int


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring the open store up to the package's schema; refuse a newer one."""
    current = schema_version(con)
    latest = latest_version()
    if current > latest:
        raise StoreError("store.too_new", found=current, supported=latest)
    applied: list[int] = []
    for migration in migrations()[current:]:
        with _transaction(con):
            if migration.version == 1:
                con.execute("CREATE TABLE schema_migrations (version INTEGER NOT NULL, "
                            "name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)")
            con.execute(migration.sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        [migration.version, migration.name, datetime.now()])
        applied.append(migration.version)
    return applied


def write_rows(con: duckdb.DuckDBPyConnection, table: str, key: Sequence[str],
               rows: list[dict[str, Any]], meta: ImportMeta) -> WriteResult:
    """Upsert `rows` into `table` by `key` and log the import, all or nothing.

    A row whose key is new is added; one whose key exists with different values
    replaces it (updated); an identical one is left alone (unchanged).
    """
    with _transaction(con):
        import_id = _next_import_id(con)
        added, updated = _upsert(con, table, key, rows, import_id, keep=_undoable(meta))
        result = WriteResult(import_id, added, updated, len(rows) - added - updated)
        _log_import(con, import_id, meta, result)
        _pause_for_crash_test()
    return result


@dataclass(frozen=True)
class DetailWrite:
    """What `write_detail_chunks` did: detail rows stored and replaced, and the trade upsert."""

    import_id: int
    rows: int
    replaced: int
    trade: WriteResult


def write_detail_chunks(con: duckdb.DuckDBPyConnection, chunks: Iterable[Any], meta: ImportMeta,
                        *, table: str, partition: Sequence[str],
                        trade_rows: Callable[[duckdb.DuckDBPyConnection, int],
                                             list[dict[str, Any]]],
                        trade_key: Sequence[str], insert_threads: int | None = None
                        ) -> DetailWrite:
    """Append a stream of detail chunks to `table`, then upsert their aggregates, all or nothing.

    `chunks` is any iterable of frames DuckDB can scan (Arrow tables, pandas); it may
    raise part-way (a reader that found bad rows raises `ImportRejected` when it
    ends), and then nothing at all is kept. The uncommitted rows of the
    transaction are the staging area: DuckDB writes large appends to the file
    optimistically and frees them on rollback (or, after kill -9, never links them),
    so memory stays bounded however long the file. After the last chunk, rows of
    older imports in the same `partition` are deleted (a re-imported query replaces
    its earlier self); `trade_rows(con, import_id)` then reads the new rows back as
    aggregates (a SELECT), which are upserted into `trade` by `trade_key`; the import
    is logged; and only then is the transaction committed. `insert_threads` caps
    DuckDB's threads while appending (a caller producing chunks in its own thread
    leaves DuckDB the other core: less contention, about 30 % less CPU per row).
    """
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    with _transaction(con):
        import_id = _next_import_id(con)
        rows = 0
        try:
            if insert_threads:
                con.execute(f"SET threads = {int(insert_threads)}")
            for chunk in chunks:
                # scanned by its variable name: a registered view would be kept, and the
                # chunk's memory with it, until the transaction ends
                incoming_detail = chunk
                con.execute(f"INSERT INTO {table} BY NAME SELECT *, ? AS import_id "
                            "FROM incoming_detail", [import_id]).fetchall()  # (finish it)
                del incoming_detail
                rows += len(chunk)
        finally:
            con.execute(f"SET threads = {int(threads)}")
        same = " AND ".join(f"o.{c} IS NOT DISTINCT FROM n.{c}" for c in partition)
        keys = ", ".join(partition)
        older = (f"FROM {table} o WHERE o.import_id <> {import_id} AND EXISTS (SELECT 1 FROM "
                 f"(SELECT DISTINCT {keys} FROM {table} WHERE import_id = {import_id}) n "
                 f"WHERE {same})")
        replaced = _count(con, f"SELECT count(*) {older}")
        if replaced:
            if _undoable(meta):
                con.execute(f"INSERT INTO {table}_superseded BY NAME "
                            f"SELECT o.*, {import_id} AS superseded_by {older}")
            con.execute(f"DELETE {older}")
        aggregates = trade_rows(con, import_id)
        added, updated = _upsert(con, "trade", trade_key, aggregates, import_id,
                                 keep=_undoable(meta))
        trade = WriteResult(import_id, added, updated, len(aggregates) - added - updated)
        _log_import(con, import_id, meta, WriteResult(import_id, rows, 0, 0))
        _pause_for_crash_test()
    return DetailWrite(import_id, rows, replaced, trade)


def replace_table(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]],
                  meta: ImportMeta) -> WriteResult:
    """Replace a reference table (regions, pilot zones) wholesale, logged like an import."""
    with _transaction(con):
        import_id = _next_import_id(con)
        con.execute(f"DELETE FROM {table}")
        if rows:
            frame = pd.DataFrame(rows, dtype=object)
            con.register("incoming", frame.where(frame.notna(), None))
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
            con.unregister("incoming")
        result = WriteResult(import_id, len(rows), 0, 0)
        _log_import(con, import_id, meta, result)
    return result


def _upsert(con: duckdb.DuckDBPyConnection, table: str, key: Sequence[str],
            rows: list[dict[str, Any]], import_id: int, *, keep: bool) -> tuple[int, int]:
    """Inside an open transaction: upsert `rows` into `table` by `key`; (added, updated).

    With `keep`, the rows about to be replaced go to `<table>_superseded` first, so
    that `undo_latest` can put them back.
    """
    frame = pd.DataFrame([{**row, "import_id": import_id} for row in rows], dtype=object)
    con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM {table} LIMIT 0")
    if rows:
        con.register("incoming", frame)
        con.execute("INSERT INTO staged BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    columns = [c for c in _columns(con, table) if c != "import_id"]
    on_key = " AND ".join(f"t.{k} IS NOT DISTINCT FROM s.{k}" for k in key)
    differs = " OR ".join(f"t.{c} IS DISTINCT FROM s.{c}" for c in columns if c not in key)
    added = _count(con, f"SELECT count(*) FROM staged s WHERE NOT EXISTS "
                        f"(SELECT 1 FROM {table} t WHERE {on_key})")
    updated = _count(con, f"SELECT count(*) FROM staged s JOIN {table} t ON {on_key} "
                          f"WHERE {differs or 'false'}")
    if updated and keep:
        con.execute(f"INSERT INTO {table}_superseded BY NAME SELECT t.*, {import_id} AS "
                    f"superseded_by FROM {table} t WHERE EXISTS (SELECT 1 FROM staged s "
                    f"WHERE {on_key} AND ({differs or 'false'}))")
    con.execute(f"DELETE FROM {table} t USING staged s "
                f"WHERE {on_key} AND ({differs or 'false'})")
    con.execute(f"INSERT INTO {table} BY NAME SELECT s.* FROM staged s WHERE NOT EXISTS "
                f"(SELECT 1 FROM {table} t WHERE {on_key})")
    con.execute("DROP TABLE staged")
    return added, updated


# the tables a user import writes; each has a shadow `<table>_superseded` (migration 5)
UNDOABLE = ("trade", "indicators", "policies", "innovations", "associations", "clusters",
            "customs_detail")


def undo_latest(con: duckdb.DuckDBPyConnection, expected: int | None = None
                ) -> dict[str, Any]:
    """Take back the newest user import that is not undone, exactly, in one transaction.

    Its rows (import_id = it) leave every table; the rows it replaced come back from
    the shadows with their own import_id; it is marked undone and the undo is logged
    (kind `undo`). Repeated calls walk back one import at a time. Refused when there
    is no user import to undo, or when bundled data was loaded after it (its rows may
    have replaced the import's, so putting the import's predecessors back would clash).
    `expected` (the id the user confirmed) refuses if another import came in meanwhile.
    """
    with _transaction(con):
        target = undo_target(con)
        undone = target["import_id"]
        if expected is not None and expected != undone:
            raise StoreError("undo.changed", id=expected, newest=undone)
        undo_id = _next_import_id(con)
        tables: dict[str, dict[str, int]] = {}
        for table in UNDOABLE:
            removed = _changed(con, f"DELETE FROM {table} WHERE import_id = ?", undone)
            restored = _changed(con, f"INSERT INTO {table} BY NAME SELECT * EXCLUDE "
                                     f"(superseded_by) FROM {table}_superseded "
                                     "WHERE superseded_by = ?", undone)
            con.execute(f"DELETE FROM {table}_superseded WHERE superseded_by = ?", [undone])
            if removed or restored:
                tables[table] = {"removed": removed, "restored": restored}
        con.execute("INSERT INTO undone VALUES (?, ?)", [undone, undo_id])
        result = {**target, "undo_id": undo_id,
                  "rows_removed": sum(t["removed"] for t in tables.values()),
                  "rows_restored": sum(t["restored"] for t in tables.values()),
                  "tables": tables}
        meta = ImportMeta("undo", target["file_name"], target["sha256"], "user",
                          f"undo of import #{undone}: {result['rows_removed']} rows removed, "
                          f"{result['rows_restored']} restored")
        _log_import(con, undo_id, meta, WriteResult(undo_id, result["rows_restored"], 0, 0))
        _pause_for_crash_test()
    return result


def undo_target(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The import `undo_latest` would take back (a read), or the reason there is none."""
    live = ("FROM imports WHERE kind <> 'undo' AND id NOT IN (SELECT import_id FROM undone)")
    row = con.execute("SELECT id, kind, file_name, sha256, origin, imported_at "
                      f"{live} ORDER BY id DESC LIMIT 1").fetchone()
    if row is None or row[4] != "user":
        user = con.execute(f"SELECT max(id) {live} AND origin = 'user'").fetchone()
        if user and user[0] is not None and row is not None:
            raise StoreError("undo.blocked", id=user[0], bundled=row[2])
        raise StoreError("undo.nothing")
    return {"import_id": row[0], "kind": row[1], "file_name": row[2], "sha256": row[3],
            "imported_at": row[5].isoformat(" ", "seconds")}


def _undoable(meta: ImportMeta) -> bool:
    """Only user imports are undone, so only they keep the rows they replace."""
    return meta.origin == "user"


def _changed(con: duckdb.DuckDBPyConnection, sql: str, import_id: int) -> int:
    """Run an INSERT or DELETE for one import id; the rows it changed."""
    rows = con.execute(sql, [import_id]).fetchall()
    return int(rows[0][0]) if rows else 0


def reset(path: Path) -> None:
    """Delete the store file (and its write-ahead log); the next use rebuilds it."""
    check_owner(path)  # never from under a running server
    for candidate in (path, path.with_name(path.name + ".wal")):
        if candidate.exists():
            candidate.unlink()


def _pause_for_crash_test() -> None:
    """Test hook: with ZONESCOPE_CRASH_TEST_MARKER set, signal and wait just before COMMIT.

    tests/store/test_atomic.py uses it to kill -9 an import at its most fragile
    moment — everything written, nothing committed — and check nothing survives.
    """
    marker = os.environ.get("ZONESCOPE_CRASH_TEST_MARKER")
    if marker:
        Path(marker).write_text("in transaction", encoding="utf-8")
        time.sleep(60)


def _log_import(con: duckdb.DuckDBPyConnection, import_id: int, meta: ImportMeta,
                result: WriteResult) -> None:
    con.execute(
        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [import_id, meta.kind, meta.file_name, meta.sha256, meta.origin, datetime.now(),
         result.added, result.updated, result.unchanged, meta.options],
    )


def _next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    return _count(con, "SELECT coalesce(max(id), 0) + 1 FROM imports")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()]


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    rows = con.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0


def _refuse_read_only(con: duckdb.DuckDBPyConnection) -> None:
    """A store opened read-only beside a server is not written: say who owns it."""
    row = con.execute("SELECT readonly, path FROM duckdb_databases() "
                      "WHERE database_name = current_database()").fetchone()
    if row and row[0]:
        store = Path(row[1])
        check_owner(store)
        raise StoreError("store.read_only", path=str(store))


class _transaction:
    """BEGIN … COMMIT, rolling back on any exception."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> None:
        _refuse_read_only(self.con)
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.con.execute("COMMIT")
        else:
            self.con.execute("ROLLBACK")


def write_index_run(con: duckdb.DuckDBPyConnection, record: dict[str, Any]) -> int:
    """Store one index build or analysis (`index_runs`, migration 4) in one transaction; its id."""
    with _transaction(con):
        run_id = _count(con, "SELECT coalesce(max(id), 0) + 1 FROM index_runs")
        con.execute("INSERT INTO index_runs BY NAME SELECT ? AS id, * FROM "
                    "(SELECT ?::TEXT AS kind, ?::TEXT AS framework_id, ?::INTEGER AS year, "
                    "?::TIMESTAMP AS created_at, ?::INTEGER AS build_id, ?::TEXT AS framework, "
                    "?::TEXT AS framework_file, ?::TEXT AS raw, ?::TEXT AS log, "
                    "?::TEXT AS results)",
                    [run_id, record["kind"], record["framework_id"], record.get("year"),
                     record["created_at"], record.get("build_id"), record["framework"],
                     record["framework_file"], record["raw"], record["log"], record["results"]])
    return run_id
