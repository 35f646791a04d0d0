"""The read-only SQL console: user-typed SELECTs over the store, and nothing else.

Two walls: only SELECT/EXPLAIN statements are accepted, and they run on a
read-only connection with external access, extensions and settings locked, so
`read_csv('/etc/passwd')`, `COPY … TO`, `ATTACH`, `INSTALL`/`LOAD` all fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from zonescope.errors import SqlRefused

_ALLOWED = {"SELECT", "EXPLAIN"}
_REASONS = {
    "INSERT": "sql.refused_write", "UPDATE": "sql.refused_write", "DELETE": "sql.refused_write",
    "CREATE": "sql.refused_write", "DROP": "sql.refused_write", "ALTER": "sql.refused_write",
    "COPY": "sql.refused_file", "EXPORT": "sql.refused_file", "ATTACH": "sql.refused_file",
    "DETACH": "sql.refused_file", "LOAD": "sql.refused_extension", "SET": "sql.refused_setting",
    "VARIABLE_SET": "sql.refused_setting", "PRAGMA": "sql.refused_setting",
}


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def run_readonly(con: duckdb.DuckDBPyConnection, sql: str, limit: int | None = None
                 ) -> QueryResult:
    """Run one SELECT on a sandboxed connection (see `zonescope.store.connection.connect`)."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise SqlRefused("sql.syntax", detail=_first_line(exc)) from exc
    if len(statements) != 1:
        raise SqlRefused("sql.one_statement", count=len(statements))
    kind = statements[0].type.name
    if kind not in _ALLOWED:
        raise SqlRefused(_REASONS.get(kind, "sql.refused_write"), statement=kind)
    try:
        cursor = con.execute(sql)
        rows = cursor.fetchmany(limit) if limit else cursor.fetchall()
    except duckdb.PermissionException as exc:
        raise SqlRefused("sql.refused_file", statement=kind, detail=_first_line(exc)) from exc
    except duckdb.Error as exc:
        raise SqlRefused("sql.failed", detail=_first_line(exc)) from exc
    return QueryResult([d[0] for d in cursor.description or []], rows)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
