"""Factories for index tests: a small file-based framework and its data, edited per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SMALL_FRAMEWORK = """\
id: small
name_zh: 小型测试指数
name_en: Small test index
source: test
data:
  from: file
  units: data
dimensions:
  - code: size
    name_zh: 规模
    name_en: Size
    weight: 0.5
    indicators:
      - {code: firms, name_zh: 企业数, name_en: Firms, unit: 家, direction: positive, weight: 0.6,
         source: survey}
      - {code: sales, name_zh: 销售额, name_en: Sales, unit: 亿元, direction: positive, weight: 0.4,
         source: survey}
  - code: cost
    name_zh: 成本
    name_en: Cost
    weight: 0.5
    indicators:
      - {code: rent, name_zh: 租金, name_en: Rent, unit: 元, direction: negative, weight: 0.5,
         source: survey}
      - {code: delay, name_zh: 通关时间, name_en: Clearance time, unit: 小时, direction: negative,
         weight: 0.5, source: survey}
steps:
  treat: {method: none}
"""

SMALL_DATA = """\
地区,firms,sales,rent,delay
深圳市,900,120,80,10
宁波市,500,90,40,12
杭州市,700,100,60,8
广州市,650,95,70,9
郑州市,300,40,30,20
重庆市,400,60,35,18
成都市,450,55,45,16
青岛市,350,70,50,14
"""


@pytest.fixture
def small(tmp_path: Path) -> Callable[..., tuple[Path, Path]]:
    """Write the small framework (with text replacements) and data; return their paths."""

    def make(framework: str = SMALL_FRAMEWORK, data: str = SMALL_DATA,
             replace: dict[str, str] | None = None, append: str = "") -> tuple[Path, Path]:
        text = framework
        for old, new in (replace or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        fw = tmp_path / "framework.yaml"
        fw.write_text(text + append, encoding="utf-8")
        csv = tmp_path / "data.csv"
        csv.write_text(data, encoding="utf-8")
        return fw, csv

    return make


@pytest.fixture
def small_text() -> str:
    """The small framework's YAML text."""
    return SMALL_FRAMEWORK


@pytest.fixture
def small_data() -> str:
    """The small framework's data (CSV text)."""
    return SMALL_DATA
