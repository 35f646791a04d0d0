"""Opening the store: a DuckDB file whose schema comes from numbered migrations."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from zonescope.errors import StoreError
from zonescope.store.owner import check_owner

LOCK_WAIT = 10.0  # seconds a write waits for readers beside a server, or they for it
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The package's migrations in order; their numbers run 1, 2, 3… without gaps."""
    folder = resources.files("zonescope.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migrations must be numbered 0001, 0002, … without gaps")
    return found


def latest_version() -> int:
    return migrations()[-1].version


def connect(path: Path, *, read_only: bool = False, sandboxed: bool = False,
            lock_config: bool = True, wait: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file at `path`.

    `sandboxed` connections cannot read or write files other than the store,
    install or load extensions, or change that setting again: the SQL console uses
    them for user-typed statements. `lock_config=False` leaves settings such as the
    time zone changeable (ibis sets it): the web server's one read connection serves
    both the analytics and the console, whose statements are SELECT-only anyway.
    `wait` retries for up to LOCK_WAIT seconds while another process holds the file
    for writing (a server's import, a reader beside a server that wants to write).
    """
    deadline = time.monotonic() + (LOCK_WAIT if wait else 0)
    while True:
        try:
            return _connect(path, read_only, sandboxed, lock_config)
        except StoreError as exc:
            if exc.key != "store.locked" or time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def _connect(path: Path, read_only: bool, sandboxed: bool,
             lock_config: bool) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool] = {}
    if sandboxed:
        config = {"enable_external_access": False, "autoinstall_known_extensions": False,
                  "autoload_known_extensions": False, "lock_configuration": lock_config}
    if not read_only:
        check_owner(path)  # a running `zonescope serve` owns the file: say so, never hang
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise StoreError("store.missing", path=str(path))
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise StoreError("store.locked", path=str(path)) from exc
        raise StoreError("store.not_a_store", path=str(path), detail=str(exc)) from exc
    except duckdb.Error as exc:
        raise StoreError("store.not_a_store", path=str(path), detail=str(exc)) from exc


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The highest migration applied to the open store (0 for an empty file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()
    if not exists or not exists[0]:
        user_tables = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchone()
        if user_tables and user_tables[0]:
            raise StoreError("store.foreign_schema")
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row else 0
