"""Outlier treatment, one indicator at a time (COINr `Treat()`; OECD/JRC Handbook §1.5).

An indicator is treated only when it is both skewed and heavy-tailed: |skewness| >
`skew` and excess kurtosis > `kurtosis` (COINr's defaults 2.0 and 3.5; sample
statistics as Excel's SKEW and KURT). Winsorisation then pulls the most extreme
value(s) on the skewed side in to the next value, one distinct value at a time, up
to `max_points` units; if the indicator is still outside the thresholds, the
original is log-transformed instead (the JRC COIN Tool's shifted log when values
are not all positive). Each function returns the new column and what it did.

>>> import numpy as np
>>> x = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 100])
>>> y, info = winsorise(x)
>>> info["treated"], info["points"], float(y.max())
('winsorised', [9], 5.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from zonescope.index.methods import register

Array = NDArray[np.float64]


def shape(x: Array) -> tuple[float | None, float | None]:
    """Sample skewness and excess kurtosis of the present values, as Excel's SKEW and KURT.

    SKEW = n / ((n−1)(n−2)) · Σ z³ and KURT = n(n+1) / ((n−1)(n−2)(n−3)) · Σ z⁴ −
    3(n−1)² / ((n−2)(n−3)), z = (x − x̄)/s (scipy's bias-corrected estimators; a test
    checks), written out because scipy's per-call overhead dominates a build.
    """
    values = x[~np.isnan(x)]
    n = values.size
    if n < 4 or np.ptp(values) == 0:
        return None, None
    z = (values - values.mean()) / values.std(ddof=1)
    skew = n / ((n - 1) * (n - 2)) * float((z ** 3).sum())
    kurt = (n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * float((z ** 4).sum())
            - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))
    return skew, kurt


def _outlying(x: Array, skew: float, kurtosis: float) -> bool:
    s, k = shape(x)
    return s is not None and k is not None and abs(s) > skew and k > kurtosis


def _report(kind: str | None, x: Array, y: Array, points: list[int]) -> dict[str, Any]:
    before, after = shape(x), shape(y)
    return {"treated": kind, "points": points, "skew_before": before[0],
            "kurtosis_before": before[1], "skew_after": after[0], "kurtosis_after": after[1]}


@register("treat", "none")
def none(x: Array) -> tuple[Array, dict[str, Any]]:
    """Leave the indicator as it is."""
    return x.copy(), _report(None, x, x, [])


@register("treat", "log", "JRC COIN Tool, shifted log")
def log(x: Array) -> tuple[Array, dict[str, Any]]:
    """ln x if every value is positive, else ln(x − min + 1); order is preserved either way."""
    present = x[~np.isnan(x)]
    if present.size and present.min() > 0:
        return np.log(x), _report("log", x, np.log(x), [])
    shift = (present.min() if present.size else 0.0) - 1.0
    y = np.log(x - shift)
    return y, _report("log", x, y, [])


@register("treat", "winsorise", "COINr Treat(): winsorisation, then log if it fails")
def winsorise(x: Array, *, skew: float = 2.0, kurtosis: float = 3.5, max_points: int = 5,
              fallback: str = "log") -> tuple[Array, dict[str, Any]]:
    """Winsorise while the indicator is outlying, up to `max_points` units; then `fallback`."""
    if not _outlying(x, skew, kurtosis):
        return x.copy(), _report(None, x, x, [])
    y = x.copy()
    points: set[int] = set()
    while _outlying(y, skew, kurtosis):
        s, _ = shape(y)
        upper = s is not None and s > 0
        present = np.unique(y[~np.isnan(y)])
        extreme, nearest = (present[-1], present[-2]) if upper else (present[0], present[1])
        hit = np.flatnonzero(y == extreme)
        if len(points | {int(i) for i in hit}) > max_points:
            break
        y[hit] = nearest
        points |= {int(i) for i in hit}
    if _outlying(y, skew, kurtosis) and fallback == "log":
        return log(x)
    return y, _report("winsorised" if points else None, x, y, sorted(points))
