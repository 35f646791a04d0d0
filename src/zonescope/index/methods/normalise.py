"""Normalisation: bring indicators to a common scale, oriented so that higher is better.

`direction` is +1 where more is better and -1 where less is better. Missing values
(NaN) stay missing. A constant indicator carries no information: every method gives
it one defined value (the middle of the scale) instead of dividing by zero, and the
build warns about it. Sources: OECD/JRC *Handbook on Constructing Composite
Indicators* (2008) §1.5; COINr `normalise()`; pymcdm `normalizations` (min-max and
vector here equal pymcdm's to 1e-9, see tests/index/test_pymcdm.py).

>>> import numpy as np
>>> X = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 40.0]])
>>> minmax(X, np.array([1, -1]), None).round(2).tolist()
[[0.0, 100.0], [50.0, 66.67], [100.0, 0.0]]
>>> rank(X, np.array([1, 1]), None).round(1).tolist()
[[33.3, 33.3], [66.7, 66.7], [100.0, 100.0]]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from zonescope.index.methods import DomainError, register

Array = NDArray[np.float64]


def _stats(X: Array) -> tuple[Array, Array]:
    """Per-column minimum and maximum over the values present (NaN for an empty column)."""
    present = ~np.isnan(X)
    lo = np.where(present, X, np.inf).min(axis=0)
    hi = np.where(present, X, -np.inf).max(axis=0)
    empty = ~present.any(axis=0)
    return np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)


def constant_columns(X: Array) -> NDArray[np.bool_]:
    """Columns whose present values are all equal (no information to rank on)."""
    lo, hi = _stats(X)
    return ~(hi > lo)


@register("normalise", "minmax", "OECD/JRC Handbook (2008) §1.5, min-max; pymcdm")
def minmax(X: Array, direction: NDArray[np.int_], bounds: Array | None, *,
           low: float = 0.0, high: float = 100.0) -> Array:
    """low + (x − min) / (max − min) · (high − low); reversed for direction −1."""
    lo, hi = _stats(X)
    spread = hi - lo
    flat = ~(spread > 0)
    safe = np.where(flat, 1.0, spread)
    up = (X - lo) / safe
    down = (hi - X) / safe
    t = np.where(direction > 0, up, down)
    t = np.where(flat & ~np.isnan(X), 0.5, t)
    return low + t * (high - low)


@register("normalise", "zscore", "OECD/JRC Handbook (2008) §1.5, standardisation")
def zscore(X: Array, direction: NDArray[np.int_], bounds: Array | None, *,
           mean: float = 0.0, sd: float = 1.0) -> Array:
    """mean + sd · direction · (x − x̄) / s, with the sample standard deviation s."""
    centre = np.nanmean(np.where(np.isnan(X).all(axis=0), 0.0, X), axis=0)
    count = (~np.isnan(X)).sum(axis=0)
    dev = np.where(np.isnan(X), 0.0, X - centre)
    s = np.sqrt((dev ** 2).sum(axis=0) / np.maximum(count - 1, 1))
    flat = ~(s > 0)
    z = direction * (X - centre) / np.where(flat, 1.0, s)
    z = np.where(flat & ~np.isnan(X), 0.0, z)
    return mean + sd * z


@register("normalise", "rank", "OECD/JRC Handbook (2008) §1.5, ranking (percentile form)")
def rank(X: Array, direction: NDArray[np.int_], bounds: Array | None, *,
         high: float = 100.0) -> Array:
    """Percentile rank: average rank among present values ÷ their count × high (ties share)."""
    oriented = X * direction
    from scipy.stats import rankdata  # imported when used: scipy.stats costs ≈0.5 s to load

    ranks = rankdata(oriented, axis=0, method="average", nan_policy="omit")
    count = (~np.isnan(X)).sum(axis=0)
    return ranks / np.maximum(count, 1) * high


@register("normalise", "frontier", "OECD/JRC Handbook (2008) §1.5, distance to a reference")
def frontier(X: Array, direction: NDArray[np.int_], bounds: Array | None, *,
             high: float = 100.0) -> Array:
    """Relative to the best unit: x / max · high, or min / x · high where less is better.

    Defined for non-negative values with a positive best (direction +1) and for
    positive values (direction −1); anything else is a `DomainError`.
    """
    lo, hi = _stats(X)
    for j in range(X.shape[1]):
        if np.isnan(lo[j]):
            continue
        if (direction[j] > 0 and (lo[j] < 0 or hi[j] <= 0)) or (direction[j] < 0 and lo[j] <= 0):
            raise DomainError("index.frontier_domain", where=j, low=float(lo[j]))
    with np.errstate(divide="ignore", invalid="ignore"):
        up = X / np.where(hi > 0, hi, 1.0)
        down = np.where(lo > 0, lo, 1.0) / X
    return np.where(direction > 0, up, down) * high


@register("normalise", "goalposts", "OECD/JRC Handbook (2008) §1.5; COINr n_goalposts")
def goalposts(X: Array, direction: NDArray[np.int_], bounds: Array | None, *,
              high: float = 100.0, clip: bool = True) -> Array:
    """(x − low post) / (high post − low post) · high, reversed for direction −1, clipped.

    The goalposts are declared per indicator in the framework (`goalposts: [low, high]`).
    """
    if bounds is None:
        raise DomainError("index.goalposts_missing", where=0)
    for j in range(X.shape[1]):
        lo_post, hi_post = bounds[j]
        if np.isnan(lo_post) or np.isnan(hi_post) or hi_post <= lo_post:
            raise DomainError("index.goalposts_missing", where=j)
    span = bounds[:, 1] - bounds[:, 0]
    up = (X - bounds[:, 0]) / span
    t = np.where(direction > 0, up, 1.0 - up)
    if clip:
        t = np.clip(t, 0.0, 1.0)
    return t * high


@register("normalise", "vector", "Hwang & Yoon (1981); pymcdm vector_normalization")
def vector(X: Array, direction: NDArray[np.int_], bounds: Array | None, *,
           scale: float = 100.0) -> Array:
    """x / ‖x‖ (and 1 − x / ‖x‖ where less is better), times `scale`; pymcdm's convention."""
    norm = np.sqrt(np.nansum(X ** 2, axis=0))
    flat = ~(norm > 0)
    t = X / np.where(flat, 1.0, norm)
    t = np.where(direction > 0, t, 1.0 - t)
    t = np.where(flat & ~np.isnan(X), 0.5, t)
    return t * scale
