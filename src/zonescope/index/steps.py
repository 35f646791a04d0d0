"""The build's steps as data: their order, defaults and the checks on their parameters.

A framework file's `steps:` block and every later patch pass through `check_step`,
so a typo in a method or parameter name is reported (with the line, for a file)
instead of silently falling back to a default. `complete_steps` writes every
parameter out, defaults included: the log then says exactly what was done.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from zonescope.index.methods import DomainError, get_method, method_names
from zonescope.index.methods.weights import ahp_priorities
from zonescope.index.reference import default_tiers, max_cr

STEP_ORDER = ("screen", "impute", "treat", "normalise", "weight", "aggregate", "tier")
WEIGHT_LEVELS = ("indicator", "dimension")     # weights within a dimension; across dimensions
AGGREGATE_LEVELS = ("dimension", "index")      # indicators → dimension; dimensions → index
DEFAULTS: dict[str, dict[str, Any]] = {
    "screen": {"min_unit_coverage": 0.5, "min_indicator_coverage": 0.5},
    "impute": {"method": "none"},
    "treat": {"method": "winsorise"},
    "normalise": {"method": "minmax"},
    "weight": {"indicator": {"method": "manual"}, "dimension": {"method": "manual"}},
    "aggregate": {"dimension": {"method": "arithmetic"}, "index": {"method": "arithmetic"}},
    "tier": {},
}
# Step-level parameters besides the method's own.
EXTRA = {"impute": {"group": "province"}, "treat": {"indicators": None}, "normalise": {}}
LEVEL_EXTRA = {"weight": {"overrides": {}}, "aggregate": {}}
IMPUTE_GROUPS = ("province",)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a framework or patch; `path` locates it in the YAML document."""

    path: tuple[Any, ...]
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Shape:
    """What step parameters are checked against: the framework's tree."""

    indicators: tuple[str, ...]
    dimensions: dict[str, tuple[str, ...]]
    goalposts: frozenset[str] = frozenset()


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> list[str]:
    """Up to three close matches (messages join them in the reader's language)."""
    found = difflib.get_close_matches(str(word), list(choices), n=3, cutoff=0.6)
    return found or ["—"]


def _typed(value: Any, default: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, type(default))


def _method_params(step: str, params: Any, path: tuple[Any, ...], extra: dict[str, Any],
                   skip: tuple[str, ...] = ()) -> tuple[dict[str, Any], list[Problem]]:
    """Fill a {method: …, params…} block with defaults; report unknown names and wrong types."""
    if not isinstance(params, dict) or "method" not in params:
        return {}, [Problem(path, "index.method_missing", {"step": step,
                                                           "choices": method_names(step)})]
    method = get_method(step, str(params["method"]))
    if method is None:
        return {}, [Problem((*path, "method"), "index.method_unknown", {
            "step": step, "method": params["method"], "choices": method_names(step)})]
    allowed = {k: v for k, v in {**method.params, **extra}.items() if k not in skip}
    problems = []
    for key, value in params.items():
        if key == "method":
            continue
        if key not in allowed:
            problems.append(Problem((*path, key), "index.param_unknown", {
                "step": step, "param": key, "choices": list(allowed) or ["—"]}))
        elif not _typed(value, allowed[key]):
            problems.append(Problem((*path, key), "index.param_type", {
                "step": step, "param": key, "expected": type(allowed[key]).__name__}))
    return {"method": method.name, **allowed, **params}, problems


def check_step(name: str, params: Any, shape: Shape,
               path: tuple[Any, ...] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """The step's full parameters (defaults filled in) and the problems found in them."""
    path = path if path is not None else ("steps", name)
    if name not in STEP_ORDER:
        return {}, [Problem(path, "index.step_unknown", {"step": name, "choices": STEP_ORDER})]
    if name == "screen":
        return _check_screen(params, path)
    if name == "tier":
        return _check_tier(params, path)
    if name in ("weight", "aggregate"):
        return _check_levels(name, params, shape, path)
    full, problems = _method_params(name, params, path, EXTRA[name])
    if name == "impute" and full and full["group"] not in IMPUTE_GROUPS:
        problems.append(Problem((*path, "group"), "index.param_choice", {
            "param": "group", "value": full["group"], "choices": IMPUTE_GROUPS}))
    if name == "treat" and full.get("indicators") is not None:
        problems += _check_codes(full["indicators"], shape, (*path, "indicators"))
    if name == "treat" and full.get("fallback") not in (None, "log", "none"):
        problems.append(Problem((*path, "fallback"), "index.param_choice", {
            "param": "fallback", "value": full["fallback"], "choices": ("log", "none")}))
    if name == "normalise" and full.get("method") == "goalposts":
        missing = [c for c in shape.indicators if c not in shape.goalposts]
        if missing:
            problems.append(Problem(path, "index.goalposts_undeclared", {"codes": missing}))
    return full, problems


def _check_codes(codes: Any, shape: Shape, path: tuple[Any, ...]) -> list[Problem]:
    if not isinstance(codes, list):
        return [Problem(path, "index.param_type", {"step": "treat", "param": "indicators",
                                                   "expected": "list"})]
    return [Problem((*path, i), "index.indicator_unknown", {
        "code": code, "suggestions": suggest(code, shape.indicators)})
        for i, code in enumerate(codes) if code not in shape.indicators]


def _check_screen(params: Any, path: tuple[Any, ...]) -> tuple[dict[str, Any], list[Problem]]:
    given = params if isinstance(params, dict) else {}
    full = {**DEFAULTS["screen"], **given}
    problems = []
    for key, value in given.items():
        if key not in DEFAULTS["screen"]:
            problems.append(Problem((*path, key), "index.param_unknown", {
                "step": "screen", "param": key, "choices": list(DEFAULTS["screen"])}))
        elif not _typed(value, 0.5) or not 0 <= value <= 1:
            problems.append(Problem((*path, key), "index.coverage_range", {
                "param": key, "value": value}))
    return full, problems


def _check_tier(params: Any, path: tuple[Any, ...]) -> tuple[dict[str, Any], list[Problem]]:
    given = params if isinstance(params, dict) else {}
    base = default_tiers()
    method = given.get("method", "quantile")
    if method == "thresholds":
        base = {"method": "thresholds", "cuts": [], "names": base["names"]}
    full = {**base, **given}
    problems = []
    for key in given:
        if key not in ("method", "shares", "cuts", "names"):
            problems.append(Problem((*path, key), "index.param_unknown", {
                "step": "tier", "param": key, "choices": ["method", "shares", "cuts", "names"]}))
    if method not in ("quantile", "thresholds"):
        problems.append(Problem((*path, "method"), "index.method_unknown", {
            "step": "tier", "method": method, "choices": ("quantile", "thresholds")}))
        return full, problems
    names = full.get("names")
    if not isinstance(names, list) or not all(
            isinstance(n, dict) and {"zh", "en"} <= set(n) for n in names):
        problems.append(Problem((*path, "names"), "index.tier_names"))
        return full, problems
    if method == "quantile":
        shares = full.get("shares")
        if (not isinstance(shares, list) or len(shares) != len(names)
                or not all(_typed(s, 1.0) and s > 0 for s in shares)):
            problems.append(Problem((*path, "shares"), "index.tier_shares", {"n": len(names)}))
    else:
        cuts = full.get("cuts")
        if (not isinstance(cuts, list) or len(cuts) != len(names) - 1
                or not all(_typed(c, 1.0) for c in cuts) or cuts != sorted(cuts, reverse=True)):
            problems.append(Problem((*path, "cuts"), "index.tier_cuts", {"n": len(names) - 1}))
    return full, problems


def _check_levels(name: str, params: Any, shape: Shape, path: tuple[Any, ...]
                  ) -> tuple[dict[str, Any], list[Problem]]:
    levels = WEIGHT_LEVELS if name == "weight" else AGGREGATE_LEVELS
    given = params if isinstance(params, dict) else {}
    full: dict[str, Any] = {}
    problems = [Problem((*path, key), "index.level_unknown", {
        "step": name, "level": key, "choices": levels}) for key in given if key not in levels]
    for level in levels:
        block = given.get(level, DEFAULTS[name][level])
        step = "weight" if name == "weight" else "aggregate"
        extra = dict(LEVEL_EXTRA[step])
        skip: tuple[str, ...] = ()
        if name == "weight" and level == "indicator":
            extra["matrices"] = {}
            skip = ("matrix",)
        full[level], found = _method_params(step, block, (*path, level), extra, skip)
        problems += found
        if name == "weight" and full[level]:
            problems += _check_weight_level(level, full[level], shape, (*path, level))
    return full, problems


def _check_weight_level(level: str, params: dict[str, Any], shape: Shape,
                        path: tuple[Any, ...]) -> list[Problem]:
    members = shape.indicators if level == "indicator" else tuple(shape.dimensions)
    problems = []
    for code, value in (params.get("overrides") or {}).items():
        if code not in members:
            problems.append(Problem((*path, "overrides", code), "index.indicator_unknown", {
                "code": code, "suggestions": suggest(code, members)}))
        elif not _typed(value, 1.0) or value < 0:
            problems.append(Problem((*path, "overrides", code), "index.weights_negative"))
    if params["method"] != "ahp":
        return problems
    if level == "dimension":
        return problems + check_ahp(params.get("matrix"), tuple(shape.dimensions),
                                    params.get("max_cr"), (*path, "matrix"))
    matrices = params.get("matrices") or {}
    for dim in matrices:
        if dim not in shape.dimensions:
            problems.append(Problem((*path, "matrices", dim), "index.dimension_unknown", {
                "code": dim, "suggestions": suggest(dim, list(shape.dimensions))}))
    for dim, codes in shape.dimensions.items():
        if len(codes) > 1:
            problems += check_ahp(matrices.get(dim), codes, params.get("max_cr"),
                                  (*path, "matrices", dim))
    return problems


def check_ahp(matrix: Any, members: tuple[str, ...], limit: float | None,
              path: tuple[Any, ...]) -> list[Problem]:
    """A pairwise matrix for `members`: present, square of their size, reciprocal, CR ≤ limit."""
    if matrix is None:
        return [Problem(path, "index.ahp_missing", {"members": list(members)})]
    try:
        result = ahp_priorities(matrix)
    except (ValueError, TypeError, ZeroDivisionError) as exc:
        if isinstance(exc, DomainError):
            row = exc.params.get("row")
            return [Problem((*path, row - 1) if row else path, exc.key, exc.params)]
        return [Problem(path, "index.ahp_cells")]
    if len(result.weights) != len(members):
        return [Problem(path, "index.ahp_size", {"expected": len(members),
                                                 "found": len(result.weights),
                                                 "members": list(members)})]
    threshold = max_cr() if limit is None else limit
    if result.cr is None:
        return [Problem(path, "index.ahp_too_large", {"n": len(members)})]
    if result.cr > threshold:
        return [Problem(path, "index.ahp_inconsistent", {
            "cr": round(result.cr, 4), "limit": threshold})]
    return []


def complete_steps(steps: dict[str, Any], shape: Shape,
                   path: tuple[Any, ...] = ("steps",)) -> tuple[dict[str, dict[str, Any]],
                                                                list[Problem]]:
    """Every step, in order, with every parameter written out; plus the problems found."""
    problems = [Problem((*path, name), "index.step_unknown", {"step": name,
                                                               "choices": STEP_ORDER})
                for name in steps if name not in STEP_ORDER]
    full: dict[str, dict[str, Any]] = {}
    for name in STEP_ORDER:
        full[name], found = check_step(name, steps.get(name, DEFAULTS[name]), shape,
                                       (*path, name))
        problems += found
    return full, problems

