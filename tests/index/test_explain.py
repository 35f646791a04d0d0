"""Explain a score, the gap to the next city up, and what-if scenarios."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import zonescope
from zonescope.errors import ZoneScopeError
from zonescope.index.build import IndexBuild
from zonescope.index.explain import explain, whatif
from zonescope.index.runs import run_build


@pytest.fixture(scope="module")
def trade_build(seeded_store: Path) -> IndexBuild:
    with zonescope.open(seeded_store) as zs:
        return run_build(zs.store.con)


def _contributions(unit: dict) -> dict[str, float]:
    return {i["code"]: i["index_contribution"] for d in unit["dimensions"]
            for i in d["indicators"] if i["index_contribution"] is not None}


@pytest.mark.parametrize("region", ["330200", "440300", "310000", "410100"])
def test_contributions_add_up_to_the_score(trade_build: IndexBuild, region: str) -> None:
    result = explain(trade_build, region)
    unit = result["unit"]
    assert unit["additive"]
    assert sum(_contributions(unit).values()) == pytest.approx(unit["score"], abs=1e-9)
    for dimension in unit["dimensions"]:
        terms = [i["terms"] for i in dimension["indicators"] if i["terms"] is not None]
        assert sum(terms) == pytest.approx(dimension["score"], abs=1e-9)


def test_the_gap_to_the_next_city_up_is_explained_by_indicator(trade_build: IndexBuild) -> None:
    result = explain(trade_build, "330200")
    above = result["above"]
    assert above["rank"] == result["unit"]["rank"] - 1
    gap = result["gap"]
    assert gap["score"] == pytest.approx(above["score"] - result["unit"]["score"])
    parts = [g["difference"] for g in gap["indicators"] if g["difference"] is not None]
    assert sum(parts) == pytest.approx(gap["score"], abs=1e-9)
    assert parts == sorted(parts, reverse=True)


def test_the_first_city_has_nobody_above(trade_build: IndexBuild) -> None:
    top = trade_build.stage.units[int(trade_build.ranks().argmin())]
    result = explain(trade_build, top)
    assert result["above"] is None and result["gap"] is None


def test_geometric_scores_are_explained_in_logarithms(trade_build: IndexBuild) -> None:
    variant = trade_build.patch("normalise", {"method": "minmax", "low": 1}).patch(
        "aggregate", {"index": {"method": "geometric"}})
    unit = explain(variant, "330200")["unit"]
    assert not unit["additive"] and unit["dimensions"][0]["kind"] == "log"
    logs = [d["terms"] for d in unit["dimensions"]]
    assert sum(logs) == pytest.approx(math.log(unit["score"]), abs=1e-9)


def test_a_city_that_was_not_scored_says_why(trade_build: IndexBuild) -> None:
    with pytest.raises(ZoneScopeError) as caught:
        explain(trade_build, "330782")
    assert caught.value.key == "index.unit_screened"
    assert "义乌市" in caught.value.render("zh") and "无任何指标数据" in caught.value.render("zh")
    assert "no data for any indicator" in caught.value.render("en")
    with pytest.raises(ZoneScopeError) as caught:
        explain(trade_build, "110101")
    assert caught.value.key == "index.unit_not_in_build"


def test_whatif_a_higher_value_lifts_the_rank(trade_build: IndexBuild) -> None:
    result = whatif(trade_build, "330200", {"trade_yoy_pct_ytd_export": 60.0}, {})
    assert result["after"]["score"] > result["before"]["score"]
    assert result["after"]["rank"] <= result["before"]["rank"]
    unchanged = whatif(trade_build, "330200", {}, {"growth": 0.3})
    assert unchanged["after"] == unchanged["before"]


def test_whatif_weights_are_a_patch_to_the_log(trade_build: IndexBuild) -> None:
    result = whatif(trade_build, "330100", {}, {"growth": 0.6, "trade_value": 1.0})
    [log] = result["log"]
    assert log["params"]["dimension"]["overrides"] == {"growth": 0.6}
    assert log["params"]["indicator"]["overrides"] == {"trade_value": 1.0}
    assert result["after"]["score"] != result["before"]["score"]


def test_whatif_refuses_unknown_codes_and_impossible_weights(trade_build: IndexBuild) -> None:
    with pytest.raises(ZoneScopeError) as caught:
        whatif(trade_build, "330200", {"exports": 1.0}, {})
    assert "export_value" in caught.value.render("en")
    with pytest.raises(ZoneScopeError) as caught:
        whatif(trade_build, "330200", {}, {"scael": 0.5})
    assert "scale" in caught.value.render("en")
    with pytest.raises(ZoneScopeError) as caught:
        whatif(trade_build, "330200", {}, {"scale": 0.8, "growth": 0.8})
    assert caught.value.key == "index.override_range"
