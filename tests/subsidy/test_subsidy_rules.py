"""The rule language: the eight bundled cities, their quotes, and bad rule files."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import zonescope.cli.subsidy  # noqa: F401 - registers `zonescope subsidy`
from zonescope.errors import ZoneScopeError
from zonescope.subsidy import bundled_rules, parse_rules
from zonescope.subsidy.rules import Clause

POLICIES = resources.files("zonescope") / "data" / "article" / "policies.csv"


def _clauses(obj: Any) -> list[Clause]:
    if isinstance(obj, Clause):
        return [obj]
    if is_dataclass(obj):
        return [c for f in fields(obj) for c in _clauses(getattr(obj, f.name))]
    if isinstance(obj, list | tuple):
        return [c for item in obj for c in _clauses(item)]
    return []


def test_the_eight_cities_of_table_6() -> None:
    assert [r.city for r in bundled_rules()] == ["深圳市", "广州市", "中山市", "佛山市", "厦门市",
                                                 "绍兴市", "苏州市", "南阳市"]


def test_every_quote_is_verbatim_policy_text() -> None:
    texts = {row["title"]: row["full_text"]
             for row in csv.DictReader(POLICIES.read_text(encoding="utf-8").splitlines())}
    for rules in bundled_rules():
        clauses = _clauses(rules.schemes)
        assert len(clauses) >= 5, rules.file
        for clause in clauses:
            assert clause.quote in texts[rules.policy["title"]], (rules.file, clause.quote)


@pytest.mark.parametrize(("city", "phrase"), [("广州市", "起付线"), ("中山市", "提高至50%"),
                                              ("苏州市", "首次达到")])
def test_ambiguous_clauses_carry_their_interpretation(city: str, phrase: str) -> None:
    rules = next(r for r in bundled_rules() if r.city == city)
    found = [c for c in _clauses(rules.schemes) if phrase in c.quote and c.reading]
    assert found, (city, phrase)


def test_competitive_schemes_are_marked() -> None:
    marked = {r.city for r in bundled_rules() for s in r.schemes if s.competitive}
    assert marked == {"深圳市", "广州市"}


GOOD = """city: 广州市
policy:
  title: 测试政策
  source: test
schemes:
  - id: site
    name_zh: 测试
    name_en: test
    quote: 原文
    conditions:
      - field: site_sales
        op: ">="
        value: 500万元
        quote: 原文
    base:
      items: [saas_fee]
      quote: 原文
    rate:
      value: 50%
      quote: 原文
    floor:
      amount: 5000元
      quote: 原文
    cap:
      amount: 4万元
      quote: 原文
"""


def test_the_template_itself_is_valid() -> None:
    assert parse_rules(GOOD, "good.yaml").schemes[0].cap.amount == 40000


@pytest.mark.parametrize(("old", "new", "key", "line"), [
    ('op: ">="', "op: approx", "subsidy.rule_unknown_op", 12),
    ("amount: 4万元", "amount: 4000元", "subsidy.rule_cap_below_floor", 24),
    ("field: site_sales", "field: site_revenue", "subsidy.rule_unknown_field", 11),
    ('op: ">="', "op: is_true", "subsidy.rule_op_type", 12),
    ("value: 50%", "value: 150%", "subsidy.rule_bad_rate", 19),
    ("value: 500万元", "value: 很多", "subsidy.rule_bad_amount", 13),
    ("    name_en: test\n", "    name_en: test\n    colour: red\n", "subsidy.rule_unknown_key", 9),
    ("    quote: 原文\n    conditions", "    conditions", "subsidy.rule_missing_key", 6),
    ("      amount: 4万元", "      amount: 4万美元", "subsidy.rule_amount_not_cny", 25),
    ("      items: [saas_fee]", "      items: [own_brand]", "subsidy.rule_base_item", 16),
    ("  source: test\n", "  source: test\n  title: again\n", "subsidy.yaml_duplicate", 5),
    ("    base:\n", "    fixed: {amount: 1元, quote: 原文}\n    base:\n",
     "subsidy.rule_amount_form", 6),
    ("      quote: 原文\n    rate", "      quote: [原文\n    rate", "subsidy.yaml_syntax", 18),
])
def test_bad_rule_files_point_at_the_line(old: str, new: str, key: str, line: int) -> None:
    assert old in GOOD
    with pytest.raises(ZoneScopeError) as err:
        parse_rules(GOOD.replace(old, new, 1), "bad.yaml")
    assert err.value.key == key
    assert err.value.params["line"] == line
    assert f"bad.yaml 第 {line} 行" in err.value.render("zh")


def test_cli_rules_lists_and_refuses(cli: Callable[..., Any], cli_json: Callable[..., Any],
                                     write_file: Callable[..., Path]) -> None:
    found = cli_json("subsidy", "rules")
    assert found["valid"] and len(found["rules"]) == 8
    bad = write_file("bad.yaml", GOOD.replace('op: ">="', "op: approx"))
    result = cli("subsidy", "rules", str(bad), "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == "subsidy.rule_unknown_op"
    calc = cli("subsidy", "calc", "--set", "site_projects=1", "--rules", str(bad))
    assert calc.exit_code == 2 and "approx" in calc.output
