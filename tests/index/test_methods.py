"""The registered methods: definitions, edge cases, published reference values."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import rankdata

from zonescope.index import core
from zonescope.index.methods import DomainError, get_method, impute, method_names, treat, weights
from zonescope.index.methods import aggregate as agg
from zonescope.index.methods import normalise as norm

DATA = Path(__file__).resolve().parent.parent / "data"
CONSTANT = np.array([[1.0, 7.0], [2.0, 7.0], [4.0, 7.0], [8.0, 7.0]])


def test_every_step_has_its_methods_registered_by_name() -> None:
    assert set(method_names("normalise")) == {"minmax", "zscore", "rank", "frontier", "goalposts",
                                              "vector"}
    assert set(method_names("weight")) == {"equal", "manual", "ahp", "entropy", "critic", "pca"}
    assert set(method_names("aggregate")) == {"arithmetic", "geometric", "topsis"}
    assert set(method_names("impute")) == {"none", "mean", "median", "group_mean"}
    assert get_method("normalise", "eval") is None
    assert get_method("normalise", "minmax").params == {"low": 0.0, "high": 100.0}


@pytest.mark.parametrize("name", ["minmax", "zscore", "rank", "vector"])
def test_constant_indicator_is_normalised_without_dividing_by_zero(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = get_method("normalise", name)(CONSTANT, np.array([1, 1]), None)
    assert np.isfinite(out).all()
    assert np.ptp(out[:, 1]) == 0
    assert np.ptp(out[:, 0]) > 0


def test_constant_indicator_gets_zero_weight_from_data_driven_methods() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in (weights.entropy, weights.critic, weights.pca):
            w = method(CONSTANT, np.ones(2))
            assert w.tolist() == [1.0, 0.0], method.__name__


def test_all_constant_group_has_no_weights_to_give() -> None:
    with pytest.raises(DomainError) as caught:
        weights.entropy(np.full((4, 2), 3.0), np.ones(2))
    assert caught.value.key == "index.weights_zero"
    with pytest.raises(DomainError):
        weights.manual(np.zeros((2, 2)), np.array([0.0, 0.0]))


def test_normalisation_orients_by_direction() -> None:
    X = np.array([[1.0, 1.0], [3.0, 3.0]])
    out = norm.minmax(X, np.array([1, -1]), None)
    assert out.tolist() == [[0.0, 100.0], [100.0, 0.0]]
    z = norm.zscore(X, np.array([1, -1]), None)
    assert z[1, 0] > 0 > z[1, 1]
    np.testing.assert_allclose(norm.frontier(X, np.array([1, -1]), None),
                               [[100 / 3, 100.0], [100.0, 100 / 3]])


def test_frontier_and_goalposts_refuse_what_they_cannot_define() -> None:
    with pytest.raises(DomainError) as caught:
        norm.frontier(np.array([[-1.0], [2.0]]), np.array([1]), None)
    assert caught.value.key == "index.frontier_domain" and caught.value.column == 0
    with pytest.raises(DomainError):
        norm.goalposts(np.array([[1.0], [2.0]]), np.array([1]), np.array([[np.nan, np.nan]]))
    posts = norm.goalposts(np.array([[0.0], [5.0], [20.0]]), np.array([1]),
                           np.array([[0.0, 10.0]]))
    assert posts.ravel().tolist() == [0.0, 50.0, 100.0]


def test_missing_values_stay_missing_through_normalisation() -> None:
    X = np.array([[1.0], [np.nan], [3.0]])
    for name in method_names("normalise"):
        if name in ("goalposts",):
            continue
        out = get_method("normalise", name)(X, np.array([1]), None)
        assert np.isnan(out[1, 0]) and not np.isnan(out[[0, 2], 0]).any(), name


def test_imputation_methods() -> None:
    X = np.array([[1.0], [np.nan], [3.0], [10.0], [np.nan]])
    groups = np.array([0, 0, 0, 1, 2])
    assert impute.median(X, groups).ravel().tolist() == [1.0, 3.0, 3.0, 10.0, 3.0]
    assert impute.group_mean(X, groups).ravel().tolist() == [1.0, 2.0, 3.0, 10.0,
                                                             pytest.approx(14 / 3)]
    assert np.isnan(impute.none(X, groups)[1, 0])


def test_skewness_and_kurtosis_are_the_bias_corrected_sample_statistics() -> None:
    from scipy.stats import kurtosis, skew

    x = np.random.default_rng(5).lognormal(size=40)
    assert treat.shape(x) == (pytest.approx(skew(x, bias=False)),
                              pytest.approx(kurtosis(x, bias=False)))
    assert treat.shape(np.ones(9)) == (None, None)


def test_winsorisation_is_triggered_by_skew_and_kurtosis_only() -> None:
    calm = np.arange(20, dtype=float)
    assert treat.winsorise(calm)[1]["treated"] is None
    wild = np.r_[np.arange(20, dtype=float), 500.0]
    y, info = treat.winsorise(wild)
    assert info["treated"] == "winsorised" and info["points"] == [20] and y[20] == 19.0
    many = np.r_[np.ones(30), np.geomspace(10, 1e6, 8)]
    y, info = treat.winsorise(many, max_points=1)
    assert info["treated"] == "log"
    assert np.all(np.diff(y[30:]) > 0)


def test_ahp_reproduces_saaty_1990() -> None:
    reference = json.loads((DATA / "saaty1990.json").read_text(encoding="utf-8"))
    tol = reference["tolerance"]
    for case in reference["cases"]:
        result = weights.ahp_priorities(case["matrix"])
        expected = case["expected"]
        np.testing.assert_allclose(result.weights, expected["weights"], atol=tol)
        assert result.lambda_max == pytest.approx(expected["lambda_max"], abs=tol)
        assert result.ci == pytest.approx(expected["ci"], abs=tol)
        assert result.cr == pytest.approx(expected["cr"], abs=tol)


def test_ahp_refuses_inconsistent_and_non_reciprocal_matrices() -> None:
    house = json.loads((DATA / "saaty1990.json").read_text(encoding="utf-8"))["cases"][0]
    with pytest.raises(DomainError) as caught:
        weights.ahp(np.zeros((8, 8)), np.ones(8), matrix=house["matrix"])
    assert caught.value.key == "index.ahp_inconsistent" and caught.value.params["cr"] > 0.1
    assert weights.ahp(np.zeros((8, 8)), np.ones(8), matrix=house["matrix"], max_cr=0.2).size == 8
    with pytest.raises(DomainError) as caught:
        weights.ahp_priorities([[1, 3], [3, 1]])
    assert caught.value.key == "index.ahp_not_reciprocal"
    assert caught.value.params == {"row": 1, "column": 2, "a": 3.0, "b": 3.0}


def test_aggregation_skips_missing_children_and_reweights() -> None:
    X = np.array([[10.0, 30.0], [20.0, np.nan], [np.nan, np.nan]])
    w = np.array([0.25, 0.75])
    out = agg.arithmetic(X, w)
    assert out[:2].tolist() == [25.0, 20.0] and np.isnan(out[2])
    assert agg.geometric(np.array([[4.0, 16.0]]), np.array([0.5, 0.5]))[0] == pytest.approx(8.0)


def test_geometric_aggregation_refuses_non_positive_values() -> None:
    with pytest.raises(DomainError) as caught:
        agg.geometric(np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([0.5, 0.5]))
    assert caught.value.key == "index.geometric_nonpositive"
    assert (caught.value.column, caught.value.params["unit"]) == (1, 1)


def test_topsis_of_identical_units_is_a_tie_not_a_nan() -> None:
    out = agg.topsis(np.ones((3, 2)), np.array([0.5, 0.5]))
    assert out.tolist() == [50.0, 50.0, 50.0]


def test_batched_aggregation_equals_one_at_a_time() -> None:
    rng = np.random.default_rng(3)
    X = rng.uniform(1, 100, (9, 4))
    X[2, 1] = np.nan
    W = rng.dirichlet(np.ones(4), size=5)
    for name in method_names("aggregate"):
        method = get_method("aggregate", name)
        batch = method(X, W)
        stacked = method(np.broadcast_to(X, (5, 9, 4)).copy(), W)
        for r in range(5):
            np.testing.assert_allclose(batch[r], method(X, W[r]), rtol=1e-13)
        np.testing.assert_allclose(stacked, batch, rtol=1e-13)


def test_ranks_match_scipy_min_ranking() -> None:
    rng = np.random.default_rng(0)
    S = rng.integers(0, 20, (50, 30)).astype(float)
    S[S == 3] = np.nan
    expected = rankdata(-S, method="min", axis=1, nan_policy="omit")
    np.testing.assert_array_equal(core.rank_scores(S), expected)


def test_quantile_tiers_follow_the_ministrys_2022_counts() -> None:
    scores = np.linspace(100, 0, 105)
    ranks = core.rank_scores(scores)
    tiers = core.tier_of(ranks, scores, {"method": "quantile", "shares": [10, 50, 40, 5]})
    assert np.bincount(tiers).tolist() == [10, 50, 40, 5]
    tied = core.tier_of(np.array([1.0, 1, 3, 4]), np.zeros(4),
                        {"method": "quantile", "shares": [1, 1, 2]})
    assert tied.tolist() == [0, 0, 2, 2]
    cut = core.tier_of(np.array([1.0, 2.0, 3.0]), np.array([80.0, 50.0, np.nan]),
                       {"method": "thresholds", "cuts": [70, 40]})
    assert cut.tolist() == [0, 1, -1]
