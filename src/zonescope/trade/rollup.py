"""Region × month × mode totals of a Parquet detail dataset, computed on any engine, stored.

`zonescope trade aggregate --detail DIR [--engine spark]` sums the detail rows
with the `totals` expression — on DuckDB or on Spark, the same code — and
upserts the small result into `trade` through the store's one writer, in one
transaction logged as an import, so `trade show`, the report and the web app see
it. The rows are what the importer writes for a file imported into the store:
a month (or the queried span of a total) per region and mode, in 亿元 (USD only
with `--fx USD_CNY=RATE`), a note naming the dataset; for each key the newest
import in the dataset wins, as a later import would in the store.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pandas as pd

from zonescope.errors import ZoneScopeError
from zonescope.i18n import translate
from zonescope.ingest.customs_detail import TRADE_KEY, span_of
from zonescope.ingest.values import BadValue, to_canonical
from zonescope.store import writer

KIND = "customs-detail-parquet"


def totals(detail: ir.Table) -> ir.Table:
    """Detail summed by import × region × month (or queried range) × mode: what `trade` holds.

    As the importer's aggregates: an import whose query had the mode dimension gives
    per-mode rows only (rows without a mode are left out), any other gives `all`.
    Values stay in the detail's own unit (`value_unit`); `rows` counts detail lines.
    """
    by_mode = ibis.literal(",").concat(detail.dims, ",").contains(",mode,")
    t = detail.filter(~by_mode | detail["mode"].notnull())
    t = t.mutate(period_label=t.period.fill_null(t.period_end),
                 mode_key=ibis.ifelse(by_mode, t["mode"], ibis.literal("all")))
    return t.group_by(["import_id", "region_id", "flow", "period_label", "period",
                       "period_start", "period_end", "mode_key", "currency", "value_unit",
                       "dims"]).aggregate(total=t.value.sum(), rows=t.count()).rename(
        mode="mode_key")


def get_totals(detail_rows: ir.Table) -> pd.DataFrame:
    """The totals of every import, newest import per trade key kept, sorted by key."""
    frame = totals(detail_rows).execute()
    if frame.empty:
        return frame
    frame = frame.sort_values("import_id", kind="stable")
    frame["span"] = [("month" if isinstance(p, str) else span_of(s, e))
                     for p, s, e in zip(frame.period, frame.period_start, frame.period_end,
                                        strict=True)]
    key = ["region_id", "period_label", "span", "flow", "mode"]
    return frame.drop_duplicates(key, keep="last").sort_values(key, ignore_index=True)


def trade_rows(totals: pd.DataFrame, *, fx: dict[str, float], source: str,
               dataset: str) -> list[dict[str, Any]]:
    """`trade` rows from `get_totals`: money in 亿元, a note naming the dataset."""
    rows = []
    for item in totals.to_dict("records"):
        try:
            money = to_canonical(float(item["total"]), item["value_unit"], fx)
        except BadValue:
            raise ZoneScopeError("rollup.usd_needs_fx", path=dataset) from None
        if money.value is None or not math.isfinite(money.value):
            raise ZoneScopeError("rollup.bad_total", path=dataset, region=item["region_id"],
                                 period=item["period_label"])
        rows.append({
            "region_id": item["region_id"], "period": item["period_label"],
            "span": item["span"], "flow": item["flow"], "mode": item["mode"],
            "value": money.value, "unit": money.unit, "value_raw": money.value_raw,
            "unit_raw": money.unit_raw, "fx_rate": money.fx_rate, "yoy_pct": None,
            "source": source, "source_ref": None, "cited_source": None,
            "note": translate("rollup.note", "zh", path=dataset, rows=int(item["rows"]),
                              dims=item["dims"] or "—"),
            "derived": False})
    return rows


def store_totals(con: duckdb.DuckDBPyConnection, detail_rows: ir.Table, location: str, *,
                 fx: dict[str, float] | None = None, source: str | None = None
                 ) -> writer.WriteResult:
    """Compute the totals (any engine), then upsert them into `trade`, all or nothing.

    `location` is the dataset's directory or URI, recorded in the import log with a
    sha256 over its files (a URI's files are not listed here: the URI is hashed).
    """
    from zonescope.ingest.parquet import dataset_digest
    from zonescope.trade.engine import is_remote

    totals = get_totals(detail_rows)
    if totals.empty:
        raise ZoneScopeError("parquet.empty", path=location)
    name = location.rstrip("/").rsplit("/", 1)[-1]
    rows = trade_rows(totals, fx=dict(fx or {}), source=source or name, dataset=location)
    notes = "; ".join([f"dataset={location}", *(f"{k}={v}" for k, v in sorted(
        (fx or {}).items())), *([f"source={source}"] if source else [])])
    digest = (hashlib.sha256(location.encode()).hexdigest() if is_remote(location)
              else dataset_digest(Path(location)))
    meta = writer.ImportMeta(KIND, name, digest, "user", notes)
    return writer.write_rows(con, "trade", list(TRADE_KEY), rows, meta)
