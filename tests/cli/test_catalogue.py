"""`zonescope sources` and `zonescope clusters [stats]`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_clusters_filters(cli_json: Callable[..., Any], cli: Callable[..., Any]) -> None:
    zhejiang = cli_json("clusters", "--province", "浙江")
    assert len(zhejiang) == 155
    unique = cli_json("clusters", "--province", "浙江", "--unique")
    assert len(unique) == 155 - sum(1 for r in zhejiang if r["duplicate_of"] is not None)
    ningbo = cli_json("clusters", "--city", "甬")
    assert ningbo and all(r["city_id"] == "330200" for r in ningbo)
    cixi = next(r for r in ningbo if r["place"] == "慈溪")
    assert cixi["county"] == "慈溪市"
    textiles = cli_json("clusters", "--sector", "textiles_apparel")
    assert textiles and all(r["sector"] == "textiles_apparel" for r in textiles)
    assert "宁波" in cli("clusters", "--city", "宁波").output
    bad = cli("clusters", "--sector", "spaceships")
    assert bad.exit_code == 2 and "spaceships" in bad.output
    assert cli("clusters", "--province", "深圳").exit_code == 2  # a city is not a province


def test_clusters_stats(cli_json: Callable[..., Any], cli: Callable[..., Any]) -> None:
    stats = cli_json("clusters", "stats")
    provinces = {p["province"]: p for p in stats["provinces"]}
    assert provinces["浙江省"]["printed"] == 155 and provinces["广东省"]["printed"] == 110
    assert provinces["浙江省"]["unique"] < 155
    assert sum(c["unique"] for c in stats["cities"]) + sum(
        p["unplaced"] for p in stats["provinces"]) == stats["total"][0]["unique"]
    assert sum(s["unique"] for s in stats["sectors"]) == stats["total"][0]["unique"]
    output = cli("clusters", "stats", "--lang", "en").output
    assert "By sector" in output


def test_sources_table(cli: Callable[..., Any]) -> None:
    result = cli("sources")
    assert result.exit_code == 0 and "igdt-2022-04" in result.output
