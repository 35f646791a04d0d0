"""Every command through the CLI runner: exit codes, JSON keys, both languages."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from zonescope import __version__
from zonescope.cli import app

COMMANDS = ["compare", "show", "import", "export", "template", "sql", "db", "regions"]


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", [
    ["compare"], ["show"], ["import"], ["export"], ["template"], ["sql"], ["db", "init"],
    ["db", "status"], ["db", "reset"], ["db", "history"], ["db", "undo"], ["regions", "show"],
    ["regions", "list"],
])
def test_each_command_help_shows_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "示例：zonescope" in result.output or "Example: zonescope" in result.output


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_db_init_twice_loads_nothing_the_second_time(cli_json: Callable[..., Any]) -> None:
    first = cli_json("db", "init")
    assert first["loaded"] == [] and first["schema_version"] >= 1


def test_db_status_reports_rows_periods_and_sources(cli_json: Callable[..., Any]) -> None:
    status = cli_json("db", "status")
    datasets = {d["dataset"]: d for d in status["datasets"]}
    assert set(datasets) >= {"regions", "pilot_zones", "trade", "indicators", "policies",
                             "innovations", "associations", "clusters"}
    trade = datasets["trade"]
    assert trade["rows"] > 0 and trade["first"] <= trade["last"]
    assert "igdt-2022-04" in trade["sources"]
    assert datasets["customs_detail"] == {"dataset": "customs_detail", "rows": 0,
                                          "first": None, "last": None, "sources": []}


def test_db_history_lists_bundled_and_user_imports(cli: Callable[..., Any],
                                                   cli_json: Callable[..., Any],
                                                   write_file: Callable[..., Path]) -> None:
    path = write_file("mine.csv", "region,period,span,flow,mode,value,unit,source\n"
                                  "深圳,2023-06,ytd,export,all,1,亿元,mine\n")
    assert cli("import", str(path), "--kind", "trade").exit_code == 0
    history = cli_json("db", "history")
    assert history[0]["file_name"] == "mine.csv" and history[0]["rows_added"] == 1
    assert len(history[0]["sha256"]) == 64
    assert any(h["origin"] == "bundled" for h in history)
    assert "mine.csv" in cli("db", "history", "--limit", "1").output


def test_db_reset_asks_then_rebuilds(cli: Callable[..., Any], cli_json: Callable[..., Any],
                                     write_file: Callable[..., Path]) -> None:
    path = write_file("mine.csv", "region,period,span,flow,mode,value,unit,source\n"
                                  "深圳,2023-06,ytd,export,all,1,亿元,mine\n")
    cli("import", str(path), "--kind", "trade")
    assert cli("db", "reset", input="n\n").exit_code == 1
    assert cli_json("sql", "SELECT count(*) AS n FROM trade WHERE source = 'mine'")[
        "rows"] == [{"n": 1}]
    result = cli("db", "reset", "--yes", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["reset"] is True
    assert cli_json("sql", "SELECT count(*) AS n FROM trade WHERE source = 'mine'")[
        "rows"] == [{"n": 0}]


def test_regions_show_resolves_an_abbreviation(cli: Callable[..., Any],
                                                cli_json: Callable[..., Any]) -> None:
    data = cli_json("regions", "show", "甬")
    assert data["id"] == "330200" and data["name_zh"] == "宁波市"
    assert data["path"] == "浙江省 / 宁波市" and data["pilot_zones"][0]["batch"] == 2
    assert "宁波市" in cli("regions", "show", "甬").output
    assert "Ningbo" in cli("regions", "show", "甬", "--lang", "en").output


def test_regions_show_unknown_exits_2_with_suggestion(cli: Callable[..., Any]) -> None:
    result = cli("regions", "show", "深川")
    assert result.exit_code == 2
    assert "未找到地区「深川」，是否指：深圳市 (440300)" in result.output
    english = cli("regions", "show", "深川", "--lang", "en")
    assert english.exit_code == 2 and "Did you mean" in english.output


def test_regions_show_ambiguous_lists_candidates_as_json(cli: Callable[..., Any]) -> None:
    result = cli("regions", "show", "鼓楼区", "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["error"] == "region.ambiguous" and len(data["params"]["candidates"]) >= 4


def test_regions_list_filters(cli_json: Callable[..., Any], cli: Callable[..., Any]) -> None:
    batch2 = cli_json("regions", "list", "--pilot-batch", "2")
    assert {r["name_zh"] for r in batch2} >= {"深圳市", "宁波市", "天津市"}
    assert len(batch2) == 12
    active = cli_json("regions", "list", "--active-pilot")
    assert len({r["id"] for r in active}) == 178
    zhejiang = cli_json("regions", "list", "--level", "prefecture", "--parent", "浙")
    assert len(zhejiang) == 11
    assert "330200" in cli("regions", "list", "--level", "prefecture", "--parent", "浙").output
    bad = cli("regions", "list", "--level", "city")
    assert bad.exit_code == 2 and "city" in bad.output


def test_import_export_template(cli: Callable[..., Any], tmp_path: Path,
                                write_file: Callable[..., Path]) -> None:
    path = write_file("t.csv", "地区,期间,口径,流向,监管方式,进出口总值（亿元）,同比,来源\n"
                               "鹏城,2023年6月,累计,出口,9610,\"1,234.5\",17.3%,mine\n")
    result = cli("import", str(path), "--kind", "trade", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["added"] == 1 and report["kind"] == "trade"
    out = tmp_path / "out.xlsx"
    assert cli("export", "--kind", "trade", "-o", str(out)).exit_code == 0
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]][:3] == ["region", "region_name", "period"]
    template = tmp_path / "tpl.xlsx"
    assert cli("template", "--kind", "policies", "-o", str(template)).exit_code == 0
    book = load_workbook(template)
    assert book.sheetnames == ["policies", "说明"]
    assert book["policies"]["A2"].value == "深圳市"
    assert cli("template", "--kind", "policies", "-o", str(tmp_path / "t.csv")).exit_code == 2
    assert cli("export", "--kind", "trade", "-o", str(tmp_path / "t.pdf")).exit_code == 2
    assert cli("export", "--kind", "nope", "-o", str(out)).exit_code == 2


def test_import_missing_file_is_a_clear_error(cli: Callable[..., Any], tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "absent.csv"), "--kind", "trade")
    assert result.exit_code == 2 and "absent.csv" in result.output


def test_bad_language_is_refused(cli: Callable[..., Any]) -> None:
    result = cli("regions", "show", "甬", "--lang", "fr")
    assert result.exit_code == 2 and "fr" in result.output


def test_compare_terminal_view(cli: Callable[..., Any]) -> None:
    result = cli("compare", "深圳", "宁波")
    assert result.exit_code == 0, result.output
    for dimension in ("外贸进出口", "市场主体", "创新成果", "政策举措", "协会活动"):
        assert dimension in result.output
    assert "igdt-2022-04" in result.output and "—" in result.output
    english = cli("compare", "Shenzhen", "Ningbo", "--lang", "en")
    assert english.exit_code == 0 and "Foreign trade" in english.output


def test_compare_ends_with_the_commands_for_the_rest_of_the_comparison(
        cli: Callable[..., Any]) -> None:
    """Diagnosis, commonalities, advice and the report are other commands: each one the
    terminal view suggests runs as printed (the report's -o is tested in tests/report)."""
    result = cli("compare", "深圳", "宁波")
    suggested = [line.strip().split("  ")[0] for line in result.output.splitlines()
                 if line.startswith("  zonescope ")]
    assert [s.split()[1] for s in suggested] == ["diagnose", "common", "advise", "compare"]
    assert suggested[-1].endswith("-o 报告.html")
    for command in suggested[:-1]:
        ran = cli(*command.split()[1:])
        assert ran.exit_code == 0, (command, ran.output)
    assert "zonescope " not in cli("compare", "深圳", "宁波", "--json").output
    shown = [line.strip().split("  ")[0] for line in cli("show", "宁波").output.splitlines()
             if line.startswith("  zonescope ")]
    assert [s.split()[1] for s in shown] == ["diagnose", "advise", "compare"]
    assert all(cli(*command.split()[1:]).exit_code == 0 for command in shown[:-1])


def test_compare_json_has_five_dimensions_and_no_invented_zero(
        cli_json: Callable[..., Any]) -> None:
    data = cli_json("compare", "鹏城", "甬", "--period", "2022", "--span", "ytd")
    assert [r["id"] for r in data["regions"]] == ["440300", "330200"]
    codes = [d["code"] for d in data["dimensions"]]
    assert codes[:5] == ["trade", "entities", "innovation", "policy", "association"]
    trade = data["dimensions"][0]["items"]
    h1_export = next(i for i in trade if i["key"] == "trade:export:ytd:all:2022-06")
    assert h1_export["values"]["440300"]["value"] == pytest.approx(9142.5)
    assert h1_export["values"]["440300"]["source"] == "igdt-2022-04"
    h1_import = next(i for i in trade if i["key"] == "trade:import:ytd:all:2022-06")
    assert h1_import["values"]["330200"] is None  # not published: missing, never 0


def test_compare_needs_two_to_four_regions(cli: Callable[..., Any]) -> None:
    assert cli("compare", "深圳").exit_code == 2
    assert cli("compare", "深圳", "宁波", "广州", "杭州", "苏州").exit_code == 2
    assert cli("compare", "深圳", "宁波", "--span", "quarter").exit_code == 2


def test_show_region(cli: Callable[..., Any], cli_json: Callable[..., Any]) -> None:
    data = cli_json("show", "宁波")
    assert data["regions"][0]["id"] == "330200"
    assert "宁波市" in cli("show", "宁波").output


def test_global_json_flag_before_the_command(store_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(store_path), "--json", "regions", "show", "甬"])
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "330200"


def test_db_from_environment(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZONESCOPE_DB", str(store_path))
    result = CliRunner().invoke(app, ["db", "status", "--json"])
    assert json.loads(result.stdout)["path"] == str(store_path)
