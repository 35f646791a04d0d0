"""Aggregation of one level: children's scores (n units × k children) and weights → scores.

Vectorised over replications: `X` is (n, k) or (R, n, k) and `W` is (k,) or (R, k);
the result is (n,) or (R, n). With a 2-D `X` and many weight vectors every method is
one product of the data with the stacked weights, which makes the Monte Carlo fast. Missing children
(NaN) are skipped and the weights re-scaled over those present (COINr's default); a
unit with no child present gets NaN.

- arithmetic: Σ w x / Σ w (compensatory; OECD/JRC Handbook §6.2);
- geometric: exp(Σ w ln x / Σ w), defined for positive x only (partly compensatory);
- topsis: closeness to the ideal, D⁻ / (D⁺ + D⁻), with weighted Euclidean distances to
  the best and worst observed values (Hwang & Yoon 1981; equals pymcdm TOPSIS on the
  same normalised matrix, tests/index/test_pymcdm.py), times `scale`.

>>> import numpy as np
>>> X = np.array([[10.0, 50.0], [40.0, np.nan]])
>>> arithmetic(X, np.array([0.5, 0.5])).tolist()
[30.0, 40.0]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from zonescope.index.methods import DomainError, register

Array = NDArray[np.float64]


def weighted_sum(values: Array, W: Array) -> Array:
    """Σ_k values[..., n, k] · W[..., k] → (..., n).

    `einsum` without BLAS: for the few children of one level its sum-of-products loop
    beats a GEMM (whose threads only contend on a busy machine), and each output is
    summed in the same order however many replications share the call.
    """
    if values.ndim == 2:
        return np.einsum("nk,...k->...n", values, W)
    return np.einsum("...nk,...k->...n", values, W)


def _coverage(X: Array, W: Array) -> tuple[NDArray[np.bool_] | None, Array]:
    """Where children are present (None: everywhere) and the weight present per unit."""
    present = ~np.isnan(X)
    if present.all():
        total = W.sum(axis=-1)[..., None]
        shape = np.broadcast_shapes(W.shape[:-1], X.shape[:-2]) + (X.shape[-2],)
        return None, np.broadcast_to(total, shape)
    return present, weighted_sum(present.astype(float), W)


def _filled(X: Array, present: NDArray[np.bool_] | None, fill: float) -> Array:
    return X if present is None else np.where(present, X, fill)


def _finish(num: Array, den: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


@register("aggregate", "arithmetic", "OECD/JRC Handbook (2008) §6.2, linear aggregation")
def arithmetic(X: Array, W: Array) -> Array:
    """Weighted arithmetic mean over the children present."""
    present, den = _coverage(X, W)
    return _finish(weighted_sum(_filled(X, present, 0.0), W), den)


@register("aggregate", "geometric", "OECD/JRC Handbook (2008) §6.2, geometric aggregation")
def geometric(X: Array, W: Array) -> Array:
    """Weighted geometric mean over the children present; every value must be positive."""
    present, den = _coverage(X, W)
    bad = ~np.isnan(X) & ~(X > 0)
    if bad.any():
        where = np.argwhere(bad)[0]
        raise DomainError("index.geometric_nonpositive", where=int(where[-1]),
                          unit=int(where[-2]), value=float(X[tuple(where)]))
    logs = np.log(_filled(X, present, 1.0))
    return np.exp(_finish(weighted_sum(logs, W), den))


@register("aggregate", "topsis", "Hwang & Yoon (1981); pymcdm TOPSIS")
def topsis(X: Array, W: Array, *, scale: float = 100.0) -> Array:
    """Relative closeness to the ideal solution, times `scale` (0.5 if all units tie)."""
    present, den = _coverage(X, W)
    best = _filled(X, present, -np.inf).max(axis=-2, keepdims=True)
    worst = _filled(X, present, np.inf).min(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore"):
        to_best = _filled((X - best) ** 2, present, 0.0)
        to_worst = _filled((X - worst) ** 2, present, 0.0)
    W2 = W ** 2
    d_best = np.sqrt(weighted_sum(to_best, W2))
    d_worst = np.sqrt(weighted_sum(to_worst, W2))
    total = d_best + d_worst
    with np.errstate(divide="ignore", invalid="ignore"):
        closeness = np.where(total > 0, d_worst / np.where(total > 0, total, 1.0), 0.5)
    return np.where(den > 0, closeness * scale, np.nan)
