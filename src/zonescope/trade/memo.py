"""Trade query results remembered within a process, for as long as the store is unchanged.

A report asks for the same region's series several times (its tables, its charts,
then the claim check of its own sentences), and the web app asks for the same
rankings on every page view. Compiling an Ibis expression costs 0.1–0.3 s, far more
than running it, so results are kept keyed by the store file and its *version*:
the newest entry of the `imports` log, which every write through
`zonescope.store.writer` adds to. Only DuckDB results are kept (other engines read
data this version does not describe), and callers get copies, never the cache.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb
import ibis

F = TypeVar("F", bound=Callable[..., list[dict[str, Any]]])
LIMIT = 256
_kept: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()


def store_version(con: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """(file, newest import id, its time): changes with every write to the store."""
    return tuple(con.execute(
        "SELECT (SELECT path FROM duckdb_databases() WHERE database_name = current_database()),"
        " max(id), max(imported_at) FROM imports").fetchall()[0])


def remembered(func: F) -> F:
    """Keep `func(con, *args, tables=None, **kwargs)`'s rows per store version."""

    @functools.wraps(func)
    def wrapper(con: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> Any:
        tables = kwargs.get("tables")
        if tables is not None and ibis.get_backend(tables.trade).name != "duckdb":
            return func(con, *args, **kwargs)
        key = _key(func, con, args, kwargs)
        if key not in _kept:
            _keep(key, func(con, *args, **kwargs))
        _kept.move_to_end(key)
        return [dict(row) for row in _kept[key]]

    return wrapper  # type: ignore[return-value]


def remember(func: Callable[..., Any], con: duckdb.DuckDBPyConnection,
             args: tuple[Any, ...], rows: list[dict[str, Any]]) -> None:
    """Keep `rows` as what the remembered `func(con, *args)` returns (a batch computed them)."""
    _keep(_key(func, con, args, {}), rows)


def is_remembered(func: Callable[..., Any], con: duckdb.DuckDBPyConnection,
                  *args: Any) -> bool:
    return _key(func, con, args, {}) in _kept


def _key(func: Callable[..., Any], con: duckdb.DuckDBPyConnection, args: tuple[Any, ...],
         kwargs: dict[str, Any]) -> tuple[Any, ...]:
    options = tuple(sorted((k, v) for k, v in kwargs.items() if k != "tables"))
    return (func.__qualname__, store_version(con), args, options)


def _keep(key: tuple[Any, ...], rows: list[dict[str, Any]]) -> None:
    _kept[key] = rows
    while len(_kept) > LIMIT:
        _kept.popitem(last=False)


def forget() -> None:
    """Drop every kept result (tests; a store replaced behind this process's back)."""
    _kept.clear()
