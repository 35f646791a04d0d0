"""`zonescope diagnose` and `zonescope common` through the CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zonescope.cli import app
from zonescope.mindset.spec import default_path

DIAGNOSIS_KEYS = {"region", "label", "label_text", "score", "partial_score", "confidence",
                  "signals_with_data", "signals_total", "score_range", "possible_labels",
                  "robust", "rule", "signals", "missing", "stage", "knowledge"}
SIGNAL_KEYS = {"id", "name", "dimension", "role", "has_data", "value", "unit", "period",
               "position", "weight", "contribution", "evidence", "sources", "needs", "curve",
               "scale", "article", "quote", "rationale"}


def _flat(text: str) -> str:
    """Terminal output without the line breaks and spaces Rich adds when wrapping."""
    return "".join(text.split())


@pytest.mark.parametrize("command", [["diagnose"], ["common"], ["advise"]])
def test_help_lists_the_command_with_an_example(command: list[str]) -> None:
    assert command[0] in CliRunner().invoke(app, ["--help"]).output
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "示例：zonescope" in result.output or "Example: zonescope" in result.output


def test_diagnose_json_has_stable_keys(cli_json: Callable[..., Any]) -> None:
    data = cli_json("diagnose", "深圳")
    assert set(data) == DIAGNOSIS_KEYS
    assert all(set(s) == SIGNAL_KEYS for s in data["signals"])
    assert data["label"] == "ecommerce" and data["stage"]["code"] == "mature"
    assert cli_json("diagnose", "甬")["label"] == "foreign_trade"


def test_diagnose_terminal_in_both_languages(cli: Callable[..., Any]) -> None:
    result = cli("diagnose", "宁波")
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert "外贸思维主导" in text and "证据" in text
    assert "发展阶段：成熟" in text and "三（一）1其二" in text
    english = _flat(cli("diagnose", "Ningbo", "--lang", "en").output)
    assert "foreign-tradethinking" in english and "Missingdata" in english


def test_diagnose_as_of_changes_the_stage(cli_json: Callable[..., Any]) -> None:
    criteria = cli_json("diagnose", "深圳", "--as-of", "2017")["stage"]["criteria"]
    assert criteria[0]["value"] == 1


def test_diagnose_refuses_a_province_and_an_unknown_region(cli: Callable[..., Any],
                                                           state: Callable[[], Any]) -> None:
    before = state()
    result = cli("diagnose", "浙江省")
    assert result.exit_code == 2 and "330000" in result.output
    assert cli("diagnose", "不存在市").exit_code == 2
    assert state() == before


def test_bad_signals_file_is_a_clear_error_and_changes_nothing(
        cli: Callable[..., Any], state: Callable[[], Any],
        write_file: Callable[..., Path]) -> None:
    text = default_path().read_text(encoding="utf-8").replace(
        "    role: base\n", "    role: base\n    colour: red\n", 1)
    path = write_file("mine.yaml", text)
    before = state()
    result = cli("diagnose", "深圳", "--signals", str(path), "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["error"] == "knowledge.unknown_field" and error["params"]["field"] == "colour"
    assert "mine.yaml" in error["message"]
    assert state() == before


def test_common_json_and_terminal(cli: Callable[..., Any], cli_json: Callable[..., Any]) -> None:
    data = cli_json("common", "深圳", "宁波")
    assert set(data) == {"regions", "mindsets", "commonalities", "dimensions", "rule"}
    assert {p["status"] for p in data["commonalities"]} == {"shared"}
    result = cli("common", "鹏", "甬")
    assert result.exit_code == 0 and "因地制宜" in result.output and "协会活动" in result.output
    assert "Fittolocalreality" in _flat(cli("common", "深圳", "宁波", "--lang", "en").output)


def test_common_needs_two_different_regions(cli: Callable[..., Any]) -> None:
    result = cli("common", "深圳", "鹏")
    assert result.exit_code == 2 and "深圳市" in result.output
