"""The customs query-platform importer (`--kind customs-detail`) and the measures built on it.

Files are written the way the platform exports them (trade-formats.md §3): GBK, a
trailing comma on every line, thousands separators, tabs inside fields, HS codes
with leading zeros. Every rejection must name row and column and leave the store
— including `customs_detail`, which `state()` does not cover — exactly as it was.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

import zonescope
from zonescope.errors import ImportRejected, ZoneScopeError
from zonescope.store.queries import snapshot
from zonescope.trade import detail as dt

ROOT = Path(__file__).resolve().parents[2]
FULL = ("数据年月,商品编码,商品名称,贸易伙伴编码,贸易伙伴名称,贸易方式编码,贸易方式名称,"
        "注册地编码,注册地名称,第一数量,第一计量单位,第二数量,第二计量单位,人民币")
Cli = Callable[..., Result]
Writer = Callable[..., Path]


def platform_csv(header: str, *rows: str, encoding: str = "gbk") -> bytes:
    """A platform export: every line (header included) ends with a trailing comma."""
    return "".join(f"{line},\r\n" for line in (header, *rows)).encode(encoding)


def generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_customs_detail", ROOT / "benchmarks" / "make_customs_detail.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def everything(store: Path) -> dict[str, list[tuple[Any, ...]]]:
    """`snapshot` plus the detail table."""
    with zonescope.open(store) as zs:
        tables = snapshot(zs.store.con)
        rows = zs.store.con.execute("SELECT * FROM customs_detail").fetchall()
    return {**tables, "customs_detail": sorted(rows, key=repr)}


def rejected(result: Result) -> dict[str, Any]:
    assert result.exit_code == 2, result.output
    return json.loads(result.stdout)


def codes(error: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["code"]) for p in error["problems"]]


def test_small_gbk_file_round_trip(cli_json: Callable[..., Any], zs: zonescope.ZoneScope,
                                   write_file: Writer) -> None:
    path = write_file("浙江出口.csv", platform_csv(
        FULL,
        '202403,\t03019110,鲜\t活鱼,141,越南,9610,跨境贸易电子商务,33,浙江省,"1,200",千克,,,'
        '"1,234,567"',
        '202403,3019110,活鱼,502,美国,110,一般贸易,44,广东省,5,千克,"2,000.5",个,800',
        '202404,85176299,手机零件,116,日本,9710,跨境电商B2B直接出口,440000,广东,1,台,1,千克,'
        '"12,000"'))
    report = cli_json("import", str(path), "--kind", "customs-detail")
    assert report["rows"] == 3 and report["flow"] == "export"  # flow from the file name
    assert report["period"] == "2024-03:2024-04" and report["currency"] == "CNY"
    rows = zs.sql("SELECT period, hs_code, hs_name, partner_code, partner_name, mode, "
                  "region_id, qty1, unit1, qty2, unit2, value, currency, value_unit, flow, "
                  "period_start FROM customs_detail ORDER BY value").rows
    assert rows == [
        ("2024-03", "03019110", "活鱼", "502", "美国", "0110", "440000", 5.0, "千克", 2000.5,
         "个", 800.0, "CNY", "元", "export", None),
        ("2024-04", "85176299", "手机零件", "116", "日本", "9710", "440000", 1.0, "台", 1.0,
         "千克", 12000.0, "CNY", "元", "export", None),
        ("2024-03", "03019110", "鲜活鱼", "141", "越南", "9610", "330000", 1200.0, "千克", None,
         None, 1234567.0, "CNY", "元", "export", None)]
    types = zs.sql("SELECT data_type FROM information_schema.columns WHERE table_name = "
                   "'customs_detail' AND column_name IN ('hs_code', 'partner_code')").rows
    assert types == [("VARCHAR",), ("VARCHAR",)]


def test_aggregates_in_trade_equal_sums_of_detail(cli_json: Callable[..., Any],
                                                  zs: zonescope.ZoneScope,
                                                  tmp_path: Path) -> None:
    path = generator().write(tmp_path / "detail.csv", 3000, monthly=True)
    report = cli_json("import", str(path), "--kind", "customs-detail", "--flow", "import",
                      "--source", "my-query")
    assert report["rows"] == 3000 and report["trade_added"] > 0
    mismatched = zs.sql(
        "WITH d AS (SELECT region_id, period, mode, sum(value) AS raw FROM customs_detail "
        "GROUP BY ALL), t AS (SELECT * FROM trade WHERE import_id = ?) "
        "SELECT count(*) FROM t FULL JOIN d USING (region_id, period, mode) "
        "WHERE t.value IS NULL OR d.raw IS NULL OR abs(t.value_raw - d.raw) > 1e-6 "
        "OR abs(t.value - d.raw / 1e8) > 1e-9 "
        "OR t.flow <> 'import' OR t.span <> 'month' OR t.unit <> '亿元' OR t.unit_raw <> '元' "
        "OR t.source <> 'my-query' OR t.derived".replace("?", str(report["import_id"]))).rows
    assert mismatched == [(0,)]
    assert zs.sql("SELECT count(*) FROM trade WHERE mode = 'all' AND source = 'my-query'"
                  ).rows == [(0,)]  # a query by mode never claims a total


def test_generated_file_matches_an_independent_reading(zs: zonescope.ZoneScope,
                                                       tmp_path: Path) -> None:
    path = generator().write(tmp_path / "full.csv", 2500, seed=3)
    with path.open(encoding="gbk", newline="") as handle:
        lines = list(csv.reader(handle))
    total = sum(float(r[-2].replace(",", "")) for r in lines[1:])
    zs.import_file(path, "customs-detail", flow="export", period="2024-01:2024-12")
    found = zs.sql("SELECT count(*), sum(value), count(DISTINCT length(hs_code)), "
                   "bool_or(hs_code LIKE '0%'), bool_or(contains(hs_name, chr(9))), "
                   "any_value(period_start), any_value(period_end), count(period) "
                   "FROM customs_detail").rows[0]
    assert found[:2] == (2500, pytest.approx(total))
    assert found[2:] == (1, True, False, "2024-01", "2024-12", 0)
    year = zs.sql("SELECT DISTINCT span, period FROM trade WHERE source = 'full.csv'").rows
    assert year == [("year", "2024-12")]


def test_without_data_month_the_period_is_required(cli: Cli, write_file: Writer,
                                                   store_path: Path) -> None:
    path = write_file("q.csv", platform_csv("商品编码,注册地名称,人民币", "61091000,浙江,100"))
    before = everything(store_path)
    error = rejected(cli("import", str(path), "--kind", "customs-detail", "--flow", "export",
                         "--json"))
    assert error["error"] == "customs_detail.period_required"
    error = rejected(cli("import", str(path), "--kind", "customs-detail", "--json",
                         "--period", "2024-01:2024-03"))
    assert error["error"] == "customs_detail.flow_required"
    error = rejected(cli("import", str(path), "--kind", "customs-detail", "--flow", "export",
                         "--period", "2024-03:2024-06", "--json"))
    assert error["error"] == "customs_detail.range_not_span"
    error = rejected(cli("import", str(path), "--kind", "customs-detail", "--flow", "export",
                         "--period", "2024-13", "--json"))
    assert error["error"] == "customs_detail.bad_period_option"
    assert everything(store_path) == before
    result = cli("import", str(path), "--kind", "customs-detail", "--flow", "export",
                 "--period", "2024-01:2024-06", "--json")
    assert result.exit_code == 0, result.output
    with zonescope.open(store_path) as zs:
        assert zs.sql("SELECT period, period_start, period_end FROM customs_detail").rows == [
            (None, "2024-01", "2024-06")]
        assert zs.sql("SELECT region_id, period, span, mode, value FROM trade "
                      "WHERE source = 'q.csv'").rows == [("330000", "2024-06", "ytd", "all",
                                                          1e-6)]


def test_options_belong_to_the_detail_kind(cli: Cli, write_file: Writer) -> None:
    path = write_file("t.csv", "region,period,span,flow,mode,value,unit,source\n")
    error = rejected(cli("import", str(path), "--kind", "trade", "--flow", "export", "--json"))
    assert error["error"] == "customs_detail.options_only"


def test_usd_without_fx_is_refused_and_nothing_is_written(cli: Cli, write_file: Writer,
                                                          store_path: Path,
                                                          zs: zonescope.ZoneScope) -> None:
    path = write_file("usd.csv", platform_csv("数据年月,贸易方式编码,美元", '202405,9610,"1,000"',
                                              "202405,1210,500"))
    before = everything(store_path)
    error = rejected(cli("import", str(path), "--kind", "customs-detail", "--flow", "export",
                         "--json"))
    assert codes(error) == [(1, "美元", "customs_detail.usd_needs_fx")]
    assert "--fx USD_CNY" in error["problems"][0]["reason"]
    assert everything(store_path) == before
    result = cli("import", str(path), "--kind", "customs-detail", "--flow", "export",
                 "--fx", "USD_CNY=7.1", "--json")
    assert result.exit_code == 0, result.output
    assert zs.sql("SELECT mode, value, currency, value_unit FROM customs_detail ORDER BY mode"
                  ).rows == [("1210", 500.0, "USD", "美元"), ("9610", 1000.0, "USD", "美元")]
    assert zs.sql("SELECT mode, value, unit, value_raw, unit_raw, fx_rate FROM trade "
                  "WHERE source = 'usd.csv' ORDER BY mode").rows == [
        ("1210", pytest.approx(500 * 7.1 / 1e8), "亿元", 500.0, "美元", 7.1),
        ("9610", pytest.approx(1000 * 7.1 / 1e8), "亿元", 1000.0, "美元", 7.1)]


BAD = [
    ("missing_value_column", "数据年月,贸易方式编码", ["202401,9610"],
     [(1, "人民币 / 美元", "header.missing")]),
    ("unknown_column", "数据年月,贸易方式编码,备注,人民币", ["202401,9610,x,1"],
     [(1, "备注", "header.unknown")]),
    ("two_value_columns", "数据年月,人民币,美元", ["202401,1,1"],
     [(1, "美元", "header.duplicate")]),
    ("bad_data_month", "数据年月,注册地名称,人民币",
     ["202401,浙江,1", "202413,浙江,1", "2024,浙江,1"],
     [(3, "数据年月", "value.bad_period"), (4, "数据年月", "value.bad_period")]),
    ("non_numeric_value", "数据年月,商品编码,人民币", ["202401,61091000,abc", "202401,61091000,"],
     [(2, "人民币", "value.not_a_number"), (3, "人民币", "value.required")]),
    ("negative_quantity", "数据年月,第一数量,人民币", ["202401,-5,1"],
     [(2, "第一数量", "value.negative")]),
    ("unknown_province_name", "数据年月,注册地名称,人民币", ["202401,火星省,1", "202401,深圳,1"],
     [(2, "注册地名称", "customs_detail.unknown_region"),
      (3, "注册地名称", "customs_detail.unknown_region")]),
    ("unknown_province_code", "数据年月,注册地编码,人民币", ["202401,99,1", "202401,440300,1"],
     [(2, "注册地编码", "customs_detail.unknown_region"),
      (3, "注册地编码", "customs_detail.unknown_region")]),
    ("province_code_and_name_disagree", "数据年月,注册地编码,注册地名称,人民币",
     ["202401,33,广东省,1"], [(2, "注册地名称", "customs_detail.region_mismatch")]),
    ("bad_codes", "数据年月,商品编码,贸易伙伴编码,贸易方式编码,人民币",
     ["202401,6109A000,14,96100,1"],
     [(2, "商品编码", "customs_detail.bad_hs"), (2, "贸易伙伴编码", "customs_detail.bad_partner"),
      (2, "贸易方式编码", "customs_detail.bad_mode")]),
    ("short_row", "数据年月,贸易方式编码,人民币", ["202401,9610,1", "202401"],
     [(3, "", "customs_detail.short_row")]),
    ("extra_cell", "数据年月,人民币", ["202401,1,,x"], [(2, "#3", "row.extra_cell")]),
    ("month_outside_period", "数据年月,人民币", ["202401,1", "202407,1"],
     [(3, "数据年月", "customs_detail.period_outside")]),
    ("rows_after_a_quoted_line_break", "数据年月,商品名称,人民币",
     ['202401,"两行\n名称",1', "202401,x,y"], [(4, "人民币", "value.not_a_number")]),
    ("only_header", "数据年月,人民币", [], [(2, "", "file.no_rows")]),
]


@pytest.mark.parametrize(("header", "lines", "expected"), [c[1:] for c in BAD],
                         ids=[c[0] for c in BAD])
def test_bad_input_is_located_and_nothing_is_written(
        header: str, lines: list[str], expected: list[tuple[int, str, str]], cli: Cli,
        write_file: Writer, store_path: Path) -> None:
    path = write_file("bad.csv", platform_csv(header, *lines))
    before = everything(store_path)
    period = ["--period", "2024-01:2024-06"] if "outside" in str(expected) else []
    error = rejected(cli("import", str(path), "--kind", "customs-detail", "--flow", "export",
                         *period, "--json"))
    assert error["error"] == "import.rejected"
    assert codes(error) == expected
    assert error["params"]["count"] == len(expected)
    assert everything(store_path) == before


def test_problems_are_all_counted_and_the_first_thousand_listed(zs: zonescope.ZoneScope,
                                                                write_file: Writer) -> None:
    rows = [f"202401,{'x' if i % 2 else '1'}" for i in range(3000)]
    path = write_file("many.csv", platform_csv("数据年月,人民币", *rows))
    with pytest.raises(ImportRejected) as info:
        zs.import_file(path, "customs-detail", flow="export")
    problems = info.value.problems
    assert info.value.params["count"] == 1500
    assert len(problems) == 1001 and problems[-1].reason_key == "customs_detail.more_problems"
    assert [p.row for p in problems[:3]] == [3, 5, 7] and problems[999].row == 2001
    assert "1500" in info.value.render("en")


def test_human_output_names_row_and_column(cli: Cli, write_file: Writer) -> None:
    path = write_file("bad.csv", platform_csv("数据年月,注册地名称,人民币", "202401,火星,1"))
    result = cli("--lang", "en", "import", str(path), "--kind", "customs-detail",
                 "--flow", "export")
    assert result.exit_code == 2
    assert "注册地名称" in result.stderr and "火星" in result.stderr
    assert "Unknown province" in result.stderr and "nothing was written" in result.stderr


def test_flow_from_the_file_name_or_the_option() -> None:
    from zonescope.ingest.customs_detail import flow_of

    assert flow_of(None, "2024年浙江进口.csv") == "import"
    assert flow_of(None, "guangdong_export_2024.csv") == "export"
    assert flow_of(None, "进出口总值.csv") == "total"
    assert flow_of("import", "出口.csv") == "import"
    for name in ("查询结果.csv", "出口与进口.csv"):
        with pytest.raises(ZoneScopeError) as info:
            flow_of(None, name)
        assert info.value.key == "customs_detail.flow_required"


def test_encodings_and_the_partition_is_replaced_on_reimport(
        zs: zonescope.ZoneScope, write_file: Writer) -> None:
    rows = ("202402,9610,浙江省,10", "202402,9710,浙江省,30")
    for encoding in ("utf-8-sig", "gb18030", "utf-8"):
        path = write_file("出口.csv", platform_csv("数据年月,贸易方式编码,注册地名称,人民币", *rows,
                                                  encoding=encoding))
        report = zs.import_file(path, "customs-detail")
        assert report.rows == 2
    assert report.replaced == 2 and report.trade_unchanged == 2  # type: ignore[attr-defined]
    assert zs.sql("SELECT count(*), count(DISTINCT import_id) FROM customs_detail").rows == [
        (2, 1)]


MEASURES = platform_csv(
    FULL.replace("数据年月,", ""),
    *[f"{hs},品名,{partner},伙伴,{mode},方式,33,浙江省,1,千克,,,{value}"
      for hs, partner, mode, value in (
          ("61091000", "502", "9610", "300"), ("61102000", "502", "9610", "200"),
          ("85176299", "141", "0110", "300"), ("03019110", "141", "1234", "150"),
          ("03019110", "116", "9610", "50"))])


def test_mode_partner_shares_and_hhi_on_a_hand_computed_example(
        cli: Cli, cli_json: Callable[..., Any], write_file: Writer) -> None:
    path = write_file("zj.csv", MEASURES)
    cli_json("import", str(path), "--kind", "customs-detail", "--flow", "export",
             "--period", "2024-01:2024-06")
    # a second export of the same months with only the partner dimension: newer, but
    # without modes or HS codes — it must not be added to the first for those measures
    other = write_file("zj2.csv", platform_csv("贸易伙伴编码,贸易伙伴名称,注册地编码,人民币",
                                               "502,美国,330000,700", "133,韩国,330000,300"))
    cli_json("import", str(other), "--kind", "customs-detail", "--flow", "export",
             "--period", "2024-01:2024-06")
    modes = cli_json("trade", "modes", "浙江", "--period", "2024-01:2024-06")["rows"]
    assert [(r["mode"], r["name_zh"], r["value"], r["share_pct"]) for r in modes] == [
        ("9610", "电子商务", 550.0, pytest.approx(55.0)), ("0110", "一般贸易", 300.0, 30.0),
        ("1234", "1234", 150.0, pytest.approx(15.0))]
    partners = cli_json("trade", "partners", "浙江", "--top", "5")["rows"]  # newest with partners
    assert [(r["partner_code"], r["partner_name"], r["share_pct"]) for r in partners] == [
        ("502", "美国", pytest.approx(70.0)), ("133", "韩国", pytest.approx(30.0))]
    hhi = cli_json("trade", "concentration", "浙江", "--period", "2024")["rows"]
    # chapters 61: 500, 85: 300, 03: 200 of 1000 → 0.5² + 0.3² + 0.2² = 0.38
    assert len(hhi) == 1
    assert hhi[0]["hhi"] == pytest.approx(3800) and hhi[0]["chapters"] == 3
    assert (hhi[0]["top_chapter"], hhi[0]["top_share_pct"]) == ("61", 50.0)
    human = cli("--lang", "en", "trade", "modes", "浙江")
    assert human.exit_code == 0 and "55.0%" in human.stdout and "1234" in human.stdout
    empty = cli("trade", "modes", "浙江", "--flow", "import")
    assert empty.exit_code == 0 and "customs-detail" in empty.stdout


def test_what_the_query_fixes_is_one_value_per_import(zs: zonescope.ZoneScope,
                                                    write_file: Writer) -> None:
    """`trade.detail.imports_of` reads one flow, currency, unit, dims and range per import:
    the importer must write them the same on every row of an import."""
    files = [
        (write_file("出口.csv", platform_csv("数据年月,贸易方式编码,注册地名称,人民币",
                                             "202401,9610,浙江省,10", "202402,0110,广东省,5")),
         {}),
        (write_file("zj.csv", MEASURES), {"flow": "import", "period": "2024-01:2024-06"}),
        (write_file("进口.csv", platform_csv("数据年月,贸易伙伴编码,注册地编码,美元",
                                             "202403,502,330000,7", "202403,133,440000,3")),
         {"fx": ["USD_CNY=7.1"]}),
    ]
    for path, options in files:
        zs.import_file(path, "customs-detail", **options)
    fixed = ", ".join(f"count(DISTINCT coalesce({c}, '∅'))" for c in dt.IMPORT_FIXED)
    counts = zs.sql(f"SELECT import_id, {fixed} FROM customs_detail GROUP BY 1").rows
    assert len(counts) == 3 and all(set(row[1:]) == {1} for row in counts), counts


def test_progress_bar_is_silent_when_output_is_not_a_terminal(cli: Cli, write_file: Writer
                                                              ) -> None:
    path = write_file("出口.csv", platform_csv("数据年月,人民币", "202401,1"))
    result = cli("import", str(path), "--kind", "customs-detail")
    assert result.exit_code == 0 and result.stderr == ""


def test_progress_bar_shows_on_a_terminal(zs: zonescope.ZoneScope, write_file: Writer,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from rich.console import Console

    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    path = write_file("出口.csv", platform_csv("数据年月,人民币", "202401,1"))
    zs.import_file(path, "customs-detail", progress=True)
    assert "出口.csv" in capsys.readouterr().err
    zs.import_file(path, "customs-detail", progress=False)
    assert capsys.readouterr().err == ""


def test_kill_9_before_commit_leaves_the_store_unchanged(
        store_path: Path, tmp_path: Path, kill_at_commit: Callable[..., None]) -> None:
    path = generator().write(tmp_path / "出口.csv", 20_000, monthly=True)
    before = everything(store_path)
    kill_at_commit(store_path, "import", str(path), "--kind", "customs-detail")
    assert everything(store_path) == before


def test_blocks_never_split_a_quoted_field(monkeypatch: pytest.MonkeyPatch) -> None:
    from zonescope.ingest import customs_detail

    monkeypatch.setattr(customs_detail, "BLOCK", 16)
    data = "h,\n" + "".join(f'{i},"a\nb",\n' for i in range(20))
    blocks = list(customs_detail._blocks(io.BytesIO(data.encode()), [0]))
    assert b"".join(b for b, _, _ in blocks) == data.encode()
    for block, _, count in blocks:
        assert block.count(b'"') % 2 == 0 and block.count(b"\n") == count
    assert [first for _, first, _ in blocks] == sorted(first for _, first, _ in blocks)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [1.0, 2.0, 3.0])
def test_kill_9_while_streaming_is_all_or_nothing(store_path: Path, tmp_path: Path,
                                                  delay: float) -> None:
    path = generator().write(tmp_path / "出口.csv", 200_000, monthly=True)
    before = everything(store_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "zonescope", "--db", str(store_path), "import", str(path),
         "--kind", "customs-detail"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = everything(store_path)
    if after != before:  # the import finished before the kill: then it is whole
        assert len(after["customs_detail"]) == 200_000
        assert len(after["imports"]) == len(before["imports"]) + 1


def test_status_lists_detail_rows_months_and_files(zs: zonescope.ZoneScope,
                                                   write_file: Writer) -> None:
    zs.import_file(write_file("出口.csv", platform_csv("数据年月,贸易方式编码,注册地名称,人民币",
                                                       "202401,9610,浙江省,10",
                                                       "202402,0110,广东省,5")), "customs-detail")
    zs.import_file(write_file("zj.csv", MEASURES), "customs-detail", flow="export",
                   period="2023-01:2023-12")
    detail = next(d for d in zs.status() if d["dataset"] == "customs_detail")
    assert detail == {"dataset": "customs_detail", "rows": 7, "first": "2023-01",
                      "last": "2024-02", "sources": ["出口.csv", "zj.csv"]}
