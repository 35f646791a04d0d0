"""`zonescope index …` through the CLI runner: JSON keys, storage, exit codes, help."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import zonescope
from zonescope.cli import app
from zonescope.index.framework import load_framework
from zonescope.index.results import get_runs

Cli = Callable[..., Any]


def _runs(store_path: Path) -> list[dict[str, Any]]:
    with zonescope.open(store_path) as zs:
        return get_runs(zs.store.con)


@pytest.mark.parametrize("command", ["build", "uncertainty", "explain", "whatif", "template",
                                     "list"])
def test_each_index_command_help_ends_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, ["index", command, "--help"])
    assert result.exit_code == 0
    assert "示例：zonescope index" in result.output or "Example: zonescope index" in result.output


def test_build_stores_and_prints_json_with_stable_keys(cli_json: Cli, store_path: Path) -> None:
    data = cli_json("index", "build")
    assert set(data) == {"id", "framework", "data", "log", "counts", "dimensions", "indicators",
                         "results", "screened", "notices"}
    assert set(data["results"][0]) == {"rank", "region_id", "name_zh", "name_en", "score",
                                       "tier", "tier_name", "dimensions", "indicators"}
    assert [s["step"] for s in data["log"]] == ["screen", "impute", "treat", "normalise",
                                                "weight", "aggregate", "tier"]
    assert [r["id"] for r in _runs(store_path)] == [data["id"]]


def test_build_prints_a_table_with_its_source_and_exports(cli: Cli, tmp_path: Path) -> None:
    result = cli("index", "build", "-o", str(tmp_path / "index.xlsx"))
    assert result.exit_code == 0, result.output
    assert "深圳市" in result.output and "数据来源：gacc-2024-city" in result.output
    assert "未参评" in result.output and "义乌市" in result.output
    assert load_workbook(tmp_path / "index.xlsx")["results"].max_row > 100
    english = cli("--lang", "en", "index", "build")
    assert "Shenzhen" in english.output and "not scored" in english.output


def test_explain_and_whatif_use_the_stored_build(cli: Cli, cli_json: Cli) -> None:
    build = cli_json("index", "build")
    explained = cli_json("index", "explain", "甬")
    assert explained["build_id"] == build["id"]
    assert explained["unit"]["region_id"] == "330200"
    text = cli("index", "explain", "宁波")
    assert text.exit_code == 0 and "上一名" in text.output and "对总分贡献" in text.output
    changed = cli_json("index", "whatif", "宁波", "--set", "trade_yoy_pct_ytd_export=60%",
                       "--weight", "growth=0.5")
    assert changed["values"] == {"trade_yoy_pct_ytd_export": 60.0}
    assert changed["after"]["rank"] <= changed["before"]["rank"]
    assert cli("index", "whatif", "宁波", "--set", "trade_value=20000").exit_code == 0


@pytest.mark.slow
def test_uncertainty_is_stored_against_its_build(cli_json: Cli, cli: Cli,
                                                 store_path: Path) -> None:
    build = cli_json("index", "build")
    data = cli_json("index", "uncertainty", "--runs", "200", "--sobol", "16", "--seed", "3")
    assert data["build_id"] == build["id"] and data["runs"] == 200
    assert set(data["units"][0]) == {"region_id", "name_zh", "name_en", "nominal_rank",
                                     "median_rank", "rank_p05", "rank_p95", "nominal_tier",
                                     "tier_probabilities", "unranked"}
    assert data["sobol"]["runs"] == 16 * (len(data["varied"]) + 2)
    assert [(r["kind"], r["build_id"]) for r in _runs(store_path)] == [
        ("uncertainty", build["id"]), ("build", None)]
    text = cli("index", "uncertainty", "--runs", "100", "--sobol", "0")
    assert text.exit_code == 0 and "中位名次" in text.output
    listed = cli("index", "list")
    assert listed.exit_code == 0 and "trade-performance" in listed.output


def test_template_writes_a_framework_and_a_data_sheet_that_build(cli: Cli, tmp_path: Path) -> None:
    framework, sheet = tmp_path / "framework.yaml", tmp_path / "data.xlsx"
    assert cli("index", "template", "-o", str(framework)).exit_code == 0
    assert load_framework(framework).id == "article-five-dimensions"
    assert cli("index", "template", "-o", str(sheet)).exit_code == 0
    book = load_workbook(sheet)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "地区" and len(rows) == 179
    for i, row in enumerate(book.worksheets[0].iter_rows(min_row=2, max_row=11)):
        for cell in row[1:]:
            cell.value = (i + 1) * (cell.column + 3) % 17 + 1
    book.save(sheet)
    result = cli("index", "build", "--framework", str(framework), "--data", str(sheet),
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"]["scored"] == 10 and data["counts"]["units"] == 178


BAD = [
    (["index", "explain", "宁波"], "no stored index build"),
    (["index", "whatif", "宁波"], "--set or --weight"),
    (["index", "build", "--year", "2019"], "no trade data for 2019-12"),
    (["index", "build", "--framework", "nosuch"], "No bundled framework"),
    (["index", "template", "-o", "x.txt"], "unsupported template format"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input_exits_2_with_a_clear_message_and_stores_nothing(
        cli: Cli, store_path: Path, args: list[str], message: str) -> None:
    result = cli("--lang", "en", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert _runs(store_path) == []


def test_an_invalid_framework_file_is_refused_with_its_lines(cli: Cli, tmp_path: Path,
                                                             store_path: Path) -> None:
    text = load_framework("trade-performance").text.replace("weight: 0.4\n", "weight: 0.5\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("--lang", "en", "index", "build", "--framework", str(path), "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["error"] == "index.framework_invalid"
    [problem] = error["problems"]
    assert problem["code"] == "index.weights_sum" and problem["line"] > 20
    assert _runs(store_path) == []


def test_bad_whatif_pairs_and_codes(cli: Cli, cli_json: Cli, store_path: Path) -> None:
    cli_json("index", "build")
    before = _runs(store_path)
    for args in (["--set", "trade_value"], ["--set", "trade_value=lots"],
                 ["--set", "tarde_value=1"], ["--weight", "scale=-1"]):
        result = cli("--lang", "en", "index", "whatif", "宁波", *args)
        assert result.exit_code == 2, args
    output = cli("--lang", "en", "index", "whatif", "宁波", "--set", "tarde_value=1").output
    assert "did you mean:" in output and "trade_value, " in output.replace("\n", "")
    assert _runs(store_path) == before
