"""The synthetic cities of tests/mindset/cities (see its README), for the advice tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import zonescope
from zonescope.api import ZoneScope

CITIES = Path(__file__).parent.parent / "mindset" / "cities"
FILES = [("clusters_jiangsu.csv", "clusters"), ("clusters_fujian.csv", "clusters"),
         ("indicators.csv", "indicators"), ("policies.csv", "policies"),
         ("associations.csv", "associations"), ("trade.csv", "trade")]


@pytest.fixture(scope="module")
def synthetic_path(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store plus 常州 (factory-heavy), 厦门 (seller-heavy), 三明 (brand-new)."""
    path = tmp_path_factory.mktemp("synthetic") / "synthetic.duckdb"
    shutil.copy(seeded_store, path)
    with zonescope.open(path) as zs:
        for name, kind in FILES:
            assert zs.import_file(CITIES / name, kind=kind).added > 0
    return path


@pytest.fixture
def syn(synthetic_path: Path) -> Iterator[ZoneScope]:
    with zonescope.open(synthetic_path) as handle:
        yield handle
