"""Every method pymcdm also implements gives pymcdm's result to 1e-9 on random matrices."""

from __future__ import annotations

import numpy as np
import pytest

pymcdm = pytest.importorskip("pymcdm")
from pymcdm import normalizations as pn  # noqa: E402
from pymcdm import weights as pw  # noqa: E402
from pymcdm.helpers import normalize_matrix  # noqa: E402
from pymcdm.methods import TOPSIS  # noqa: E402
from pymcdm.weights.subjective import AHP  # noqa: E402

from zonescope.index.methods import aggregate, normalise, weights  # noqa: E402

TOL = 1e-9
SEEDS = range(12)


def _problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, m = rng.integers(4, 40), rng.integers(2, 12)
    X = rng.uniform(0.5, 1000.0, size=(n, m)) * rng.uniform(0.01, 100.0, size=m)
    w = rng.dirichlet(np.ones(m))
    types = rng.choice([-1, 1], size=m)
    types[0] = 1
    return X, w, types


@pytest.mark.parametrize("seed", SEEDS)
def test_minmax_and_vector_normalisation_equal_pymcdm(seed: int) -> None:
    X, _, types = _problem(seed)
    ours = normalise.minmax(X, types, None, low=0.0, high=1.0)
    np.testing.assert_allclose(ours, normalize_matrix(X, pn.minmax_normalization, types),
                               rtol=0, atol=TOL)
    ours = normalise.vector(X, types, None, scale=1.0)
    np.testing.assert_allclose(ours, normalize_matrix(X, pn.vector_normalization, types),
                               rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("norm", ["minmax", "vector"])
def test_topsis_equals_pymcdm(seed: int, norm: str) -> None:
    X, w, types = _problem(seed)
    if norm == "minmax":
        N = normalise.minmax(X, types, None, low=0.0, high=1.0)
        theirs = TOPSIS(pn.minmax_normalization)(X, w, types)
    else:
        N = normalise.vector(X, types, None, scale=1.0)
        theirs = TOPSIS(pn.vector_normalization)(X, w, types)
    ours = aggregate.topsis(N, w, scale=1.0)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOL)


def test_topsis_is_vectorised_over_weight_vectors() -> None:
    X, w, types = _problem(99)
    N = normalise.minmax(X, types, None, low=0.0, high=1.0)
    W = np.random.default_rng(1).dirichlet(np.ones(len(w)), size=7)
    batch = aggregate.topsis(N, W, scale=1.0)
    for r in range(7):
        np.testing.assert_allclose(batch[r], TOPSIS()(X, W[r], types), rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_entropy_and_critic_weights_equal_pymcdm(seed: int) -> None:
    X, _, _ = _problem(seed)
    np.testing.assert_allclose(weights.entropy(X, np.ones(X.shape[1])),
                               pw.entropy_weights(X), rtol=0, atol=TOL)
    with np.errstate(all="ignore"):
        theirs = pw.critic_weights(X)
    np.testing.assert_allclose(weights.critic(X, np.ones(X.shape[1])), theirs, rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_ahp_eigenvector_equals_pymcdm(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 9))
    A = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a = float(rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9]))
            A[i, j], A[j, i] = (a, 1 / a) if rng.random() < 0.5 else (1 / a, a)
    ours = weights.ahp_priorities(A)
    np.testing.assert_allclose(ours.weights, AHP(matrix=A)(), rtol=0, atol=TOL)
