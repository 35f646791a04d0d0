"""Trade results are remembered per store version: a write is seen at once, callers get copies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import zonescope
from zonescope.trade import SeriesQuery, get_ranking, get_series, get_share
from zonescope.trade.memo import store_version

HEADER = "region,period,span,flow,mode,value,unit,yoy_pct,source,source_ref\n"


def _row(rows: list[dict[str, Any]], period: str, span: str, flow: str) -> dict[str, Any]:
    return next(r for r in rows if r["period"] == period and r["span"] == span
                and r["flow"] == flow)


def test_an_import_is_seen_by_the_next_query(zs: zonescope.ZoneScope, tmp_path: Path) -> None:
    con, shenzhen = zs.store.con, zs.region("深圳")
    before = get_series(con, SeriesQuery(shenzhen))
    assert _row(before, "2021-12", "year", "total")["value"] == 35400.0
    version = store_version(con)
    file = tmp_path / "fix.csv"
    file.write_text(HEADER + "440300,2021-12,year,total,all,35500,亿元,16.5,test,—\n",
                    encoding="utf-8")
    assert zs.import_file(file, kind="trade").updated == 1
    assert store_version(con) != version
    after = get_series(con, SeriesQuery(shenzhen))
    assert _row(after, "2021-12", "year", "total")["value"] == 35500.0
    assert _row(after, "2021-12", "year", "total")["yoy_pct"] == 16.5


def test_callers_get_copies_not_the_kept_rows(zs: zonescope.ZoneScope) -> None:
    con = zs.store.con
    first = get_ranking(con, level="province", period="2022-06")
    first[0]["value"] = -1.0
    first.clear()
    again = get_ranking(con, level="province", period="2022-06")
    assert again and again[0]["value"] > 0
    share = get_share(con, zs.region("深圳"), period="2022-06")
    share[0]["share_pct"] = None
    assert get_share(con, zs.region("深圳"), period="2022-06")[0]["share_pct"] is not None


def test_two_stores_never_share_results(seeded_store: Path, tmp_path: Path,
                                        zs: zonescope.ZoneScope) -> None:
    other = tmp_path / "other.duckdb"
    other.write_bytes(seeded_store.read_bytes())
    with zonescope.open(other) as second:
        file = tmp_path / "fix.csv"
        file.write_text(HEADER + "440300,2021-12,year,total,all,1,亿元,,test,—\n",
                        encoding="utf-8")
        second.import_file(file, kind="trade")
        mine = get_series(zs.store.con, SeriesQuery(zs.region("深圳")))
        theirs = get_series(second.store.con, SeriesQuery(second.region("深圳")))
    assert _row(mine, "2021-12", "year", "total")["value"] == 35400.0
    assert _row(theirs, "2021-12", "year", "total")["value"] == 1.0


def test_a_batch_of_regions_gives_what_each_query_gives_alone(zs: zonescope.ZoneScope) -> None:
    from zonescope.trade import _region_series, warm_series
    from zonescope.trade.memo import forget, is_remembered

    con = zs.store.con
    regions = [zs.region(n) for n in ("深圳", "宁波", "广东", "浙江", "全国")]
    forget()
    alone = {r.id: _region_series(con, r) for r in regions}
    forget()
    warm_series(con, regions)
    assert all(is_remembered(_region_series, con, r) for r in regions)
    assert {r.id: _region_series(con, r) for r in regions} == alone
    assert all(alone[r.id] for r in regions)
