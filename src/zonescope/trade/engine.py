"""Where trade metrics run: an Ibis backend over the store (DuckDB today, Spark later)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import ibis
import ibis.expr.types as ir


@dataclass
class Tables:
    """The Ibis tables the metrics read."""

    trade: ir.Table
    regions: ir.Table


def duckdb_tables(con: duckdb.DuckDBPyConnection) -> Tables:
    """Ibis tables over an open store connection (no copy: Ibis compiles to DuckDB SQL)."""
    backend = ibis.duckdb.from_connection(con)
    return Tables(trade=backend.table("trade"), regions=backend.table("regions"))
