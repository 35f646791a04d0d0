"""The steps of a build, in order: screen → impute → treat → normalise → weight/aggregate → tier.

Each function takes the running `Stage` and one log entry's parameters and fills in
the next named dataset. Weighting and aggregation run level by level (indicators
into dimensions, then dimensions into the index) because data-driven weights of the
dimensions are computed from the dimension scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from zonescope.errors import ZoneScopeError
from zonescope.index import core
from zonescope.index.data import RawData
from zonescope.index.framework import Framework
from zonescope.index.methods import DomainError, get_method
from zonescope.index.methods.normalise import constant_columns, minmax
from zonescope.regions import registry

Array = NDArray[np.float64]
DATA_DRIVEN = ("entropy", "critic", "pca")
MIN_UNITS_FOR_DATA_WEIGHTS = 3


@dataclass
class Notice:
    """A warning the build raised (shown, stored, never fatal)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Stage:
    """Every intermediate dataset of a build, named after the step that made it."""

    units: list[str]
    codes: list[str]
    dims: list[str]
    members: list[NDArray[np.int_]]
    raw: Array
    screened_units: list[dict[str, Any]] = field(default_factory=list)
    screened_indicators: list[dict[str, Any]] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    imputed: Array | None = None
    imputed_mask: NDArray[np.bool_] | None = None
    treated: Array | None = None
    treatment: dict[str, dict[str, Any]] = field(default_factory=dict)
    normalised: Array | None = None
    weights_indicator: Array | None = None
    weights_dimension: Array | None = None
    dimension_scores: Array | None = None
    scores: Array | None = None
    ranks: Array | None = None
    dimension_ranks: Array | None = None
    tiers: NDArray[np.int_] | None = None


def _coverage_pct(present: NDArray[np.bool_], axis: int) -> Array:
    return present.mean(axis=axis) if present.shape[axis] else np.zeros(present.shape[1 - axis])


def screen(framework: Framework, raw: RawData, params: dict[str, Any]) -> Stage:
    """Drop units without data, then thin indicators, then thin units; list each with why."""
    present = ~np.isnan(raw.values)
    keep_u = present.any(axis=1)
    out_units = [{"region_id": u, "reason": "index.screen_no_data", "coverage": 0.0}
                 for u, k in zip(raw.units, keep_u, strict=True) if not k]
    cover_i = _coverage_pct(present[keep_u], 0)
    keep_i = cover_i >= params["min_indicator_coverage"]
    out_inds = [{"code": c, "reason": "index.screen_indicator", "coverage": round(float(v), 4)}
                for c, v, k in zip(raw.codes, cover_i, keep_i, strict=True) if not k]
    if not keep_i.any():
        raise ZoneScopeError("index.nothing_left", what="indicators")
    cover_u = _coverage_pct(present[:, keep_i], 1)
    thin = keep_u & (cover_u < params["min_unit_coverage"])
    out_units += [{"region_id": u, "reason": "index.screen_unit", "coverage": round(float(v), 4)}
                  for u, v, t in zip(raw.units, cover_u, thin, strict=True) if t]
    keep_u &= ~thin
    if keep_u.sum() < 2:
        raise ZoneScopeError("index.too_few_units", count=int(keep_u.sum()))
    codes = [c for c, k in zip(raw.codes, keep_i, strict=True) if k]
    dims, members = [], []
    for dimension in framework.dimensions:
        cols = [codes.index(i.code) for i in dimension.indicators if i.code in codes]
        if cols:
            dims.append(dimension.code)
            members.append(np.array(cols, dtype=int))
    stage = Stage([u for u, k in zip(raw.units, keep_u, strict=True) if k], codes, dims,
                  members, raw.values[np.ix_(keep_u, keep_i)], out_units, out_inds)
    for dimension in framework.dimensions:
        if dimension.code not in dims:
            stage.notices.append(Notice("index.dimension_dropped", {"code": dimension.code}))
    return stage


def impute(stage: Stage, params: dict[str, Any]) -> None:
    method = get_method("impute", params["method"])
    assert method is not None
    reg = registry()
    provinces = []
    for unit in stage.units:
        region = reg.get(unit)
        province = reg.province_of(region) if region else None
        provinces.append(province.id if province else unit)
    labels = np.unique(provinces, return_inverse=True)[1]
    stage.imputed = np.asarray(method(stage.raw, labels))
    stage.imputed_mask = np.isnan(stage.raw) & ~np.isnan(stage.imputed)


def treat(stage: Stage, params: dict[str, Any]) -> None:
    method = get_method("treat", params["method"])
    assert method is not None and stage.imputed is not None
    kwargs = {k: v for k, v in params.items() if k in method.params}
    chosen = params.get("indicators")
    treated = stage.imputed.copy()
    for j, code in enumerate(stage.codes):
        if chosen is not None and code not in chosen:
            continue
        column, info = method(stage.imputed[:, j], **kwargs)
        treated[:, j] = column
        if info["treated"]:
            info["points"] = [stage.units[i] for i in info["points"]]
            stage.treatment[code] = info
    stage.treated = treated


def _direction(framework: Framework, codes: list[str]) -> NDArray[np.int_]:
    return np.array([framework.indicator(c).direction for c in codes])  # type: ignore[union-attr]


def normalise(stage: Stage, params: dict[str, Any], framework: Framework) -> None:
    method = get_method("normalise", params["method"])
    assert method is not None and stage.treated is not None
    kwargs = {k: v for k, v in params.items() if k in method.params}
    bounds = np.array([framework.indicator(c).goalposts or (np.nan, np.nan)  # type: ignore
                       for c in stage.codes], dtype=float)
    for j in np.flatnonzero(constant_columns(stage.treated)):
        stage.notices.append(Notice("index.constant_indicator", {"code": stage.codes[j]}))
    try:
        stage.normalised = np.asarray(method(stage.treated, _direction(framework, stage.codes),
                                             bounds, **kwargs))
    except DomainError as exc:
        raise _located(exc, stage.codes) from None


def _located(exc: DomainError, codes: list[str], group: str | None = None,
             units: list[str] | None = None) -> ZoneScopeError:
    """A method's domain error as a message naming the indicator (and unit) concerned."""
    where = codes[exc.column] if exc.column is not None and exc.column < len(codes) else "—"
    params = dict(exc.params)
    if units is not None and isinstance(params.get("unit"), int):
        region = registry().get(units[params["unit"]])
        params["unit"] = region.label() if region else units[params["unit"]]
    return ZoneScopeError(exc.key, indicator=where, group=group or "—", **params)


def group_weights(X: Array, declared: list[float | None], params: dict[str, Any],
                  codes: list[str], matrix: Any = None, group: str = "—") -> Array:
    """Weights of one group by the level's method, then the overrides (proportional rescale)."""
    method = get_method("weight", params["method"])
    assert method is not None
    if len(codes) == 1:
        base = np.ones(1)
    else:
        kwargs = {k: v for k, v in params.items() if k in method.params}
        if params["method"] == "ahp":
            kwargs["matrix"] = matrix
        data = X
        if params["method"] in DATA_DRIVEN:
            data = X[~np.isnan(X).any(axis=1)]
            if data.shape[0] < MIN_UNITS_FOR_DATA_WEIGHTS:
                raise ZoneScopeError("index.weights_too_few_units", group=group,
                                     count=data.shape[0])
            data = minmax(data, np.ones(data.shape[1], dtype=int), None, low=0.0, high=1.0)
        filled = [1.0 if w is None else w for w in declared]
        try:
            base = np.asarray(method(data, np.array(filled), **kwargs), dtype=float)
        except DomainError as exc:
            raise _located(exc, codes, group) from None
    return apply_overrides(base, codes, params.get("overrides") or {}, group)


def apply_overrides(w: Array, codes: list[str], overrides: dict[str, float], group: str
                    ) -> Array:
    """Set the named weights (as shares of the group) and rescale the others to fill the rest."""
    fixed = {codes.index(c): float(v) for c, v in overrides.items() if c in codes}
    if not fixed:
        return w
    total_fixed = sum(fixed.values())
    if total_fixed > 1 + 1e-12:
        raise ZoneScopeError("index.override_range", group=group, total=round(total_fixed, 6))
    out = w.copy()
    free = [i for i in range(len(w)) if i not in fixed]
    rest = float(sum(w[i] for i in free))
    for i, v in fixed.items():
        out[i] = v
    for i in free:
        out[i] = w[i] / rest * (1 - total_fixed) if rest > 0 else (1 - total_fixed) / len(free)
    if not out.sum() > 0:
        raise ZoneScopeError("index.weights_zero", group=group, indicator="—")
    return out / out.sum()


def _ahp_submatrix(matrix: Any, full: list[str], kept: list[str]) -> Any:
    """The rows and columns of a declared AHP matrix for the members that survived screening."""
    if matrix is None or len(kept) == len(full):
        return matrix
    index = [full.index(c) for c in kept]
    return [[matrix[i][j] for j in index] for i in index]


def weigh_and_aggregate(stage: Stage, weight: dict[str, Any], aggregate: dict[str, Any],
                        framework: Framework) -> None:
    """Indicator weights → dimension scores → dimension weights → index scores and ranks."""
    assert stage.normalised is not None and stage.treated is not None
    w_ind = np.zeros(len(stage.codes))
    level = weight["indicator"]
    for code, cols in zip(stage.dims, stage.members, strict=True):
        dimension = framework.dimension(code)
        assert dimension is not None
        codes = [stage.codes[c] for c in cols]
        full = [i.code for i in dimension.indicators]
        matrix = _ahp_submatrix((level.get("matrices") or {}).get(code), full, codes)
        oriented = stage.treated[:, cols] * _direction(framework, codes)
        declared = [framework.indicator(c).weight for c in codes]  # type: ignore[union-attr]
        w_ind[cols] = group_weights(oriented, declared, level, codes, matrix, code)
    stage.weights_indicator = w_ind
    try:
        scores = core.dimension_scores(stage.normalised, w_ind[None, :], stage.members,
                                       aggregate["dimension"])[0]
    except DomainError as exc:
        raise _located(exc, stage.codes, units=stage.units) from None
    stage.dimension_scores = scores
    declared = [framework.dimension(c).weight for c in stage.dims]  # type: ignore[union-attr]
    matrix = _ahp_submatrix(weight["dimension"].get("matrix"),
                            [d.code for d in framework.dimensions], stage.dims)
    w_dim = group_weights(scores, declared, weight["dimension"], stage.dims, matrix, "index")
    stage.weights_dimension = w_dim
    try:
        stage.scores = core.aggregate_level(scores, w_dim[None, :], aggregate["index"])[0]
    except DomainError as exc:
        raise _located(exc, stage.dims, units=stage.units) from None
    stage.ranks = core.rank_scores(stage.scores)
    stage.dimension_ranks = core.rank_scores(scores.T).T


def tier(stage: Stage, params: dict[str, Any]) -> None:
    assert stage.ranks is not None and stage.scores is not None
    stage.tiers = core.tier_of(stage.ranks, stage.scores, params)


def run(framework: Framework, raw: RawData, steps: dict[str, dict[str, Any]]) -> Stage:
    """Every step in order with the given parameters (a complete log)."""
    stage = screen(framework, raw, steps["screen"])
    impute(stage, steps["impute"])
    treat(stage, steps["treat"])
    normalise(stage, steps["normalise"], framework)
    weigh_and_aggregate(stage, steps["weight"], steps["aggregate"], framework)
    tier(stage, steps["tier"])
    return stage
