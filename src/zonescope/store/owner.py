"""Who owns a store file while `zonescope serve` runs: an owner file beside it.

The server holds the store for its whole life (see docs/decisions.md, "One owner
of the store"). It writes `<store>.owner` (pid and URL) and keeps an exclusive
`flock` on it; any other process that wants to open the store read-write first
asks `check_owner`, which refuses at once with the server's address. The lock,
not the file, is the truth: a file left by a killed server is stale and ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from zonescope.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux/macOS: fall back to the pid
    fcntl = None  # type: ignore[assignment]


def owner_path(store: Path) -> Path:
    return store.with_name(store.name + ".owner")


def read_owner(store: Path) -> dict[str, Any] | None:
    """The live owner of `store` (pid, url), or None when no other process holds it."""
    path = owner_path(store)
    try:
        handle = path.open("r", encoding="utf-8")
    except OSError:
        return None
    with handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                pass  # held: the owner is alive
            else:
                return None  # nobody holds the lock: a stale file
        try:
            info = json.loads(handle.read() or "{}")
        except ValueError:
            info = {}
    if info.get("pid") == os.getpid():
        return None
    return info


def check_owner(store: Path) -> None:
    """Refuse to open `store` read-write while a server owns it."""
    info = read_owner(store)
    if info is not None:
        raise StoreError("store.served", path=str(store), pid=info.get("pid", "?"),
                         url=info.get("url", "?"))


class Ownership:
    """Held by the server: the owner file and its exclusive lock, released on close."""

    def __init__(self, store: Path, url: str) -> None:
        check_owner(store)
        self.path = owner_path(store)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle: IO[str] | None = self.path.open("a+", encoding="utf-8")
        if fcntl is not None:
            try:
                fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._handle.close()
                self._handle = None
                raise StoreError("store.served", path=str(store), pid="?", url="?") from None
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(json.dumps({"pid": os.getpid(), "url": url}))
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self.path.unlink(missing_ok=True)
            self._handle.close()
            self._handle = None
