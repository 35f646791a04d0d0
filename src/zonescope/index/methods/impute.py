"""Imputation of missing values, column by column (OECD/JRC Handbook (2008) §1.4; COINr).

`none` leaves gaps: aggregation then re-weights over the indicators a unit has
(COINr's default). `group_mean` uses the mean of the unit's group (by default its
province) and falls back to the overall mean where the whole group is missing.

>>> import numpy as np
>>> X = np.array([[1.0], [np.nan], [5.0], [7.0]])
>>> mean(X, np.zeros(4, dtype=int)).ravel().tolist()
[1.0, 4.333333333333333, 5.0, 7.0]
>>> group_mean(X, np.array([0, 0, 1, 1])).ravel().tolist()
[1.0, 1.0, 5.0, 7.0]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from zonescope.index.methods import register

Array = NDArray[np.float64]


def _column_stat(X: Array, stat: str) -> Array:
    present = ~np.isnan(X)
    out = np.full(X.shape[1], np.nan)
    for j in range(X.shape[1]):
        values = X[present[:, j], j]
        if values.size:
            out[j] = values.mean() if stat == "mean" else np.median(values)
    return out


def _fill(X: Array, values: Array) -> Array:
    return np.where(np.isnan(X), values, X)


@register("impute", "none", "COINr (missing values re-weighted at aggregation)")
def none(X: Array, groups: NDArray[np.int_]) -> Array:
    """Leave missing values missing."""
    return X.copy()


@register("impute", "mean", "OECD/JRC Handbook (2008) §1.4, unconditional mean")
def mean(X: Array, groups: NDArray[np.int_]) -> Array:
    """Fill each gap with the mean of the indicator over units that have it."""
    return _fill(X, _column_stat(X, "mean"))


@register("impute", "median", "OECD/JRC Handbook (2008) §1.4, unconditional median")
def median(X: Array, groups: NDArray[np.int_]) -> Array:
    """Fill each gap with the median of the indicator (robust to outliers)."""
    return _fill(X, _column_stat(X, "median"))


@register("impute", "group_mean", "COINr i_mean_grp")
def group_mean(X: Array, groups: NDArray[np.int_]) -> Array:
    """Fill each gap with the mean of its group; the overall mean where the group has none."""
    overall = _column_stat(X, "mean")
    out = X.copy()
    for label in np.unique(groups):
        rows = groups == label
        local = _column_stat(X[rows], "mean")
        out[rows] = np.where(np.isnan(X[rows]), local, X[rows])
    return _fill(out, overall)
