"""Weights within one group (a dimension's indicators, or the dimensions of the index).

Declared (`equal`, `manual`), elicited (`ahp`, from a pairwise comparison matrix)
or derived from the data (`entropy`, `critic`, `pca`). Data-driven methods receive
the group's indicators oriented (higher is better) and min–max scaled to [0, 1],
over the units with complete data. A constant indicator gets weight 0 from a
data-driven method (it cannot discriminate) instead of a division by zero.

Sources: Saaty (1980, 1990) for AHP; Shannon entropy weights (Zeleny 1982; pymcdm
`entropy_weights`); Diakoulaki, Mavrotas & Papayannakis (1995) for CRITIC (pymcdm
`critic_weights`); OECD/JRC Handbook (2008) §6.1 for PCA. Entropy and CRITIC equal
pymcdm's to 1e-9 on the matrices pymcdm accepts (tests/index/test_pymcdm.py).

>>> import numpy as np
>>> result = ahp_priorities([[1, 3], [1/3, 1]])
>>> result.weights.round(3).tolist(), result.cr
([0.75, 0.25], 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from zonescope.index.methods import DomainError, register
from zonescope.index.reference import max_cr as default_max_cr
from zonescope.index.reference import random_index

Array = NDArray[np.float64]
RECIPROCAL_TOLERANCE = 0.01  # a_ij · a_ji may differ from 1 by this much (0.33 for 1/3)


def _flat(X: Array) -> NDArray[np.bool_]:
    return ~(np.ptp(X, axis=0) > 0) if X.shape[0] else np.ones(X.shape[1], dtype=bool)


def _share(scores: Array) -> Array:
    total = float(scores.sum())
    if not total > 0:
        raise DomainError("index.weights_zero")
    return scores / total


@register("weight", "equal")
def equal(X: Array, declared: Array) -> Array:
    """Every member of the group weighs the same."""
    k = len(declared)
    return np.full(k, 1.0 / k)


@register("weight", "manual")
def manual(X: Array, declared: Array) -> Array:
    """The framework's declared weights, scaled to sum to 1 (a zero sum is an error)."""
    if (np.asarray(declared) < 0).any():
        raise DomainError("index.weights_negative")
    return _share(np.asarray(declared, dtype=float))


def parse_judgement(cell: Any) -> float:
    """A pairwise judgement: a number or a fraction written as text ("1/3").

    >>> parse_judgement("1/3") == 1 / 3, parse_judgement(5)
    (True, 5.0)
    """
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, str):
        return float(Fraction(cell.strip()))
    return float(cell)


def reciprocal_problems(matrix: Array) -> list[tuple[int, int]]:
    """Cells (i, j), i < j, where a_ij · a_ji ≠ 1 or a judgement is not positive."""
    n = matrix.shape[0]
    bad = []
    for i in range(n):
        for j in range(i, n):
            a, b = matrix[i, j], matrix[j, i]
            if not (a > 0 and b > 0) or abs(a * b - 1.0) > RECIPROCAL_TOLERANCE:
                bad.append((i, j))
    return bad


@dataclass(frozen=True)
class AhpResult:
    """Priorities of a pairwise comparison matrix and its consistency (Saaty 1990)."""

    weights: Array
    lambda_max: float
    ci: float
    ri: float | None
    cr: float | None


def ahp_priorities(matrix: Any) -> AhpResult:
    """Principal right eigenvector (sums to 1), λmax, CI = (λmax − n)/(n − 1) and CR = CI/RI."""
    A = np.array([[parse_judgement(c) for c in row] for row in matrix], dtype=float)
    n = A.shape[0]
    if A.ndim != 2 or A.shape[1] != n:
        raise DomainError("index.ahp_shape", rows=n, columns=A.shape[1] if A.ndim == 2 else 0)
    bad = reciprocal_problems(A)
    if bad:
        i, j = bad[0]
        raise DomainError("index.ahp_not_reciprocal", row=i + 1, column=j + 1,
                          a=float(A[i, j]), b=float(A[j, i]))
    values, vectors = np.linalg.eig(A)
    top = int(np.argmax(values.real))
    w = np.abs(vectors[:, top].real)
    lam = float(values[top].real)
    ci = 0.0 if n < 3 else max((lam - n) / (n - 1), 0.0)
    ri = random_index(n)
    cr = 0.0 if n < 3 else (ci / ri if ri else None)
    return AhpResult(w / w.sum(), lam, ci, ri, cr)


@register("weight", "ahp", "Saaty (1990) EJOR 48:9-26, principal eigenvector")
def ahp(X: Array, declared: Array, *, matrix: Any = None, max_cr: float | None = None
        ) -> Array:
    """Weights from a pairwise comparison matrix; refused when CR exceeds `max_cr` (0.1)."""
    if matrix is None:
        raise DomainError("index.ahp_matrix_missing")
    result = ahp_priorities(matrix)
    if len(result.weights) != len(declared):
        raise DomainError("index.ahp_shape", rows=len(result.weights), columns=len(declared))
    limit = default_max_cr() if max_cr is None else max_cr
    if result.cr is None:
        raise DomainError("index.ahp_too_large", n=len(declared))
    if result.cr > limit:
        raise DomainError("index.ahp_inconsistent", cr=round(result.cr, 4), limit=limit)
    return result.weights


@register("weight", "entropy", "Shannon entropy weights; pymcdm entropy_weights")
def entropy(X: Array, declared: Array) -> Array:
    """w ∝ 1 − E_j, E_j = −Σ p ln p / ln n with p the column shares (0 · ln 0 = 0)."""
    if (X < 0).any():
        raise DomainError("index.entropy_negative", where=int(np.argwhere(X < 0)[0, 1]))
    n = X.shape[0]
    flat = _flat(X)
    sums = X.sum(axis=0)
    P = X / np.where(sums > 0, sums, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P > 0, P * np.log(P), 0.0)
    divergence = 1.0 - (-terms.sum(axis=0) / np.log(n))
    return _share(np.where(flat | ~(sums > 0), 0.0, divergence))


def _correlation(X: Array, flat: NDArray[np.bool_]) -> Array:
    """Pearson correlations; pairs with a constant column count as uncorrelated."""
    centred = X - X.mean(axis=0)
    sd = np.sqrt((centred ** 2).mean(axis=0))
    Z = np.where(flat, 0.0, centred / np.where(flat, 1.0, sd))
    R = Z.T @ Z / X.shape[0]
    np.fill_diagonal(R, 1.0)
    return R


@register("weight", "critic", "Diakoulaki et al. (1995); pymcdm critic_weights")
def critic(X: Array, declared: Array) -> Array:
    """w ∝ s_j · Σ_k (1 − r_jk) on min–max scaled columns (contrast × conflict)."""
    flat = _flat(X)
    if X.shape[1] == 1:
        return _share(np.where(flat, 0.0, 1.0))
    lo, hi = X.min(axis=0), X.max(axis=0)
    N = np.where(flat, 1.0, (X - lo) / np.where(flat, 1.0, hi - lo))
    sd = N.std(axis=0, ddof=1)
    information = sd * (1.0 - _correlation(N, flat)).sum(axis=0)
    return _share(np.where(flat, 0.0, information))


@register("weight", "pca", "OECD/JRC Handbook (2008) §6.1: squared loadings of the first PC")
def pca(X: Array, declared: Array) -> Array:
    """Squared loadings of the first principal component of the correlation matrix."""
    flat = _flat(X)
    keep = np.flatnonzero(~flat)
    loading = np.zeros(X.shape[1])
    if keep.size == 1:
        loading[keep] = 1.0
    elif keep.size > 1:
        sub = X[:, keep]
        _, vectors = np.linalg.eigh(_correlation(sub, np.zeros(keep.size, dtype=bool)))
        loading[keep] = vectors[:, -1] ** 2
    return _share(loading)
