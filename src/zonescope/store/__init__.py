"""The embedded store: one DuckDB file, migrated on open, bundled data loaded on first use.

While `zonescope serve` owns the file (store.owner), another process opens it
read-only beside the server's own read-only connection — DuckDB allows several
readers — so CLI reads keep working; a write through `writer` is refused, naming
the server.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from zonescope.config import default_db_path
from zonescope.errors import StoreError
from zonescope.store import writer
from zonescope.store.connection import connect, latest_version, schema_version
from zonescope.store.owner import read_owner


class Store:
    """A store file and its (lazily opened, migrated, populated) connection."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path).expanduser() if path else default_db_path()
        self.wait = False  # wait (connection.LOCK_WAIT) for readers to let go of the file
        self._con: duckdb.DuckDBPyConnection | None = None
        self.migrated: list[int] = []
        self.loaded: list[str] = []

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The read-write connection; opening it migrates and loads bundled data.

        Read-only instead while a server owns the file: the server migrated and
        loaded it when it started, and the writer refuses to write through this one.
        """
        if self._con is None:
            from zonescope.ingest.bundled import load_bundled

            served = read_owner(self.path) if self.path.exists() else None
            if served is not None:
                self._con = self._beside(served)
                return self._con
            con = connect(self.path, wait=self.wait)
            try:
                self.migrated = writer.migrate(con)
                self.loaded = load_bundled(con)
            except BaseException:
                con.close()
                raise
            self._con = con
        return self._con

    def _beside(self, served: dict[str, object]) -> duckdb.DuckDBPyConnection:
        """A read-only connection next to a running server's, if the schema is this package's."""
        con = connect(self.path, read_only=True, wait=True)
        if schema_version(con) != latest_version():
            con.close()
            raise StoreError("store.served", path=str(self.path), pid=served.get("pid", "?"),
                             url=served.get("url", "?"))
        return con

    def sandboxed(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection that cannot reach files, extensions or settings."""
        _ = self.con  # make sure the file exists, is migrated and populated
        self.close()
        return connect(self.path, read_only=True, sandboxed=True)

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def reset(self) -> None:
        self.close()
        writer.reset(self.path)

    def schema_version(self) -> int:
        return schema_version(self.con)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Store", "latest_version"]
