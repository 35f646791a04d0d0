"""The embedded store: one DuckDB file, migrated on open, bundled data loaded on first use."""

from __future__ import annotations

from pathlib import Path

import duckdb

from zonescope.config import default_db_path
from zonescope.store import writer
from zonescope.store.connection import connect, latest_version, schema_version


class Store:
    """A store file and its (lazily opened, migrated, populated) connection."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path).expanduser() if path else default_db_path()
        self._con: duckdb.DuckDBPyConnection | None = None
        self.migrated: list[int] = []
        self.loaded: list[str] = []

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The read-write connection; opening it migrates and loads bundled data."""
        if self._con is None:
            from zonescope.ingest.bundled import load_bundled

            con = connect(self.path)
            try:
                self.migrated = writer.migrate(con)
                self.loaded = load_bundled(con)
            except BaseException:
                con.close()
                raise
            self._con = con
        return self._con

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
