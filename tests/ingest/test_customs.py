"""`zonescope import --kind customs-city`: the bundled GACC and Zhejiang tables, and bad files.

Expected values are read from the bundled CSV files themselves (万元 / 1e4 = 亿元), so a
wrong column mapping, unit or region cannot pass by agreeing with itself.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zonescope
from zonescope.errors import ImportRejected
from zonescope.ingest.customs import plan

DATA = Path(zonescope.__file__).parent / "data" / "customs"
FLOWS = {"进出口": "total", "出口": "export", "进口": "import"}
NATIONAL, ZHEJIANG = "gacc-2024-city", "hzcustoms-2024-zj"


def lines_of(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8-sig").splitlines()


def national(month: int) -> dict[str, dict[tuple[str, str], float | None]]:
    """Rows of the bundled national file by name: (flow, month|ytd|yoy) -> number (None for -)."""
    rows = list(csv.reader(lines_of(f"gacc-2024-{month:02d}.csv")))
    flows, spans = rows[1], rows[2]
    table = {}
    for row in rows[3:]:
        if row[0].startswith("注"):
            continue
        cells = {}
        for j in range(1, len(row)):
            flow = FLOWS.get(re.sub(r"\.\d+$", "", flows[j]))
            key = (flow, "ytd" if "至" in spans[j] else "month") if flow else (FLOWS[spans[j]],
                                                                               "yoy")
            cells[key] = None if row[j] == "-" else float(row[j])
        table[row[0]] = cells
    return table


def yi(wan: float | None) -> float:
    """万元 (as in the national file) to 亿元."""
    assert wan is not None
    return wan / 1e4


def stored(zs: zonescope.ZoneScope, where: str, *params: Any) -> list[dict[str, Any]]:
    cursor = zs.store.con.execute(f"SELECT * FROM trade WHERE {where}", list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    return {(r["region_id"], r["period"], r["span"], r["flow"]): r for r in rows}


def problems(cli: Callable[..., Any], path: Path) -> list[dict[str, Any]]:
    result = cli("import", str(path), "--kind", "customs-city", "--json")
    assert result.exit_code == 2, result.output
    return json.loads(result.stdout)["problems"]


# --- the bundled files -------------------------------------------------------------------

def test_every_bundled_file_is_stored_with_its_row_count(zs: zonescope.ZoneScope) -> None:
    counts = dict(zs.store.con.execute(
        "SELECT period || ' ' || source, count(*) FROM trade WHERE period LIKE '2024-%' "
        "GROUP BY ALL").fetchall())
    for month in range(1, 13):
        period = f"2024-{month:02d}"
        regions = {zs.region(n).id if n != "总值" else "000000" for n in national(month)}
        cities = {zs.region(line.split(",")[1]).id for line in lines_of(
            f"zhejiang-2024-{month:02d}.csv")[2:-1]}
        # every national row: total/export/import × month/ytd
        assert counts[f"{period} {NATIONAL}"] == 6 * len(regions)
        # Zhejiang cities the national table lacks: ytd as published plus a derived month
        assert counts[f"{period} {ZHEJIANG}"] == 6 * len(cities - regions) == 30
    assert [6 * len(national(m)) for m in (1, 12)] == [2028, 2106]
    log = zs.store.con.execute("SELECT count(*) FROM imports WHERE kind = 'customs-city' "
                               "AND origin = 'bundled'").fetchone()
    assert log == (24,)


@pytest.mark.parametrize("month", [1, 3, 7, 12])
@pytest.mark.parametrize(("name", "region"), [("深圳市", "440300"), ("宁波市", "330200")])
def test_city_values_are_the_files_wan_yuan_in_yi_yuan(zs: zonescope.ZoneScope, month: int,
                                                       name: str, region: str) -> None:
    raw = national(month)[name]
    rows = by_key(stored(zs, "region_id = ? AND period = ?", region, f"2024-{month:02d}"))
    assert len(rows) == 6
    for flow in FLOWS.values():
        for span in ("month", "ytd"):
            row = rows[(region, f"2024-{month:02d}", span, flow)]
            assert row["value"] == pytest.approx(yi(raw[(flow, span)]), rel=1e-12)
            assert (row["unit"], row["unit_raw"], row["value_raw"]) == (
                "亿元", "万元", raw[(flow, span)])
            assert row["source"] == NATIONAL and row["derived"] is False
            assert row["source_ref"] == f"2024-{month:02d} 表：收发货人所在地"
            assert row["yoy_pct"] == (raw[(flow, "yoy")] if span == "ytd" else None)


def test_a_known_figure_and_january(zs: zonescope.ZoneScope) -> None:
    shenzhen = by_key(stored(zs, "region_id = '440300' AND period = '2024-03'"))
    assert shenzhen[("440300", "2024-03", "ytd", "export")]["value"] == 6424.37
    assert shenzhen[("440300", "2024-03", "ytd", "export")]["yoy_pct"] == 28.2
    january = by_key(stored(zs, "period = '2024-01' AND source = ?", NATIONAL))
    months = {k: r for k, r in january.items() if k[2] == "month"}
    assert len(months) == 3 * 338
    assert all(january[(k[0], k[1], "ytd", k[3])]["value"] == r["value"]
               for k, r in months.items())


def test_zones_are_their_citys_children_and_never_added_to_it(zs: zonescope.ZoneScope) -> None:
    rows = stored(zs, "period = '2024-03' AND span = 'ytd' AND flow = 'total' AND source = ?",
                  NATIONAL)
    regions = {r["region_id"]: zs.region(r["region_id"]) for r in rows}
    zones = [r for r in rows if regions[r["region_id"]].level == "zone"]
    assert len(zones) > 150
    for row in zones:  # a zone sits under its city (or county), which the table also lists
        parent = regions.get(regions[row["region_id"]].parent_id or "")
        assert parent is not None and parent.level in ("province", "prefecture", "county")
    ningbo_zones = [r["value"] for r in zones if regions[r["region_id"]].parent_id == "330200"]
    assert len(ningbo_zones) == 3  # 宁波经济技术开发区, 宁波高新区, 宁波杭州湾
    ningbo = next(r["value"] for r in rows if r["region_id"] == "330200")
    file_value = yi(national(3)["宁波市"][("total", "ytd")])
    assert ningbo == pytest.approx(file_value, rel=1e-12)
    assert ningbo != pytest.approx(file_value + sum(ningbo_zones), rel=1e-6)
    assert zs.region("宁波经济技术开发区").id in {r["region_id"] for r in zones}


def test_published_months_are_differences_of_cumulative_values(zs: zonescope.ZoneScope) -> None:
    rows = by_key(stored(zs, "source = ?", NATIONAL))
    checked = 0
    for (region, period, span, flow), row in rows.items():
        before = rows.get((region, f"2024-{int(period[5:]) - 1:02d}", "ytd", flow))
        now = rows[(region, period, "ytd", flow)]
        if span != "month" or before is None or None in (row["value"], now["value"],
                                                          before["value"]):
            continue
        difference = now["value"] - before["value"]
        if period == "2024-02":  # nothing revised yet: equal up to the 万元 rounding
            assert row["value"] == pytest.approx(difference, abs=1.5e-4), (region, flow)
            checked += 1
        elif region in ("000000", "440300", "330200"):  # later, revisions (≤ 0.25 % here)
            assert abs(row["value"] - difference) <= 5e-3 * now["value"], (region, period)
            checked += 1
    assert checked > 1000
    assert not any(r["derived"] for r in rows.values())


def test_zhejiang_single_months_are_derived_and_flagged(zs: zonescope.ZoneScope) -> None:
    rows = by_key(stored(zs, "source = ?", ZHEJIANG))
    months = {k: r for k, r in rows.items() if k[2] == "month"}
    assert len(months) == 5 * 3 * 12
    for (region, period, _, flow), row in months.items():
        assert row["derived"] is True and row["yoy_pct"] is None and "推算值" in row["note"]
        now = rows[(region, period, "ytd", flow)]["value"]
        before = rows.get((region, f"2024-{int(period[5:]) - 1:02d}", "ytd", flow))
        expected = now - (before["value"] if before else 0.0)
        assert row["value"] == pytest.approx(expected, abs=1e-8)
    assert all(not r["derived"] for k, r in rows.items() if k[2] == "ytd")
    # where the national table publishes a month, no derived month replaces it
    ningbo = stored(zs, "region_id = '330200' AND period LIKE '2024-%'")
    assert {(r["source"], r["derived"]) for r in ningbo} == {(NATIONAL, False)}


def test_zhejiang_unit_label_is_checked_against_the_national_table(
        zs: zonescope.ZoneScope) -> None:
    cities = [zs.region(line.split(",")[1]).id for line in lines_of("zhejiang-2024-07.csv")[2:-1]]
    rows = by_key(stored(zs, "period LIKE '2024-%' AND flow = 'total' AND span = 'ytd'"))
    for month in range(1, 13):
        period = f"2024-{month:02d}"
        mine = [rows[(c, period, "ytd", "total")] for c in cities]
        zhejiang = [r for r in mine if r["source"] == ZHEJIANG]
        assert len(zhejiang) == 5 and all(r["unit_raw"] == "元" for r in zhejiang)
        if month >= 7:
            assert all("表尾标注为万元" in r["note"] and "实为元" in r["note"] for r in zhejiang)
        else:
            assert all("表尾标注与核对一致" in r["note"] for r in zhejiang)
        assert all(f"当期经核对为1–{month}月" in r["note"] for r in zhejiang)
        province = rows[("330000", period, "ytd", "total")]["value"]
        assert sum(r["value"] for r in mine) == pytest.approx(province, rel=0.005)
    jiaxing = rows[(zs.region("嘉兴").id, "2024-07", "ytd", "total")]
    assert jiaxing["value"] == pytest.approx(2730.94007215, abs=1e-8)
    # the rows left to the national table agree with it, city by city, in the proven unit
    planned = plan(zs.store.con, DATA / "zhejiang-2024-07.csv")
    assert {r["region_id"] for r in planned.withheld} == {
        c for c in cities if rows[(c, "2024-07", "ytd", "total")]["source"] == NATIONAL}
    for row in planned.withheld:
        if row["span"] == "ytd":
            national_row = stored(zs, "region_id = ? AND period = ? AND span = 'ytd' AND flow = ?",
                                  row["region_id"], "2024-07", row["flow"])[0]
            assert row["value"] == pytest.approx(national_row["value"], rel=0.005)
    assert "label=万元" in (planned.options or "") and "unit=元" in (planned.options or "")


def test_without_the_national_figure_a_plausibility_bound_decides(
        zs: zonescope.ZoneScope, write_file: Callable[..., Path]) -> None:
    path = write_file("zhejiang-2023-07.csv", (DATA / "zhejiang-2024-07.csv").read_text("utf-8"))
    report = zs.import_file(path, "customs-city")
    assert report.rows == 33  # 11 cities × 3 flows; no 2023-06 cumulative, so no single month
    ningbo = by_key(stored(zs, "period = '2023-07'"))[("330200", "2023-07", "ytd", "total")]
    assert ningbo["value"] == pytest.approx(8068.50026153, abs=1e-8)
    assert "超过合理上限" in ningbo["note"] and "按元换算" in ningbo["note"]
    assert ningbo["source"] == "hzcustoms-2023-zj"


def test_no_single_month_is_invented_from_a_combined_release(
        zs: zonescope.ZoneScope, write_file: Callable[..., Path]) -> None:
    def combined(rows: list[list[str]]) -> None:  # 1至2月 blocks only, as a 1–2月 release
        for row in rows:
            del row[5], row[3], row[1]

    national_path = write_file("gacc-2023-02.csv", national_text(combined, month=2))
    report = zs.import_file(national_path, "customs-city")
    assert report.rows == 3 * len(national(2))
    zhejiang_path = write_file("zhejiang-2023-02.csv",
                               (DATA / "zhejiang-2024-02.csv").read_text("utf-8"))
    assert zs.import_file(zhejiang_path, "customs-city").rows == 3 * 5  # ytd only
    rows = stored(zs, "period LIKE '2023-%'")
    assert {r["span"] for r in rows} == {"ytd"} and {r["period"] for r in rows} == {"2023-02"}
    assert not any(r["derived"] for r in rows)


def test_an_undecidable_unit_is_refused(cli: Callable[..., Any], state: Callable[..., Any],
                                        write_file: Callable[..., Path]) -> None:
    path = write_file("zhejiang-2023-05.csv",
                      ",收发货人所在地,当期进出口,当期进口,当期出口,进出口同比,进口同比,出口同比\n"
                      ",合计,30146516,7820101,22326415,7.6,6.5,7.9\n"
                      ",嘉兴地区,2730940,642446,2088494,10.1,17.4,8.0\n"
                      ", 单位：人民币，万亿元，%,,,,,,\n")
    before = state()
    found = problems(cli, path)
    assert [(p["row"], p["column"], p["code"]) for p in found] == [
        (2, "收发货人所在地", "customs.unit_undecidable")]
    assert state() == before


def test_a_total_that_matches_the_national_figure_in_no_unit_is_refused(
        cli: Callable[..., Any], state: Callable[..., Any],
        write_file: Callable[..., Path]) -> None:
    text = lines_of("zhejiang-2024-03.csv")
    text[1] = text[1].replace("1206510099416.0", "3619530298248.0")
    before = state()
    found = problems(cli, write_file("zhejiang-2024-03.csv", "\n".join(text)))
    assert [(p["row"], p["code"]) for p in found] == [(2, "customs.unit_mismatch")]
    assert state() == before


# --- bad files ---------------------------------------------------------------------------

def national_text(edit: Callable[[list[list[str]]], object], month: int = 3) -> str:
    rows = list(csv.reader(lines_of(f"gacc-2024-{month:02d}.csv")))
    edit(rows)
    buffer = [",".join(f'"{c}"' if "," in c else c for c in row) for row in rows]
    return "\n".join(buffer) + "\n"


def swap_blocks(rows: list[list[str]]) -> None:
    for row in rows:
        row[3:5], row[5:7] = row[5:7], row[3:5]


@pytest.mark.parametrize(("drop", "row", "code"), [
    (0, 1, "customs.missing_unit_row"), (1, 2, "customs.missing_flow_row"),
    (2, 3, "customs.missing_period_row")])
def test_a_missing_header_row_is_named(cli: Callable[..., Any], state: Callable[..., Any],
                                       write_file: Callable[..., Path], drop: int, row: int,
                                       code: str) -> None:
    path = write_file("2024-03.csv", national_text(lambda rows: rows.pop(drop)))
    before = state()
    assert [(p["row"], p["code"]) for p in problems(cli, path)] == [(row, code)]
    assert state() == before


def test_swapped_blocks_are_mapped_by_their_labels(cli_json: Callable[..., Any],
                                                   state: Callable[..., Any],
                                                   write_file: Callable[..., Path]) -> None:
    path = write_file("gacc-2024-03.csv", national_text(swap_blocks))
    assert lines_of("gacc-2024-03.csv")[1] != path.read_text("utf-8").splitlines()[1]
    before = state()["trade"]
    report = cli_json("import", str(path), "--kind", "customs-city")
    assert (report["rows"], report["added"], report["updated"]) == (2028, 0, 0)
    assert state()["trade"] == before


def test_swapped_blocks_without_labels_are_refused(cli: Callable[..., Any],
                                                   state: Callable[..., Any],
                                                   write_file: Callable[..., Path]) -> None:
    def unlabel(rows: list[list[str]]) -> None:
        swap_blocks(rows)
        rows[1][3:7] = ["", "", "", ""]

    before = state()
    found = problems(cli, write_file("2024-03.csv", national_text(unlabel)))
    assert {(p["row"], p["code"]) for p in found} == {
        (2, "customs.column_unmapped"), (2, "customs.flow_missing")}
    assert len([p for p in found if p["code"] == "customs.column_unmapped"]) == 4
    assert state() == before


def test_unknown_city_and_bad_number_are_all_listed(cli: Callable[..., Any],
                                                    state: Callable[..., Any],
                                                    write_file: Callable[..., Path]) -> None:
    shenzhen = next(i for i, r in enumerate(csv.reader(lines_of("gacc-2024-03.csv")))
                    if r[0] == "深圳市")

    def spoil(rows: list[list[str]]) -> None:
        rows[shenzhen][4] = "6424万"  # 出口 1至3月
        rows.insert(5, ["火星市", *["1"] * 9])

    before = state()
    found = problems(cli, write_file("2024-03.csv", national_text(spoil)))
    assert [(p["row"], p["column"], p["value"], p["code"]) for p in found] == [
        (6, "收发货人所在地", "火星市", "region.not_found"),
        (shenzhen + 2, "出口 / 1至3月", "6424万", "value.not_a_number")]
    assert "新星市" in found[0]["reason"]  # a candidate is offered
    assert state() == before


@pytest.mark.parametrize(("name", "source", "code"), [
    ("zhejiang.csv", "zhejiang-2024-03.csv", "customs.period_unreadable"),
    ("gacc.csv", "gacc-2024-03.csv", "customs.period_unreadable"),
    ("gacc-2024-04.csv", "gacc-2024-03.csv", "customs.period_conflict")])
def test_a_period_that_cannot_be_read_is_refused(cli: Callable[..., Any],
                                                 state: Callable[..., Any],
                                                 write_file: Callable[..., Path], name: str,
                                                 source: str, code: str) -> None:
    path = write_file(name, (DATA / source).read_text("utf-8"))
    before = state()
    assert [p["code"] for p in problems(cli, path)] == [code]
    assert state() == before


def test_a_file_of_another_layout_is_refused(zs: zonescope.ZoneScope,
                                             write_file: Callable[..., Path]) -> None:
    path = write_file("2024-03.csv", "地区,期间,值\n深圳,2024-03,1\n")
    with pytest.raises(ImportRejected) as info:
        zs.import_file(path, "customs-city")
    assert [p.reason_key for p in info.value.problems] == ["customs.layout_unknown"]


# --- re-import, CLI ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["gacc-2024-03.csv", "zhejiang-2024-01.csv",
                                  "zhejiang-2024-07.csv"])
def test_reimporting_a_bundled_file_changes_nothing(cli_json: Callable[..., Any],
                                                    state: Callable[..., Any],
                                                    name: str) -> None:
    before = state()["trade"]
    report = cli_json("import", str(DATA / name), "--kind", "customs-city")
    assert report["kind"] == "customs-city"
    assert report["added"] == report["updated"] == 0 and report["unchanged"] == report["rows"]
    assert state()["trade"] == before


@pytest.mark.parametrize("command", ["export", "template"])
def test_export_and_template_point_to_kind_trade(cli: Callable[..., Any], tmp_path: Path,
                                                 command: str) -> None:
    result = cli(command, "--kind", "customs-city", "-o", str(tmp_path / "x.xlsx"),
                 "--lang", "en")
    assert result.exit_code == 2 and "--kind trade" in result.output
    assert not (tmp_path / "x.xlsx").exists()
