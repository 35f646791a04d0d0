"""Benchmark: the trade metric set on customs detail rows — Ibis (the product) vs pandas vs SQL.

    python benchmarks/trade_metrics.py --rows 10000000 --repeat 3

The detail rows are synthetic query-platform exports (benchmarks/make_customs_detail.py:
two years, monthly, HS code × partner × mode × province), imported once into a
DuckDB store at `--db` through the product's own importer (reused when present).
The metric set, computed for every slice at once and fully materialised:

1. mode shares, partner shares, HS-chapter shares and HHI concentration per
   region × month (the newest import per slice, as `zonescope.trade.detail` does);
2. the monthly trade series they imply (province and nation × mode and all modes),
   year-to-date cumulation from the months, growth against the prior year, shares of
   the parent region, and ranks among sibling provinces with the gap to the next rank.

The product runs (1)–(2) through its Ibis expressions (`zonescope.trade.detail`,
`zonescope.trade.metrics`) compiled to DuckDB. The baselines compute the same
tables by hand: plain DuckDB SQL over the same store, and pandas with the rows
already in memory (load time not counted), written twice — given the product's
plan (sum the detail by import × region × month × key first, choose each slice's
newest import on that small table), and the direct way (keep each slice's newest
rows, then group them: the plan the product used before). Every baseline's results
are compared with the product's (row counts and values) before any time is printed.
Targets (issue #4): Ibis ≥ 10× faster than pandas, within 1.5× of plain SQL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import ibis
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_customs_detail  # noqa: E402

from zonescope.api import ZoneScope  # noqa: E402
from zonescope.ingest.customs_detail import DetailOptions, import_detail  # noqa: E402
from zonescope.ingest.kinds import customs_modes  # noqa: E402
from zonescope.regions.registry import NATION_ID as NATION  # noqa: E402
from zonescope.trade import detail as dt  # noqa: E402
from zonescope.trade import metrics  # noqa: E402

YUAN_PER_YI = 1e8
SLICE = dt.SLICE
Results = dict[str, pd.DataFrame]


# --- the product: Ibis expressions from zonescope.trade -------------------------------


def ibis_metric_set(con: duckdb.DuckDBPyConnection) -> dict[str, ibis.Table]:
    """The metric set as the product's own Ibis expressions (shared parts computed once)."""
    backend = ibis.duckdb.from_connection(con)
    detail = dt.detail_table(con)

    # what several metrics read is materialised once with Ibis's `cache` (a temp table on
    # DuckDB, a cached frame on Spark), as the SQL baseline does with its temp tables
    imports = dt.imports_of(detail).cache()
    modes = dt.mode_shares(detail, dt.mode_names(), imports).cache()
    monthly = _trade_from_modes(modes).cache()
    ytd = metrics.cumulative_from_months(monthly).mutate(yoy_pct=ibis.null("float64"))
    series = monthly.union(ytd.select(monthly.columns)).cache()
    regions = backend.table("regions")
    return {
        "mode_shares": modes,
        "partner_shares": dt.partner_shares(detail, imports),
        "concentration": dt.concentration(detail, imports),
        "growth": metrics.growth(series),
        "shares": metrics.shares(series, metrics.parent_links(regions)),
        "ranks": metrics.ranks(series, regions, by="value"),
    }


def _trade_from_modes(modes: ibis.Table) -> ibis.Table:
    """Monthly `trade`-shaped rows (亿元) per province and the nation, per mode and 'all'."""
    by_mode = modes.select(region_id="region_id", period="period_label", flow="flow",
                           mode="mode", value=modes.value / YUAN_PER_YI)
    every = by_mode.group_by(["region_id", "period", "flow"]).aggregate(
        value=by_mode.value.sum()).mutate(mode=ibis.literal("all"))
    provinces = by_mode.union(every.select(by_mode.columns))
    nation = provinces.group_by(["period", "flow", "mode"]).aggregate(
        value=provinces.value.sum()).mutate(region_id=ibis.literal(NATION))
    rows = provinces.union(nation.select(provinces.columns))
    return rows.mutate(span=ibis.literal("month"), yoy_pct=ibis.null("float64")).select(
        "region_id", "period", "span", "flow", "mode", "value", "yoy_pct")


def run_ibis(con: duckdb.DuckDBPyConnection) -> Results:
    return {name: expr.to_pandas() for name, expr in ibis_metric_set(con).items()}


# --- baseline 1: plain DuckDB SQL, written by hand -------------------------------------

IMPORTS = ", ".join(f"any_value({c}) AS {c}" for c in dt.IMPORT_FIXED)
SQL_BASE = f"""
CREATE OR REPLACE TEMP TABLE imports AS
  SELECT import_id, {IMPORTS} FROM customs_detail GROUP BY import_id;
"""


def newest_sums(dim: str, keys: str, names: str, where: str = "") -> str:
    """CTEs: the detail summed by import × region × month × `keys`, then each slice's
    newest import having `dim` (the plan of zonescope.trade.detail.newest_sums)."""
    return f"""
WITH sums AS (
  SELECT import_id, region_id, period, {keys}, sum(value) AS value, count(*) AS rows
  FROM customs_detail GROUP BY ALL),
labelled AS (
  SELECT s.*, i.flow, i.currency, i.value_unit,
         coalesce(s.period, i.period_start || ':' || i.period_end) AS period_label
  FROM sums s JOIN imports i USING (import_id) WHERE contains(i.dims, '{dim}')),
grouped AS (
  SELECT region_id, flow, period_label, currency, value_unit, {names}, value, rows
  FROM labelled
  QUALIFY import_id = max(import_id) OVER (PARTITION BY region_id, flow, period_label)
  {where})"""


SHARES = """
  SELECT *, sum(value) OVER (PARTITION BY region_id, flow, period_label) AS slice_total,
         CASE WHEN slice_total <> 0 THEN value / slice_total * 100 END AS share_pct
  FROM grouped"""

SQL = {
    "mode_shares": f"""{newest_sums("mode", "coalesce(mode, mode_name) AS mode", "mode")},
s AS ({SHARES})
SELECT s.*, coalesce(m.short_zh, s.mode) AS name_zh, coalesce(m.name_en, s.mode) AS name_en
FROM s LEFT JOIN mode_names m ON s.mode = m.code""",
    "partner_shares": f"""{newest_sums("partner", "partner_code, partner_name",
                                      "partner_code, partner_name")}
{SHARES}""",
    "concentration": f"""{newest_sums("hs", "substr(hs_code, 1, 2) AS chapter", "chapter",
                                     "AND chapter IS NOT NULL")},
s AS ({SHARES})
SELECT region_id, flow, period_label, currency, value_unit,
       sum((share_pct / 100) ** 2) * 10000 AS hhi, count(*) AS chapters,
       arg_max(chapter, share_pct) AS top_chapter, max(share_pct) AS top_share_pct,
       sum(value) AS value
FROM s GROUP BY ALL""",
}

SQL_SERIES = """
CREATE OR REPLACE TEMP TABLE monthly AS
WITH by_mode AS (
  SELECT region_id, period_label AS period, flow, mode, value / 1e8 AS value
  FROM mode_shares_done),
provinces AS (
  SELECT * FROM by_mode
  UNION ALL SELECT region_id, period, flow, 'all', sum(value) FROM by_mode GROUP BY ALL)
SELECT region_id, period, 'month' AS span, flow, mode, value, NULL::DOUBLE AS yoy_pct
FROM (SELECT * FROM provinces
      UNION ALL SELECT '000000', period, flow, mode, sum(value) FROM provinces GROUP BY ALL);
CREATE OR REPLACE TEMP TABLE series AS
SELECT * FROM monthly
UNION ALL
SELECT region_id, period, 'ytd', flow, mode, running, NULL FROM (
  SELECT region_id, period, flow, mode, month,
         sum(value) OVER w AS running, count(*) OVER w AS seen
  FROM (SELECT *, period[1:4]::INT AS year, period[6:7]::INT AS month FROM monthly)
  WINDOW w AS (PARTITION BY region_id, flow, mode, year ORDER BY month
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
WHERE seen = month;
"""

SQL_AFTER_SERIES = {
    "growth": """
SELECT s.*, p.value AS prior_value,
       CASE WHEN p.value IS NOT NULL AND abs(p.value) >= 0.01
            THEN (s.value / p.value - 1) * 100 END AS yoy_derived,
       CASE WHEN s.yoy_pct IS NOT NULL AND s.yoy_pct > -100
            THEN s.value / (1 + s.yoy_pct / 100) END AS prior_implied,
       yoy_derived - s.yoy_pct AS yoy_gap_pp, abs(yoy_gap_pp) > 0.5 AS yoy_flag
FROM series s LEFT JOIN series p
  ON p.region_id = s.region_id AND p.span = s.span AND p.flow = s.flow AND p.mode = s.mode
 AND p.period = (s.period[1:4]::INT - 1)::VARCHAR || '-' || s.period[6:7]""",
    "shares": """
SELECT s.*, r.level, r.parent_id, p.value AS parent_value, p.yoy_pct AS parent_yoy_pct,
       CASE WHEN p.value IS NOT NULL AND p.value <> 0 THEN s.value / p.value * 100 END
         AS share_pct,
       CASE WHEN s.yoy_pct IS NOT NULL AND p.yoy_pct IS NOT NULL
             AND abs(p.value / (1 + p.yoy_pct / 100)) >= 0.01
            THEN (s.value - s.value / (1 + s.yoy_pct / 100))
                 / (p.value / (1 + p.yoy_pct / 100)) * 100 END AS contribution_pp
FROM series s JOIN regions r ON r.id = s.region_id
LEFT JOIN series p ON p.region_id = r.parent_id AND p.period = s.period AND p.span = s.span
 AND p.flow = s.flow AND p.mode = s.mode""",
    "ranks": """
SELECT *, rank() OVER ordered AS rank, count(*) OVER everyone AS siblings,
       lag(value) OVER stable - value AS gap_to_above,
       lag(region_id) OVER stable AS above_region_id
FROM (SELECT s.*, r.level, r.parent_id FROM series s JOIN regions r ON r.id = s.region_id
      WHERE r.level IN ('province', 'prefecture', 'county') AND s.value IS NOT NULL)
WINDOW ordered AS (PARTITION BY parent_id, level, period, span, flow, mode
                   ORDER BY value DESC),
       stable AS (PARTITION BY parent_id, level, period, span, flow, mode
                  ORDER BY value DESC, region_id),
       everyone AS (PARTITION BY parent_id, level, period, span, flow, mode)""",
}


def run_sql(con: duckdb.DuckDBPyConnection) -> Results:
    con.execute(SQL_BASE)
    con.execute(f"CREATE OR REPLACE TEMP TABLE mode_shares_done AS {SQL['mode_shares']}")
    out = {"mode_shares": con.execute("SELECT * FROM mode_shares_done").df()}
    out |= {name: con.execute(sql).df() for name, sql in SQL.items() if name != "mode_shares"}
    con.execute(SQL_SERIES)
    out |= {name: con.execute(sql).df() for name, sql in SQL_AFTER_SERIES.items()}
    return out


# --- baseline 2: pandas, written by hand -----------------------------------------------


def load_pandas(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    detail = con.execute("SELECT * FROM customs_detail").df()
    regions = con.execute("SELECT id, level, parent_id FROM regions").df()
    return detail, regions


def _pd_newest_sums(d: pd.DataFrame, imports: pd.DataFrame, dim: str,
                    keys: dict[str, pd.Series]) -> pd.DataFrame:
    """The detail summed by import × region × month × `keys`, then each slice's newest
    import having `dim` (the plan of zonescope.trade.detail.newest_sums)."""
    by = [d["import_id"], d["region_id"], d["period"], *(k.rename(n) for n, k in keys.items())]
    sums = d["value"].groupby(by, dropna=False, observed=True, sort=False).agg(
        ["sum", "size"]).rename(columns={"sum": "value", "size": "rows"}).reset_index()
    t = sums.merge(imports[imports["dims"].str.contains(dim, regex=False)], on="import_id")
    t["period_label"] = t["period"].fillna(t["period_start"] + ":" + t["period_end"])
    newest = t.groupby(list(SLICE))["import_id"].transform("max")
    return t.loc[t["import_id"] == newest,
                 [*SLICE, "currency", "value_unit", *keys, "value", "rows"]].copy()


def _pd_shares(g: pd.DataFrame) -> pd.DataFrame:
    g["slice_total"] = g.groupby(list(SLICE))["value"].transform("sum")
    g["share_pct"] = np.where(g["slice_total"] != 0, g["value"] / g["slice_total"] * 100,
                              np.nan)
    return g


def run_pandas_plan(detail: pd.DataFrame, regions: pd.DataFrame) -> Results:
    """pandas given the product's plan: sum by import first, choose the newest after."""
    imports = detail.groupby("import_id")[list(dt.IMPORT_FIXED)].first().reset_index()
    modes = _pd_newest_sums(detail, imports, "mode", {
        "mode": detail["mode"].fillna(detail["mode_name"])})
    partners = _pd_newest_sums(detail, imports, "partner", {
        "partner_code": detail["partner_code"], "partner_name": detail["partner_name"]})
    h = _pd_newest_sums(detail, imports, "hs", {"chapter": detail["hs_code"].str[:2]})
    return _pd_measures(modes, partners, h[h["chapter"].notna()].copy(), regions)


def _pd_measures(modes: pd.DataFrame, partners: pd.DataFrame, chapters: pd.DataFrame,
                 regions: pd.DataFrame) -> Results:
    """The metric set from the three grouped sums (small tables: both variants share it)."""
    out: Results = {}
    modes = _pd_shares(modes)
    names = pd.DataFrame(list(customs_modes().values()))[["code", "short_zh", "name_en"]]
    named = modes.merge(names, how="left", left_on="mode", right_on="code")
    named["name_zh"] = named["short_zh"].fillna(named["mode"])
    named["name_en"] = named["name_en"].fillna(named["mode"])
    out["mode_shares"] = named.drop(columns=["code", "short_zh"])
    out["partner_shares"] = _pd_shares(partners)
    chapters = _pd_shares(chapters)
    chapters["sq"] = (chapters["share_pct"] / 100) ** 2
    top = chapters.loc[chapters.groupby(list(SLICE))["share_pct"].idxmax(),
                       [*SLICE, "chapter"]]
    conc = chapters.groupby([*SLICE, "currency", "value_unit"]).agg(
        hhi=("sq", "sum"), chapters=("chapter", "size"), top_share_pct=("share_pct", "max"),
        value=("value", "sum")).reset_index()
    conc["hhi"] *= 10000
    out["concentration"] = conc.merge(top.rename(columns={"chapter": "top_chapter"}),
                                      on=list(SLICE))
    out |= _pd_after_series(_pd_series(modes), regions)
    return out


def _newest_rows(d: pd.DataFrame, dim: str) -> pd.DataFrame:
    """Rows of each slice's newest import whose query included `dim`."""
    t = d[d["dims"].str.contains(dim, regex=False)]
    newest = t.groupby(list(SLICE), sort=False)["import_id"].transform("max")
    return t[t["import_id"] == newest]


def _pd_sums(t: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return t.groupby([*SLICE, "currency", "value_unit", *keys], dropna=False, observed=True,
                     sort=False).agg(value=("value", "sum"), rows=("value", "size")).reset_index()


def run_pandas_direct(detail: pd.DataFrame, regions: pd.DataFrame) -> Results:
    """pandas written the direct way: keep each slice's newest rows, then group them."""
    d = detail.assign(period_label=detail["period"].fillna(
        detail["period_start"] + ":" + detail["period_end"]))
    m = _newest_rows(d, "mode")
    modes = _pd_sums(m.assign(mode=m["mode"].fillna(m["mode_name"])), ["mode"])
    h = _newest_rows(d, "hs")
    h = h[h["hs_code"].notna()]
    return _pd_measures(modes, _pd_sums(_newest_rows(d, "partner"),
                                        ["partner_code", "partner_name"]),
                        _pd_sums(h.assign(chapter=h["hs_code"].str[:2]), ["chapter"]), regions)


def _pd_series(modes: pd.DataFrame) -> pd.DataFrame:
    by_mode = modes[["region_id", "period_label", "flow", "mode", "value"]].rename(
        columns={"period_label": "period"})
    by_mode = by_mode.assign(value=by_mode["value"] / YUAN_PER_YI)
    every = by_mode.groupby(["region_id", "period", "flow"], as_index=False)["value"].sum()
    provinces = pd.concat([by_mode, every.assign(mode="all")], ignore_index=True)
    nation = provinces.groupby(["period", "flow", "mode"], as_index=False)["value"].sum()
    monthly = pd.concat([provinces, nation.assign(region_id=NATION)], ignore_index=True)
    monthly = monthly.assign(span="month", yoy_pct=np.nan)
    monthly["year"] = monthly["period"].str[:4].astype(int)
    monthly["month"] = monthly["period"].str[5:7].astype(int)
    monthly = monthly.sort_values(["region_id", "flow", "mode", "year", "month"])
    keys = ["region_id", "flow", "mode", "year"]
    ytd = monthly.assign(value=monthly.groupby(keys)["value"].cumsum(),
                         seen=monthly.groupby(keys).cumcount() + 1)
    ytd = ytd[ytd["seen"] == ytd["month"]].assign(span="ytd").drop(columns="seen")
    return pd.concat([monthly, ytd], ignore_index=True)


def _pd_after_series(series: pd.DataFrame, regions: pd.DataFrame) -> Results:
    key = ["region_id", "period", "span", "flow", "mode"]
    cols = [*key, "value", "yoy_pct"]
    prior = series.assign(period=(series["year"] + 1).astype(str) + "-"
                          + series["period"].str[5:7])[[*key, "value"]].rename(
        columns={"value": "prior_value"})
    g = series[cols].merge(prior, on=key, how="left")
    usable = g["prior_value"].notna() & (g["prior_value"].abs() >= 0.01)
    g["yoy_derived"] = np.where(usable, (g["value"] / g["prior_value"] - 1) * 100, np.nan)
    g["prior_implied"] = np.where(g["yoy_pct"].notna() & (g["yoy_pct"] > -100),
                                  g["value"] / (1 + g["yoy_pct"] / 100), np.nan)
    g["yoy_gap_pp"] = g["yoy_derived"] - g["yoy_pct"]
    g["yoy_flag"] = g["yoy_gap_pp"].abs() > 0.5
    links = regions.rename(columns={"id": "region_id"})
    tagged = series[cols].merge(links, on="region_id")
    parents = series[cols].rename(columns={"region_id": "parent_id", "value": "parent_value",
                                           "yoy_pct": "parent_yoy_pct"})
    s = tagged.merge(parents, on=["parent_id", "period", "span", "flow", "mode"], how="left")
    s["share_pct"] = np.where(s["parent_value"].notna() & (s["parent_value"] != 0),
                              s["value"] / s["parent_value"] * 100, np.nan)
    parent_base = s["parent_value"] / (1 + s["parent_yoy_pct"] / 100)
    s["contribution_pp"] = np.where(
        s["yoy_pct"].notna() & s["parent_yoy_pct"].notna() & (parent_base.abs() >= 0.01),
        (s["value"] - s["value"] / (1 + s["yoy_pct"] / 100)) / parent_base * 100, np.nan)
    r = s[s["level"].isin(("province", "prefecture", "county")) & s["value"].notna()]
    group = ["parent_id", "level", "period", "span", "flow", "mode"]
    r = r.sort_values([*group, "value", "region_id"],
                      ascending=[True] * len(group) + [False, True])
    grouped = r.groupby(group, sort=False)
    r = r.assign(rank=grouped["value"].rank(method="min", ascending=False).astype("int64"),
                 siblings=grouped["value"].transform("count"),
                 gap_to_above=grouped["value"].shift() - r["value"],
                 above_region_id=grouped["region_id"].shift())
    return {"growth": g, "shares": s, "ranks": r}


# --- checking and timing ----------------------------------------------------------------

SORT_KEYS = {
    "mode_shares": ["region_id", "flow", "period_label", "mode"],
    "partner_shares": ["region_id", "flow", "period_label", "partner_code"],
    "concentration": ["region_id", "flow", "period_label"],
    "growth": ["region_id", "period", "span", "flow", "mode"],
    "shares": ["region_id", "period", "span", "flow", "mode"],
    "ranks": ["region_id", "period", "span", "flow", "mode"],
}
CHECKED = {
    "mode_shares": ["value", "share_pct", "rows", "name_zh"],
    "partner_shares": ["value", "share_pct", "rows"],
    "concentration": ["hhi", "chapters", "top_chapter", "top_share_pct", "value"],
    "growth": ["value", "prior_value", "yoy_derived"],
    "shares": ["value", "parent_value", "share_pct", "parent_id"],
    "ranks": ["rank", "siblings", "gap_to_above", "above_region_id"],
}


def same(reference: Results, other: Results, label: str) -> None:
    """Raise unless `other` holds the same rows and values as `reference`."""
    for name, ref in reference.items():
        got = other[name]
        if len(got) != len(ref):
            raise AssertionError(f"{label} {name}: {len(got)} rows, product has {len(ref)}")
        keys = SORT_KEYS[name]
        a = ref.sort_values(keys).reset_index(drop=True)
        b = got.sort_values(keys).reset_index(drop=True)
        for column in keys + CHECKED[name]:
            x, y = a[column], b[column]
            if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
                ok = np.allclose(x.astype(float), y.astype(float), rtol=1e-9, atol=1e-9,
                                 equal_nan=True)
            else:
                ok = (x.astype(object).where(x.notna(), None).tolist()
                      == y.astype(object).where(y.notna(), None).tolist())
            if not ok:
                raise AssertionError(f"{label} {name}.{column} differs from the product")


def timed(run: Callable[[], Results], repeat: int) -> tuple[float, Results]:
    times, result = [], {}
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def prepare(db: Path, rows: int) -> ZoneScope:
    """The store with `rows` synthetic detail rows (two years), imported by the product."""
    zs = ZoneScope(db)
    have = zs.store.con.execute("SELECT count(*) FROM customs_detail").fetchall()[0][0]
    if have == rows:
        return zs
    if have:
        raise SystemExit(f"{db} holds {have:,} detail rows, not {rows:,}: pass another --db")
    for year in (2023, 2024):
        path = db.with_name(f"{db.stem}-{year}.csv")
        make_customs_detail.write(path, rows // 2 + (rows % 2 if year == 2024 else 0),
                                  monthly=True, columns=make_customs_detail.SIMPLE_COLUMNS,
                                  year=year, seed=year)
        start = time.perf_counter()
        import_detail(zs.store.con, path, path.name, options=DetailOptions(flow="export"))
        print(f"imported {path.name} in {time.perf_counter() - start:.1f} s")
        path.unlink()
    return zs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/zonescope-bench-metrics.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    zs = prepare(args.db, args.rows)
    con = zs.store.con
    con.register("mode_names", pd.DataFrame(list(customs_modes().values())))
    t_ibis, product = timed(lambda: run_ibis(con), args.repeat)
    t_sql, by_sql = timed(lambda: run_sql(con), args.repeat)
    start = time.perf_counter()
    detail, regions = load_pandas(con)
    t_load = time.perf_counter() - start
    t_plan, by_plan = timed(lambda: run_pandas_plan(detail, regions), args.repeat)
    t_direct, by_direct = timed(lambda: run_pandas_direct(detail, regions), args.repeat)
    same(product, by_sql, "SQL")
    same(product, by_plan, "pandas (product's plan)")
    same(product, by_direct, "pandas (direct)")
    rows = sum(len(frame) for frame in product.values())
    print(f"{args.rows:,} detail rows; {rows:,} result rows in {len(product)} tables; "
          f"results identical across the three")
    print(f"{'implementation':<34}{'median s':>10}{'vs Ibis':>10}")
    for label, seconds in (("Ibis on DuckDB (product)", t_ibis), ("plain DuckDB SQL", t_sql),
                           ("pandas, the product's plan", t_plan),
                           ("pandas, direct", t_direct)):
        print(f"{label:<34}{seconds:>10.2f}{seconds / t_ibis:>9.2f}×")
    print(f"(pandas also needed {t_load:.1f} s to load the rows into memory, not counted)")
    print(f"Ibis vs pandas: {t_plan / t_ibis:.1f}× (same plan), {t_direct / t_ibis:.1f}× "
          f"(direct), target ≥ 10×; Ibis / SQL: {t_ibis / t_sql:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
