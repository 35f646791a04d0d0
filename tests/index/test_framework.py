"""Frameworks as data: the bundled ones load; every mistake is reported with its line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from zonescope.index.framework import (
    FrameworkInvalid,
    bundled_frameworks,
    load_framework,
    parse_framework,
)
from zonescope.index.steps import STEP_ORDER

DATA = Path(__file__).resolve().parent.parent / "data"


def _problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(FrameworkInvalid) as caught:
        parse_framework(text, "f.yaml")
    return [(line, p.key, caught.value.render("en")) for line, p in caught.value.problems]


def test_bundled_frameworks_load_with_every_step_written_out() -> None:
    assert bundled_frameworks() == ["article-five-dimensions", "trade-performance"]
    for name in bundled_frameworks():
        fw = load_framework(name)
        assert list(fw.steps) == list(STEP_ORDER)
        assert fw.steps["normalise"] == {"method": "minmax", "low": 0, "high": 100}
        assert [n["zh"] for n in fw.steps["tier"]["names"]] == [
            "成效明显", "成效较好", "成效初显", "尚在起步阶段"]
    template = load_framework("article-five-dimensions")
    assert [d.code for d in template.dimensions] == ["trade", "entities", "innovation",
                                                     "policy", "association"]
    assert template.dimension("innovation").weight == max(d.weight for d in template.dimensions)


def test_unknown_framework_names_the_choices() -> None:
    with pytest.raises(Exception) as caught:
        load_framework("trade")
    assert "trade-performance" in caught.value.render("en")


def test_weights_that_do_not_sum_as_declared_point_at_the_group(small_text: str,
        line_of: Callable[[str, str], int]) -> None:
    text = small_text.replace("weight: 0.4,\n", "weight: 0.3,\n")
    [(line, key, message)] = _problems(text)
    assert key == "index.weights_sum"
    assert line == line_of(text, "indicators:")
    assert "f.yaml:" in message and "0.9" in message and "size" in message


def test_weights_summing_to_zero_are_refused(small_text: str) -> None:
    text = small_text.replace("weight: 0.5\n", "weight: 0\n")
    problems = _problems(text)
    assert [k for _, k, _ in problems] == ["index.weights_zero_sum"]


def test_duplicate_codes_empty_dimension_and_unknown_keys_are_all_reported(
        small_text: str,
        line_of: Callable[[str, str], int]) -> None:
    empty = "  - code: empty\n    name_zh: 空\n    name_en: Empty\n    indicators: []\n"
    text = small_text.replace("code: sales", "code: firms").replace(
        "weight: 0.5\n    indicators:\n      - {code: rent", "weight: 0.5\n    colour: red\n"
        "    indicators:\n      - {code: rent").replace("steps:", empty + "steps:")
    found = {key: line for line, key, _ in _problems(text)}
    assert found["index.code_duplicate"] == line_of(text, "code: firms, name_zh: 销售额")
    assert found["index.key_unknown"] == line_of(text, "colour: red")
    assert found["index.dimension_empty"] == line_of(text, "indicators: []")


def test_unknown_indicator_in_a_step_is_located(small_text: str,
        line_of: Callable[[str, str], int]) -> None:
    text = small_text.replace("treat: {method: none}",
                                   "treat: {method: log, indicators: [firms, salse]}")
    [(line, key, message)] = _problems(text)
    assert key == "index.indicator_unknown" and line == line_of(text, "salse")
    assert "sales" in message


def test_unknown_method_and_parameter_are_named(small_text: str,
        line_of: Callable[[str, str], int]) -> None:
    text = small_text.replace("treat: {method: none}",
                                   "treat: {method: none}\n  normalise: {method: minmaxx}\n"
                                   "  impute: {method: mean, k: 3}")
    found = {key: (line, message) for line, key, message in _problems(text)}
    assert found["index.method_unknown"][0] == line_of(text, "minmaxx")
    assert "minmax" in found["index.method_unknown"][1]
    assert found["index.param_unknown"][0] == line_of(text, "k: 3")


def _ahp(small_text: str, matrix: str) -> str:
    return small_text.replace("treat: {method: none}", "treat: {method: none}\n"
                                   "  weight:\n    dimension: {method: ahp, matrix: " + matrix +
                                   "}")


def test_ahp_matrix_that_is_not_reciprocal_is_refused_at_its_line(small_text: str,
        line_of: Callable[[str, str], int]) -> None:
    text = _ahp(small_text, '[[1, 3], [3, 1]]')
    [(line, key, message)] = _problems(text)
    assert key == "index.ahp_not_reciprocal" and line == line_of(text, "method: ahp")
    assert "row 1, column 2" in message


def test_ahp_matrix_with_cr_above_a_tenth_is_refused(line_of: Callable[[str, str], int]) -> None:
    house = json.loads((DATA / "saaty1990.json").read_text(encoding="utf-8"))["cases"][0]
    codes = [f"c{i}" for i in range(8)]
    dims = "".join(f"  - {{code: {c}, name_zh: {c}, name_en: {c}, indicators: [{{code: i{c}, "
                   f"name_zh: x, name_en: x, unit: 个, direction: positive, source: s}}]}}\n"
                   for c in codes)
    text = ("id: house\nname_zh: 房\nname_en: House\ndimensions:\n" + dims +
            "steps:\n  weight:\n    dimension:\n      method: ahp\n      matrix: "
            + json.dumps(house["matrix"]) + "\n")
    [(line, key, message)] = _problems(text)
    assert key == "index.ahp_inconsistent" and "0.169" in message
    assert line == line_of(text, "matrix:")
    parse_framework(text.replace("method: ahp", "method: ahp\n      max_cr: 0.2"))


def test_consistent_ahp_matrix_is_accepted(small_text: str) -> None:
    fw = parse_framework(_ahp(small_text, '[[1, 3], ["1/3", 1]]'))
    assert fw.steps["weight"]["dimension"]["matrix"] == [[1, 3], ["1/3", 1]]


def test_duplicate_keys_and_yaml_errors_are_located(small_text: str,
        line_of: Callable[[str, str], int]) -> None:
    text = small_text.replace("source: test", "source: test\nsource: again")
    [(line, key, _)] = _problems(text)
    assert key == "index.duplicate_key" and line == line_of(text, "source: again")
    [(line, key, _)] = _problems("id: x\ndimensions: [\n  {code: a\n")
    assert key == "index.yaml_syntax" and line >= 3


def test_store_indicators_must_be_in_the_vocabulary(small_text: str) -> None:
    text = small_text.replace("from: file", "from: indicators")
    found = [k for _, k, _ in _problems(text)]
    assert found == ["index.indicator_not_in_vocabulary"] * 4


def test_trade_indicators_name_a_known_metric(line_of: Callable[[str, str], int]) -> None:
    text = load_framework("trade-performance").text.replace("metric: balance", "metric: surplus")
    [(line, key, message)] = _problems(text)
    assert key == "index.metric_unknown" and "balance" in message
    assert line == line_of(text, "metric: surplus")


def test_uncertainty_plan_is_checked_too(small_text: str) -> None:
    text = small_text + "uncertainty:\n  runs: -5\n  normalise: [{method: ranks}]\n"
    found = {k for _, k, _ in _problems(text)}
    assert found == {"index.plan_integer", "index.method_unknown"}
