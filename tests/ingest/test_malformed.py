"""Malformed input files are rejected whole, with every bad cell located; real-world forms pass.

The first half is one table of malformed files. Each is imported through the CLI
(`zonescope import FILE --kind KIND --json`) and must exit with code 2, report every
expected (row, column, code) — rows numbered as the user sees the file, header = row 1 —
and leave every table of the store exactly as it was.

The second half imports legitimate files written the way Chinese statistics are
really written (thousands separators, full-width digits, percentages, units in
headers, GBK, customs-style region names, USD with an explicit rate) and checks
what the store holds afterwards.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import Result

import zonescope

Content = str | bytes | Callable[[], bytes]
# (row, column, code); None for row or column means "any" (see the cases that use it).
Expected = tuple[int | None, str | None, str]
State = Callable[[], dict[str, list[tuple[Any, ...]]]]

TRADE = "region,period,span,flow,mode,value,unit,source"
TRADE_ZH = "地区,期间,口径,流向,监管方式,值,单位,来源"
TRADE_KEY = "region, period, span, flow, mode"
INDICATORS = "region,year,indicator,value,unit,source"
POLICIES = "region,published,title,summary,targets,categories,source"
CLUSTERS = "province,number,name,place,industry,source"
ASSOCIATIONS = "name,region,founded,members,focus,source"
GOOD = "深圳,2022-06,ytd,export,all,7906.4,亿元,igdt-2022-04"
POLICY = "深圳,2021-08-16,{title},支持企业建设独立站,{targets},{categories},igdt-2022-04"


def csv_text(header: str, *rows: str) -> str:
    """A CSV file: the header line and the data lines."""
    return "\n".join((header, *rows)) + "\n"


def xlsx(rows: Sequence[Sequence[object]], *, merge: str | None = None) -> Callable[[], bytes]:
    """A builder for a one-sheet workbook (built lazily, when the case runs)."""

    def build() -> bytes:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(list(row))
        if merge:
            sheet.merge_cells(merge)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    return build


def zip_without_workbook() -> bytes:
    """A valid ZIP archive that is not a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@dataclass(frozen=True)
class Case:
    """One malformed file and what the rejection must say about it."""

    id: str
    name: str
    content: Content
    expected: tuple[Expected, ...] = ()
    kind: str = "trade"
    encoding: str = "utf-8"
    fx: tuple[str, ...] = ()
    error: str = "import.rejected"
    reasons: tuple[str, ...] = ()  # substrings the rendered reasons/message must contain
    human: bool = False  # also check the human (non-JSON) output names row and column

    def payload(self) -> str | bytes:
        return self.content() if callable(self.content) else self.content

    def args(self, path: Path) -> list[str]:
        fx = [part for spec in self.fx for part in ("--fx", spec)]
        return ["import", str(path), "--kind", self.kind, *fx]


CASES: list[Any] = [
    # --- the file itself -------------------------------------------------------------------
    Case("bad_encoding", "trade.csv", b"\xff\xff", ((1, "", "file.bad_encoding"),)),
    Case("bad_encoding_after_header", "trade.csv", TRADE.encode() + b"\n\xff\xfe\xff\xff\n",
         ((1, "", "file.bad_encoding"),)),
    Case("utf16_text_export", "trade.csv", csv_text(TRADE, GOOD), ((1, "", "file.bad_encoding"),),
         encoding="utf-16"),
    Case("binary_file", "chart.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
         ((1, "", "file.bad_encoding"),)),
    Case("unsupported_pdf", "report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
         ((None, "", "file.unsupported_type"),)),  # a file-level problem: no meaningful row
    Case("damaged_xlsx", "trade.xlsx", bytes(range(256)) * 8, ((1, "", "file.bad_xlsx"),)),
    Case("csv_renamed_xlsx", "trade.xlsx", csv_text(TRADE, GOOD), ((1, "", "file.bad_xlsx"),)),
    Case("zip_not_workbook", "trade.xlsx", zip_without_workbook, ((1, "", "file.bad_xlsx"),)),
    Case("empty_file", "trade.csv", b"", ((1, "", "file.empty"),)),
    Case("whitespace_only", "trade.csv", "  \n\t\n \r\n", ((1, "", "file.empty"),)),
    Case("only_separators", "trade.csv", ",,,\n , ,\n", ((1, "", "file.empty"),)),
    Case("only_headers", "trade.csv", csv_text(TRADE), ((2, "", "file.no_rows"),)),
    # --- headers ---------------------------------------------------------------------------
    Case("merged_title_row_csv", "trade.csv",
         csv_text("2022年1-6月跨境电商进出口统计表,,,,,,,", TRADE, GOOD),
         ((1, "2022年1-6月跨境电商进出口统计表", "header.unknown"), (1, "region", "header.missing"),
          (1, "source", "header.missing")),
         reasons=("合并的标题行",)),
    Case("merged_title_row_xlsx", "trade.xlsx",
         xlsx([["2022年深圳市跨境电商进出口统计表"], TRADE.split(","),
               ["深圳", "2022-06", "ytd", "export", "all", 7906.4, "亿元", "igdt-2022-04"]],
              merge="A1:H1"),
         ((1, "2022年深圳市跨境电商进出口统计表", "header.unknown"),
          (1, "period", "header.missing"))),
    Case("wrong_kind_policies_as_trade", "policies.csv",
         csv_text(POLICIES, POLICY.format(title="措施", targets="跨境电商企业",
                                          categories="展会参展")),
         ((1, "period", "header.missing_hint"), (1, "value", "header.missing_hint"),
          (1, "title", "header.unknown")),
         reasons=("policies",)),
    Case("missing_required_column", "trade.csv",
         csv_text("region,period,span,flow,mode,value,unit", "深圳,2022-06,ytd,export,all,1,亿元"),
         ((1, "source", "header.missing"),)),
    Case("unknown_column", "trade.csv", csv_text(TRADE + ",remark", GOOD + ",x"),
         ((1, "remark", "header.unknown"),), reasons=("region, period, span",)),
    Case("duplicate_column", "trade.csv", csv_text(TRADE + ",来源", GOOD + ",igdt-2022-04"),
         ((1, "来源", "header.duplicate"),)),
    # --- cells -----------------------------------------------------------------------------
    Case("extra_cell", "trade.csv", csv_text(TRADE, GOOD, GOOD.replace("export", "import")
                                             + ",,surplus"),
         ((3, None, "row.extra_cell"),)),  # the column it names is not pinned (see report)
    Case("unknown_region", "trade.csv", csv_text(TRADE, GOOD.replace("深圳", "深川")),
         ((2, "region", "region.not_found"),), reasons=("深川", "深圳市 (440300)"), human=True),
    Case("ambiguous_region", "trade.csv", csv_text(TRADE, GOOD.replace("深圳", "鼓楼区")),
         ((2, "region", "region.ambiguous"),), reasons=("320106", "350102", "南京市", "福州市")),
    Case("bad_periods", "trade.csv",
         csv_text(TRADE, GOOD.replace("2022-06", "2022-13"),
                  GOOD.replace("2022-06", "2022/6/31").replace("export", "import"),
                  GOOD.replace("2022-06", "二〇二二年").replace("export", "total")),
         ((2, "period", "value.bad_period"), (3, "period", "value.bad_period"),
          (4, "period", "value.bad_period")), human=True),
    Case("bad_span", "trade.csv", csv_text(TRADE, GOOD.replace("ytd", "quarter")),
         ((2, "span", "value.bad_choice"),), reasons=("month | ytd | year",)),
    Case("bad_flow", "trade.csv", csv_text(TRADE, GOOD.replace("export", "转口")),
         ((2, "flow", "value.bad_choice"),), reasons=("total | export | import",)),
    Case("bad_mode", "trade.csv", csv_text(TRADE, GOOD.replace(",all,", ",96100,")),
         ((2, "mode", "value.bad_mode"),)),
    Case("not_a_number", "trade.csv",
         csv_text(TRADE, GOOD.replace("7906.4", "约7900"),
                  GOOD.replace("7906.4", "1.2.3").replace("export", "import")),
         ((2, "value", "value.not_a_number"), (3, "value", "value.not_a_number"))),
    Case("percent_in_money_column", "trade.csv", csv_text(TRADE, GOOD.replace("7906.4", "12%")),
         ((2, "value", "value.percent_not_allowed"),)),
    Case("negative_trade_value", "trade.csv", csv_text(TRADE, GOOD.replace("7906.4", "-5")),
         ((2, "value", "value.negative"),)),
    Case("negative_count_indicator", "indicators.csv",
         csv_text(INDICATORS, "深圳,2021,cbec_enterprises,-3,家,igdt-2022-04"),
         ((2, "value", "value.negative_count"),), kind="indicators"),
    Case("unit_conflicts_with_header", "trade.csv",
         csv_text(TRADE.replace("value", "value（亿元）"), GOOD.replace("亿元", "万元")),
         ((2, "unit", "value.unit_conflict"),), reasons=("亿元",)),
    Case("non_money_unit_in_trade", "trade.csv", csv_text(TRADE, GOOD.replace("亿元", "件")),
         ((2, "unit", "value.not_money_unit"),)),
    Case("usd_without_fx", "trade.csv", csv_text(TRADE, GOOD.replace("亿元", "亿美元")),
         ((2, "unit", "value.fx_missing"),), reasons=("--fx USD_CNY",)),
    Case("required_value_empty", "trade.csv",
         csv_text(TRADE, GOOD.replace("igdt-2022-04", ""),
                  GOOD.replace("深圳", " ").replace("export", "import")),
         ((2, "source", "value.required"), (3, "region", "value.required"))),
    Case("duplicate_key_conflicting_values", "trade.csv",
         csv_text(TRADE, GOOD, GOOD.replace("7906.4", "7906.5")),
         ((3, TRADE_KEY, "row.duplicate_key"),), reasons=("第 2 行",)),
    Case("duplicate_key_same_region_spelled_twice", "trade.csv",
         csv_text(TRADE, GOOD, GOOD.replace("深圳", "440300")),
         ((3, TRADE_KEY, "row.duplicate_key"),)),
    Case("identical_duplicate_rows", "trade.csv",
         csv_text(TRADE, GOOD, GOOD.replace("export", "import"), GOOD),
         ((4, TRADE_KEY, "row.duplicate_key"),), reasons=("第 2 行",)),
    Case("duplicate_key_chinese_headers", "trade.csv",
         csv_text(TRADE_ZH, GOOD, GOOD.replace("7906.4", "1")),
         ((3, "地区, 期间, 口径, 流向, 监管方式", "row.duplicate_key"),)),
    Case("bad_year", "indicators.csv",
         csv_text(INDICATORS, "深圳,21,cbec_enterprises,3,家,igdt-2022-04",
                  "深圳,二〇二一,cbec_sellers,3,家,igdt-2022-04"),
         ((2, "year", "value.bad_year"), (3, "year", "value.bad_year")), kind="indicators"),
    Case("bad_indicator_code", "indicators.csv",
         csv_text(INDICATORS, "深圳,2021,cbec enterprises,3,家,igdt-2022-04",
                  "深圳,2021,跨境电商企业数,3,家,igdt-2022-04"),
         ((2, "indicator", "value.bad_indicator"), (3, "indicator", "value.bad_indicator")),
         kind="indicators"),
    Case("policy_category_not_in_vocabulary", "policies.csv",
         csv_text(POLICIES, POLICY.format(title="措施", targets="跨境电商企业",
                                          categories="展会参展;海外仓")),
         ((2, "categories", "value.not_in_vocabulary"),), kind="policies",
         reasons=("海外仓", "市场开拓-海外仓")),
    Case("policy_target_not_in_vocabulary", "policies.csv",
         csv_text(POLICIES, POLICY.format(title="措施", targets="外资企业",
                                          categories="展会参展")),
         ((2, "targets", "value.not_in_vocabulary"),), kind="policies", reasons=("外资企业",)),
    Case("policy_bad_dates", "policies.csv",
         csv_text(POLICIES,
                  POLICY.format(title="甲", targets="跨境电商企业", categories="人才")
                  .replace("2021-08-16", "2021-13-01"),
                  POLICY.format(title="乙", targets="跨境电商企业", categories="人才")
                  .replace("2021-08-16", "16/08/2021"),
                  POLICY.format(title="丙", targets="跨境电商企业", categories="人才")
                  .replace("2021-08-16", "去年")),
         ((2, "published", "value.bad_date"), (3, "published", "value.bad_date"),
          (4, "published", "value.bad_date")), kind="policies"),
    Case("policy_impossible_date", "policies.csv",
         csv_text(POLICIES, POLICY.format(title="甲", targets="跨境电商企业", categories="人才")
                  .replace("2021-08-16", "2021-02-30")),
         ((2, "published", "value.bad_date"),), kind="policies"),
    Case("clusters_negative_number", "clusters.csv",
         csv_text(CLUSTERS, "浙江,-1,浙南早茶产业集群,温州市,茶叶,igdt-2022-04"),
         ((2, "number", "value.negative_count"),), kind="clusters"),
    Case("clusters_province_is_a_city", "clusters.csv",
         csv_text(CLUSTERS, "深圳,1,深圳电子信息产业集群,深圳市,电子,igdt-2022-04"),
         ((2, "province", "region.wrong_level"),), kind="clusters"),
    Case("bad_flag", "trade.csv", csv_text(TRADE + ",derived", GOOD + ",maybe"),
         ((2, "derived", "value.bad_flag"),)),
    Case("associations_negative_members", "associations.csv",
         csv_text(ASSOCIATIONS, "某协会,深圳,2014,-2700,服务卖家,igdt-2022-04"),
         ((2, "members", "value.negative_count"),), kind="associations"),
    # --- row numbers as the user sees them -------------------------------------------------
    Case("xlsx_bad_period_in_row_3", "trade.xlsx",
         xlsx([TRADE.split(","),
               ["深圳", "2022-06", "ytd", "export", "all", 7906.4, "亿元", "igdt-2022-04"],
               ["深圳", "2022-13", "ytd", "import", "all", 100, "亿元", "igdt-2022-04"],
               [],
               ["深圳", 202205, "ytd", "import", "all", "abc", "亿元", "igdt-2022-04"]]),
         ((3, "period", "value.bad_period"), (5, "value", "value.not_a_number")), human=True),
    Case("gbk_unknown_region_in_row_4", "trade.csv",
         csv_text(TRADE_ZH, GOOD, GOOD.replace("export", "import"),
                  GOOD.replace("深圳", "深川")),
         ((4, "地区", "region.not_found"),), encoding="gbk", reasons=("深川", "深圳市 (440300)"),
         human=True),
    Case("errors_in_many_rows_and_columns", "trade.csv",
         csv_text(TRADE, GOOD,
                  "火星,2022-06,ytd,import,all,abc,亿元,igdt-2022-04",
                  "深圳,2022-13,ytd,出入口,all,1,亿元,igdt-2022-04",
                  GOOD.replace("export", "total"),
                  "宁波,2022-06,ytd,export,96100,1,件,",
                  "宁波,2022-06,ytd,import,all,-1,亿元,igdt-2022-04"),
         ((3, "region", "region.not_found"), (3, "value", "value.not_a_number"),
          (4, "period", "value.bad_period"), (4, "flow", "value.bad_choice"),
          (6, "mode", "value.bad_mode"), (6, "unit", "value.not_money_unit"),
          (6, "source", "value.required"), (7, "value", "value.negative")), human=True),
    # --- errors that are not about the file's cells ----------------------------------------
    Case("bad_fx_spec_checked_before_reading", "trade.csv", b"\xff\xff",
         fx=("USD_CNY=abc",), error="fx.bad_spec", reasons=("USD_CNY=abc",)),
    Case("fx_for_another_currency", "trade.csv", csv_text(TRADE, GOOD),
         fx=("EUR_CNY=7.8",), error="fx.bad_spec"),
    Case("fx_rate_zero", "trade.csv", csv_text(TRADE, GOOD), fx=("USD_CNY=0",),
         error="fx.bad_spec"),
    Case("fx_rate_infinite", "trade.csv", csv_text(TRADE, GOOD.replace("亿元", "亿美元")),
         fx=("USD_CNY=inf",), error="fx.bad_spec"),
    Case("unknown_kind", "trade.csv", csv_text(TRADE, GOOD), kind="tariffs",
         error="kind.unknown", reasons=("trade", "policies")),
]


def _case_id(case: Any) -> str:
    return case.id if isinstance(case, Case) else str(case)


def _run(case: Case, cli: Callable[..., Result], write_file: Callable[..., Path],
         *extra: str) -> Result:
    path = write_file(case.name, case.payload(), case.encoding)
    return cli(*case.args(path), *extra)


def _missing(expected: Sequence[Expected], problems: list[dict[str, Any]]) -> list[Expected]:
    """The expected (row, column, code) triples that no reported problem matches."""
    def matches(want: Expected, got: dict[str, Any]) -> bool:
        row, column, code = want
        return (got["code"] == code and (row is None or got["row"] == row)
                and (column is None or got["column"] == column))

    return [want for want in expected if not any(matches(want, got) for got in problems)]


def test_the_table_is_large_enough() -> None:
    ids = [_case_id(c) for c in CASES]
    assert len(ids) >= 36
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_malformed_file_is_rejected_and_nothing_is_written(
        case: Case, cli: Callable[..., Result], state: State,
        write_file: Callable[..., Path]) -> None:
    before = state()
    result = _run(case, cli, write_file, "--json")
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)
    assert error["error"] == case.error, error
    problems = error.get("problems", [])
    assert not _missing(case.expected, problems), json.dumps(problems, ensure_ascii=False)
    if case.error == "import.rejected":
        assert problems and error["params"]["count"] == len(problems)
    rendered = " ".join([error["message"], *(p["reason"] for p in problems)])
    for text in case.reasons:
        assert text in rendered, rendered
    assert state() == before


def _table_rows(output: str) -> list[list[str]]:
    """The body cells of the Rich table the CLI prints for a rejected import."""
    return [[cell.strip() for cell in line.split("│")[1:-1]]
            for line in output.splitlines() if line.startswith("│")]


HUMAN = [c for c in CASES if isinstance(c, Case) and c.human]


@pytest.mark.parametrize("case", HUMAN, ids=_case_id)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_human_output_names_row_and_column(case: Case, lang: str, cli: Callable[..., Result],
                                           write_file: Callable[..., Path]) -> None:
    result = _run(case, cli, write_file, "--lang", lang)
    assert result.exit_code == 2, result.output
    cells = _table_rows(result.output)
    for row, column, _code in case.expected:
        assert any(c[0] == str(row) and c[1] == column for c in cells), (row, column,
                                                                         result.output)
    assert ("数据库未作任何改动" if lang == "zh" else "The store was not changed") in result.output


# --- legitimate real-world forms are accepted ----------------------------------------------

TEST_SOURCE = "zs-malformed-test"


def _import(cli_json: Callable[..., Any], path: Path, kind: str = "trade",
            *options: str) -> dict[str, Any]:
    report: dict[str, Any] = cli_json("import", str(path), "--kind", kind, *options)
    return report


def _rows(store_path: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with zonescope.open(store_path) as zs:
        return zs.store.con.execute(sql, list(params)).fetchall()


def _trade(store_path: Path, columns: str = "region_id, period, span, flow, value, yoy_pct"
           ) -> list[tuple[Any, ...]]:
    return _rows(store_path, f"SELECT {columns} FROM trade WHERE source = ? "
                             "ORDER BY region_id, period, span, flow, mode", TEST_SOURCE)


def test_number_forms_are_read(cli_json: Callable[..., Any], write_file: Callable[..., Path],
                               store_path: Path) -> None:
    path = write_file("numbers.csv", csv_text(
        "region,period,span,flow,mode,value,unit,yoy_pct,source",
        f'深圳,2019-01,month,export,all,"1,234.5",亿元,17.3%,{TEST_SOURCE}',
        f"深圳,2019-02,month,export,all,１２３,亿元,－4.5,{TEST_SOURCE}",
        f"深圳,2019-03,month,export,all,-,亿元,-,{TEST_SOURCE}",
        f"深圳,2019-04,month,export,all,—,亿元,,{TEST_SOURCE}",
        f"深圳,2019-05,month,export,all,  42 ,亿元, 1.5 % ,{TEST_SOURCE}",
        f"深圳,2019-06,month,export,all,0,亿元,0,{TEST_SOURCE}"))
    report = _import(cli_json, path)
    assert (report["rows"], report["added"]) == (6, 6)
    assert _trade(store_path, "period, value, yoy_pct") == [
        ("2019-01", 1234.5, 17.3), ("2019-02", 123.0, -4.5), ("2019-03", None, None),
        ("2019-04", None, None), ("2019-05", 42.0, 1.5), ("2019-06", 0.0, 0.0)]


def test_nil_is_stored_as_null_never_zero(cli_json: Callable[..., Any],
                                          write_file: Callable[..., Path],
                                          store_path: Path) -> None:
    path = write_file("nil.csv", csv_text(TRADE, *(
        f"宁波,2019-0{i},month,export,all,{nil},亿元,{TEST_SOURCE}"
        for i, nil in enumerate(["-", "—", "－", ""], start=1))))
    _import(cli_json, path)
    assert _rows(store_path, "SELECT count(*), count(value) FROM trade WHERE source = ?",
                 TEST_SOURCE) == [(4, 0)]


def test_units_in_headers(cli_json: Callable[..., Any], write_file: Callable[..., Path],
                          store_path: Path) -> None:
    in_header = write_file("header_unit.csv", csv_text(
        "地区,期间,口径,流向,监管方式,进出口总值（亿元）,来源",
        f"深圳,2019-06,ytd,total,all,1234.5,{TEST_SOURCE}"))
    converted = write_file("wan.csv", csv_text(
        "region,period,span,flow,mode,value（万元）,source",
        f"宁波,2019-06,ytd,export,all,12345,{TEST_SOURCE}",
        f"宁波,2019-06,ytd,import,all,1,{TEST_SOURCE}"))
    _import(cli_json, in_header)
    _import(cli_json, converted)
    assert _trade(store_path, "region_id, flow, value, unit, value_raw, unit_raw") == [
        ("330200", "export", 1.2345, "亿元", 12345.0, "万元"),
        ("330200", "import", 0.0001, "亿元", 1.0, "万元"),
        ("440300", "total", 1234.5, "亿元", 1234.5, "亿元")]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_chinese_encodings(encoding: str, cli_json: Callable[..., Any],
                           write_file: Callable[..., Path], store_path: Path) -> None:
    path = write_file(f"{encoding}.csv", csv_text(
        "地区,期间,口径,流向,监管方式,值,单位,来源,出处,备注",
        f"深圳市,2019-06,ytd,出口,all,1,亿元,{TEST_SOURCE},一（一）,“半年报”；数据：海关"),
        encoding)
    _import(cli_json, path)
    assert _trade(store_path, "region_id, flow, source_ref, note") == [
        ("440300", "export", "一（一）", "“半年报”；数据：海关")]


@pytest.mark.parametrize(("name", "code"), [
    ("宁波地区", "330200"), ("鹏城", "440300"), ("甬", "330200"), ("Shenzhen", "440300"),
    ("440300", "440300"), ("全国", "000000"), ("广东省", "440000"), ("浙江省宁波市", "330200"),
])
def test_region_forms(name: str, code: str, cli_json: Callable[..., Any],
                      write_file: Callable[..., Path], store_path: Path) -> None:
    path = write_file("region.csv", csv_text(TRADE, f"{name},2019-06,ytd,export,all,1,亿元,"
                                                    f"{TEST_SOURCE}"))
    _import(cli_json, path)
    assert _trade(store_path, "region_id") == [(code,)]


@pytest.mark.parametrize(("written", "period"), [
    ("2019-06", "2019-06"), ("201906", "2019-06"), ("2019/6", "2019-06"),
    ("2019年6月", "2019-06"), ("２０１９－０６", "2019-06"),
])
def test_period_forms(written: str, period: str, cli_json: Callable[..., Any],
                      write_file: Callable[..., Path], store_path: Path) -> None:
    path = write_file("period.csv", csv_text(TRADE, f"深圳,{written},ytd,export,all,1,亿元,"
                                                    f"{TEST_SOURCE}"))
    _import(cli_json, path)
    assert _trade(store_path, "period") == [(period,)]


def test_bare_year_with_span_year(cli_json: Callable[..., Any],
                                  write_file: Callable[..., Path], store_path: Path) -> None:
    path = write_file("year.csv", csv_text(TRADE, f"深圳,2019,year,export,all,1,亿元,"
                                                  f"{TEST_SOURCE}"))
    _import(cli_json, path)
    assert _trade(store_path, "period, span") == [("2019-12", "year")]


def test_usd_with_fx_is_converted_and_provenance_kept(
        cli_json: Callable[..., Any], write_file: Callable[..., Path], store_path: Path) -> None:
    path = write_file("usd.csv", csv_text(TRADE, f"深圳,2019-06,ytd,export,all,1,亿美元,"
                                                 f"{TEST_SOURCE}",
                                          f"深圳,2019-06,ytd,import,all,500,万美元,"
                                          f"{TEST_SOURCE}"))
    report = _import(cli_json, path, "trade", "--fx", "USD_CNY=7")
    assert report["added"] == 2
    assert _trade(store_path, "flow, value, unit, value_raw, unit_raw, fx_rate") == [
        ("export", 7.0, "亿元", 1.0, "亿美元", 7.0),
        ("import", 0.35, "亿元", 500.0, "万美元", 7.0)]
    options = _rows(store_path, "SELECT options FROM imports WHERE id = ?", report["import_id"])
    assert options and "USD_CNY=7" in options[0][0]


def test_indicator_money_and_counts(cli_json: Callable[..., Any],
                                    write_file: Callable[..., Path], store_path: Path) -> None:
    path = write_file("indicators.csv", csv_text(
        INDICATORS, f"深圳,2019,cbec_enterprises,1234,家,{TEST_SOURCE}",
        f"深圳,2019,cbec_sales,12345,万元,{TEST_SOURCE}"))
    _import(cli_json, path, "indicators")
    assert _rows(store_path, "SELECT indicator, value, unit FROM indicators WHERE source = ? "
                             "ORDER BY indicator", TEST_SOURCE) == [
        ("cbec_enterprises", 1234.0, "家"), ("cbec_sales", 1.2345, "亿元")]


def test_indicator_share_written_as_percentage(
        cli_json: Callable[..., Any], write_file: Callable[..., Path], store_path: Path) -> None:
    path = write_file("share.csv", csv_text(
        INDICATORS, f"深圳,2019,export_share_of_nation_pct,17.3%,%,{TEST_SOURCE}"))
    _import(cli_json, path, "indicators")
    assert _rows(store_path, "SELECT value, unit FROM indicators WHERE source = ?",
                 TEST_SOURCE) == [(17.3, "%")]


def test_informational_column_last(cli_json: Callable[..., Any],
                                   write_file: Callable[..., Path], store_path: Path) -> None:
    path = write_file("named.csv", csv_text(TRADE + ",region_name",
                                            f"440300,2019-06,ytd,export,all,1,亿元,"
                                            f"{TEST_SOURCE},深圳市"))
    _import(cli_json, path)
    assert _trade(store_path, "region_id") == [("440300",)]


def test_informational_column_is_ignored(cli_json: Callable[..., Any],
                                         write_file: Callable[..., Path],
                                         store_path: Path) -> None:
    path = write_file("named.csv", csv_text(
        "region,region_name,period,span,flow,mode,value,unit,source",
        f"440300,深圳市,2019-06,ytd,export,all,1,亿元,{TEST_SOURCE}"))
    _import(cli_json, path)
    assert _trade(store_path, "region_id") == [("440300",)]


def _data_tables(snapshot: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    return {table: rows for table, rows in snapshot.items() if table != "imports"}


REIMPORT_ROWS = [f"{region},2019-0{month},month,{flow},all,{month}.5,亿元,{TEST_SOURCE}"
                 for region in ("深圳", "宁波") for month in (1, 2)
                 for flow in ("export", "import")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_reimporting_the_same_file_changes_nothing(
        suffix: str, cli_json: Callable[..., Any], write_file: Callable[..., Path],
        state: State) -> None:
    if suffix == ".csv":
        path = write_file("same.csv", csv_text(TRADE, *REIMPORT_ROWS))
    else:
        rows = [TRADE.split(",")] + [r.split(",") for r in REIMPORT_ROWS]
        path = write_file("same.xlsx", xlsx(rows)())
    first = _import(cli_json, path)
    assert (first["added"], first["updated"], first["unchanged"]) == (len(REIMPORT_ROWS), 0, 0)
    before = state()
    again = _import(cli_json, path)
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, len(REIMPORT_ROWS))
    after = state()
    assert _data_tables(after) == _data_tables(before)
    assert len(after["imports"]) == len(before["imports"]) + 1


def test_reimporting_with_one_changed_value_updates_one_row(
        cli_json: Callable[..., Any], write_file: Callable[..., Path], store_path: Path) -> None:
    _import(cli_json, write_file("v1.csv", csv_text(TRADE, *REIMPORT_ROWS)))
    changed = [REIMPORT_ROWS[0].replace("1.5", "99.25"), *REIMPORT_ROWS[1:]]
    report = _import(cli_json, write_file("v2.csv", csv_text(TRADE, *changed)))
    assert (report["added"], report["updated"], report["unchanged"]) == (
        0, 1, len(REIMPORT_ROWS) - 1)
    values = _trade(store_path, "region_id, period, flow, value")
    assert ("440300", "2019-01", "export", 99.25) in values
    assert len(values) == len(REIMPORT_ROWS)
    history = _rows(store_path, "SELECT file_name, rows_added, rows_updated, rows_unchanged "
                                "FROM imports ORDER BY id DESC LIMIT 1")
    assert history == [("v2.csv", 0, 1, len(REIMPORT_ROWS) - 1)]
