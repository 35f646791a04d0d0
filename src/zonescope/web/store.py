"""The server's hold on the store: one read connection shared by all requests, one writer.

The server owns the file for its whole life (docs/decisions.md, "One owner of the
store"): an owner file tells other processes who holds it, and DuckDB's own lock
backs that up. Requests read through cursors of one read-only connection, which is
sandboxed (no files, no extensions), so the SQL console can share it. A write takes
the gate exclusively, closes the reader, writes through the ordinary `ZoneScope`
path (atomic imports, the import log), then reopens the reader and bumps
`generation`, which keys every cached answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from zonescope.api import ZoneScope
from zonescope.store.connection import connect
from zonescope.store.owner import Ownership

T = TypeVar("T")
CACHE_SIZE = 512


class Gate:
    """A readers–writer lock: many readers at once, or one writer alone."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._writing = True
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class WebStore:
    """The store as the web app sees it: `read()` cursors, `write()` handles, a cache."""

    def __init__(self, path: Path, url: str = "") -> None:
        self.path = Path(path).expanduser().resolve()
        self.owner = Ownership(self.path, url)
        try:
            with ZoneScope(self.path) as zs:  # create, migrate and load bundled data once
                _ = zs.store.con
            self._reader: duckdb.DuckDBPyConnection | None = self._open_reader()
        except BaseException:
            self.owner.close()
            raise
        self.gate = Gate()
        self.generation = 0
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _open_reader(self) -> duckdb.DuckDBPyConnection:
        return connect(self.path, read_only=True, sandboxed=True, lock_config=False)

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one request; writers wait until it is returned."""
        with self.gate.shared():
            assert self._reader is not None
            cursor = self._reader.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    @contextmanager
    def write(self) -> Iterator[ZoneScope]:
        """The read-write API, alone; afterwards readers see the new data, caches start over."""
        with self.gate.exclusive():
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            try:
                with ZoneScope(self.path) as zs:
                    zs.store.wait = True  # a CLI reader beside the server may hold the file
                    yield zs
            finally:
                self._reader = self._open_reader()
                self.generation += 1
                with self._cache_lock:
                    self._cache.clear()

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()` once per store generation and key (answers are immutable per version)."""
        full = (self.generation, *key)
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]  # type: ignore[no-any-return]
        value = compute()
        with self._cache_lock:
            self._cache[full] = value
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def close(self) -> None:
        with self.gate.exclusive():
            if self._reader is not None:
                self._reader.close()
                self._reader = None
        self.owner.close()
