"""Why a unit scores what it does, and what would change its rank.

`explain` decomposes the score level by level. With arithmetic aggregation a child
contributes w·x (weights re-scaled over the children the unit has), and the
contributions add up to the score exactly; through two arithmetic levels each
indicator's contribution to the index is W_dim · w_ind · x. Geometric aggregation is
additive in logarithms (w·ln x sums to ln score); TOPSIS is explained by each child's
share of the squared distances to the ideal and the anti-ideal. The gap to the next
unit up is the difference of the two units' contributions.

`whatif` sets raw values and/or weights (a patch to the data or the log), replays the
build, and reports the unit's new score, rank and tier.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from zonescope.errors import ZoneScopeError
from zonescope.index.build import IndexBuild, clean
from zonescope.index.results import _names
from zonescope.index.steps import suggest

Array = NDArray[np.float64]


def _terms(x: Array, w: Array, method: str) -> tuple[Array, str]:
    """Per-child terms of one unit at one level, and what they add up to."""
    present = ~np.isnan(x)
    share = np.where(present, w, 0.0)
    share = share / share.sum() if share.sum() > 0 else share
    if method == "geometric":
        return np.where(present, share * np.log(np.where(present, x, 1.0)), np.nan), "log"
    return np.where(present, share * x, np.nan), "score"


def _topsis_terms(X: Array, w: Array, i: int) -> dict[str, Array]:
    present = ~np.isnan(X)
    best = np.where(present, X, -np.inf).max(axis=0)
    worst = np.where(present, X, np.inf).min(axis=0)
    return {"to_ideal": np.where(present[i], w ** 2 * (X[i] - best) ** 2, np.nan),
            "to_anti_ideal": np.where(present[i], w ** 2 * (X[i] - worst) ** 2, np.nan)}


def _level(X: Array, w: Array, i: int, method: str) -> dict[str, Any]:
    if method == "topsis":
        return {"kind": "distance", **_topsis_terms(X, w, i)}
    terms, kind = _terms(X[i], w, method)
    return {"kind": kind, "terms": terms}


def next_up(build: IndexBuild, i: int) -> int | None:
    """The unit just above: the lowest score strictly higher than unit i's."""
    scores = build.scores()
    higher = np.flatnonzero(scores > scores[i])
    return int(higher[np.argmin(scores[higher])]) if higher.size else None


def _unit(build: IndexBuild, i: int, lang: str) -> dict[str, Any]:
    st = build.stage
    assert st.dimension_scores is not None and st.normalised is not None
    assert st.weights_indicator is not None and st.weights_dimension is not None
    assert st.tiers is not None
    agg = build.steps["aggregate"]
    top = _level(st.dimension_scores, st.weights_dimension, i, agg["index"]["method"])
    dims = []
    for d, (code, cols) in enumerate(zip(st.dims, st.members, strict=True)):
        inner = _level(st.normalised[:, cols], st.weights_indicator[cols], i,
                       agg["dimension"]["method"])
        dims.append({"code": code, "score": st.dimension_scores[i, d],
                     **{k: (v[d] if isinstance(v, np.ndarray) else v) for k, v in top.items()},
                     "indicators": [_indicator(build, i, cols[k], k, inner) for k in
                                    range(len(cols))]})
    additive = agg["index"]["method"] == agg["dimension"]["method"] == "arithmetic"
    if additive:
        for entry in dims:
            for item in entry["indicators"]:
                item["index_contribution"] = (None if entry["terms"] is None or
                                              np.isnan(entry["terms"]) or not entry["score"]
                                              else entry["terms"] * item["terms"] / entry["score"])
    zh, en = _names(st.units[i])
    return {"region_id": st.units[i], "name_zh": zh, "name_en": en, "score": st.scores[i],
            "rank": st.ranks[i], "tier": int(st.tiers[i]) + 1,
            "tier_name": build.tier_name(int(st.tiers[i]), lang), "additive": additive,
            "dimensions": dims}


def _indicator(build: IndexBuild, i: int, j: int, k: int, inner: dict[str, Any]
               ) -> dict[str, Any]:
    st = build.stage
    assert st.normalised is not None and st.imputed_mask is not None
    assert st.weights_indicator is not None and st.treated is not None
    code = st.codes[j]
    r = build.raw.units.index(st.units[i])
    c = build.raw.codes.index(code)
    return {"code": code, "raw": build.raw.values[r, c], "treated": st.treated[i, j],
            "normalised": st.normalised[i, j], "imputed": bool(st.imputed_mask[i, j]),
            "weight": st.weights_indicator[j], "source": build.raw.sources[r][c],
            **{key: value[k] for key, value in inner.items() if isinstance(value, np.ndarray)},
            "kind": inner["kind"]}


def explain(build: IndexBuild, region_id: str, lang: str = "zh") -> dict[str, Any]:
    """The unit's score decomposed, and the gap to the unit just above it."""
    i = build.position(region_id)
    unit = _unit(build, i, lang)
    above = next_up(build, i)
    result: dict[str, Any] = {"unit": unit, "above": None, "gap": None,
                              "aggregate": build.steps["aggregate"]}
    if above is not None:
        other = _unit(build, above, lang)
        result["above"] = other
        result["gap"] = _gap(unit, other)
    return clean(result)


def _gap(unit: dict[str, Any], above: dict[str, Any]) -> dict[str, Any]:
    """Score gap, and per dimension and indicator how much of it each explains."""
    gap: dict[str, Any] = {"score": above["score"] - unit["score"], "dimensions": [],
                           "indicators": []}
    for mine, theirs in zip(unit["dimensions"], above["dimensions"], strict=True):
        if "terms" in mine:
            gap["dimensions"].append({"code": mine["code"],
                                      "difference": _diff(theirs["terms"], mine["terms"])})
        for a, b in zip(mine["indicators"], theirs["indicators"], strict=True):
            key = "index_contribution" if unit["additive"] else "terms"
            if key in a:
                gap["indicators"].append({"code": a["code"], "dimension": mine["code"],
                                          "difference": _diff(b.get(key), a.get(key))})
    gap["indicators"].sort(key=lambda g: -(g["difference"] or 0))
    return gap


def _diff(a: Any, b: Any) -> float | None:
    if a is None or b is None or np.isnan(a) or np.isnan(b):
        return None
    return float(a - b)


def whatif(build: IndexBuild, region_id: str, values: dict[str, float],
           weights: dict[str, float], lang: str = "zh") -> dict[str, Any]:
    """Replay with the unit's values and/or weights changed; before and after."""
    fw = build.framework
    variant = build.with_values(region_id, values) if values else build
    ind = {c: w for c, w in weights.items() if fw.indicator(c)}
    dim = {c: w for c, w in weights.items() if fw.dimension(c)}
    unknown = [c for c in weights if c not in ind and c not in dim]
    if unknown:
        choices = [i.code for i in fw.indicators] + [d.code for d in fw.dimensions]
        raise ZoneScopeError("index.indicator_unknown", code=unknown[0],
                             suggestions=suggest(unknown[0], choices))
    patch: dict[str, Any] = {}
    if ind:
        current = dict(build.steps["weight"]["indicator"].get("overrides") or {})
        patch["indicator"] = {"overrides": {**current, **_shares(ind, fw.weight_sum)}}
    if dim:
        current = dict(build.steps["weight"]["dimension"].get("overrides") or {})
        patch["dimension"] = {"overrides": {**current, **_shares(dim, fw.weight_sum)}}
    if patch:
        variant = variant.patch("weight", patch)
    before, after = _brief(build, region_id, lang), _brief(variant, region_id, lang)
    moved = [u for u in build.stage.units if u in variant.stage.units and
             build.ranks()[build.stage.units.index(u)] !=
             variant.ranks()[variant.stage.units.index(u)]]
    return clean({"region_id": region_id, "values": values, "weights": weights,
                  "before": before, "after": after, "others_moved": len(
                      [u for u in moved if u != region_id]), "log": [
                      s.to_dict() for s in variant.log if s.name == "weight"]})


def _shares(weights: dict[str, float], weight_sum: float) -> dict[str, float]:
    return {c: float(w) / weight_sum for c, w in weights.items()}


def _brief(build: IndexBuild, region_id: str, lang: str) -> dict[str, Any]:
    if region_id not in build.stage.units:
        build.position(region_id)  # raises with the reason it is not scored
    i = build.stage.units.index(region_id)
    assert build.stage.tiers is not None
    tier = int(build.stage.tiers[i])
    return {"score": build.scores()[i], "rank": build.ranks()[i], "tier": tier + 1,
            "tier_name": build.tier_name(tier, lang), "of": len(build.stage.units)}
