"""Step options end to end: AHP per dimension, tiers, goalposts, data-driven weights, plans."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from zonescope.errors import ZoneScopeError
from zonescope.index.build import IndexBuild
from zonescope.index.framework import FrameworkInvalid, parse_framework
from zonescope.index.runs import run_build, run_uncertainty

Small = Callable[..., tuple[Path, Path]]


def _steps(text: str, steps: str) -> str:
    return text.replace("steps:\n  treat: {method: none}\n", "steps:\n  treat: {method: none}\n"
                        + steps)


def _keys(text: str) -> set[str]:
    with pytest.raises(FrameworkInvalid) as caught:
        parse_framework(text)
    return {p.key for _, p in caught.value.problems}


def test_ahp_weights_within_each_dimension(small: Small, small_text: str) -> None:
    text = _steps(small_text, "  weight:\n    indicator:\n      method: ahp\n      matrices:\n"
                  "        size: [[1, 3], ['1/3', 1]]\n        cost: [[1, 1], [1, 1]]\n")
    framework, data = small(framework=text)
    build = run_build(None, framework, data=data)
    weights = {i["code"]: i["weight"] for i in build.to_dict()["indicators"]}
    assert weights["firms"] == pytest.approx(0.75) and weights["rent"] == pytest.approx(0.5)
    missing = _steps(small_text, "  weight:\n    indicator: {method: ahp, matrices: "
                     "{size: [[1, 3], ['1/3', 1]], sise: [[1]]}}\n")
    assert _keys(missing) == {"index.ahp_missing", "index.dimension_unknown"}


@pytest.mark.parametrize("method", ["entropy", "critic", "pca", "equal"])
def test_data_driven_weights_at_both_levels(small: Small, small_text: str, method: str) -> None:
    text = _steps(small_text, f"  weight:\n    indicator: {{method: {method}}}\n"
                  f"    dimension: {{method: {method}}}\n")
    framework, data = small(framework=text)
    build = run_build(None, framework, data=data)
    st = build.stage
    assert np.isclose(st.weights_dimension.sum(), 1.0)
    for cols in st.members:
        assert np.isclose(st.weights_indicator[cols].sum(), 1.0)
    assert np.isfinite(build.scores()).all()


def test_threshold_tiers_and_custom_names(small: Small, small_text: str) -> None:
    text = _steps(small_text, "  tier:\n    method: thresholds\n    cuts: [60, 30]\n"
                  "    names: [{zh: 领先, en: Leading}, {zh: 中等, en: Middle},"
                  " {zh: 追赶, en: Catching up}]\n")
    framework, data = small(framework=text)
    build = run_build(None, framework, data=data)
    for row in build.to_dict("en")["results"]:
        expected = "Leading" if row["score"] >= 60 else "Middle" if row["score"] >= 30 \
            else "Catching up"
        assert row["tier_name"] == expected
    bad = _steps(small_text, "  tier: {method: thresholds, cuts: [30, 60]}\n")
    assert _keys(bad) == {"index.tier_cuts"}
    assert _keys(_steps(small_text, "  tier: {shares: [1, 2]}\n")) == {"index.tier_shares"}
    assert _keys(_steps(small_text, "  tier: {method: best}\n")) == {"index.method_unknown"}


def test_goalposts_need_declared_posts(small: Small, small_text: str) -> None:
    text = _steps(small_text, "  normalise: {method: goalposts}\n")
    assert _keys(text) == {"index.goalposts_undeclared"}
    posts = text.replace("source: survey}", "source: survey, goalposts: [0, 1000]}")
    framework, data = small(framework=posts)
    build = run_build(None, framework, data=data)
    assert build.stage.normalised.min() >= 0 and build.stage.normalised.max() <= 100
    assert _keys(small_text.replace("source: survey}", "source: survey, goalposts: [5, 1]}",
                                    1)) == {"index.goalposts_bad"}


def test_screen_impute_and_plan_parameters_are_checked(small_text: str) -> None:
    assert _keys(_steps(small_text, "  screen: {min_unit_coverage: 2}\n")) == {
        "index.coverage_range"}
    assert _keys(_steps(small_text, "  impute: {method: group_mean, group: city}\n")) == {
        "index.param_choice"}
    assert _keys(_steps(small_text, "  weight: {region: {method: equal}}\n")) == {
        "index.level_unknown"}
    assert _keys(_steps(small_text, "  normalise: {method: minmax, low: high}\n")) == {
        "index.param_type"}
    plan = small_text + "uncertainty:\n  weights: {method: perturb, spread: 1.5}\n"
    assert _keys(plan) == {"index.plan_spread"}


def test_perturbed_weights_plan_runs(small: Small, small_text: str) -> None:
    framework, data = small(framework=small_text + "uncertainty:\n  runs: 50\n  weights: "
                            "{method: perturb, spread: 0.3}\n  exclude: false\n")
    build: IndexBuild = run_build(None, framework, data=data)
    result = run_uncertainty(build, sobol=64)
    assert result["varied"] == ["weights"] and result["sobol"]["factors"] == ["weights"]
    assert result["sobol"]["runs"] == 64 * 3
    assert result["sobol"]["mean_rank_shift"]["total"]["weights"] == pytest.approx(1, abs=0.15)


def test_ahp_matrix_shrinks_when_an_indicator_is_screened_out(small: Small, small_text: str,
                                                             small_data: str) -> None:
    text = _steps(small_text, "  screen: {min_indicator_coverage: 0.9}\n  weight:\n"
                  "    indicator: {method: ahp, matrices: {size: [[1, 3], ['1/3', 1]],"
                  " cost: [[1, 2], ['1/2', 1]]}}\n")
    data = small_data.replace(",10\n", ",\n").replace(",12\n", ",\n")
    framework, csv = small(framework=text, data=data)
    build = run_build(None, framework, data=csv)
    out = build.to_dict()
    assert [i["code"] for i in out["screened"]["indicators"]] == ["delay"]
    assert {i["code"]: i["weight"] for i in out["indicators"]}["rent"] == 1.0


def test_too_few_complete_units_for_data_driven_weights(small: Small, small_text: str) -> None:
    text = _steps(small_text, "  screen: {min_unit_coverage: 0.2, min_indicator_coverage: 0.1}\n"
                  "  weight: {indicator: {method: entropy}}\n")
    data = "地区,firms,sales,rent,delay\n深圳市,1,2,,\n宁波市,3,,4,\n杭州市,,5,,6\n郑州市,7,,8,\n"
    framework, csv = small(framework=text, data=data)
    with pytest.raises(ZoneScopeError) as caught:
        run_build(None, framework, data=csv)
    assert caught.value.key == "index.weights_too_few_units"
