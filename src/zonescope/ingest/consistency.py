"""Checks across rows (and against the store) that a single cell cannot show.

A cumulative (ytd) series cannot fall within a year: values are non-negative
flows, so C(m) < C(m−1) means a wrong row, a wrong span or a unit slip. Only
what a file changes is judged: published customs series do dip where customs
revised or re-scoped a region (17 such points in the 2024 city tables), and
re-importing rows the store already holds unchanged must stay possible.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import duckdb

from zonescope.errors import CellProblem

# relative slack for rounding in published figures
_SLACK = 1e-9


def check_cumulative(con: duckdb.DuckDBPyConnection, records: list[dict[str, Any]],
                     row_numbers: list[int]) -> list[CellProblem]:
    """Every place where a ytd series (file rows merged over stored ones) decreases."""
    series: dict[tuple[str, ...], dict[str, tuple[float, int | None]]] = defaultdict(dict)
    wanted = {(r["region_id"], r["flow"], r["mode"], r["period"][:4])
              for r in records if r.get("span") == "ytd" and r.get("value") is not None}
    if not wanted:
        return []
    stored = con.execute(
        "SELECT region_id, flow, mode, period, value FROM trade WHERE span = 'ytd' AND "
        "value IS NOT NULL AND (region_id, flow, mode, left(period, 4)) IN "
        "(SELECT * FROM (VALUES " + ", ".join("(?, ?, ?, ?)" for _ in wanted) + "))",
        [v for key in sorted(wanted) for v in key]).fetchall()
    for region_id, flow, mode, period, value in stored:
        series[(region_id, flow, mode, period[:4])][period] = (value, None)
    for record, number in zip(records, row_numbers, strict=True):
        if record.get("span") == "ytd" and record.get("value") is not None:
            key = (record["region_id"], record["flow"], record["mode"], record["period"][:4])
            known = series[key].get(record["period"])
            unchanged = known is not None and known[0] == record["value"]
            series[key][record["period"]] = (record["value"], None if unchanged else number)
    problems = []
    for points in series.values():
        ordered = sorted(points.items())
        for (before, (low, row_a)), (after, (high, row_b)) in zip(ordered, ordered[1:],
                                                                  strict=False):
            if (row_a or row_b) and high < low * (1 - _SLACK):
                row = row_b or row_a or 0
                problems.append(CellProblem(row, "value", repr(high), "value.cumulative_falls",
                                            {"period": after, "previous": before,
                                             "before": low, "after": high}))
    return problems
