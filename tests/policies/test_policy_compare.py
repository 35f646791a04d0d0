"""Policy comparison: the article's Shenzhen counts, multi-label overlap, CBEC share."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import zonescope.cli.policies  # noqa: F401 - registers `zonescope policies`


def test_shenzhen_counts_match_the_article(cli_json: Callable[..., Any]) -> None:
    # 一（四）: 7 policies in 2021–2022H1: 展会 2, 统计 1, 金融外汇 1, 独立站/海外仓 1,
    # 平台及服务体系 2, 通关监管 2 (footnote 4: documents overlap)
    found = cli_json("policies", "compare", "深圳", "宁波", "--from", "2021", "--to", "2022-06")
    shenzhen, ningbo = found["regions"]
    assert shenzhen["total"] == 7 and ningbo["total"] == 8
    assert {k: shenzhen["by_category"][k] for k in ("展会参展", "统计监测", "金融外汇",
                                                    "平台与服务体系", "通关监管")} == \
        {"展会参展": 2, "统计监测": 1, "金融外汇": 1, "平台与服务体系": 2, "通关监管": 2}
    assert shenzhen["undated_excluded"] == 1  # Table 6's notice has no date
    assert shenzhen["category_mentions"] > shenzhen["total"]
    assert len(shenzhen["multi_category"]) == 3
    assert shenzhen["both_targets"] == 1
    assert shenzhen["cbec_share"] == round(4 / 7, 4) and ningbo["cbec_share"] == 0.25
    assert shenzhen["cbec_share"] > ningbo["cbec_share"]  # the mindset signal


def test_without_dates_the_undated_policies_count(cli_json: Callable[..., Any]) -> None:
    found = cli_json("policies", "compare", "深圳")
    assert found["regions"][0]["total"] == 8
    assert found["regions"][0]["timeline"][-1]["published"] is None


def test_province_includes_its_cities(cli_json: Callable[..., Any]) -> None:
    found = cli_json("policies", "compare", "广东", "浙江")
    assert [r["total"] for r in found["regions"]] == [11, 9]


def test_table_output_states_the_overlap(cli: Callable[..., Any]) -> None:
    result = cli("policies", "compare", "深圳", "宁波", "--from", "2021")
    assert result.exit_code == 0
    assert "部分文件有交叉" in result.stdout and "面向跨境电商企业的占比" in result.stdout


def test_bad_dates_and_too_many_regions(cli: Callable[..., Any]) -> None:
    bad = cli("policies", "compare", "深圳", "--from", "2021/13", "--json")
    assert bad.exit_code == 2 and json.loads(bad.stdout)["error"] == "policies.bad_date"
    many = cli("policies", "compare", "深圳", "宁波", "广州", "杭州", "苏州", "--json")
    assert many.exit_code == 2 and json.loads(many.stdout)["error"] == "policies.compare_count"
