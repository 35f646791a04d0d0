"""Monte Carlo and Sobol': the vectorised engine equals replaying patched builds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from SALib.analyze import sobol as sobol_analyze

import zonescope
from zonescope.errors import ZoneScopeError
from zonescope.index.build import IndexBuild
from zonescope.index.runs import run_build, run_uncertainty
from zonescope.index.sensitivity import design, indices
from zonescope.index.uncertainty import (
    evaluate,
    mean_rank_shift,
    prepare,
    random_draws,
    shares,
    uniform_draws,
    weights,
)

Small = Callable[..., tuple[Path, Path]]
PLAN = """
uncertainty:
  runs: 400
  seed: 7
  weights: {method: dirichlet, concentration: 10}
  normalise: [{method: minmax}, {method: rank}, {method: zscore}]
  aggregate: [{method: arithmetic}, {dimension: {method: arithmetic}, index: {method: topsis}}]
  impute: [{method: none}, {method: median}]
  exclude: true
"""


@pytest.fixture
def build(small: Small, small_data: str) -> IndexBuild:
    data = small_data.replace("杭州市,700,100,60,8", "杭州市,700,,60,8")
    framework, csv = small(data=data, append=PLAN)
    return run_build(None, framework, data=csv)


def test_a_replication_that_changes_nothing_reproduces_the_build(build: IndexBuild) -> None:
    ctx = prepare(build, {"weights": {"method": "fixed"}, "exclude": False, "normalise": [],
                          "impute": [], "aggregate": []})
    scores, ranks, tiers = evaluate(ctx, random_draws(ctx, 5, 1))
    for r in range(5):
        np.testing.assert_allclose(scores[r], build.scores(), rtol=1e-12)
        np.testing.assert_array_equal(ranks[r], build.ranks())
        np.testing.assert_array_equal(tiers[r], build.stage.tiers)


def test_every_replication_equals_the_build_patched_the_same_way(build: IndexBuild) -> None:
    ctx = prepare(build)
    draws = random_draws(ctx, 60, 3)
    scores, _, _ = evaluate(ctx, draws)
    w_ind, w_dim = shares(ctx, *weights(ctx, draws))
    codes, dims = build.stage.codes, build.stage.dims
    for r in range(0, 60, 7):
        variant = ctx.variants[draws.variant[r]]
        patched = build
        for step in ("impute", "normalise", "aggregate"):
            patched = patched.patch(step, ctx.alternatives[step][getattr(variant, step)])
        patched = patched.patch("weight", {
            "indicator": {"overrides": dict(zip(codes, w_ind[r].tolist(), strict=True))},
            "dimension": {"overrides": dict(zip(dims, w_dim[r].tolist(), strict=True))}})
        np.testing.assert_allclose(scores[r], patched.scores(), rtol=1e-9, atol=1e-9)


def test_summary_per_unit_is_consistent(build: IndexBuild) -> None:
    result = run_uncertainty(build, sobol=0)
    assert result["runs"] == 400 and result["varied"] == ["weights", "impute", "normalise",
                                                          "aggregate", "exclude"]
    for unit in result["units"]:
        assert unit["rank_p05"] <= unit["median_rank"] <= unit["rank_p95"]
        assert sum(unit["tier_probabilities"].values()) + unit["unranked"] == pytest.approx(1)
    assert [u["nominal_rank"] for u in result["units"]] == sorted(build.ranks().tolist())
    assert run_uncertainty(build, sobol=0) == result
    assert run_uncertainty(build, seed=8, sobol=0) != result


def test_sobol_estimator_equals_salib(build: IndexBuild) -> None:
    ctx = prepare(build)
    U, columns, factors = design(ctx, 64, 5)
    _, ranks, _ = evaluate(ctx, uniform_draws(ctx, U, columns))
    Y = mean_rank_shift(ctx, ranks)
    first, total = indices(Y, len(factors))
    groups = [f for f in factors for _ in range(columns[f].stop - columns[f].start)]
    problem = {"num_vars": len(groups), "names": [f"u{i}" for i in range(len(groups))],
               "bounds": [[0, 1]] * len(groups), "groups": groups}
    salib = sobol_analyze.analyze(problem, Y, calc_second_order=False, print_to_console=False,
                                  seed=1)
    np.testing.assert_allclose(first, salib["S1"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(total, salib["ST"], rtol=1e-10, atol=1e-12)


def test_sobol_finds_the_only_choice_that_varies(build: IndexBuild) -> None:
    result = run_uncertainty(build, sobol=128)
    assert set(result["sobol"]["factors"]) == set(result["varied"])
    only = prepare(build, {"weights": {"method": "fixed"}, "exclude": False, "impute": [],
                           "aggregate": []})
    from zonescope.index.sensitivity import run_sobol

    sobol = run_sobol(only, 128, 1)
    assert sobol["factors"] == ["normalise"]
    indices_ = sobol["mean_rank_shift"]
    assert indices_["first"]["normalise"] == pytest.approx(1.0, abs=0.05)
    assert indices_["total"]["normalise"] == pytest.approx(1.0, abs=0.05)


def test_bad_plans_are_refused_clearly(build: IndexBuild) -> None:
    with pytest.raises(ZoneScopeError) as caught:
        prepare(build, {"runs": -1})
    assert "runs" in caught.value.render("en")
    with pytest.raises(ZoneScopeError) as caught:
        prepare(build, {"normalise": [{"method": "zscore"}], "aggregate": [{"method":
                                                                             "geometric"}]})
    assert caught.value.key == "index.variant_failed"
    assert "geometric aggregation needs positive values" in caught.value.render("en") or \
        "几何平均要求正值" in caught.value.render("en")


def test_trade_performance_uncertainty_runs_on_bundled_data(seeded_store: Path) -> None:
    with zonescope.open(seeded_store) as zs:
        build = run_build(zs.store.con)
    result = run_uncertainty(build, runs=300, sobol=64)
    first = result["units"][0]
    assert first["region_id"] == build.stage.units[int(np.argmin(build.ranks()))]
    assert set(result["sobol"]["mean_rank_shift"]["total"]) == set(result["varied"])
